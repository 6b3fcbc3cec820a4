/**
 * `woodpecker.Campaign` templates, checked offline at `check` (before any API call): every
 * `{{TOKEN}}` in a step's subjects and messages must be one Woodpecker knows (reference:
 * woodpecker-prospects-api.md §7, woodpecker-api.md §4.3):
 *
 * - prospect fields: `{{FIRST_NAME}}`, `{{LAST_NAME}}`, `{{COMPANY}}`, `{{TITLE}}` (documented or
 *   live-tested), and the undocumented but plausible `{{EMAIL}}`, `{{CITY}}`, `{{STATE}}`,
 *   `{{COUNTRY}}`, `{{ADDRESS}}`, `{{PHONE}}`, `{{INDUSTRY}}`, `{{LINKEDIN_URL}}`, `{{TAGS}}`
 *   (the official list is unknown: accepted rather than refused);
 * - custom snippets `{{SNIPPET_1}}` … `{{SNIPPET_15}}` (filled from the prospect's snippet1…15);
 * - each with an optional fallback, `{{FIRST_NAME | "there"}}` (straight double or single quotes,
 *   or `&quot;` as an HTML editor writes them; an empty fallback is allowed);
 * - `{{SPINTAX | "Hi" | "Hello"}}`, `{{UNSUBSCRIBE}}`, `{{CLICK=https://…}}`.
 *
 * Refused because Woodpecker's create validator is reported to refuse them: `{{SNIPPET1}}` (no
 * underscore) and `{{WEBSITE}}`. A prospect that lacks a field a step uses without a fallback is
 * parked by Woodpecker as "missing snippet" and never sent: {@link tokensLackingValues} says which
 * tokens a prospect lacks (for a check of managed prospects).
 *
 * Pure functions, no module state.
 */
import { closestName } from "../core/suggest";
import { excerpt, nextOpening, unclosedOpening } from "../core/template-text";
import { type RuleViolation, UNKNOWN, isRecord } from "../core/validation";

/** Field tokens → the prospect input field that fills them. */
export const WOODPECKER_FIELD_TOKENS: Readonly<Record<string, string>> = {
  FIRST_NAME: "firstName",
  LAST_NAME: "lastName",
  COMPANY: "company",
  TITLE: "title",
  EMAIL: "email",
  CITY: "city",
  STATE: "state",
  COUNTRY: "country",
  ADDRESS: "address",
  PHONE: "phone",
  INDUSTRY: "industry",
  LINKEDIN_URL: "linkedinUrl",
  TAGS: "tags",
};
export const WOODPECKER_SNIPPETS = 15;

/** Tokens reported refused by Woodpecker, with what to write instead. */
const REFUSED: Readonly<Record<string, string>> = {
  WEBSITE:
    "Woodpecker is reported to refuse {{WEBSITE}} when the campaign is created: put the website in a snippet (snippet1…15) and use {{SNIPPET_N}}",
};

/** One use of a token in a subject or message. */
export interface TokenUse {
  /** The token as Woodpecker knows it: `FIRST_NAME`, `SNIPPET_3`, `SPINTAX`, `UNSUBSCRIBE`, `CLICK`. */
  token: string;
  /** For field and snippet tokens: the prospect field that fills it (`firstName`, `snippet3`). */
  field?: string;
  /** `{{TOKEN | "…"}}`: rendered with the fallback when the prospect's field is empty. */
  hasFallback: boolean;
  /** Where: `steps[i].versions[j].subject|message` (as a zod-style path). */
  path: (string | number)[];
}

