/**
 * The prospects as the provider's state holds them, and how inputs compare with it: the declared
 * prospects an apply works with, the state carried over when nothing is applied, the inputs a
 * refresh keeps, and diff's question (prospectsChanged). No API call here.
 */
import type { DoNotContactList } from "../core/do-not-contact";
import { UNKNOWN, containsUnknown } from "../core/validation";
import { prospectsDigest } from "./prospects-mapping";
import type {
  WoodpeckerCampaignInputs,
  WoodpeckerCampaignOutputs,
  WoodpeckerProspect,
  WoodpeckerProspectCounts,
} from "./types";

/** What the state holds about the prospects (merged into the outputs). */
export interface ProspectsState {
  prospects?: WoodpeckerProspect[];
  prospectsFile?: string;
  force?: boolean;
  prospectCount?: number;
  prospectsDigest?: string;
  prospectCounts?: WoodpeckerProspectCounts;
  prospectsDrifted?: number;
}

/**
 * The prospects an apply works with, read before any API call: inline, or from `prospectsFile`
 * (lifecycle.ts). Absent `prospects`: not managed.
 */
export interface DeclaredProspects {
  prospects?: WoodpeckerProspect[];
  digest?: string;
  /** With `prospectsFile`: its path, and each prospect's row (refusals name the row). */
  file?: { path: string; rows: number[] };
  /** Inline, with some left out by the do-not-contact list: each prospect's position in `prospects`. */
  positions?: number[];
  /** The do-not-contact list: listed prospects in the campaign are removed and blacklisted. */
  doNotContact?: DoNotContactList;
}

/** The declared inline prospects (a file is read by the lifecycle: prospects-file.ts). */
export function inlineProspects(inputs: Pick<WoodpeckerCampaignInputs, "prospects">): DeclaredProspects {
  return { prospects: inputs.prospects, digest: prospectsDigest(inputs.prospects) };
}

/**
 * The state carried over unchanged (nothing applied yet, or unmanaged). The people are kept only
 * in the inline form: the declared ones when their digest is the one applied (the same people,
 * perhaps moved from a file), else those applied before.
 */
export function carriedProspects(
  inputs: Pick<WoodpeckerCampaignInputs, "force">,
  declared: DeclaredProspects,
  previous: Partial<WoodpeckerCampaignOutputs>,
): ProspectsState {
  if (declared.prospects === undefined) return {};
  const common = {
    force: inputs.force,
    prospectsDigest: previous.prospectsDigest,
    prospectCounts: previous.prospectCounts,
    prospectsDrifted: previous.prospectsDrifted,
  };
  if (declared.file) {
    const same = declared.digest === previous.prospectsDigest;
    return {
      ...common,
      prospectsFile: declared.file.path,
      prospectCount: same ? declared.prospects.length : previous.prospectCount,
    };
  }
  const kept = declared.digest === previous.prospectsDigest ? declared.prospects : previous.prospects;
  return { ...common, prospects: kept, prospectCount: kept?.length };
}

export function withProspects<T extends object>(outs: T, s: ProspectsState): T & ProspectsState {
  const out: T & ProspectsState = { ...outs };
  for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The prospect inputs a refresh keeps (the engine's view of the inputs after a read). */
export function prospectInputs(o: Partial<WoodpeckerCampaignOutputs>): ProspectsState {
  let s: ProspectsState;
  if (o.prospectsFile !== undefined) s = { prospectsFile: o.prospectsFile, prospectCount: o.prospectCount };
  else if (o.prospects !== undefined) s = { prospects: o.prospects, prospectCount: o.prospects.length };
  else return {};
  if (o.force !== undefined) s.force = o.force;
  return s;
}

/**
 * diff's view: total over partial input. Declared → changed when unknown (preview: may change) or
 * when the digest differs from the one applied or read (drift included). No longer declared while
 * state holds them → changed (the update stops managing them; nothing is removed). With
 * `prospectsFile`, `fileDigest` is the file's digest now (undefined: unreadable or invalid, so
 * "may change"), and a new path is a change (the update records it).
 */
export function prospectsChanged(
  n: Partial<WoodpeckerCampaignInputs>,
  o: Partial<WoodpeckerCampaignOutputs>,
  fileDigest?: string,
): boolean {
  const file: unknown = n.prospectsFile;
  if (file !== undefined) {
    return (
      file === UNKNOWN ||
      file !== o.prospectsFile ||
      fileDigest === undefined ||
      fileDigest !== o.prospectsDigest
    );
  }
  const declared: unknown = n.prospects;
  if (declared === undefined) return o.prospects !== undefined || o.prospectsDigest !== undefined;
  if (!Array.isArray(declared) || containsUnknown(declared)) return true;
  if (o.prospectsFile !== undefined) return true; // from a file to inline: the update records the list
  try {
    return prospectsDigest(declared as WoodpeckerProspect[]) !== o.prospectsDigest;
  } catch {
    return true; // a malformed prospect (never past check): "may change"
  }
}
