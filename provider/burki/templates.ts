/**
 * `burki.Campaign` templates, checked offline at `check` (before any API call): the syntax of the
 * four templates, and — when `contacts` are managed — that every `{{variable}}` they use has a value
 * for every contact (reference: burki-api.md §12).
 *
 * Burki renders "Jinja2-style" templates: `{{variable}}`, `{{variable|filter}}`,
 * `{{variable|default('fallback')}}`. A variable resolves from the contact (its `variables`, the
 * CSV columns this provider imports), the campaign's `fallbackValues`, or Burki's system variables
 * (`name` → "there", `company` → "our company", `assistant_name` → "your assistant"); a
 * `default(…)` filter is a fallback of its own. What Burki does with a variable that has none of
 * these is not documented (Jinja2 renders it empty): the contact would hear "Hi , …".
 *
 * Pure functions, no module state; nothing here reads or reports a contact's values (phone numbers,
 * names, variable values): failures name the contact by position, the template and the variable.
 */
import { closestName } from "../core/suggest";
import { excerpt, nextOpening, unclosedOpening } from "../core/template-text";
import { type RuleViolation, UNKNOWN, isRecord } from "../core/validation";

export const BURKI_TEMPLATE_FIELDS = [
  "welcomeMessageTemplate",
  "agendaTemplate",
  "endCallMessageTemplate",
  "smsMessageTemplate",
] as const;
export type BurkiTemplateField = (typeof BURKI_TEMPLATE_FIELDS)[number];

/**
 * Always resolvable: Burki's system variables ("always available", with defaults) and the contact's
 * phone number, a column of every contact this provider imports.
 */
export const BURKI_SYSTEM_VARIABLES: readonly string[] = [
  "name",
  "company",
  "assistant_name",
  "phone_number",
];

/** Burki's documented filters, then Jinja2's built-in ones (Burki says "Jinja2-style"). */
const BURKI_FILTERS = ["phone_format", "title_case", "upper", "lower", "default"];
const JINJA_FILTERS = (
  "abs attr batch capitalize center count d dictsort e escape filesizeformat first float " +
  "forceescape format groupby indent int items join last length list map max min pprint random " +
  "reject rejectattr replace reverse round safe select selectattr slice sort string striptags sum " +
  "title tojson trim truncate unique urlencode urlize wordcount wordwrap xmlattr"
).split(" ");

/** Failures reported one by one per (variable); past this, one summary failure. */
export const MISSING_VARIABLE_REPORT_LIMIT = 20;

export interface TemplateExpression {
  /** The variable's name (the first name of `a.b`). */
  variable: string;
  filters: string[];
  /** A `default(…)` / `d(…)` filter: the expression has its own fallback. */
  hasDefault: boolean;
}

