/**
 * What Woodpecker refuses while a sync writes prospects, said so that the user can act: prospects
 * refused one by one (ProspectsRejectedError, by position or prospectsFile row, never by email),
 * and a whole add, update or remove request refused (`refusal`: with the campaign's status as
 * Woodpecker holds it now, and the fix).
 */
import { AuthenticationError, CampaignsError, isApiError } from "../core/errors";
import type { WoodpeckerClient } from "./api";
import { ProspectsRequestError } from "./prospects-v1";

/** A prospect Woodpecker refused, by position only. */
export interface ProspectRejection {
  index: number;
  code: string;
  reason: string;
}

/**
 * Woodpecker refused some prospects; the others were added. Named by position and reason only.
 */
export class ProspectsRejectedError extends CampaignsError {
  constructor(
    readonly label: string,
    readonly rejections: readonly ProspectRejection[],
    readonly declared: number,
    /** With `prospectsFile`: each prospect's row in the file (a refusal names the row). */
    rows?: readonly number[],
  ) {
    const where = (i: number) => (rows ? `prospectsFile row ${rows[i]}` : `prospects[${i}]`);
    const shown = rejections.slice(0, 20).map((r) => `${where(r.index)} (${r.code}: ${r.reason})`);
    const more = rejections.length > shown.length ? `, and ${rejections.length - shown.length} more` : "";
    const status =
      (rejections.some((r) => r.code === "E_INV_STATUS")
        ? " A prospect whose global status is not ACTIVE (it replied, bounced or opted out) is refused unless " +
          `\`force: true\`, which would contact them again: remove it from ${rows ? "the file" : "`prospects`"}, ` +
          "or set force deliberately."
        : "") +
      (rejections.some((r) => r.code === TRUNCATED)
        ? ` A field Woodpecker cut short (TRUNCATED) is over its length limit: shorten it in ${rows ? "the file" : "`prospects`"}.`
        : "");
    super(
      `Woodpecker refused ${rejections.length} of the ${declared} prospects of ${label}: ${shown.join(", ")}${more}. ` +
        `The others are in the campaign.${status} Fix or remove the refused prospects, then run \`pulumi up\` again.`,
    );
  }
}

/** The code of a prospect whose field Woodpecker stored cut short (see truncatedFields). */
export const TRUNCATED = "TRUNCATED";

/** Campaign statuses known to take prospects [DOC/3P, §4.4]; for the others it is undocumented. */
const TAKES_PROSPECTS = new Set(["RUNNING", "DRAFT", "COMPLETED"]);

/**
 * A whole add/update/remove request refused (inside a 200 or as a 4xx, not auth or rate limit), named
 * with the campaign and its status as Woodpecker holds it now, and the fix. Other errors: undefined.
 */
export async function refusal(
  client: WoodpeckerClient,
  id: number,
  label: string,
  what: string,
  e: unknown,
): Promise<CampaignsError | undefined> {
  const whole = e instanceof ProspectsRequestError;
  const http4xx =
    isApiError(e) &&
    !(e instanceof AuthenticationError) &&
    e.status >= 400 &&
    e.status < 500 &&
    e.status !== 429;
  if (!whole && !http4xx) return undefined;
  const reason = whole
    ? `${e.code ? `${e.code}: ` : ""}${e.detail}`
    : `HTTP ${e.status}${e.vendorCode ? ` ${e.vendorCode}` : ""}: ${e.vendorMessage}`;
  const live = await client.getCampaign(id).catch(() => null);
  if (live === undefined) {
    return new CampaignsError(
      `${label}: Woodpecker refused to ${what} (${reason}), and the campaign no longer exists there ` +
        "(deleted outside Pulumi?). Run `pulumi refresh`: the next `pulumi up` creates it again.",
    );
  }
  const status = live ? String(live.status).toUpperCase() : undefined;
  if (status !== undefined && !TAKES_PROSPECTS.has(status)) {
    return new CampaignsError(
      `${label}: Woodpecker refused to ${what} while the campaign is ${status} (${reason}). Whether a ` +
        `${status} campaign takes prospects is undocumented, and this answer says it does not. Fix: change ` +
        "its prospects while it is running or a draft: declare `state: running` (when other fields change " +
        "too, apply them first without the prospect change), or start it in Woodpecker's app, then run " +
        "`pulumi up` again.",
    );
  }
  return new CampaignsError(
    `${label}: Woodpecker refused to ${what}${status ? ` (the campaign is ${status})` : ""}: ${reason}. ` +
      "Nothing more was changed by this request; fix what Woodpecker says, then run `pulumi up` again.",
  );
}
