/**
 * The stack's last known state, from `pulumi stack export` (an `apitype.UntypedDeployment`:
 * `{ version, deployment: { manifest, resources: ResourceV3[], pending_operations } }`,
 * `sdk/go/common/apitype/core.go`). The guard reads it only to tell a create of a new campaign from the
 * re-creation of one that a refresh dropped (deleted outside Pulumi): it keeps URNs, ids and the plain
 * outputs it names campaigns by. Secret values in an export are ciphertext objects, never read here.
 */
import { PreviewParseError, type ResourceState } from "./preview";

export interface PreviousState {
  /** Live (not pending-delete) resources of the export, by URN. */
  resources: Map<string, ResourceState>;
}

export class StateParseError extends PreviewParseError {
  override name = "StateParseError";
}

/** Parse the output of `pulumi stack export` (or the `deployment` object inside it). */
export function parseStackExport(text: string): PreviousState {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StateParseError(`not JSON (${reason}): expected the output of \`pulumi stack export\``);
  }
  const deployment = isObject(document) && isObject(document.deployment) ? document.deployment : document;
  if (!isObject(deployment)) {
    throw new StateParseError("expected a JSON object (the output of `pulumi stack export`)");
  }
  if (deployment.resources === undefined && isObject(deployment.manifest)) {
    // A stack that has never been deployed exports a manifest and no resources.
    return { resources: new Map() };
  }
  if (!Array.isArray(deployment.resources)) {
    throw new StateParseError(
      "no `deployment.resources` array: this does not look like the output of `pulumi stack export`",
    );
  }
  const resources = new Map<string, ResourceState>();
  deployment.resources.forEach((value: unknown, index: number) => {
    if (!isObject(value) || typeof value.urn !== "string") {
      throw new StateParseError(`deployment.resources[${index}] has no \`urn\``);
    }
    if (value.delete === true) return;
    resources.set(value.urn, value as ResourceState);
  });
  return { resources };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
