/**
 * The document `pulumi preview --json` prints, and a tolerant parser for it.
 *
 * Where the shape comes from (pulumi/pulumi):
 * - `PreviewDigest`, `PreviewStep`, `PreviewDiagnostic`, `PropertyDiff`: `sdk/go/common/display/json.go`
 *   (commit 1fe2f58220fe303af2a5395b8a6e5d02f282e66c), re-exported by `pkg/display/json.go`
 *   (68316a5bd6ddd0d4f4c8fb92a0546482c121e0a2); older CLIs declared the same struct privately as
 *   `previewDigest` in `pkg/backend/display/json.go`. Top level: `config` (map of strings, secrets blinded),
 *   `steps`, `diagnostics`, `duration` (a Go time.Duration: integer nanoseconds), `changeSummary` (op → count),
 *   `maybeCorrupt`. Every top-level field is `omitempty`, so a preview with no steps has no `steps` key.
 *   Step: `op`, `urn`, `provider` (a provider reference, `<provider URN>::<provider id>`), `oldState`,
 *   `newState`, `diffReasons`, `replaceReasons`, `detailedDiff` (`{kind, inputDiff}` per property path).
 * - `oldState`/`newState` are `apitype.ResourceV3` (`sdk/go/common/apitype/core.go`,
 *   0061b2324230e2bd3fe6a77089c346d0b6947415): `urn`, `custom`, `delete`, `id`, `type`, `inputs`, `outputs`,
 *   `parent`, `protect`, `external`, `dependencies`, `provider`, `propertyDependencies`, `pendingReplacement`,
 *   `additionalSecretOutputs`, `aliases`, `customTimeouts`, `importID`, `retainOnDelete`, `deletedWith`,
 *   `created`, `modified`, `sourcePosition`, `ignoreChanges`, `replaceOnChanges`.
 * - `ShowPreviewDigest` in `pkg/backend/display/json.go` (00d498e306299cb053d93a5c1bbc2566e92b70bc) builds the
 *   document: one step per `ResourcePreEvent`; states pass through `stateForJSONOutput`, which replaces every
 *   secret value with the string `"[secret]"`. A step is listed when `shouldShow` (pkg/backend/display/
 *   display.go) says so, or when it is the root stack: `same` steps only with `--show-sames`, and the
 *   non-logical halves of a replacement (`create-replacement`, `delete-replaced`) only with
 *   `--show-replacement-steps`. The logical `replace` step is always listed, so a replacement shows up as
 *   `replace` alone by default, or as `replace` + `create-replacement` + `delete-replaced` for one URN.
 * - Op values: `pkg/resource/deploy/step.go` (004205f26edf466d2890777aacc48d2855911cea): same, create,
 *   update, delete, replace, create-replacement, delete-replaced, read, read-replacement, refresh, discard,
 *   discard-replaced, remove-pending-replace, import, import-replacement. A delete of an external (read)
 *   resource is `discard`/`discard-replaced` and never calls the provider. An import over an existing
 *   resource is `import-replacement` together with a logical `replace` step (`step_generator.go`).
 *
 * Re-read for the guard's blind spots at pulumi/pulumi 1b5949891b3cefcb9974752b24a5ecef0acc86c8 (2026-08-21),
 * where the structs are declared in `pkg/display/json.go` itself and built by `ShowPreviewDigest` and
 * `getPreviewMetadataStep` in `pkg/backend/display/json.go`:
 * - Each step is captured from its `ResourcePreEvent`, before the step runs: a `create`/`update` step's
 *   `newState` carries the checked `inputs` and no outputs (`newState.inputs.state`, `contactCount`), and its
 *   `oldState` is the state the step starts from.
 * - `--show-replacement-steps` (`shouldShow`, `pkg/backend/display/display.go`): without it, JSON output drops
 *   every non-logical step whose op `deploy.IsReplacementStep` (replace, create-replacement, delete-replaced,
 *   read-replacement, discard-replaced, remove-pending-replace, import-replacement). The logical `replace`
 *   survives; the `delete-replaced` that `GenerateDeletes` issues for a copy left as `delete: true` is
 *   non-logical and vanishes. With the flag, a replacement is `replace` + `create-replacement` +
 *   `delete-replaced` (in that order for create-before-delete, delete-replaced first for delete-before-replace).
 * - `--refresh` without `--run-program` (`deploymentExecutor.refresh`, `pkg/resource/deploy/deployment_executor.go`)
 *   refreshes every resource of the last state before the program runs, one `refresh` step each (op stays
 *   `refresh` in a preview: only `pulumi refresh` rewrites it to update/delete), and rebuilds the base state:
 *   later steps carry the live `oldState`, and a campaign the refresh found gone shows as a `refresh` step
 *   followed by a `create` step of the same URN. Without `--refresh` there are no `refresh` steps at all.
 *
 * The types below hold only what the guard reads; everything else in the document is ignored.
 */

/** Step operations Pulumi knows today; kept open because newer CLIs may add some. */
export type StepOp =
  | "same"
  | "create"
  | "update"
  | "delete"
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "read"
  | "read-replacement"
  | "refresh"
  | "discard"
  | "discard-replaced"
  | "remove-pending-replace"
  | "import"
  | "import-replacement"
  | (string & {});

