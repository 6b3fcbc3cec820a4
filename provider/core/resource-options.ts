/**
 * Resource options both `Campaign` classes apply to what the user passed. Used only by the resource
 * classes (never by the provider implementation that the engine calls).
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * The user's options, with `deleteBeforeReplace` defaulting to true and `secretOutputs` added to
 * `additionalSecretOutputs`.
 *
 * Why the resource option and not only the provider's DiffResult: for replacements the engine
 * decides itself (`pulumi up --replace` / `--target-replace`, `pulumi state taint`,
 * `replacementTrigger`, `replaceWith`, `deletedWith`) it never calls Diff, so a DiffResult's
 * deleteBeforeReplace is never read, and without the option it would create the new campaign —
 * and start it — while the old one still runs: two live copies contacting the same people
 * (pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `isTargetedReplace` and
 * `continueStepsFromDiff`, which reads `goal.DeleteBeforeReplace` on every replace path). An
 * explicit `deleteBeforeReplace: false` is kept: the user asked for two live copies.
 */
export function campaignOptions(
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: readonly string[],
): pulumi.CustomResourceOptions {
  return {
    ...opts,
    deleteBeforeReplace: opts?.deleteBeforeReplace ?? true,
    additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...secretOutputs],
  };
}

/**
 * `replaceOnChanges` cannot work for a dynamic provider: the engine can only promote keys the
 * provider reports as changed, and the Node dynamic-provider host sends none (its DiffResult has no
 * per-field keys; `applyReplaceOnChanges` in step_generator.go). Say so rather than let the user
 * believe the option protects anything.
 */
export function warnIgnoredOptions(
  resource: pulumi.Resource,
  opts: pulumi.CustomResourceOptions | undefined,
): void {
  if (opts?.replaceOnChanges?.length) {
    void pulumi.log.warn(
      `replaceOnChanges (${opts.replaceOnChanges.join(", ")}) has no effect on this campaign: dynamic-provider ` +
        "resources report no per-field changes, so the engine cannot tell which field changed. The provider " +
        "already replaces the campaign where the platform cannot change a field in place; to force a " +
        "replacement, use `pulumi up --replace <urn>` or the replacementTrigger option.",
      resource,
    );
  }
}
