/**
 * Woodpecker's account blacklist, as third parties report it (woodpecker-prospects-api.md §3.5,
 * [3P-live]): `POST /rest/v2/blacklist/emails` `{"emails": [...]}` and `POST
 * /rest/v2/blacklist/domains` `{"domains": [...]}`. A blacklisted address has the global status
 * BLACKLIST: Woodpecker refuses to enrol it in any campaign unless forced.
 *
 * Undocumented answers: every plausible success is accepted (200, 201, 202 or 204; an empty body,
 * an object or an array that does not say ERROR); anything else fails clearly, naming what was
 * done before (the prospects were already removed from the campaign). Blacklisting the same
 * address twice is harmless, so the request is repeated after an ambiguous failure. Nothing here
 * puts an address into an error or a log line.
 */
import { CampaignsError, EndpointError, isApiError } from "../core/errors";
import type { HttpClient } from "../core/http";
import { isRecord } from "../core/validation";
import { scrubEmails } from "./prospects-api";

/** At most this many addresses or domains per request (a guess well under any body limit). */
export const BLACKLIST_BATCH = 1000;

const OK_STATUSES = new Set([200, 201, 202, 204]);

/** What an answer says, when it says something is wrong (v1's `status.status`, v2's `code`). */
function refusalIn(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const st = isRecord(body.status) ? body.status : undefined;
  if (st && String(st.status).toUpperCase() === "ERROR") {
    return `${typeof st.code === "string" ? `${st.code}: ` : ""}${typeof st.msg === "string" ? st.msg : "error"}`;
  }
  if (typeof body.code === "string" && /^E_|FAIL|ERROR|INVALID/i.test(body.code)) {
    return `${body.code}${typeof body.message === "string" ? `: ${body.message}` : ""}`;
  }
  return undefined;
}

/**
 * Put addresses (`kind` "emails") or domains ("domains") on the account's blacklist, in batches.
 * `label` names the campaign in a failure.
 */
export async function addToBlacklist(
  http: HttpClient,
  kind: "emails" | "domains",
  values: readonly string[],
  label: string,
): Promise<void> {
  for (let i = 0; i < values.length; i += BLACKLIST_BATCH) {
    const batch = values.slice(i, i + BLACKLIST_BATCH);
    const fail = (why: string): CampaignsError =>
      new CampaignsError(
        `${label}: the ${batch.length} ${kind === "emails" ? "prospect(s)" : "domain(s)"} on the do-not-contact ` +
          `list were removed from the campaign, but Woodpecker's blacklist (POST /v2/blacklist/${kind}) ` +
          `${why}. They will not be emailed by this campaign; add them to the blacklist in Woodpecker's app ` +
          "so that no other campaign enrols them, then run `pulumi up` again.",
      );
    let status: number;
    let body: unknown;
    try {
      const r = await http.request<unknown>({
        method: "POST",
        path: `/v2/blacklist/${kind}`,
        json: { [kind]: batch },
        idempotent: true,
      });
      status = r.status;
      body = r.body;
    } catch (e) {
      if (e instanceof EndpointError) {
        throw fail(
          `is not there at ${http.baseUrl} (HTTP ${e.status}): this account or API version has no blacklist endpoint`,
        );
      }
      if (isApiError(e)) {
        const missing = e.status === 404 || e.status === 405;
        throw fail(
          missing
            ? `is not there at ${http.baseUrl} (HTTP ${e.status}): this account or API version has no blacklist endpoint`
            : `refused it (HTTP ${e.status}${e.vendorCode ? ` ${e.vendorCode}` : ""}: ${scrubEmails(e.vendorMessage)})`,
        );
      }
      throw e;
    }
    const refused = refusalIn(body);
    if (!OK_STATUSES.has(status) || refused !== undefined) {
      throw fail(
        `answered HTTP ${status}${refused ? ` (${scrubEmails(refused)})` : ""}, which is not a success`,
      );
    }
  }
}
