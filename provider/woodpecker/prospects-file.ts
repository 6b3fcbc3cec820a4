/**
 * `prospectsFile`: the people to email, read by the provider from a CSV file instead of being
 * inputs, so that state holds the path, a plain count and a secret digest, never the people (the
 * counterpart of Burki's `contactsFile`).
 *
 * A header row names the columns: `email` (required) and any prospect field, each either as the
 * input spells it (`firstName`, `linkedinUrl`, `snippet1`) or as Woodpecker's API does
 * (`first_name`, `linkedin_url`), in any case. Then one row per prospect; RFC 4180 quoting
 * (core/csv.ts); an empty cell means "no value"; `tags` holds words separated by spaces or commas
 * (a leading `#`, as Woodpecker writes them, is dropped). Row numbers in failures count the header
 * as row 1, as a spreadsheet does. A relative path is read from the program directory.
 *
 * The same rules as inline `prospects` (email format, duplicates ignoring case, field limits, the
 * template rule of a token used without a fallback), reported by row, never with a value.
 */
import type { CheckFailure } from "../core/check-types";
import { csvFileInput, ProblemList, csvRecords, isBlankRecord, unclosedQuoteProblem } from "../core/csv";
import { type Props } from "../core/provider-kit";
import { closestName } from "../core/suggest";
import { UNKNOWN } from "../core/validation";
import { FIELD_MAP, prospectsDigest } from "./prospects";
import {
  EMAIL,
  EMAIL_MAX,
  EMAIL_MESSAGE,
  MAX_PROSPECTS,
  SNIPPET_KEYS,
  SNIPPET_MAX,
  TAG,
  TAG_MESSAGE,
  TEXT_FIELDS,
  emailKey,
  missingSnippetMessage,
  tooLong,
} from "./prospects-schema";
import { collectWoodpeckerTokens } from "./templates";
import type { WoodpeckerProspect } from "./types";

/** At most this many row failures are listed one by one; then one summary. */
export const PROSPECTS_FILE_REPORT_LIMIT = 20;

export type ProspectsFileResult =
  { ok: true; prospects: WoodpeckerProspect[]; rows: number[] } | { ok: false; problems: string[] };

/** A file read and valid: its prospects, their rows, and their digest (prospects.ts `prospectsDigest`). */
export type ProspectsFileRead =
  | { ok: true; prospects: WoodpeckerProspect[]; rows: number[]; digest: string }
  | { ok: false; problems: string[] };

/** What a column name looks like (letters, digits, `_`, `-`, spaces): only such a name is repeated in a failure. */
const SHOWABLE_COLUMN = /^[A-Za-z_][A-Za-z0-9_ -]{0,63}$/;

/** Column name (lower case) → the prospect field it fills: the input names and Woodpecker's. */
function columnAliases(): Map<string, string> {
  const m = new Map<string, string>([
    ["email", "email"],
    ["tags", "tags"],
  ]);
  for (const [field, api] of Object.entries(FIELD_MAP)) {
    m.set(field.toLowerCase(), field);
    m.set(api.toLowerCase(), field);
  }
  return m;
}

const maxLength = (field: string): number =>
  field === "email"
    ? EMAIL_MAX
    : ((TEXT_FIELDS as Record<string, number>)[field] ??
      ((SNIPPET_KEYS as readonly string[]).includes(field) ? SNIPPET_MAX : Infinity));

