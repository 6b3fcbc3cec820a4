/**
 * The public result types of input checks. Zod-free on purpose: they are part of the package's
 * public declarations (`import type { CheckFailure } from "pulumi-campaigns"`), which must
 * type-check in any Pulumi TypeScript project, including `pulumi new typescript`'s tsconfig (no
 * `skipLibCheck`, no `esModuleInterop`), so no third-party type may be reachable from here.
 */

/** One failed input check, as Pulumi's `CheckFailure`. */
export interface CheckFailure {
  /** Where, as in the program: `contacts[2].phoneNumber`, `steps[1].versions[0].subject`, or `(inputs)`. */
  property: string;
  /** What is wrong and what is expected, e.g. `must be between 1 and 10 (Burki's limit)`. */
  reason: string;
}

/** The outcome of checking fully known inputs: the inputs with defaults filled, or every failure. */
export type InputsCheck<T> = { ok: true; inputs: T } | { ok: false; failures: CheckFailure[] };

/** A cross-field rule that inputs break: where (as a path of keys and indexes) and why. */
export interface RuleViolation {
  path: (string | number)[];
  message: string;
}
