/**
 * Reading `pulumi stack export`, for every command that does (the guard's --previous-state, orphans).
 *
 * The format, as pulumi/pulumi defines it in `sdk/go/common/apitype/core.go` (read at commit
 * 1b5949891b3c, August 2026):
 * - the file is an `UntypedDeployment`: `{"version": 3, "deployment": {…}}` (`version` 4 uses the same
 *   `DeploymentV3` shape: "both deployment schema versions 3 and 4 can be unmarshaled into
 *   DeploymentV3"; 1 and 2 are older shapes with the same resource fields we read); a stack that
 *   was never deployed has a `manifest` and no `resources`;
 * - `deployment.resources[]` are `ResourceV3`: `urn`, `type` (a token such as
 *   `pulumi-nodejs:dynamic/burki:Campaign`), `id` (the provider's id: for these resources the
 *   campaign id as a string), `inputs`, `outputs`, `delete` (an old copy awaiting deletion after a
 *   replacement; it still owns its campaign);
 * - `deployment.pending_operations[]` are `OperationV2`: `{resource: ResourceV3, type}` with `type`
 *   one of "creating", "updating", "deleting", "reading" (`OperationType`), and "importing" once
 *   `pulumi refresh --import-pending-creates` has given a pending create an id;
 * - a secret value is `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "ciphertext": "…"}` (`SecretV1`; `plaintext` instead of `ciphertext` with `--show-secrets`).
 *   Never read into one.
 */
// No imports: the guard and orphans commands load this; it must stay quick and dependency-free.
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** The signature key Pulumi puts in every secret value of a state file. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export const SUPPORTED_DEPLOYMENT_VERSIONS: readonly number[] = [1, 2, 3, 4];

/** The fields of a `ResourceV3` that the commands read. */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  delete?: unknown;
  [key: string]: unknown;
}

export interface ExportedOperation {
  type: string;
  resource: ExportedResource;
}

export interface StackExport {
  version: number | undefined;
  resources: ExportedResource[];
  pendingOperations: ExportedOperation[];
}

/** The input is not a `pulumi stack export` document; the message says what is wrong and what to pass. */
export class StackExportParseError extends Error {
  override readonly name = "StackExportParseError";
}

const HINT = "pass the output of `pulumi stack export` (a JSON document with `version` and `deployment`)";

/** A Pulumi secret value (never look inside one). */
export function isSecretValue(v: unknown): boolean {
  return isRecord(v) && SECRET_SIG in v;
}

/** Parse and check the structure; resources and operations are returned as they are. */
export function readStackExport(text: string): StackExport {
  if (text.trim() === "") throw new StackExportParseError(`the input is empty: ${HINT}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    // JSON.parse's message gives the position only: no input text is echoed.
    throw new StackExportParseError(`the input is not valid JSON (${(e as Error).message}): ${HINT}`);
  }
  if (!isRecord(doc)) throw new StackExportParseError(`the input is not a JSON object: ${HINT}`);
  const version = doc.version;
  if (version !== undefined && !SUPPORTED_DEPLOYMENT_VERSIONS.includes(version as number)) {
    throw new StackExportParseError(
      `deployment version ${JSON.stringify(version)} is not supported (this command reads versions ` +
        `${SUPPORTED_DEPLOYMENT_VERSIONS.join(", ")}, as \`pulumi stack export\` writes them)`,
    );
  }
  const deployment = doc.deployment;
  if (!isRecord(deployment)) {
    const what = "steps" in doc || "changeSummary" in doc ? " (this looks like `pulumi preview --json`)" : "";
    throw new StackExportParseError(`the input has no \`deployment\` object${what}: ${HINT}`);
  }
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources))
    throw new StackExportParseError(`\`deployment.resources\` is not an array: ${HINT}`);
  const pending = deployment.pending_operations ?? [];
  if (!Array.isArray(pending)) {
    throw new StackExportParseError(`\`deployment.pending_operations\` is not an array: ${HINT}`);
  }
  return {
    version: typeof version === "number" ? version : undefined,
    resources: resources.map((r, i) => checkResource(r, `deployment.resources[${i}]`)),
    pendingOperations: pending.map((op, i) => {
      const where = `deployment.pending_operations[${i}]`;
      if (!isRecord(op) || typeof op.type !== "string") {
        throw new StackExportParseError(`${where} is not an operation ({"resource": …, "type": …}): ${HINT}`);
      }
      return { type: op.type, resource: checkResource(op.resource, `${where}.resource`) };
    }),
  };
}

function checkResource(r: unknown, where: string): ExportedResource {
  if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
    throw new StackExportParseError(
      `${where} is not a resource (it needs a string \`urn\` and \`type\`): ${HINT}`,
    );
  }
  return r as ExportedResource;
}