export interface ScannedText {
  uses: Omit<TokenUse, "path">[];
  /** A sentence per problem (unknown token, unbalanced braces, malformed fallback). */
  problems: string[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_ ]*[A-Za-z0-9_]|^[A-Za-z]/;

/** Whitespace, including what HTML editors put in: `&nbsp;` and U+00A0. */
const normalizeSpace = (s: string) => s.replace(/&nbsp;|&#160;|\u00a0/g, " ");

function allTokenNames(): string[] {
  return [
    ...Object.keys(WOODPECKER_FIELD_TOKENS),
    ...Array.from({ length: WOODPECKER_SNIPPETS }, (_, k) => `SNIPPET_${k + 1}`),
    "SPINTAX",
    "UNSUBSCRIBE",
    "CLICK",
  ];
}

/** `| "a" | 'b' | &quot;c&quot;` → ["a", "b", "c"], or a problem. */
function parseOptions(rest: string): string[] | string {
  const opts: string[] = [];
  let s = rest.replace(/&quot;|&#34;/g, '"').replace(/&#39;|&apos;/g, "'");
  for (;;) {
    s = s.trimStart();
    if (!s) return opts;
    if (s[0] !== "|") return `has "${excerpt(s, 12)}" where "| \\"…\\"" or "}}" was expected`;
    s = s.slice(1).trimStart();
    const q = s[0];
    if (q !== '"' && q !== "'") {
      return /^[\u201c\u201d\u2018\u2019]/.test(s)
        ? 'has a curly quote: write the fallback in straight quotes, e.g. | "there"'
        : 'has a fallback without quotes: write it in double quotes, e.g. | "there"';
    }
    const end = s.indexOf(q, 1);
    if (end < 0) return "has a fallback whose quote is never closed";
    opts.push(s.slice(1, end));
    s = s.slice(end + 1);
  }
}

/** Check one token's inside (what is between `{{` and `}}`). */
function scanToken(inner: string): Omit<TokenUse, "path"> | string {
  const src = normalizeSpace(inner).trim();
  if (!src) return "{{}} is empty: write a token, e.g. {{FIRST_NAME}}";
  const shown = `{{${excerpt(src, 30)}}}`;
  const click = /^CLICK\s*=\s*(.*)$/s.exec(src);
  if (click) {
    return click[1].trim()
      ? { token: "CLICK", hasFallback: false }
      : `${shown} needs a link: {{CLICK=https://…}}`;
  }
  const m = NAME.exec(src);
  if (!m) return `${shown} does not start with a token name`;
  // "FIRST NAME" (as Woodpecker's editor shows it) is a name with a space, not two words.
  const name = m[0];
  const opts = parseOptions(src.slice(name.length));
  if (typeof opts === "string") return `${shown} ${opts}`;

  const field = WOODPECKER_FIELD_TOKENS[name];
  const snippet = /^SNIPPET_([1-9]\d?)$/.exec(name);
  if (field || (snippet && Number(snippet[1]) <= WOODPECKER_SNIPPETS)) {
    if (opts.length > 1) return `${shown} has ${opts.length} fallbacks; a token takes one: {{${name} | "…"}}`;
    return { token: name, field: field ?? `snippet${snippet![1]}`, hasFallback: opts.length === 1 };
  }
  if (name === "SPINTAX") {
    return opts.length
      ? { token: name, hasFallback: false }
      : `${shown} lists no choices: {{SPINTAX | "Hi" | "Hello"}}`;
  }
  if (name === "UNSUBSCRIBE") {
    return opts.length ? `${shown}: {{UNSUBSCRIBE}} takes no fallback` : { token: name, hasFallback: false };
  }
  if (REFUSED[name]) return `${shown}: ${REFUSED[name]}`;
  if (snippet) return `${shown}: Woodpecker has snippets 1 to ${WOODPECKER_SNIPPETS} only`;
  const unnumbered = /^SNIPPET\s*(\d+)$/i.exec(name);
  const hint = unnumbered ? `SNIPPET_${unnumbered[1]}` : closestName(name, allTokenNames());
  return hint
    ? `${shown} is not a Woodpecker token: did you mean {{${hint}}}?`
    : `${shown} is not a Woodpecker token; they are ${Object.keys(WOODPECKER_FIELD_TOKENS).join(", ")}, ` +
        `SNIPPET_1 to SNIPPET_${WOODPECKER_SNIPPETS}, SPINTAX, UNSUBSCRIBE and CLICK=…, ` +
        `each field or snippet with an optional fallback: {{FIRST_NAME | "there"}}`;
}

/** The `}}` that closes the `{{` at `open`, counting nested pairs; -1 when there is none. */
function matchingClose(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length - 1; k++) {
    if (text.startsWith("{{", k)) {
      depth++;
      k++;
    } else if (text.startsWith("}}", k)) {
      depth--;
      if (depth === 0) return k;
      k++;
    }
  }
  return -1;
}

/** Scan a subject or message: its token uses, and a sentence for each problem. */
export function scanWoodpeckerText(text: string): ScannedText {
  const out: ScannedText = { uses: [], problems: [] };
  let i = 0;
  while (i < text.length) {
    const open = nextOpening(text, i, "{{", "a token is written {{FIRST_NAME}}", out.problems);
    if (open < 0) break;
    // A tracked link may carry tokens of its own: {{CLICK=https://…?n={{FIRST_NAME}}}}.
    if (/^\s*CLICK\s*=/.test(normalizeSpace(text.slice(open + 2, open + 64)))) {
      const close = matchingClose(text, open);
      if (close >= 0) {
        const inner = text.slice(open + 2, close);
        const link = inner.slice(inner.indexOf("=") + 1);
        if (!link.trim())
          out.problems.push(`{{${excerpt(inner.trim(), 30)}}} needs a link: {{CLICK=https://…}}`);
        else out.uses.push({ token: "CLICK", hasFallback: false });
        const nestedTokens = scanWoodpeckerText(link);
        out.uses.push(...nestedTokens.uses);
        out.problems.push(...nestedTokens.problems);
        i = close + 2;
        continue;
      }
    }
    const close = text.indexOf("}}", open + 2);
    const nested = text.indexOf("{{", open + 2);
    if (close < 0 || (nested >= 0 && nested < close)) {
      out.problems.push(unclosedOpening(text, open));
      i = nested >= 0 ? nested : text.length;
      continue;
    }
    const r = scanToken(text.slice(open + 2, close));
    if (typeof r === "string") out.problems.push(r);
    else out.uses.push(r);
    i = close + 2;
  }
  return out;
}

/**
 * Every token use in the campaign's steps, and the rule violations (unknown tokens, unbalanced
 * braces) at `steps[i].versions[j].subject|message`. Safe on any input; unknown values are skipped.
 */
export function collectWoodpeckerTokens(steps: unknown): { uses: TokenUse[]; violations: RuleViolation[] } {
  const uses: TokenUse[] = [];
  const violations: RuleViolation[] = [];
  if (!Array.isArray(steps)) return { uses, violations };
  steps.forEach((s: unknown, i) => {
    if (!isRecord(s) || !Array.isArray(s.versions)) return;
    s.versions.forEach((v: unknown, j) => {
      if (!isRecord(v)) return;
      for (const key of ["subject", "message"] as const) {
        const text = v[key];
        if (typeof text !== "string" || text === UNKNOWN) continue;
        const path = ["steps", i, "versions", j, key];
        const scanned = scanWoodpeckerText(text);
        for (const u of scanned.uses) uses.push({ ...u, path });
        for (const p of scanned.problems) violations.push({ path, message: p });
      }
    });
  });
  return { uses, violations };
}

/** The template rules of `woodpecker.Campaign` inputs (part of `checkWoodpeckerCampaignRules`). */
export function woodpeckerTemplateRules(inputs: unknown): RuleViolation[] {
  return isRecord(inputs) ? collectWoodpeckerTokens(inputs.steps).violations : [];
}

/**
 * The tokens `uses` needs that `prospect` has no value for and that are used somewhere without a
 * fallback — Woodpecker would park this prospect as "missing snippet" and never send to it. An
 * empty or blank field counts as missing (as in Woodpecker). A value unknown at preview counts as
 * present; an unknown prospect lacks nothing. Each token once, in the order of first use.
 */
export function tokensLackingValues(uses: readonly TokenUse[], prospect: unknown): string[] {
  if (!isRecord(prospect)) return [];
  const out: string[] = [];
  for (const u of uses) {
    if (!u.field || u.hasFallback || out.includes(u.token)) continue;
    const value = prospect[u.field];
    if (value === UNKNOWN || (typeof value === "string" && value.trim() !== "")) continue;
    out.push(u.token);
  }
  return out;
}
