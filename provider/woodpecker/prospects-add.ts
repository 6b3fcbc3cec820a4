/**
 * POST /rest/v1/add_prospects_campaign (reference/woodpecker-prospects-api.md): adding prospects to
 * a campaign or updating their data there, and reading the answer into one outcome per prospect
 * sent. The answer's shapes are known only from third-party clients [3P]: every documented variant
 * is accepted, anything else fails clearly. Also here: the fields an add stored cut short
 * (truncatedFields), the other thing Woodpecker's copy of a prospect can say about what was sent.
 */
import type { HttpClient } from "../core/http";
import { isRecord } from "../core/validation";
import {
  type ApiProspect,
  ProspectsRequestError,
  scrubEmails,
  scrubbed,
  shapeOf,
  v1Status,
} from "./prospects-v1";

export type AddOutcome =
  { kind: "added"; id?: number } | { kind: "duplicate" } | { kind: "rejected"; code: string; reason: string };

/**
 * POST /rest/v1/add_prospects_campaign (`update: true` for changed data). Returns one outcome per
 * prospect sent, in the order sent; rows are matched by email (their order is undocumented).
 */
export async function addProspectsToCampaign(
  http: HttpClient,
  campaignId: number,
  prospects: readonly ApiProspect[],
  opts: {
    update: boolean;
    force: boolean;
    /** Ids of prospects already in Woodpecker, by lowercased email: rows answered by `id` only map back. */
    ids?: ReadonlyMap<string, number>;
  },
): Promise<AddOutcome[]> {
  const what = `${opts.update ? "update" : "add"} ${prospects.length} prospect(s) in campaign ${campaignId}`;
  const json: Record<string, unknown> = {
    campaign: { campaign_id: campaignId },
    force: opts.force,
    file_name: "pulumi-campaigns",
    prospects,
  };
  if (opts.update) json.update = true;
  // Not idempotent in general, but re-sending the same rows is harmless (a duplicate marker or the
  // same update), so an ambiguous failure may be retried.
  const r = await scrubbed(() =>
    http.request<unknown>({ method: "POST", path: "/v1/add_prospects_campaign", json, idempotent: true }),
  );
  const status = v1Status(r.body);
  const rows =
    isRecord(r.body) && Array.isArray(r.body.prospects) ? (r.body.prospects as unknown[]) : undefined;
  if (!rows) {
    // All of them already there, said once for the request (E_DUPLICATE is a v1 code, §5).
    if (status?.status === "ERROR" && isDuplicateCode(status.code)) {
      return prospects.map(() => ({ kind: "duplicate" }));
    }
    if (status?.status === "ERROR") throw new ProspectsRequestError(what, status.code, status.msg ?? "error");
    throw new ProspectsRequestError(
      what,
      undefined,
      `HTTP ${r.status} with ${shapeOf(r.body)}, not the documented {"prospects": [...], "status": {...}}. ` +
        "It is unknown which prospects were added; run `pulumi refresh`, then `pulumi up` again.",
    );
  }
  // Rows are matched by email (their order is undocumented) [3P]; a row carrying only an `id`, by the
  // id of a prospect already known (the update pass); an answer whose rows carry no email at all
  // and one row per prospect sent, by position (the order sent; guessed, see README "What is guessed").
  const unwrapped = rows.map((raw) => (isRecord(raw) && isRecord(raw.prospect) ? raw.prospect : raw));
  const byEmail = new Map<string, AddOutcome>();
  const byId = new Map<number, AddOutcome>();
  const emailless: Array<AddOutcome | undefined> = [];
  for (const row of unwrapped) {
    if (!isRecord(row)) {
      emailless.push(undefined);
      continue;
    }
    const outcome = classifyRow(row, what);
    const email = typeof row.email === "string" ? row.email.trim().toLowerCase() : undefined;
    if (email) byEmail.set(email, outcome);
    else {
      emailless.push(outcome);
      const id = rowId(row);
      if (id !== undefined) byId.set(id, outcome);
    }
  }
  const positional = byEmail.size === 0 && emailless.length === prospects.length;
  const outcomes = prospects.map((p, i) => {
    const found =
      byEmail.get(p.email.trim().toLowerCase()) ??
      (opts.ids?.has(p.email.trim().toLowerCase())
        ? byId.get(opts.ids.get(p.email.trim().toLowerCase())!)
        : undefined) ??
      (positional ? emailless[i] : undefined);
    if (found) return found;
    // No row for it: a whole-request ERROR explains it (E_DUPLICATE there: it is already in); else
    // the answer is not what we know.
    if (status?.status === "ERROR" && isDuplicateCode(status.code)) return { kind: "duplicate" } as const;
    if (status?.status === "ERROR") {
      return {
        kind: "rejected",
        code: status.code ?? "ERROR",
        reason: scrubEmails(status.msg ?? "rejected"),
      } as const;
    }
    return {
      kind: "rejected",
      code: "NO_ANSWER",
      reason: "Woodpecker's answer has no row for this prospect",
    } as const;
  });
  // Every prospect refused with one code that is not about a prospect, as the whole request's code:
  // the campaign refused them (e.g. in a status that takes no prospects), not each prospect.
  if (
    status?.status === "ERROR" &&
    status.code !== undefined &&
    !PROSPECT_CODES.has(status.code) &&
    outcomes.length > 0 &&
    outcomes.every((o) => o.kind === "rejected" && o.code === status.code)
  ) {
    throw new ProspectsRequestError(what, status.code, status.msg ?? "error");
  }
  return outcomes;
}

