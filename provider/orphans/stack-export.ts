/**
 * Reading `pulumi stack export` for the `orphans` command: which campaigns the stack manages, and
 * which creates a crash left pending.
 *
 * The format, as pulumi/pulumi defines it in `sdk/go/common/apitype/core.go` (read at commit
 * 1b5949891b3c, August 2026):
 * - the file is an `UntypedDeployment`: `{"version": 3, "deployment": {…}}` (`version` 4 uses the same
 *   `DeploymentV3` shape: "both deployment schema versions 3 and 4 can be unmarshaled into
 *   DeploymentV3"; 1 and 2 are older shapes with the same resource fields we read);
 * - `deployment.resources[]` are `ResourceV3`: `urn`, `type` (a token such as
 *   `pulumi-nodejs:dynamic/burki:Campaign`), `id` (the provider's id: for these resources the
 *   campaign id as a string), `inputs`, `outputs`, `delete` (an old copy awaiting deletion after a
 *   replacement; it still owns its campaign);
 * - `deployment.pending_operations[]` are `OperationV2`: `{resource: ResourceV3, type}` with `type`
 *   one of "creating", "updating", "deleting", "reading" (`OperationType`), and "importing" once
 *   `pulumi refresh --import-pending-creates` has given a pending create an id. A pending "creating"
 *   resource is the state the engine held before calling Create: inputs, no id, no outputs. If the
 *   process died after the vendor created the campaign but before the engine saved the answer, that
 *   campaign exists and nothing in state names its id: the pending create's `name` input is the clue.
 * - a secret value is `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "ciphertext": "…"}` (`SecretV1`; `plaintext` instead of `ciphertext` with `--show-secrets`). We
 *   never read into one, and nothing from an export but URNs, campaign ids and plain names is printed.
 */

import { platformOfType } from "../core/campaign";
import type { Platform } from "../core/errors";

/** Which platform a campaign resource belongs to (one definition: core/errors.ts `Platform`). */
export type CampaignPlatform = Platform;

/** The signature key Pulumi puts in every secret value of a state file. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export const SUPPORTED_DEPLOYMENT_VERSIONS: readonly number[] = [1, 2, 3, 4];

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
}

export interface StackCampaigns {
  version: number | undefined;
  managed: ManagedCampaign[];
  pendingCreates: PendingCreate[];
  /** Campaign resources whose state names no campaign id (their campaign may be listed as an orphan). */
  withoutId: ManagedCampaign[];
}

/** The input is not a `pulumi stack export` document; the message says what is wrong and what to pass. */
export class StackExportParseError extends Error {
  override readonly name = "StackExportParseError";
}

const HINT = "pass the output of `pulumi stack export` (a JSON document with `version` and `deployment`)";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A Pulumi secret value (never look inside one). */
export function isSecretValue(v: unknown): boolean {
  return isObject(v) && SECRET_SIG in v;
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
  if (text.trim() === "") throw new StackExportParseError(`the input is empty: ${HINT}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message gives the position only: no input text is echoed.
    throw new StackExportParseError(`the input is not valid JSON (${(e as Error).message}): ${HINT}`);
  }
  if (!isObject(doc)) throw new StackExportParseError(`the input is not a JSON object: ${HINT}`);
  const version = doc.version;
  if (version !== undefined && !SUPPORTED_DEPLOYMENT_VERSIONS.includes(version as number)) {
    throw new StackExportParseError(
      `deployment version ${JSON.stringify(version)} is not supported (this command reads versions ` +
        `${SUPPORTED_DEPLOYMENT_VERSIONS.join(", ")}, as \`pulumi stack export\` writes them)`,
    );
  }
  const deployment = doc.deployment;
  if (!isObject(deployment)) {
    const what = "steps" in doc || "changeSummary" in doc ? " (this looks like `pulumi preview --json`)" : "";
    throw new StackExportParseError(`the input has no \`deployment\` object${what}: ${HINT}`);
  }

  const out: StackCampaigns = {
    version: typeof version === "number" ? version : undefined,
    managed: [],
    pendingCreates: [],
    withoutId: [],
  };

  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources))
    throw new StackExportParseError(`\`deployment.resources\` is not an array: ${HINT}`);
  resources.forEach((r, i) => {
    const where = `deployment.resources[${i}]`;
    const res = checkResource(r, where);
    const platform = platformOfType(res.type);
    if (platform) addManaged(out, platform, res, "resource");
  });

  const pending = deployment.pending_operations ?? [];
  if (!Array.isArray(pending)) {
    throw new StackExportParseError(`\`deployment.pending_operations\` is not an array: ${HINT}`);
  }
  pending.forEach((op, i) => {
    const where = `deployment.pending_operations[${i}]`;
    if (!isObject(op) || typeof op.type !== "string") {
      throw new StackExportParseError(`${where} is not an operation ({"resource": …, "type": …}): ${HINT}`);
    }
    const res = checkResource(op.resource, `${where}.resource`);
    const platform = platformOfType(res.type);
    if (!platform) return;
    const id = campaignIdOf(res.id);
    if (op.type === "creating" && id === undefined) {
      const inputs = isObject(res.inputs) ? res.inputs : {};
      out.pendingCreates.push({
        platform,
        urn: res.urn,
        name: plainString(inputs.name),
        existingCampaignId: campaignIdOf(inputs.existingCampaignId),
      });
    } else {
      addManaged(out, platform, res, op.type);
    }
  });
  return out;
}

interface ResourceFields {
  urn: string;
  type: string;
  id?: unknown;
  inputs?: unknown;
  outputs?: unknown;
}

function checkResource(r: unknown, where: string): ResourceFields {
  if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
    throw new StackExportParseError(
      `${where} is not a resource (it needs a string \`urn\` and \`type\`): ${HINT}`,
    );
  }
  return r as unknown as ResourceFields;
}

function addManaged(
  out: StackCampaigns,
  platform: CampaignPlatform,
  res: ResourceFields,
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
