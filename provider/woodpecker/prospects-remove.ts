/**
 * DELETE /rest/v1/prospects?id=…&campaigns_id=… (reference/woodpecker-prospects-api.md §3.5):
 * removing prospects from one campaign (they stay in the account's database), in batches whose URL
 * stays within Woodpecker's documented 4100 characters, halving a batch it refuses as too long.
 */
import { isApiError } from "../core/errors";
import type { HttpClient } from "../core/http";
import { ProspectsRequestError, scrubbed, v1Status } from "./prospects-v1";

/** The maximum URL length of DELETE /rest/v1/prospects [DOC: 4100 characters]. */
export const MAX_DELETE_URL = 4100;

/** Comma-separated id lists whose DELETE URL stays within Woodpecker's 4100 characters. */
export function deleteBatches(ids: readonly number[], campaignId: number, origin: string): number[][] {
  const fixed = `${origin}/v1/prospects?id=&campaigns_id=${campaignId}`.length;
  const batches: number[][] = [];
  let current: number[] = [];
  let length = fixed;
  for (const id of ids) {
    const add = String(id).length + (current.length ? 3 : 0); // "%2C": the comma, URL-encoded
    if (current.length && length + add > MAX_DELETE_URL) {
      batches.push(current);
      current = [];
      length = fixed;
    }
    length += String(id).length + (current.length ? 3 : 0);
    current.push(id);
  }
  if (current.length) batches.push(current);
  return batches;
}

/** What removals learned about Woodpecker's real URL limit (shared by the batches of one sync). */
export interface DeleteLimit {
  /** The most ids one DELETE was answered for after a too-long refusal; undefined: none refused. */
  maxIds?: number;
}

/** Halvings of one batch at most (360 ids → 2 or 3 per request): bounded, then it fails clearly. */
export const MAX_DELETE_HALVINGS = 7;

/**
 * The answer to a DELETE whose URL may be too long for Woodpecker. The documented limit is 4100
 * characters, but what Woodpecker answers past it is undocumented [§3.5]: a 414, a 400, or a v1
 * `E_WRONG_PARAM` inside a 200 are all taken as "too long" (the batch is halved and sent again).
 */
function tooLong(e: unknown): string | undefined {
  if (e instanceof ProspectsRequestError) {
    return e.code === "E_WRONG_PARAM" || e.code === "E_URL_NOT_FOUND" ? `${e.code}: ${e.detail}` : undefined;
  }
  if (isApiError(e) && (e.status === 414 || e.status === 400)) return e.message;
  return undefined;
}

/**
 * DELETE /rest/v1/prospects?id=…&campaigns_id=… : removes them from this campaign only (they stay
 * in the account's database). 200 with no body [DOC]; a v1 error inside the 200 is thrown. A batch
 * refused as too long (see `tooLong`) is halved and each half sent (at most MAX_DELETE_HALVINGS
 * times); the size that went through caps the next batches (`limit`).
 */
export async function removeProspectsFromCampaign(
  http: HttpClient,
  campaignId: number,
  ids: readonly number[],
  limit: DeleteLimit = {},
): Promise<void> {
  if (!ids.length) return;
  await removeHalving(http, campaignId, ids, limit, 0);
}

async function removeHalving(
  http: HttpClient,
  campaignId: number,
  ids: readonly number[],
  limit: DeleteLimit,
  halvings: number,
): Promise<void> {
  const cap = limit.maxIds;
  if (cap !== undefined && ids.length > cap) {
    // A size learned meanwhile (from the other half): no need to be refused again.
    for (let i = 0; i < ids.length; i += cap) {
      await removeHalving(http, campaignId, ids.slice(i, i + cap), limit, halvings);
    }
    return;
  }
  try {
    await removeOnce(http, campaignId, ids);
  } catch (e) {
    const why = tooLong(e);
    if (why === undefined) throw e;
    if (ids.length === 1 || halvings >= MAX_DELETE_HALVINGS) {
      throw new ProspectsRequestError(
        `remove ${ids.length} prospect(s) from campaign ${campaignId}`,
        undefined,
        `${ids.length === 1 ? "a DELETE of a single id" : `a DELETE of ${ids.length} ids, after ${halvings} halvings,`} ` +
          `was refused too, so it is not the URL's length: ${why}. Nothing more was removed; run ` +
          "`pulumi refresh`, then `pulumi up` again.",
      );
    }
    const half = Math.ceil(ids.length / 2);
    limit.maxIds = Math.min(limit.maxIds ?? Infinity, half);
    await removeHalving(http, campaignId, ids.slice(0, half), limit, halvings + 1);
    await removeHalving(http, campaignId, ids.slice(half), limit, halvings + 1);
  }
}

async function removeOnce(http: HttpClient, campaignId: number, ids: readonly number[]): Promise<void> {
  const what = `remove ${ids.length} prospect(s) from campaign ${campaignId}`;
  const r = await scrubbed(() =>
    http.request<unknown>({
      method: "DELETE",
      path: "/v1/prospects",
      query: { id: ids.join(","), campaigns_id: campaignId },
    }),
  );
  const st = v1Status(r.body);
  if (st?.status === "ERROR") throw new ProspectsRequestError(what, st.code, st.msg ?? "error");
}
