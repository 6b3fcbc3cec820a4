/**
 * What the `orphans` command reads from `pulumi stack export` (core/stack-export.ts reads the
 * format): which campaigns the stack manages, and which creates a crash left pending. A pending
 * "creating" resource is the state the engine held before calling Create: inputs, no id, no outputs.
 * If the process died after the vendor created the campaign but before the engine saved the answer,
 * that campaign exists and nothing in state names its id: the pending create's `name` input is the
 * clue. Nothing from an export but URNs, campaign ids and plain names is printed.
 *
 * A pending create can carry an id, too (measured with the real CLI, v3.276.0, test/e2e/crash-up):
 * the snapshot manager keeps a pointer to the new state as the pending operation
 * (pkg/backend/snapshot.go `doCreate` → `markOperationPending(step.New(), …)`), `CreateStep.Apply`
 * writes the id and outputs into that state when Create returns, and any checkpoint written
 * before this step's `End` (another resource's) serializes the pending create with them. Such a
 * campaign is no more managed than one without an id: `pulumi refresh --clear-pending-creates`
 * drops it and the next `up` creates it again. So it is a pending create, paired by its id.
 */
import { platformOfType } from "../core/campaign";
import type { Platform } from "../core/errors";
import { type ExportedResource, isSecretValue, readStackExport } from "../core/stack-export";

export { SECRET_SIG, StackExportParseError, isSecretValue } from "../core/stack-export";

/** Which platform a campaign resource belongs to (one definition: core/errors.ts `Platform`). */
export type CampaignPlatform = Platform;

/** A campaign resource of the stack (in `resources`, or a pending operation that carries an id). */
export interface ManagedCampaign {
  platform: CampaignPlatform;
  urn: string;
  /** The campaign ids this resource names: its id and its `campaignId` output (normally one). */
  campaignIds: number[];
  /** Where it came from: "resource", or the pending operation's type. */
  source: string;
}

/** A pending "creating" operation of one of our resource types. */
export interface PendingCreate {
  platform: CampaignPlatform;
  urn: string;
  /** The `name` input, when it is a plain string (undefined when absent or secret). */
  name?: string;
  /** The `existingCampaignId` input of a pending adoption, when plain. */
  existingCampaignId?: number;
  /** The id Create returned, when the checkpoint caught it before the create was recorded. */
  campaignId?: number;
}

export interface StackCampaigns {
  version: number | undefined;
  managed: ManagedCampaign[];
  pendingCreates: PendingCreate[];
  /** Campaign resources whose state names no campaign id (their campaign may be listed as an orphan). */
  withoutId: ManagedCampaign[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function campaignIdOf(v: unknown): number | undefined {
  if (isSecretValue(v)) return undefined;
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function plainString(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function parseStackExport(text: string): StackCampaigns {
  const exported = readStackExport(text);
  const out: StackCampaigns = {
    version: exported.version,
    managed: [],
    pendingCreates: [],
    withoutId: [],
  };
  for (const res of exported.resources) {
    const platform = platformOfType(res.type);
    if (platform) addManaged(out, platform, res, "resource");
  }
  for (const op of exported.pendingOperations) {
    const res = op.resource;
    const platform = platformOfType(res.type);
    if (!platform) continue;
    const id = campaignIdOf(res.id);
    if (op.type === "creating") {
      const inputs = isObject(res.inputs) ? res.inputs : {};
      out.pendingCreates.push({
        platform,
        urn: res.urn,
        name: plainString(inputs.name),
        existingCampaignId: campaignIdOf(inputs.existingCampaignId),
        ...(id === undefined ? {} : { campaignId: id }),
      });
    } else {
      addManaged(out, platform, res, op.type);
    }
  }
  return out;
}

function addManaged(
  out: StackCampaigns,
  platform: CampaignPlatform,
  res: ExportedResource,
  source: string,
): void {
  const ids = new Set<number>();
  const fromId = campaignIdOf(res.id);
  if (fromId !== undefined) ids.add(fromId);
  const outputs = isObject(res.outputs) ? res.outputs : {};
  const fromOutput = campaignIdOf(outputs.campaignId);
  if (fromOutput !== undefined) ids.add(fromOutput);
  const managed: ManagedCampaign = { platform, urn: res.urn, campaignIds: [...ids], source };
  out.managed.push(managed);
  if (ids.size === 0) out.withoutId.push(managed);
}