/** `"#VC, big  deal"` → `["VC", "big", "deal"]`; a word with a `#` inside it is refused. */
function tagWords(cell: string): string[] | undefined {
  const words = cell
    .split(/[\s,]+/)
    .map((w) => w.replace(/^#/, ""))
    .filter(Boolean);
  return words.every((w) => TAG.test(w)) ? words : undefined;
}

/**
 * Parse and validate a prospects CSV: the prospects (each with its row), or the problems, each
 * starting `row N:`. Never includes an email, a name or any value in a problem (personal data).
 */
export function parseProspectsCsv(text: string): ProspectsFileResult {
  const { rows, unclosedAt } = csvRecords(text);
  if (unclosedAt !== undefined) return { ok: false, problems: [unclosedQuoteProblem(unclosedAt)] };
  const list = new ProblemList(PROSPECTS_FILE_REPORT_LIMIT);
  const header = (rows[0] ?? []).map((h) => h.trim());
  // A file without its header row starts with a prospect: say so, and repeat none of its cells.
  if (header.some((h) => h.includes("@"))) {
    return {
      ok: false,
      problems: [
        "row 1 (the header): holds an email address, so it looks like a prospect rather than column names; " +
          "put a header row first, such as email,firstName,company",
      ],
    };
  }
  const aliases = columnAliases();
  const fields: string[] = [];
  const seen = new Map<string, string>();
  for (const column of header) {
    const field = aliases.get(column.toLowerCase());
    // Only what looks like a column name is repeated (a stray cell may be personal data).
    const showable = SHOWABLE_COLUMN.test(column);
    const shown = showable ? `column "${column}"` : `column ${fields.length + 1}`;
    if (field === undefined) {
      const hint = showable ? closestName(column, aliases.keys()) : undefined;
      list.add(
        `row 1 (the header): ${shown} is not a prospect field` +
          (hint ? ` (did you mean "${hint}"?)` : "") +
          "; the columns are email, firstName, lastName, company, website, linkedinUrl, tags, title, phone, " +
          "address, city, state, country, industry and snippet1…snippet15 (or Woodpecker's first_name, " +
          "last_name, linkedin_url), in any case",
      );
    } else if (seen.has(field)) {
      list.add(`row 1 (the header): ${shown} fills ${field}, as ${seen.get(field)} does`);
    } else {
      seen.set(field, shown);
    }
    fields.push(field ?? "");
  }
  const emailAt = fields.indexOf("email");
  if (emailAt < 0 && list.count === 0) {
    list.add(
      "row 1 (the header): has no email column; the first row names the columns, such as email,firstName,company",
    );
  }
  if (list.count) return { ok: false, problems: list.done() };

  const prospects: WoodpeckerProspect[] = [];
  const prospectRows: number[] = [];
  const firstRow = new Map<string, number>();
  rows: for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (isBlankRecord(cells)) continue;
    const rowNo = r + 1;
    if (cells.length !== header.length) {
      list.add(`row ${rowNo}: has ${cells.length} field(s) where the header has ${header.length}`);
      continue;
    }
    const email = cells[emailAt].trim();
    if (email === "") {
      list.add(`row ${rowNo}: ${header[emailAt]} is empty (every prospect needs an email)`);
      continue;
    }
    if (email.length > EMAIL_MAX || !EMAIL.test(email)) {
      list.add(
        `row ${rowNo}: ${header[emailAt]} ${email.length > EMAIL_MAX ? tooLong(EMAIL_MAX) : EMAIL_MESSAGE}`,
      );
      continue;
    }
    const key = emailKey(email);
    const first = firstRow.get(key);
    if (first !== undefined) {
      list.add(
        `row ${rowNo}: ${header[emailAt]} duplicates row ${first} (Woodpecker keeps one prospect per email, ` +
          "ignoring case); keep one of them",
      );
      continue;
    }
    const prospect: Record<string, unknown> = { email };
    for (let k = 0; k < fields.length; k++) {
      const field = fields[k];
      const value = cells[k];
      if (k === emailAt || value === "") continue;
      if (field === "tags") {
        const words = tagWords(value);
        if (!words) {
          list.add(`row ${rowNo}: ${header[k]}: ${TAG_MESSAGE}; separate them with spaces or commas`);
          continue rows;
        }
        if (words.length) prospect.tags = words;
        continue;
      }
      const max = maxLength(field);
      if (value.length > max) {
        list.add(`row ${rowNo}: ${header[k]} ${tooLong(max)}`);
        continue rows;
      }
      prospect[field] = value;
    }
    firstRow.set(key, rowNo);
    prospects.push(prospect as WoodpeckerProspect);
    prospectRows.push(rowNo);
  }
  if (list.count) return { ok: false, problems: list.done() };
  if (prospects.length === 0) {
    return {
      ok: false,
      problems: [
        "has no prospect rows: list at least one prospect, or remove prospectsFile to leave them unmanaged",
      ],
    };
  }
  if (prospects.length > MAX_PROSPECTS) {
    return {
      ok: false,
      problems: [`has ${prospects.length} prospects: at most ${MAX_PROSPECTS} per campaign`],
    };
  }
  return { ok: true, prospects, rows: prospectRows };
}

const prospectsFile = csvFileInput(parseProspectsCsv, (r) => prospectsDigest(r.prospects)!);

/** Read and validate a prospects file: its prospects, or the problems (sentences without personal data). */
export const readProspectsFile: (file: string) => ProspectsFileRead = prospectsFile.read;

/**
 * The digest of a prospects file's prospects (the same digest as the same people declared inline),
 * or undefined when it cannot be read or is invalid. Never throws (diff calls it); reuses check's
 * while the file's size and mtime are unchanged.
 */
export const prospectsFileDigest: (file: string) => string | undefined = prospectsFile.digest;

/**
 * The template rule over the file's prospects: a prospect lacking a field that a step uses without
 * a fallback is a failure at `prospectsFile` naming its row (capped like the row problems).
 */
export function fileTemplateProblems(
  steps: unknown,
  prospects: readonly WoodpeckerProspect[],
  rows: number[],
) {
  const { uses } = collectWoodpeckerTokens(steps);
  if (!uses.some((u) => u.field && !u.hasFallback)) return [];
  const list = new ProblemList(PROSPECTS_FILE_REPORT_LIMIT);
  const giveIt = (fields: string[]) =>
    `Fill its ${fields.join(", ")} column${fields.length > 1 ? "s" : ""} (add the column if the file has none)`;
  prospects.forEach((p, i) => {
    const message = missingSnippetMessage(uses, p, giveIt);
    if (message) list.add(`row ${rows[i]}: ${message}`);
  });
  return list.done();
}

/**
 * The `prospectsFile` part of `check`, on inputs the schema accepted: read and validate the file,
 * set `prospectCount` to its number of prospects (unknown while the path is), or the failures, each
 * at `prospectsFile` with its row.
 */
export function checkProspectsFile(
  inputs: Props,
): { inputs: Props; prospects?: WoodpeckerProspect[]; rows?: number[] } | { failures: CheckFailure[] } {
  const file = inputs.prospectsFile;
  if (file === undefined) return { inputs };
  if (file === UNKNOWN) return { inputs: { ...inputs, prospectCount: UNKNOWN } };
  if (typeof file !== "string") return { inputs };
  const read = readProspectsFile(file);
  const problems = read.ok ? fileTemplateProblems(inputs.steps, read.prospects, read.rows) : read.problems;
  if (problems.length) return { failures: problems.map((reason) => ({ property: "prospectsFile", reason })) };
  if (!read.ok) return { inputs: { ...inputs, prospectCount: 0 } };
  // The prospects read and their rows come back too: the do-not-contact check matches them.
  return {
    inputs: { ...inputs, prospectCount: read.prospects.length },
    prospects: read.prospects,
    rows: read.rows,
  };
}