export interface ParsedTemplate {
  expressions: TemplateExpression[];
  /** Syntax problems, each a complete sentence about this template. */
  problems: string[];
  /** `{% … %}` statements: a variable may be guarded by an `{% if %}`, so none is required per contact. */
  hasStatements: boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Index of `close` at or after `from`, outside '…' / "…" literals; -1 when there is none. */
function findClose(text: string, from: number, close: string, stopAtOpen?: string): number {
  let quote = "";
  for (let k = from; k < text.length; k++) {
    const ch = text[k];
    if (quote) {
      if (ch === "\\") k++;
      else if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (text.startsWith(close, k)) {
      return k;
    } else if (stopAtOpen && text.startsWith(stopAtOpen, k)) {
      return -1;
    }
  }
  return -1;
}

/** Parse one `{{ … }}` expression: a variable, then filters with optional arguments. */
function parseExpression(expr: string): TemplateExpression | string {
  const src = expr.trim();
  if (!src) return "is empty: put a variable name in it, e.g. {{name}}";
  const head = IDENT.exec(src);
  if (!head) {
    return `does not start with a variable name (letters, digits and _, not starting with a digit)`;
  }
  const variable = head[0];
  let k = variable.length;
  while (src[k] === ".") {
    const attr = IDENT.exec(src.slice(k + 1));
    if (!attr) return `has a "." not followed by a name`;
    k += 1 + attr[0].length;
  }
  const filters: string[] = [];
  for (;;) {
    while (/\s/.test(src[k] ?? "")) k++;
    if (k >= src.length) break;
    if (src[k] !== "|")
      return `has "${excerpt(src.slice(k), 12)}" where a filter ("| name") or "}}" was expected`;
    k++;
    while (/\s/.test(src[k] ?? "")) k++;
    const name = IDENT.exec(src.slice(k));
    if (!name) return `has a "|" not followed by a filter name`;
    filters.push(name[0]);
    k += name[0].length;
    while (/\s/.test(src[k] ?? "")) k++;
    if (src[k] === "(") {
      const end = findClose(src, k + 1, ")");
      if (end < 0) return `has a "(" after the filter ${name[0]} that is never closed`;
      k = end + 1;
    }
  }
  return { variable, filters, hasDefault: filters.some((f) => f === "default" || f === "d") };
}

/**
 * Parse a Burki template: its `{{ … }}` expressions, with a sentence for each syntax problem (an
 * unclosed `{{`, a stray `}}`, an empty or malformed expression, an unknown filter).
 */
export function parseBurkiTemplate(text: string): ParsedTemplate {
  const out: ParsedTemplate = { expressions: [], problems: [], hasStatements: false };
  let i = 0;
  while (i < text.length) {
    const open = nextOpening(text, i, "{", "a variable is written {{name}}", out.problems);
    if (open < 0) break;
    const next = text[open + 1];
    if (next === "{") {
      const close = findClose(text, open + 2, "}}", "{{");
      if (close < 0) {
        out.problems.push(unclosedOpening(text, open));
        // Skip to the next "{{": what follows may still be checked.
        const again = text.indexOf("{{", open + 2);
        i = again < 0 ? text.length : again;
        continue;
      }
      const expr = text.slice(open + 2, close);
      const parsed = parseExpression(expr);
      if (typeof parsed === "string") {
        out.problems.push(`{{${excerpt(expr, 30)}}} ${parsed}`);
      } else {
        for (const f of parsed.filters) {
          if (BURKI_FILTERS.includes(f) || JINJA_FILTERS.includes(f)) continue;
          const hint = closestName(f, [...BURKI_FILTERS, ...JINJA_FILTERS]);
          out.problems.push(
            `{{${excerpt(expr.trim(), 30)}}} uses the filter "${f}", which Burki does not have` +
              (hint ? ` (did you mean "${hint}"?)` : "") +
              `; its filters are ${BURKI_FILTERS.join(", ")}`,
          );
        }
        out.expressions.push(parsed);
      }
      i = close + 2;
    } else if (next === "%" || next === "#") {
      const closer = next === "%" ? "%}" : "#}";
      const close = findClose(text, open + 2, closer);
      if (close < 0) {
        out.problems.push(`has a "{${next}" that is never closed ("${closer}"), at character ${open + 1}`);
        break;
      }
      if (next === "%") out.hasStatements = true;
      i = close + 2;
    } else {
      i = open + 1;
    }
  }
  return out;
}

interface Needed {
  /** The templates that use the variable without a fallback, in field order. */
  templates: BurkiTemplateField[];
}

const hasValue = (v: unknown): boolean => v === UNKNOWN || (typeof v === "string" && v.trim() !== "");

/** The contact's value for `variable`, through `variableMappings` (CSV column → variable) too. */
function contactHas(variables: Record<string, unknown>, variable: string, mappedFrom: Map<string, string[]>) {
  if (Object.hasOwn(variables, variable) && hasValue(variables[variable])) return true;
  return (mappedFrom.get(variable) ?? []).some(
    (col) => Object.hasOwn(variables, col) && hasValue(variables[col]),
  );
}

const listOf = (names: readonly string[]) =>
  names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/**
 * The template rules of `burki.Campaign` inputs (part of `checkBurkiCampaignRules`). Safe on any
 * input, and on inputs with unknown values (preview): what is unknown is skipped, never reported.
 *
 * - each template's syntax: a failure at the template;
 * - with `contacts` managed, each variable used without a fallback: a contact without a value for
 *   it is a failure at `contacts[i].variables` (the first {@link MISSING_VARIABLE_REPORT_LIMIT} of
 *   them per variable, then one summary); a variable that *no* contact has is one failure at the
 *   template instead (most likely a typo, with a did-you-mean).
 */
export function burkiTemplateRules(inputs: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isRecord(inputs)) return out;

  const needed = new Map<string, Needed>();
  for (const field of BURKI_TEMPLATE_FIELDS) {
    const text = inputs[field];
    if (typeof text !== "string" || text === UNKNOWN) continue;
    const parsed = parseBurkiTemplate(text);
    for (const p of parsed.problems) out.push({ path: [field], message: p });
    if (parsed.hasStatements) continue;
    for (const e of parsed.expressions) {
      if (e.hasDefault || BURKI_SYSTEM_VARIABLES.includes(e.variable)) continue;
      const n = needed.get(e.variable) ?? { templates: [] };
      if (!n.templates.includes(field)) n.templates.push(field);
      needed.set(e.variable, n);
    }
  }

  // Per contact: only when contacts are managed and the campaign's fallbacks are known.
  const { contacts, fallbackValues, variableMappings } = inputs;
  if (needed.size === 0 || !Array.isArray(contacts)) return out;
  if (fallbackValues !== undefined && !isRecord(fallbackValues)) return out; // unknown, or reported by the schema
  const fallbacks = fallbackValues ?? {};
  for (const v of [...needed.keys()]) if (Object.hasOwn(fallbacks, v)) needed.delete(v);
  if (needed.size === 0) return out;
  const mappedFrom = new Map<string, string[]>();
  if (isRecord(variableMappings)) {
    for (const [column, variable] of Object.entries(variableMappings)) {
      if (typeof variable === "string")
        mappedFrom.set(variable, [...(mappedFrom.get(variable) ?? []), column]);
    }
  }

  const vars = [...needed.keys()];
  const lacking = vars.map(() => [] as number[]);
  const lackingCount = vars.map(() => 0);
  let known = 0;
  contacts.forEach((c: unknown, i) => {
    if (!isRecord(c)) return; // unknown at preview, or reported by the schema
    const variables = c.variables === undefined ? {} : c.variables;
    if (!isRecord(variables)) return;
    known++;
    for (let k = 0; k < vars.length; k++) {
      if (contactHas(variables, vars[k], mappedFrom)) continue;
      lackingCount[k]++;
      // One past the limit: where the summary goes.
      if (lacking[k].length <= MISSING_VARIABLE_REPORT_LIMIT) lacking[k].push(i);
    }
  });

  vars.forEach((v, k) => {
    const { templates } = needed.get(v)!;
    const usedBy = `${listOf(templates)} ${templates.length > 1 ? "use" : "uses"}`;
    const fixes = `give the contacts variables.${v}, add ${v} to fallbackValues, or write {{${v}|default('…')}}`;
    if (lackingCount[k] === 0) return;
    if (lackingCount[k] === known && known === contacts.length) {
      // Nobody has it: a template mistake more likely than missing data.
      const names = new Set<string>([...BURKI_SYSTEM_VARIABLES, ...Object.keys(fallbacks)]);
      for (const c of contacts) {
        if (isRecord(c) && isRecord(c.variables)) for (const n of Object.keys(c.variables)) names.add(n);
      }
      for (const m of mappedFrom.keys()) names.add(m);
      const hint = closestName(v, names);
      const message =
        `uses {{${v}}}, which no contact has a value for, and which is neither in fallbackValues nor a Burki ` +
        `system variable (${BURKI_SYSTEM_VARIABLES.slice(0, 3).join(", ")})` +
        (hint ? `: did you mean {{${hint}}}? Otherwise ` : `: `) +
        fixes;
      for (const field of templates) out.push({ path: [field], message });
      return;
    }
    const listed = lacking[k].slice(0, MISSING_VARIABLE_REPORT_LIMIT);
    for (const i of listed) {
      const variables = (contacts[i] as Record<string, unknown>).variables;
      const hint = isRecord(variables) ? closestName(v, Object.keys(variables)) : undefined;
      out.push({
        path: ["contacts", i, "variables"],
        message:
          `has no value for {{${v}}}, which ${usedBy}` +
          (hint ? ` (this contact has variables.${hint}: a typo?)` : "") +
          `: add variables.${v} to this contact, add ${v} to fallbackValues, or write {{${v}|default('…')}}`,
      });
    }
    const more = lackingCount[k] - listed.length;
    if (more > 0) {
      out.push({
        path: ["contacts", lacking[k][MISSING_VARIABLE_REPORT_LIMIT], "variables"],
        message:
          `… and ${more} more contacts, this one and ones after it, have no value for {{${v}}} ` +
          `(${listOf(templates)}); not listed one by one: ${fixes}`,
      });
    }
  });
  return out;
}
