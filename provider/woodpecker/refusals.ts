/**
 * Prospects Woodpecker refuses (a person who replied to another campaign is globally REPLIED and
 * refused without `force`; a bounced or opted-out one likewise) are not a failed deployment by
 * default: such refusals come from changes outside the program all the time, and an `up` that fails
 * until someone edits the list breaks every pipeline. The others are enrolled; the refusals are
 * reported by position and reason (never the email: reasons are scrubbed in prospects-api.ts) in the
 * `pulumi up` output (a provider line: docs/what-you-see.md) and in the plain outputs
 * `prospectsRefused` and `prospectsRefusedAt`. `onProspectRefused: "fail"` fails the update instead
 * (the campaign is kept, as a partial failure).
 */
import { logInfo } from "../core/log";
import { ProspectsRejectedError, type ProspectRejection } from "./prospects";

export type RefusalPolicy = "report" | "fail";

export interface RefusalOutputs {
  /** How many declared prospects Woodpecker refused (or stored cut short) at the last create or update. */
  prospectsRefused: number;
  /** Each as `prospects[3]: E_INV_STATUS (Prospect status is REPLIED; use force to add it)`, by position. */
  prospectsRefusedAt: string[];
}

/** The outputs for the refusals of one create or update; throws under `onProspectRefused: "fail"`. */
export function settleRefusals(
  label: string,
  rejections: readonly ProspectRejection[],
  declared: number,
  rows: readonly number[] | undefined,
  policy: RefusalPolicy | undefined,
): RefusalOutputs {
  if (rejections.length === 0) return { prospectsRefused: 0, prospectsRefusedAt: [] };
  const error = new ProspectsRejectedError(label, rejections, declared, rows);
  if (policy === "fail") throw error;
  const where = (i: number) => (rows ? `prospectsFile row ${rows[i]}` : `prospects[${i}]`);
  logInfo(
    `${error.message.replace(/ Fix or remove the refused prospects, then run `pulumi up` again\.$/, "")} ` +
      `Not a failure (onProspectRefused: "report"): see the prospectsRefusedAt output; set ` +
      `onProspectRefused: "fail" to fail the update instead.`,
  );
  return {
    prospectsRefused: rejections.length,
    prospectsRefusedAt: rejections.map((r) => `${where(r.index)}: ${r.code} (${r.reason})`),
  };
}

/** A refresh keeps the last create's or update's refusals (a read cannot know them). */
export function carriedRefusals(previous: Partial<RefusalOutputs>): Partial<RefusalOutputs> {
  return previous.prospectsRefused === undefined
    ? {}
    : { prospectsRefused: previous.prospectsRefused, prospectsRefusedAt: previous.prospectsRefusedAt ?? [] };
}
