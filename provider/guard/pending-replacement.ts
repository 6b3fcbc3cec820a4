/**
 * `pendingReplacement: true` in a preview does not mean what the stored state means by it.
 *
 * Measured with the real CLI (v3.276.0, test/fixtures/preview/cli/replace-running*.json): in a
 * delete-before-replace replacement, the `replace` and `create-replacement` steps of the preview
 * carry `oldState.pendingReplacement: true` although nothing was deleted yet. The engine's
 * `DeleteStep.Apply` (pkg/resource/deploy/step.go, v3.276.0) sets `s.old.PendingReplacement = true`
 * after its delete, and in a preview the delete is a no-op that still "succeeds"; the replace steps
 * share that `old` state and are serialized after it (`ShowPreviewDigest`, pkg/backend/display/json.go).
 * Only the `delete-replaced` step, serialized before its Apply, shows the state as stored. Without
 * `--show-replacement-steps` that step is hidden, and a replacement of a running campaign looked
 * like one whose old campaign was already deleted: the guard let it through.
 *
 * So a step's `pendingReplacement` is believed only when the stored state says so: the plan's own
 * `refresh` step of that campaign (`--refresh`: serialized before anything ran), or the stack
 * export given as `--previous-state`. A `delete-replaced` of the same campaign in the plan means the
 * plan deletes it itself. Otherwise the flag is dropped (fail closed: the plan is judged as deleting
 * the old campaign) and the guard says so.
 */
import type { PreviewDigest, PreviewStep, ResourceState } from "./preview";
import type { PreviousState } from "./state";

export interface SettledPlan {
  preview: PreviewDigest;
  warnings: string[];
}

const key = (urn: string, id: string | undefined) => `${urn}\u0000${id ?? ""}`;

/** The plan with each uncorroborated `pendingReplacement` dropped, and a warning per campaign it dropped one for. */
export function settlePendingReplacements(preview: PreviewDigest, previous?: PreviousState): SettledPlan {
  const storedPending = new Set<string>();
  const storedNotPending = new Set<string>();
  const deletedByPlan = new Set<string>();
  for (const step of preview.steps) {
    const old = step.oldState;
    if (!old) continue;
    if (step.op === "refresh") {
      (old.pendingReplacement === true ? storedPending : storedNotPending).add(key(step.urn, old.id));
    } else if (step.op === "delete-replaced" && old.pendingReplacement !== true) {
      deletedByPlan.add(key(step.urn, old.id));
    }
  }
  for (const [urn, state] of previous?.resources ?? []) {
    (state.pendingReplacement === true ? storedPending : storedNotPending).add(key(urn, state.id));
  }

  const unconfirmed = new Set<string>();
  const steps = preview.steps.map((step): PreviewStep => {
    const old = step.oldState;
    if (!old || old.pendingReplacement !== true || step.op === "refresh") return step;
    const k = key(step.urn, old.id);
    if (storedPending.has(k) && !deletedByPlan.has(k)) return step;
    if (!deletedByPlan.has(k) && !storedNotPending.has(k)) unconfirmed.add(step.urn);
    const settled: ResourceState = { ...old, pendingReplacement: false };
    return { ...step, oldState: settled };
  });
  const warnings = [...unconfirmed].map(
    (urn) =>
      `${urn.slice(urn.lastIndexOf("::") + 2)}: the plan marks the old campaign as already deleted ` +
      "(`pendingReplacement`), which a preview also shows for a delete-before-replace it has not run yet; " +
      "nothing in the plan confirms an earlier replacement got half-way, so it is judged as deleting the " +
      "campaign: run the preview with `--refresh`, or give `--previous-state`",
  );
  return { preview: { ...preview, steps }, warnings };
}