/** The subset of `apitype.ResourceV3` the guard reads. */
export interface ResourceState {
  urn?: string;
  type?: string;
  /** The provider-assigned id; tells two states of one URN apart (a live resource and a pending delete). */
  id?: string;
  /**
   * A copy left in state for deletion: the delete half of an earlier create-before-delete replacement
   * failed. Previews list it only as a `delete-replaced` step (hidden without `--show-replacement-steps`).
   */
  delete?: boolean;
  /**
   * The delete half of a delete-before-replace replacement already ran and the create did not: the
   * campaign is gone, only its state is left to be replaced.
   */
  pendingReplacement?: boolean;
  /** Read with `get` (not managed); its deletion is a `discard` and never calls the provider. */
  external?: boolean;
  /** The provider's Delete is not called for this resource: Pulumi only forgets it. */
  retainOnDelete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface PreviewStep {
  op: StepOp;
  urn: string;
  provider?: string;
  oldState?: ResourceState;
  newState?: ResourceState;
}

export interface PreviewDiagnostic {
  urn?: string;
  message?: string;
  /** `debug`, `info`, `info#err`, `warning` or `error` (`sdk/go/common/diag`). */
  severity?: string;
}

export interface PreviewDigest {
  steps: PreviewStep[];
  diagnostics?: PreviewDiagnostic[];
  changeSummary?: Record<string, number>;
}

/** What `pulumi preview --json` writes in place of a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

/**
 * What the engine writes for a value not known until apply (`UnknownStringValue`,
 * `pkg/resource/stack/deployment.go`): e.g. an input computed from another resource's output.
 */
export const UNKNOWN_PLACEHOLDER = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export class PreviewParseError extends Error {
  override name = "PreviewParseError";
}

/** Keys only a preview digest has; with none of them and no `steps`, the document is something else. */
const DIGEST_KEYS = ["steps", "changeSummary", "duration", "config", "diagnostics"];

/**
 * Parse the output of `pulumi preview --json`. Accepts text printed before the document (older CLIs
 * wrote diagnostics to stdout first) by starting at the first line that begins with `{`.
 */
export function parsePreviewJson(text: string): PreviewDigest {
  const document = parseDocument(text.replace(/^\uFEFF/, ""));
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new PreviewParseError(
      `expected a JSON object (the output of \`pulumi preview --json\`), got ${describe(document)}`,
    );
  }
  const digest = document as Record<string, unknown>;
  if (isEngineEvent(digest)) {
    throw new PreviewParseError(
      "this is a stream of engine events, not a preview digest: run `pulumi preview --json` without " +
        "PULUMI_ENABLE_STREAMING_JSON_PREVIEW",
    );
  }
  if (digest.steps === undefined || digest.steps === null) {
    // Go drops an empty `steps` slice (omitempty); a digest with no steps is a valid, empty plan.
    if (DIGEST_KEYS.some((key) => key in digest)) return { ...readRest(digest), steps: [] };
    throw new PreviewParseError(
      "no `steps` array: this does not look like the output of `pulumi preview --json`",
    );
  }
  if (!Array.isArray(digest.steps)) {
    throw new PreviewParseError(`\`steps\` must be an array, got ${describe(digest.steps)}`);
  }
  return { ...readRest(digest), steps: digest.steps.map(readStep) };
}

function parseDocument(text: string): unknown {
  if (text.trim() === "") {
    throw new PreviewParseError("the input is empty: expected the output of `pulumi preview --json`");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const lines = text.split(/\r?\n/);
    const start = lines.findIndex((line) => line.trimStart().startsWith("{"));
    if (start <= 0) throw notJson(error);
    try {
      return JSON.parse(lines.slice(start).join("\n"));
    } catch (retryError) {
      throw notJson(retryError);
    }
  }
}

function notJson(error: unknown): PreviewParseError {
  const reason = error instanceof Error ? error.message : String(error);
  return new PreviewParseError(`not JSON (${reason}): expected the output of \`pulumi preview --json\``);
}

/** Streamed previews print one engine event per line, each with `sequence` and `timestamp`. */
function isEngineEvent(value: Record<string, unknown>): boolean {
  return typeof value.sequence === "number" && typeof value.timestamp === "number" && !("steps" in value);
}

function readRest(digest: Record<string, unknown>): Omit<PreviewDigest, "steps"> {
  const rest: Omit<PreviewDigest, "steps"> = {};
  if (Array.isArray(digest.diagnostics)) {
    rest.diagnostics = digest.diagnostics.filter(isObject) as PreviewDiagnostic[];
  }
  if (isObject(digest.changeSummary)) rest.changeSummary = digest.changeSummary as Record<string, number>;
  return rest;
}

function readStep(value: unknown, index: number): PreviewStep {
  if (!isObject(value)) {
    throw new PreviewParseError(`steps[${index}] must be an object, got ${describe(value)}`);
  }
  if (typeof value.op !== "string" || value.op === "") {
    throw new PreviewParseError(`steps[${index}] has no \`op\``);
  }
  if (typeof value.urn !== "string" || value.urn === "") {
    throw new PreviewParseError(`steps[${index}] (${value.op}) has no \`urn\``);
  }
  const step: PreviewStep = { op: value.op, urn: value.urn };
  if (typeof value.provider === "string") step.provider = value.provider;
  for (const key of ["oldState", "newState"] as const) {
    const state = value[key];
    if (state === undefined || state === null) continue;
    if (!isObject(state)) {
      throw new PreviewParseError(`steps[${index}].${key} must be an object, got ${describe(state)}`);
    }
    step[key] = state as ResourceState;
  }
  return step;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