/** Codes about one prospect (v1 code table, §5); any other code refuses the request as a whole. */
const PROSPECT_CODES = new Set(["E_EMAIL", "E_EMAIL_NOT_EXISTS", "E_INV_STATUS", "E_DUPLICATE"]);

const isDuplicateCode = (c: string | undefined) => {
  const u = c?.toUpperCase();
  return u === "DUPLICATE" || u === "E_DUPLICATE";
};

function rowId(row: Record<string, unknown>): number | undefined {
  const id = typeof row.id === "number" ? row.id : typeof row.id === "string" ? Number(row.id) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function classifyRow(row: Record<string, unknown>, what: string): AddOutcome {
  const st = typeof row.status === "string" ? row.status.toUpperCase() : undefined;
  const code = typeof row.code === "string" ? row.code.toUpperCase() : undefined;
  const id = rowId(row);
  // The duplicate marker in any documented layout: `status: "DUPLICATE"` [DOC MCP, 3P], `code:
  // "E_DUPLICATE"` (v1 code table) with or without `status: "ERROR"`.
  if (isDuplicateCode(st) || isDuplicateCode(code)) return { kind: "duplicate" };
  if (st === "ERROR" || (code !== undefined && code !== "OK")) {
    const msg = typeof row.msg === "string" ? row.msg : (REASONS[code ?? ""] ?? "rejected");
    return { kind: "rejected", code: code ?? "ERROR", reason: scrubEmails(msg) };
  }
  if (st === undefined || st === "OK") return { kind: "added", id };
  throw new ProspectsRequestError(
    what,
    undefined,
    `a prospect row has the undocumented status "${scrubEmails(st).slice(0, 40)}"; nothing is assumed about it. ` +
      "Run `pulumi refresh`, then `pulumi up` again.",
  );
}

const REASONS: Record<string, string> = {
  E_EMAIL: "invalid email format",
  E_EMAIL_NOT_EXISTS: "the email looks nonexistent",
  E_INV_STATUS: "the prospect's global status is not ACTIVE (replied, bounced, blacklisted or invalid)",
};

/**
 * Fields Woodpecker stored cut short: the stored value is a strict, non-empty start of the declared
 * one. Its field limits are undocumented (the check's limits are assumed); a value cut to a limit
 * would otherwise be "changed" on every `up`. Named by field and lengths, never by value.
 */
export function truncatedFields(declared: ApiProspect, stored: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(declared)) {
    if (k === "email" || k === "tags") continue;
    const got = stored[k];
    if (got && got.length < v.length && v.startsWith(got)) {
      out.push(`${k} (${got.length} of ${v.length} characters)`);
    }
  }
  return out;
}
