/**
 * The stack's last known state, from `pulumi stack export` (an `apitype.UntypedDeployment`:
 * `{ version, deployment: { manifest, resources: ResourceV3[], pending_operations } }`,
 * `sdk/go/common/apitype/core.go`). The guard reads it only to tell a create of a new campaign from the
 * re-creation of one that a refresh dropped (deleted outside Pulumi): it keeps URNs, ids and the plain
 * outputs it names campaigns by. Secret values in an export are ciphertext objects, never read here.
 */
import { StackExportParseError, readStackExport } from "../core/stack-export";
import { PreviewParseError, type ResourceState } from "./preview";

export interface PreviousState {
  /** Live (not pending-delete) resources of the export, by URN. */
  resources: Map<string, ResourceState>;
}

export class StateParseError extends PreviewParseError {
  override name = "StateParseError";
}

/** Parse the output of `pulumi stack export` (core/stack-export.ts reads the format). */
export function parseStackExport(text: string): PreviousState {
  let exported;
  try {
    exported = readStackExport(text);
  } catch (e) {
    if (e instanceof StackExportParseError) throw new StateParseError(e.message);
    throw e;
  }
  const resources = new Map<string, ResourceState>();
  for (const r of exported.resources) {
    if (r.delete === true) continue;
    resources.set(r.urn, r as unknown as ResourceState);
  }
  return { resources };
}
