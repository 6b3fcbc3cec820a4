/**
 * zod → Pulumi `CheckFailure[]`, with property paths users can find in their program
 * (`contacts[2].phoneNumber`, `steps[1].versions[0].subject`), and preview-aware: values the
 * engine does not know yet (the unknown sentinel) are not reported as failures.
 */
import { isDeepStrictEqual } from "node:util";
import type { z } from "zod";
import type { CheckFailure, InputsCheck } from "./check-types";

export type { CheckFailure, InputsCheck, RuleViolation } from "./check-types";

/** The engine's wire value for "not known until apply" (sdk/nodejs/runtime/rpc.ts). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A plain object (not null, not an array): what a field of an input object must be to be read. */
export const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

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
 *
 * With unknowns in the input (every preview whose inputs depend on a resource not created yet) the
 * value returned still has every default filled and the schema's normalizing transforms applied
 * around the unknowns, which stay in place: the engine hands exactly this value to Diff, and a
 * missing default there reads as a change (or, for Woodpecker's step defaults, a replacement).
 */
export function validate<T>(schema: z.ZodType<T>, input: Record<string, unknown>): CheckOutcome<T> {
  const unknowns = unknownPaths(input);
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    return unknowns.length === 0
      ? { ok: true, value: parsed.data, hasUnknowns: false }
      : { ok: true, value: withDefaults(schema, input) as Record<string, unknown>, hasUnknowns: true };
  }
  const failures = parsed.error.issues
    .filter((issue) => !unknowns.some((u) => hiddenByUnknown(issue, u)))
    .map((issue) => ({ property: formatPath(issue.path) || "(inputs)", reason: reasonOf(issue) }));
  if (failures.length === 0) {
    return { ok: true, value: withDefaults(schema, input) as Record<string, unknown>, hasUnknowns: true };
  }
  return { ok: false, failures: dedupe(failures) };
}

type SchemaDef = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A zod schema's definition: what withDefaults and withoutItemDefaults walk. */
const defOf = (schema: z.ZodType<unknown>): SchemaDef =>
  (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

const WALKED = new WeakMap<object, boolean>();

/**
 * Whether a walk has anything to do under `schema`: a default to fill or leave out, or a transform
 * to run. Both walks return a value under a schema without either as it is, so a long list of
 * plain items (100,000 prospects) is not copied item by item on every check and diff. Cached per
 * schema node (the schemas are built once).
 */
function walkFinds(schema: z.ZodType<unknown>): boolean {
  const known = WALKED.get(schema);
  if (known !== undefined) return known;
  WALKED.set(schema, true); // a schema that refers back to itself is walked
  const def = defOf(schema);
  let found: boolean;
  switch (def.type) {
    case "default":
    case "pipe":
      found = true;
      break;
    case "optional":
    case "nullable":
      found = walkFinds(def.innerType);
      break;
    case "object":
      found = Object.values(def.shape as Record<string, z.ZodType<unknown>>).some(walkFinds);
      break;
    case "array":
      found = walkFinds(def.element);
      break;
    case "record":
      found = walkFinds(def.valueType);
      break;
    default:
      found = false;
  }
  WALKED.set(schema, found);
  return found;
}

/**
 * `value` as `schema` would give it back — defaults filled, transforms applied — where parts of it
 * are unknown. zod cannot parse a value with holes in it, so this walks the schema's definition
 * alongside the value: an unknown stays as it is, an absent field with a default gets the default,
 * and a `.transform()` runs on the result (the schemas' transforms are written to pass unknowns
 * through). Anything the walk does not model is returned as given: those values are checked again,
 * fully known, at apply time.
 */
export function withDefaults(schema: z.ZodType<unknown>, value: unknown): unknown {
  if (value === UNKNOWN || !walkFinds(schema)) return value;
  const def = defOf(schema);
  switch (def.type) {
    case "default":
      return value === undefined ? structuredClone(def.defaultValue) : withDefaults(def.innerType, value);
    case "optional":
    case "nullable":
      return value === undefined || value === null ? value : withDefaults(def.innerType, value);
    case "object": {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = v;
      for (const [k, field] of Object.entries(def.shape as Record<string, z.ZodType<unknown>>)) {
        const filled = withDefaults(field, value[k]);
        if (filled === undefined) delete out[k];
        else out[k] = filled;
      }
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((v) => withDefaults(def.element, v)) : value;
    case "record":
      if (!isRecord(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(def.valueType, v)]));
    case "pipe": {
      const piped = withDefaults(def.in, value);
      return def.out._zod.def.type === "transform"
        ? def.out._zod.def.transform(piped, { issues: [], value: piped })
        : piped;
    }
    default:
      return value;
  }
}

/**
 * `value` without the defaults of array items: inside each element of an array (a Woodpecker
 * campaign's steps and their versions), a value equal to its schema default is dropped; `withDefaults`
 * fills it back. What a provider's `check` returns is what the engine stores in the checkpoint and
 * rewrites with the whole checkpoint after every step of every update
 * (docs/performance-real-engine.md), and defaults inside items repeat on every step and version —
 * most of a Woodpecker campaign's stored inputs. Defaults outside arrays are kept: there is one of
 * each per campaign, and the engine shows a change between stored inputs (a refresh found
 * `maxAttempts: 7`, the program means 3) as `7 => 3` only when the new inputs spell the 3 out.
 * `withDefaults(schema, withoutItemDefaults(schema, schema.parse(x)))` equals `schema.parse(x)`
 * (test/unit/stored-inputs.test.ts).
 */
export function withoutItemDefaults(schema: z.ZodType<unknown>, value: unknown, inItem = false): unknown {
  if (value === UNKNOWN || value === undefined || !walkFinds(schema)) return value;
  const def = defOf(schema);
  switch (def.type) {
    case "default":
      return inItem && isDeepStrictEqual(value, def.defaultValue)
        ? undefined
        : withoutItemDefaults(def.innerType, value, inItem);
    case "optional":
    case "nullable":
      return value === null ? value : withoutItemDefaults(def.innerType, value, inItem);
    case "object": {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = { ...value };
      for (const [k, field] of Object.entries(def.shape as Record<string, z.ZodType<unknown>>)) {
        if (!(k in out)) continue;
        const kept = withoutItemDefaults(field, out[k], inItem);
        if (kept === undefined) delete out[k];
        else out[k] = kept;
      }
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((v) => withoutItemDefaults(def.element, v, true)) : value;
    case "record":
      if (!isRecord(value)) return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, withoutItemDefaults(def.valueType, v, inItem)]),
      );
    case "pipe":
      // The schemas' transforms keep the shape of their input (they sort, drop empties, count),
      // so the input side's defaults describe the output too.
      return withoutItemDefaults(def.in, value, inItem);
    default:
      return value;
  }
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
