/**
 * Validation of `woodpecker.Campaign`'s `prospects` and `force` inputs, and the plain
 * `prospectCount` computed from them (reference/woodpecker-prospects-api.md §2).
 *
 * Failures name a prospect by its position (`prospects[7].email`), never by its email.
 */
import { z } from "zod";
import { type RuleViolation, UNKNOWN, formatPath, isRecord } from "../core/validation";
import { type TokenUse, collectWoodpeckerTokens, tokensLackingValues } from "./templates";
import type { SnippetKey, WoodpeckerProspect } from "./types";

/** Woodpecker's per-request limit of add_prospects_campaign [DOC]. */
export const MAX_PROSPECTS_PER_REQUEST = 20_000;
/** Our limit per campaign (every `up` reads the whole list back: 100 pages of 1000). */
export const MAX_PROSPECTS = 100_000;

export const SNIPPET_KEYS = Array.from({ length: 15 }, (_, i) => `snippet${i + 1}` as SnippetKey);

/**
 * A practical email check (not RFC 5322): one `@`, no spaces, a dot in the domain. Woodpecker's own
 * check is undocumented; it rejects bad formats with E_EMAIL per prospect, which we report too.
 */
export const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]+$/;
export const TAG = /^[^\s#]+$/;
export const EMAIL_MAX = 254;
export const EMAIL_MESSAGE = "must be an email address (name@domain.tld, no spaces)";
export const TAG_MESSAGE = 'tags are words without "#" or spaces (sent as "#TAG")';
export const tooLong = (max: number): string => `must be at most ${max} characters`;

/** Text fields other than the snippets, with their (assumed) maximum lengths. */
export const TEXT_FIELDS = {
  firstName: 255,
  lastName: 255,
  company: 255,
  website: 500,
  linkedinUrl: 500,
  title: 255,
  phone: 100,
  address: 500,
  city: 255,
  state: 255,
  country: 255,
  industry: 255,
} as const;
/** Snippets may hold HTML [DOC]; our limit, since Woodpecker documents none. */
export const SNIPPET_MAX = 10_000;

export function prospectsSchema() {
  const text = (max: number) => z.string().max(max, tooLong(max)).optional();
  const shape: Record<string, z.ZodType<unknown>> = {
    email: z
      .string({
        error: (i) => (i.input === undefined ? "is required (the prospect's email)" : "must be a string"),
      })
      .max(EMAIL_MAX, tooLong(EMAIL_MAX))
      .regex(EMAIL, EMAIL_MESSAGE),
    tags: z.array(z.string().regex(TAG, TAG_MESSAGE)).optional(),
  };
  for (const [k, max] of Object.entries(TEXT_FIELDS)) shape[k] = text(max);
  for (const k of SNIPPET_KEYS) shape[k] = text(SNIPPET_MAX);
  const prospect = z.strictObject(shape, {
    error: (i) =>
      i.code === "unrecognized_keys"
        ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(", ")}: a prospect has email, firstName, lastName, ` +
          "company, website, linkedinUrl, tags, title, phone, address, city, state, country, industry and " +
          "snippet1…snippet15"
        : "must be an object with at least an email",
  });
  return z
    .array(prospect as unknown as z.ZodType<WoodpeckerProspect>)
    .min(1, "must list at least one prospect; omit prospects to leave them unmanaged")
    .max(MAX_PROSPECTS, `at most ${MAX_PROSPECTS} prospects per campaign`)
    .optional();
}

/** The matching key: Woodpecker matches by email; case is treated as insignificant (unknown [§6]). */
export const emailKey = (email: string): string => email.trim().toLowerCase();

/** Cross-field rules: duplicate emails, `prospectCount` only as computed. Safe on any input. */
export function checkProspectRules(inputs: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isRecord(inputs)) return out;
  const { prospects, prospectsFile, prospectCount } = inputs;
  if (prospects !== undefined && prospectsFile !== undefined) {
    out.push({
      path: ["prospectsFile"],
      message: "cannot be used together with prospects: declare the people in one of them, not both",
    });
  }
  // With prospectsFile the count is the file's (prospects-file.ts sets it in check, after reading it).
  if (
    prospectsFile === undefined &&
    prospectCount !== undefined &&
    prospectCount !== UNKNOWN &&
    prospects !== UNKNOWN &&
    prospectCount !== (Array.isArray(prospects) ? prospects.length : undefined)
  ) {
    out.push({ path: ["prospectCount"], message: "is computed from prospects (their number); leave it out" });
  }
  const seen = new Map<string, number>();
  (Array.isArray(prospects) ? prospects : []).forEach((p: unknown, i) => {
    if (!isRecord(p) || typeof p.email !== "string" || p.email === UNKNOWN) return;
    const key = emailKey(p.email);
    const first = seen.get(key);
    if (first !== undefined) {
      out.push({
        path: ["prospects", i, "email"],
        message: `duplicates prospects[${first}].email (Woodpecker keeps one prospect per email)`,
      });
    } else {
      seen.set(key, i);
    }
  });
  out.push(...missingSnippetRules(inputs));
  return out;
}

/**
 * A managed prospect that lacks a field a step uses without a fallback: Woodpecker would park it
 * as "missing snippet" and never send to it (templates.ts `tokensLackingValues`). Reported at
 * `prospects[i]` with the token and where it is used, never with the prospect's data.
 */
function missingSnippetRules(inputs: Record<string, unknown>): RuleViolation[] {
  if (!Array.isArray(inputs.prospects)) return [];
  const { uses } = collectWoodpeckerTokens(inputs.steps);
  if (!uses.some((u) => u.field && !u.hasFallback)) return [];
  const out: RuleViolation[] = [];
  inputs.prospects.forEach((p: unknown, i) => {
    const message = missingSnippetMessage(uses, p);
    if (message) out.push({ path: ["prospects", i], message });
  });
  return out;
}

/**
 * Why this prospect would never be emailed (it lacks a field a step uses without a fallback), or
 * undefined. Names the tokens, where they are used and the fields, never the prospect's data.
 * `giveIt` says how to give it the field (inline: "Give it the field"; a file: fill its column).
 */
export function missingSnippetMessage(
  uses: readonly TokenUse[],
  prospect: unknown,
  giveIt: (fields: string[]) => string = () => "Give it the field",
): string | undefined {
  const lacking = tokensLackingValues(uses, prospect);
  if (!lacking.length) return undefined;
  const fields: string[] = [];
  const where = lacking.map((t) => {
    const use = uses.find((u) => u.token === t && !u.hasFallback)!;
    if (use.field && !fields.includes(use.field)) fields.push(use.field);
    return `{{${t}}} (${formatPath(use.path)}, field ${use.field})`;
  });
  return (
    `lacks a value for ${where.join(", ")}, used without a fallback: Woodpecker would park this prospect ` +
    `as "missing snippet" and never email it. ${giveIt(fields)}, or add a fallback such as ` +
    `{{${lacking[0]} | "…"}} in the step.`
  );
}

/**
 * One spelling per prospect (empty strings and empty tag lists mean "not given"), and the plain
 * `prospectCount`. Leaves unknowns (preview) where they are; an unknown list has an unknown count.
 */
export function normalizeProspectInputs<T extends Record<string, unknown>>(v: T): T {
  const out: Record<string, unknown> = { ...v };
  const prospects = v.prospects;
  if (Array.isArray(prospects)) {
    out.prospects = prospects.map((p: unknown) => {
      if (!isRecord(p)) return p;
      const n: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(p)) {
        if (val === undefined || val === "") continue;
        if (k === "tags" && Array.isArray(val) && val.length === 0) continue;
        n[k] = val;
      }
      return n;
    });
    out.prospectCount = prospects.length;
  } else if (prospects === undefined) {
    // With prospectsFile, check counts the file's rows (prospects-file.ts).
    if (v.prospectsFile === undefined) delete out.prospectCount;
  } else {
    out.prospectCount = prospects; // the whole list is unknown at preview: so is its count
  }
  return out as T;
}

export type { WoodpeckerProspect };
