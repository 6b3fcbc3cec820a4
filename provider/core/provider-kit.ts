/**
 * Pieces every resource implementation shares: the provider method signatures (without importing
 * the SDK at run time), `__provider` plumbing and error scrubbing at the boundary.
 */
import type { z } from "zod";
import { PartialFailureError, errorMessage } from "./errors";
import { logInfo } from "./log";
import { redactError } from "./redact";
import {
  type CheckFailure,
  validate,
  withDefaults,
  withoutItemDefaults,
  withoutProvider,
} from "./validation";

/** The engine's property that carries the serialized provider; it must survive every result. */
export const PROVIDER_KEY = "__provider";

export type Props = Record<string, unknown>;

export interface CheckResult {
  inputs?: Props;
  failures?: CheckFailure[];
}
export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}
export interface CreateResult {
  id: string;
  outs?: Props;
}
export interface ReadResult {
  id?: string;
  props?: Props;
  inputs?: Props;
}
export interface UpdateResult {
  outs?: Props;
}

/** Run a provider method; whatever escapes carries no secret. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw redactError(e);
  }
}

/**
 * A partial failure for the engine: the resource `id` exists with `outputs`. The host does not add
 * `__provider` to these properties, so we do — without it the engine could not delete the resource.
 */
export function partialFailure(
  what: string,
  id: string,
  outputs: Props,
  from: Props,
  cause: unknown,
): PartialFailureError {
  return new PartialFailureError(
    `${what}: ${errorMessage(cause)}`,
    id,
    { ...outputs, [PROVIDER_KEY]: from[PROVIDER_KEY] },
    { cause },
  );
}

/**
 * Run `apply` on a campaign that exists; if it fails, fail partially (see partialFailure) with the
 * outputs `outputsAfterFailure` gives, so the engine keeps the campaign in state. Both platforms'
 * create and update go through here.
 */
export async function orPartialFailure<T>(
  label: string,
  id: number,
  from: Props,
  apply: () => Promise<T>,
  outputsAfterFailure: () => Promise<Props>,
): Promise<T> {
  try {
    return await apply();
  } catch (e) {
    const outputs = await outputsAfterFailure();
    throw partialFailure(`${label} exists but was not fully configured`, String(id), outputs, from, e);
  }
}

/** Plain JSON copy without undefined members (what goes over the wire). */
export function plain<T>(v: T): Props {
  return JSON.parse(JSON.stringify(v)) as Props;
}

/**
 * A rule `check` applies across the old and the new inputs, after the schema passed: how a plan-level
 * refusal (a replacement the platform cannot survive) reaches the user at preview. `check` is the
 * place for it, not `diff`: the engine also calls Diff after every refresh (RefreshStep.Apply, since
 * pulumi/pulumi#16146), and a Diff that throws fails the whole refresh; Check runs only when a
 * program registers the resource. `olds` is `{}` on a create and on the engine's second Check of a
 * replacement (step_generator.go `continueStepsFromDiff`).
 */
export type PlanRule<T> = (olds: Props, inputs: T) => CheckFailure | undefined;

/**
 * The provider's `check`: validate with the resource's schema; defaults filled, or failures with paths.
 * Once the schema and the plan rule pass, `inputsCheck` may check further what only the validated
 * inputs tell (a file they name: it is read and counted there).
 */
export function checkWithSchema<T>(
  schema: () => z.ZodType<T>,
  planRule?: PlanRule<T>,
  inputsCheck?: (inputs: Props) => CheckResult,
) {
  return async function check(olds: Props, news: Props): Promise<CheckResult> {
    return guarded(async () => {
      const result = validate(schema(), withoutProvider(news));
      if (!result.ok) return { failures: result.failures };
      const refused = planRule?.(withoutProvider(olds ?? {}), result.value as T);
      if (refused) return { failures: [refused] };
      const inputs = result.value as Props;
      return inputsCheck ? inputsCheck(inputs) : { inputs };
    });
  };
}

/**
 * A `check` whose inputs the engine stores without the defaults inside array items (validation.ts
 * `withoutItemDefaults`): the engine writes checked inputs into the checkpoint and rewrites the
 * whole checkpoint after every step, and Woodpecker's per-step defaults (delivery windows, delay,
 * type, a version's signature and open tracking) repeat on every step of every campaign
 * (docs/performance-real-engine.md, "Checkpoint bytes per resource"). Every method that reads
 * checked inputs fills them back first: `completeInputs`.
 */
export function storedWithoutItemDefaults<T>(
  schema: () => z.ZodType<T>,
  check: (olds: Props, news: Props) => Promise<CheckResult>,
): (olds: Props, news: Props) => Promise<CheckResult> {
  return async (olds, news) => {
    const result = await check(olds, news);
    if (!result.inputs) return result;
    return guarded(async () => ({
      ...result,
      inputs: withoutItemDefaults(schema(), result.inputs) as Props,
    }));
  };
}

/**
 * Checked inputs as the schema gives them: defaults filled and transforms applied, whether the
 * engine handed them back as `check` stored them (storedWithoutItemDefaults) or complete (a state
 * written by an earlier version, a refresh's inputs). `__provider` and `check`'s computed counts are kept.
 */
export function completeInputs<T>(schema: () => z.ZodType<T>, props: Props): T {
  return withDefaults(schema(), props) as T;
}

/**
 * Two input checks in order: the second sees the first's result (the people a file held, with
 * their rows) and does not run when the first failed. Both platforms check their audience this way:
 * the file form, then the do-not-contact list against the people it read.
 */
export function thenCheck<R extends { inputs: Props }>(
  first: (inputs: Props) => R | { failures: CheckFailure[] },
  second: (inputs: Props, first: R) => CheckResult,
): (inputs: Props) => CheckResult {
  return (inputs) => {
    const result = first(inputs);
    return "failures" in result ? result : second(result.inputs, result);
  };
}

/** A refresh that found the campaign gone (the vendor's own not-found answer): it leaves the state. */
export function removedFromState(label: string): ReadResult {
  logInfo(`${label} no longer exists; removing it from the state`);
  return { id: "", props: {} };
}
