/**
 * Reading a campaign's run status and declared run state from the plan: the vendor's status in the old
 * state's outputs (what the last refresh or write stored), and the `state` input the program declares.
 */
import type { ResourceState } from "./preview";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "./preview";
import { BURKI_ACTIVE_STATUSES, BURKI_TERMINAL_STATUSES } from "../core/campaign";
import type { Platform } from "../core/errors";

/**
 * Run states, as the providers know them (Burki's from core/campaign.ts, which its delete and converge
 * use; Woodpecker's as provider/woodpecker/mapping.ts reads them). Burki stops an active campaign
 * before deleting it; a finished campaign is never restarted by `state: running`. core/ loads no
 * client or server code, so the command stays quick to start.
 */
const STATUSES: Readonly<Record<Platform, { active: string[]; inactive: string[]; finished: string[] }>> = {
  burki: {
    active: [...BURKI_ACTIVE_STATUSES],
    inactive: ["draft", "paused"],
    finished: [...BURKI_TERMINAL_STATUSES],
  },
  woodpecker: {
    active: ["RUNNING"],
    inactive: ["DRAFT", "EDITED", "PAUSED", "STOPPED"],
    finished: ["COMPLETED"],
  },
};

export type StatusKind = "active" | "inactive" | "finished" | "unknown";

export interface RunStatus {
  kind: StatusKind;
  /** For display: the status string, or why there is none (`hidden`, `missing`, `unknown`). */
  shown: string;
}

export function statusOf(platform: Platform, state: ResourceState | undefined): RunStatus {
  const value = state?.outputs?.status;
  if (value === SECRET_PLACEHOLDER) return { kind: "unknown", shown: "hidden" };
  if (value === UNKNOWN_PLACEHOLDER) return { kind: "unknown", shown: "unknown" };
  if (typeof value !== "string" || value.trim() === "") return { kind: "unknown", shown: "missing" };
  const status = platform === "burki" ? value.toLowerCase() : value.toUpperCase();
  const known = STATUSES[platform];
  if (known.active.includes(status)) return { kind: "active", shown: status };
  if (known.inactive.includes(status)) return { kind: "inactive", shown: status };
  if (known.finished.includes(status)) return { kind: "finished", shown: status };
  return { kind: "unknown", shown: status };
}

export function quoteStatus(status: RunStatus): string {
  switch (status.shown) {
    case "hidden":
      return `(hidden: "${SECRET_PLACEHOLDER}")`;
    case "missing":
    case "unknown":
      return `(${status.shown})`;
    default:
      return `"${status.shown}"`;
  }
}

/** The declared `state` input: a run state, `undefined` when Pulumi does not manage it, or `unknown`. */
export function plannedStateOf(state: ResourceState | undefined): string | undefined {
  const value = state?.inputs?.state;
  if (value === SECRET_PLACEHOLDER || value === UNKNOWN_PLACEHOLDER) return "unknown";
  return typeof value === "string" && value !== "" ? value : undefined;
}
