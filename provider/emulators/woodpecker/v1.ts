/**
 * The v1 API, of which the provider uses only `GET /rest/v1/campaign_list` (the adoption look-up):
 * errors come back inside an HTTP 200 (`{"status":{"status":"ERROR","code","msg"}}`), the key may
 * also come as `Authorization: Basic`.
 */
import { HttpReply, type RequestContext } from "../common";
import { v1Error } from "./errors";
import { handleProspectsV1 } from "./prospects";
import type { WoodpeckerState } from "./state";
import { WOODPECKER_CAMPAIGN_STATUSES } from "./types";
import { parseCampaignId } from "./validation";
import { mailboxEmail, v1Date } from "./views";

export function handleV1(s: WoodpeckerState, ctx: RequestContext, account: string | undefined): HttpReply {
  if (account === undefined) return v1Error("E_SESSION", "Invalid or expired API key");
  const prospects = handleProspectsV1(ctx, {
    store: s.prospects,
    account,
    campaign: (id) => {
      const c = s.campaigns.get(id);
      return c && c.account === account ? c : undefined;
    },
  });
  if (prospects) return prospects;
  if (ctx.method !== "GET" || ctx.path !== "/rest/v1/campaign_list") {
    // emulator guess: unknown v1 routes answer the v1 E_URL_NOT_FOUND inside a 200.
    return v1Error("E_URL_NOT_FOUND", "URL not found");
  }
  const list = (name: string) =>
    (ctx.query.get(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  const statuses = list("status").map((s) => s.toUpperCase());
  const badStatus = statuses.find((s) => !(WOODPECKER_CAMPAIGN_STATUSES as readonly string[]).includes(s));
  // emulator guess: bad filter values answer E_WRONG_PARAM inside a 200.
  if (badStatus !== undefined) return v1Error("E_WRONG_PARAM", `Invalid status: ${badStatus}`);
  const rawIds = list("id");
  const badId = rawIds.find((s) => parseCampaignId(s) === undefined);
  if (badId !== undefined) return v1Error("E_WRONG_PARAM", `Invalid id: ${badId}`);
  const ids = rawIds.map(Number);
  const found = [...s.campaigns.values()]
    .filter((c) => c.account === account)
    .filter((c) => statuses.length === 0 || statuses.includes(c.status))
    .filter((c) => ids.length === 0 || ids.includes(c.id))
    .sort((a, b) => a.id - b.id);
  if (found.length === 0) return v1Error("E_NO_CAMPAIGNS", "No campaigns found");
  // emulator guess: statistics for a single id are not modelled; folder fields are null, bcc/cc/error "".
  return new HttpReply(
    200,
    found.map((c) => {
      const emails = c.email_account_ids.map((id) => mailboxEmail(id));
      const names = c.email_account_ids.map((id) => `Sender ${id}`);
      return {
        id: c.id,
        name: c.name,
        status: c.status,
        created: v1Date(c.created),
        from_name: names[0] ?? "",
        from_names: names,
        gdpr_unsubscribe: c.settings.gdpr_unsubscribe,
        folder_name: null,
        folder_id: null,
        from_email: emails[0] ?? "",
        from_emails: emails,
        per_day: c.settings.daily_enroll,
        bcc: "",
        cc: "",
        error: "",
      };
    }),
  );
}
