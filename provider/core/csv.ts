/**
 * The CSV files the provider reads itself (Burki `contactsFile`, Woodpecker `prospectsFile`): the
 * record reader, the file read with a problem that says which path was tried, a capped list of row
 * problems, and a per-process memory of a file's digest while its size and mtime are unchanged.
 *
 * The reader is hand-written rather than a dependency: `csv-parse` 7.0.3 (sync API, `info: true`
 * for record numbers) took 630–820 ms for 100,000 five-column rows on the 2-core bench machine,
 * against 150–280 ms for this reader, which leaves no room in the 1 s budget of a `check`; it also
 * needs `relax_column_count` and `relax_quotes` to report short rows and stray text after a quote
 * by row as this reader does.
 *
 * Row numbers count the header as row 1 and every record after it (blank lines included), as a
 * spreadsheet shows them. Nothing here ever puts a cell's value in a message (personal data).
 */
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";

/** RFC 4180 records (fields unquoted), with row r + 1 for `rows[r]`; or the row of an unclosed quote. */
export interface CsvRecords {
  rows: string[][];
  unclosedAt?: number;
}

/**
 * Read RFC 4180 records: `,` separators, `"` quoting with `""` for a quote, CRLF, LF or CR line
 * ends, a leading BOM ignored, a missing final newline accepted. Text between a closing quote and
 * the next separator is kept as written.
 */
export function csvRecords(text: string): CsvRecords {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && field === "") {
      // A quoted field: up to the closing quote ("" is a quote).
      let j = i + 1;
      let value = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return { rows, unclosedAt: rows.length + 1 };
        value += text.slice(j, q);
        if (text[q + 1] === '"') {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      field = value;
      i = j;
      // Anything between the closing quote and the separator is kept as written.
      while (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      continue;
    }
    if (ch === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" || ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      // Plain run up to the next separator.
      let j = i;
      while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return { rows };
}

/** A blank line (one empty or blank field): skipped, though it keeps its row number. */
export const isBlankRecord = (r: string[]): boolean => r.length === 1 && r[0].trim() === "";

/** The problem of an unclosed quote, at its row. */
export const unclosedQuoteProblem = (row: number): string =>
  `row ${row}: a quoted field is never closed (a " is missing)`;

/**
 * A list of problems that keeps the first `limit` one by one and counts the rest, so that a file
 * of 100,000 bad rows gives a readable failure.
 */
export class ProblemList {
  readonly problems: string[] = [];
  private more = 0;
  constructor(private readonly limit: number) {}
  add(problem: string): void {
    if (this.problems.length < this.limit) this.problems.push(problem);
    else this.more++;
  }
  get count(): number {
    return this.problems.length + this.more;
  }
  /** The problems, with one summary line for those not listed. */
  done(): string[] {
    return this.more > 0
      ? [...this.problems, `… and ${this.more} more row problem(s), not listed one by one`]
      : [...this.problems];
  }
}

/** Where a file input is read from: relative paths from the program directory (the host's cwd). */
export function resolveInputFile(file: string): string {
  return path.resolve(process.cwd(), file);
}

/** The file's text, or a problem that says which path was tried and how to fix it. */
export function readInputFile(file: string): { text: string } | { problem: string } {
  const resolved = resolveInputFile(file);
  try {
    return { text: readFileSync(resolved, "utf8") };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : (code ?? "unreadable");
    return {
      problem:
        `cannot read ${resolved} (${why}); give the path of a CSV file ` +
        "(a relative path is read from the program directory, where Pulumi.yaml is)",
    };
  }
}

interface Remembered {
  size: number;
  mtimeMs: number;
  digest: string;
}

/**
 * Digests of files read by this process, kept while their size and mtime are unchanged (no people
 * kept): `check` reads and validates a file, `diff` then reuses its digest instead of parsing again.
 */
class FileDigests {
  private readonly known = new Map<string, Remembered>();

  remember(file: string, digest: string): void {
    try {
      const resolved = resolveInputFile(file);
      const s = statSync(resolved);
      this.known.set(resolved, { size: s.size, mtimeMs: s.mtimeMs, digest });
    } catch {
      // Gone since it was read: nothing to remember.
    }
  }

  /** The digest remembered for the file as it is now, or undefined (unknown, changed, gone). */
  lookup(file: string): string | undefined {
    try {
      const resolved = resolveInputFile(file);
      const s = statSync(resolved);
      const k = this.known.get(resolved);
      return k && k.size === s.size && k.mtimeMs === s.mtimeMs ? k.digest : undefined;
    } catch {
      return undefined;
    }
  }
}

/** A file the provider could not use: each problem a sentence without personal data. */
export interface FileProblems {
  ok: false;
  problems: string[];
}

/**
 * A CSV file input of people (`contactsFile`, `prospectsFile`): `read` reads, parses and digests
 * it (the same digest as the same people inline) and remembers the digest while the file's size
 * and mtime are unchanged; `digest` — what diff asks — reuses it, or reads the file again, and
 * never throws (undefined when the file cannot be read or is invalid).
 */
export function csvFileInput<Parsed extends { ok: true }>(
  parse: (text: string) => Parsed | FileProblems,
  digestOf: (parsed: Parsed) => string,
): {
  read: (file: string) => (Parsed & { digest: string }) | FileProblems;
  digest: (file: string) => string | undefined;
} {
  const digests = new FileDigests();
  const read = (file: string): (Parsed & { digest: string }) | FileProblems => {
    const input = readInputFile(file);
    if ("problem" in input) return { ok: false, problems: [input.problem] };
    const parsed = parse(input.text);
    if (!parsed.ok) return parsed;
    const digest = digestOf(parsed);
    digests.remember(file, digest);
    return { ...parsed, digest };
  };
  const digest = (file: string): string | undefined => {
    try {
      const known = digests.lookup(file);
      if (known !== undefined) return known;
      const result = read(file);
      return result.ok ? result.digest : undefined;
    } catch {
      return undefined;
    }
  };
  return { read, digest };
}
