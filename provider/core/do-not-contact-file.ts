/**
 * `doNotContact.file`: the list as a CSV file, read by the provider (the way `contactsFile` and
 * `prospectsFile` are), so that a person who looks after compliance edits one file.
 *
 * The header row names the columns, in any case: `entry` (a number, an address or an `@domain`,
 * told apart as inline entries are), `phone` or `phone_number`, `email` (an `@domain` there is a
 * domain), `domain` (with or without the `@`). Other columns (the date someone opted out, a reason)
 * are ignored, so an export from another tool can be used as it is. Every filled cell of a known
 * column is an entry; a row may hold several. RFC 4180 quoting (core/csv.ts); row numbers count the
 * header as row 1. Problems name the row and the column, never a value.
 */
import {
  type FileProblems,
  ProblemList,
  csvFileInput,
  csvRecords,
  isBlankRecord,
  unclosedQuoteProblem,
} from "./csv";
import { DoNotContactList, type EntryKind, parseEntry } from "./do-not-contact";

/** At most this many row problems are listed one by one; then one summary. */
export const DO_NOT_CONTACT_FILE_REPORT_LIMIT = 20;
/** A list larger than this is refused (memory, and a check that must stay under a second). */
export const MAX_DO_NOT_CONTACT_ENTRIES = 1_000_000;

/** Column name (lower case) → the kind of entry it holds. */
const COLUMNS: ReadonlyMap<string, EntryKind | "any"> = new Map([
  ["entry", "any"],
  ["phone", "phone"],
  ["phone_number", "phone"],
  ["email", "email"],
  ["domain", "domain"],
]);

export type DoNotContactFileParse = { ok: true; list: DoNotContactList } | FileProblems;

/** Parse a do-not-contact CSV: the compiled list, or problems naming rows and columns only. */
export function parseDoNotContactCsv(text: string): DoNotContactFileParse {
  const { rows, unclosedAt } = csvRecords(text);
  if (unclosedAt !== undefined) return { ok: false, problems: [unclosedQuoteProblem(unclosedAt)] };
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const columns: Array<{ at: number; name: string; kind: EntryKind | "any" }> = [];
  header.forEach((name, at) => {
    const kind = COLUMNS.get(name);
    if (kind !== undefined) columns.push({ at, name, kind });
  });
  if (columns.length === 0) {
    // Never repeat the header's cells: a file without its header row starts with an entry.
    const looksLikeEntry = header.some((h) => h.includes("@") || /^\+?[\d\s().-]{8,}$/.test(h));
    return {
      ok: false,
      problems: [
        `row 1 (the header): ${looksLikeEntry ? "holds an entry rather than column names" : "names none of the list's columns"}; ` +
          "the first row names the columns, such as entry or phone,email,domain (any case; other columns are ignored)",
      ],
    };
  }
  const list = new DoNotContactList();
  const problems = new ProblemList(DO_NOT_CONTACT_FILE_REPORT_LIMIT);
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (isBlankRecord(cells)) continue;
    for (const { at, name, kind } of columns) {
      const cell = cells[at];
      if (cell === undefined || cell.trim() === "") continue;
      const parsed = parseEntry(cell, kind);
      if ("problem" in parsed) problems.add(`row ${r + 1}: ${name} ${parsed.problem}`);
      else list.add(parsed);
    }
    if (list.size > MAX_DO_NOT_CONTACT_ENTRIES) {
      return {
        ok: false,
        problems: [`holds more than ${MAX_DO_NOT_CONTACT_ENTRIES.toLocaleString("en-US")} entries`],
      };
    }
  }
  if (problems.count) return { ok: false, problems: problems.done() };
  return { ok: true, list };
}

const listFile = csvFileInput(parseDoNotContactCsv, (r) => r.list.digest);

/** Read and parse a do-not-contact file: the list and its digest, or the problems. */
export const readDoNotContactFile: (
  file: string,
) => { ok: true; list: DoNotContactList; digest: string } | FileProblems = listFile.read;

/** The digest of a do-not-contact file's list, or undefined when unreadable or invalid (never throws). */
export const doNotContactFileDigest: (file: string) => string | undefined = listFile.digest;
