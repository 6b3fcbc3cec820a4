/**
 * What every call to Woodpecker's v1 prospect endpoints shares (reference/woodpecker-prospects-api.md):
 * the prospect shapes, the scrubbing of email addresses, the v1 status that reports failures inside a
 * 200, and the error of a request refused as a whole. Adding (prospects-add.ts), listing
 * (prospects-list.ts) and removing (prospects-remove.ts) all read their answers through these.
 *
 * Nothing here puts an email into an error or a log line: vendor texts are scrubbed of addresses,
 * and prospects are named by position.
 */
import { CampaignsError, isApiError } from "../core/errors";
import { isRecord } from "../core/validation";

/** The body Woodpecker takes per prospect (§2.1). */
export type ApiProspect = Record<string, string> & { email: string };

/** One prospect of a campaign, as listed (§2.3), reduced to what the provider reads. */
export interface ListedProspect {
  id: number;
  email: string;
  /** The prospect's status in this campaign (or its global status when that is all the row has). */
  status: string;
  /** Writable fields as stored (`first_name`, `snippet1`, …). */
  fields: Record<string, string>;
}

/** Replace anything that looks like an email address (vendor texts may echo them). */
export function scrubEmails(text: string): string {
  return text.replace(/[^\s@"'<>(),;:[\]{}]+@[^\s@"'<>(),;:[\]{}]+/g, "[email]");
}

/** A v1 request failed as a whole (inside a 200 or not); the message names no prospect. */
export class ProspectsRequestError extends CampaignsError {
  /** Woodpecker's reason (or what was wrong with its answer), scrubbed of emails. */
  readonly detail: string;
  constructor(
    readonly what: string,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`Woodpecker refused to ${what}: ${code ? `${code}: ` : ""}${scrubEmails(detail)}`);
    this.detail = scrubEmails(detail);
  }
}

export function v1Status(body: unknown): { status?: string; code?: string; msg?: string } | undefined {
  if (!isRecord(body) || !isRecord(body.status)) return undefined;
  const s = body.status;
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  return { status: str(s.status), code: str(s.code), msg: str(s.msg) };
}

/** Shape of a body, for errors: its kind and top-level keys, never its values. */
export function shapeOf(body: unknown): string {
  if (Array.isArray(body)) return `an array of ${body.length}`;
  if (isRecord(body)) return `an object with keys ${Object.keys(body).slice(0, 8).join(", ") || "(none)"}`;
  if (typeof body === "string") return body.trim() ? "a text body" : "an empty body";
  return body === undefined || body === null ? "an empty body" : `a ${typeof body}`;
}

/** Run a request; errors from the HTTP client are scrubbed of emails (they may quote the body). */
export async function scrubbed<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Error) {
      e.message = scrubEmails(e.message);
      if (isApiError(e) && e.vendorMessage) {
        (e as { vendorMessage?: string }).vendorMessage = scrubEmails(e.vendorMessage);
      }
    }
    throw e;
  }
}
