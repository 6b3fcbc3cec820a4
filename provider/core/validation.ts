/**
 * zod → Pulumi `CheckFailure[]`, with property paths users can find in their program
 * (`contacts[2].phoneNumber`, `steps[1].versions[0].subject`), and preview-aware: values the
 * engine does not know yet (the unknown sentinel) are not reported as failures.
 */
import type { z } from "zod";
import type { CheckFailure, InputsCheck } from "./check-types";

export type { CheckFailure, InputsCheck } from "./check-types";

/** The engine's wire value for "not known until apply" (sdk/nodejs/runtime/rpc.ts). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Paths of every unknown value inside `value`. */
export function unknownPaths(value: unknown, at: PropertyKey[] = []): PropertyKey[][] {
  if (value === UNKNOWN) return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPaths(v, [...at, i]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, [...at, k]));
  }
  return [];
}

export function containsUnknown(value: unknown): boolean {
  return unknownPaths(value).length > 0;
}

function isUnder(path: ReadonlyArray<PropertyKey>, prefix: ReadonlyArray<PropertyKey>): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
}

export type CheckOutcome<T> =
  | { ok: true; value: T; hasUnknowns: false }
  | { ok: true; value: Record<string, unknown>; hasUnknowns: true }
  | { ok: false; failures: CheckFailure[] };

/**
 * Validate `input` with `schema`. Issues that sit on (or under) an unknown value are dropped: they
 * are checked again at apply time, when the value is known.
 */
export function validate<T>(schema: z.ZodType<T>, input: Record<string, unknown>): CheckOutcome<T> {
  const unknowns = unknownPaths(input);
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    return unknowns.length === 0
      ? { ok: true, value: parsed.data, hasUnknowns: false }
      : { ok: true, value: input, hasUnknowns: true };
  }
  const failures = parsed.error.issues
    .filter((issue) => !unknowns.some((u) => hiddenByUnknown(issue, u)))
    .map((issue) => ({ property: formatPath(issue.path) || "(inputs)", reason: reasonOf(issue) }));
  if (failures.length === 0) return { ok: true, value: input, hasUnknowns: true };
  return { ok: false, failures: dedupe(failures) };
}

/**
 * Is this issue about something not known yet? Issues on (or inside) an unknown value are; so are
 * refinements of an enclosing object or array, which may depend on it. Unknown property names and
 * the length of an array are known even when a value inside is not, so those stay failures.
 */
function hiddenByUnknown(issue: z.core.$ZodIssue, unknown: ReadonlyArray<PropertyKey>): boolean {
  if (isUnder(issue.path, unknown)) return true;
  if (!isUnder(unknown, issue.path)) return false;
  return !["unrecognized_keys", "too_big", "too_small"].includes(issue.code);
}

/** The issue's message; for a bad record key, the key schema's own words (not "Invalid key in record"). */
function reasonOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key" && issue.issues.length) {
    return issue.issues.map((i) => i.message).join("; ");
  }
  return issue.message;
}

function dedupe(fs: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.property}\u0000${f.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Drop `undefined` members and the engine's `__provider` before validating. */
export function withoutProvider(news: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(news ?? {})) if (k !== "__provider" && v !== undefined) out[k] = v;
  return out;
}

/** Validate plain, fully known inputs (GitOps files, tests): defaults filled, or the failures. */
export function checkKnownInputs<T>(schema: z.ZodType<T>, raw: unknown): InputsCheck<T> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, failures: [{ property: "(inputs)", reason: "must be an object" }] };
  }
  const r = validate(schema, withoutProvider(raw as Record<string, unknown>));
  if (!r.ok) return { ok: false, failures: r.failures };
  return { ok: true, inputs: r.value as T };
}

/** zod error for a string input: "is required" when absent, "must be a string" otherwise. */
export function textError(hint = ""): (issue: { input?: unknown }) => string {
  return (issue) => (issue.input === undefined ? `is required${hint}` : `must be a string${hint}`);
}
