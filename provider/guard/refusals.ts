/**
 * Prospects Woodpecker refused at the last create or update (provider/woodpecker/refusals.ts): the
 * plain outputs `prospectsRefused` and `prospectsRefusedAt` (positions and reasons, never an email),
 * as the plan's old state carries them. The guard adds them to the campaign's row, so a reviewer
 * sees who the campaign does not reach; they never block a plan.
 */
import type { ResourceState } from "./preview";

const SHOWN = 5;

/** `; 1 prospect refused by Woodpecker at the last update (prospects[3]: E_INV_STATUS)`, or undefined. */
export function refusalNote(old: ResourceState | undefined): string | undefined {
  const count = old?.outputs?.prospectsRefused;
  if (typeof count !== "number" || !Number.isFinite(count) || count <= 0) return undefined;
  const at = old?.outputs?.prospectsRefusedAt;
  const where = Array.isArray(at)
    ? at
        .filter((x): x is string => typeof x === "string")
        .map((x) => x.replace(/ \(.*$/, ""))
        .slice(0, SHOWN)
    : [];
  const more = count > where.length && where.length > 0 ? `, and ${count - where.length} more` : "";
  const list = where.length ? ` (${where.join(", ")}${more})` : "";
  return `; ${count} ${count === 1 ? "prospect" : "prospects"} refused by Woodpecker at the last update${list}`;
}
