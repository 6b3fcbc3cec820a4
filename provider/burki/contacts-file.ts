/**
 * `contactsFile`: the people to call, read by the provider from a CSV file instead of being inputs,
 * so that state holds the path, a plain count and a secret digest, never the people.
 *
 * The layout is the one the provider sends to Burki's import (mapping.ts `contactsCsv`): a header
 * row `phone_number,name,<variable>…` (the `name` column may be left out), then one row per
 * contact; RFC 4180 quoting; an empty variable cell means "no value". Row numbers in failures count
 * the header as row 1, as a spreadsheet does. A relative path is read from the program directory
 * (the provider host's working directory).
 *
 * Parsed twice per up at most (check, then create/update); diff reuses the digest check computed
 * while the file's size and modification time are unchanged.
 */
import type { CheckFailure } from "../core/check-types";
import {
  csvFileInput,
  ProblemList,
  csvRecords,
  isBlankRecord,
  resolveInputFile,
  unclosedQuoteProblem,
} from "../core/csv";
import { type Props } from "../core/provider-kit";
import { UNKNOWN, formatPath } from "../core/validation";
import { contactsDigest } from "./mapping";
import { E164, RESERVED_VARIABLES, VARIABLE_NAME } from "./schema";
import { burkiTemplateRules } from "./templates";
import type { BurkiContact } from "./types";

/** At most this many row failures are listed one by one; then one summary. */
export const CONTACTS_FILE_REPORT_LIMIT = 20;
const MAX_CONTACTS = 100_000;

export type ContactsFileResult =
  { ok: true; contacts: BurkiContact[]; rows: number[] } | { ok: false; problems: string[] };

/** A file read and valid: its contacts and their digest (mapping.ts `contactsDigest`). */
export type ContactsFileRead =
  { ok: true; contacts: BurkiContact[]; rows: number[]; digest: string } | { ok: false; problems: string[] };

/** Where a `contactsFile` is read from: relative paths from the program directory. */
export function resolveContactsFile(file: string): string {
  return resolveInputFile(file);
}

/**
 * Parse and validate a contacts CSV: the contacts, or the problems, each starting `row N:` (or
 * naming the header). Never includes a phone number, name or value in a problem (personal data).
 */
export function parseContactsCsv(text: string): ContactsFileResult {
  const { rows, unclosedAt } = csvRecords(text);
  const list = new ProblemList(CONTACTS_FILE_REPORT_LIMIT);
  const report = (p: string) => list.add(p);
  if (unclosedAt !== undefined) return { ok: false, problems: [unclosedQuoteProblem(unclosedAt)] };
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (header[0] !== "phone_number") {
    return {
      ok: false,
      problems: [
        "row 1 (the header): must start with the column phone_number, then name, then one column per " +
          "variable (the layout of Burki's import)",
      ],
    };
  }
  const hasName = header[1] === "name";
  const variableNames = header.slice(hasName ? 2 : 1);
  const seenColumn = new Set<string>();
  variableNames.forEach((v, i) => {
    if (!VARIABLE_NAME.test(v)) {
      // Named by position, not echoed: a header row typed wrong may hold a person's name or number.
      report(
        `row 1 (the header): column ${i + (hasName ? 3 : 2)} is not a valid variable name (letters, digits and _, not starting with a digit, at most 64 characters)`,
      );
    } else if (RESERVED_VARIABLES.has(v.toLowerCase())) {
      report(
        `row 1 (the header): column "${v}" is reserved for the phone number or name; ` +
          "put phone_number first and name second, and give variables other names",
      );
    } else if (seenColumn.has(v)) {
      report(`row 1 (the header): column "${v}" appears twice`);
    }
    seenColumn.add(v);
  });
  if (list.count) return { ok: false, problems: list.done() };

  const contacts: BurkiContact[] = [];
  const contactRows: number[] = [];
  const firstRow = new Map<string, number>();
  for (let r = 1; r < rows.length; r++) {
    const fields = rows[r];
    if (isBlankRecord(fields)) continue;
    const rowNo = r + 1;
    if (fields.length !== header.length) {
      report(`row ${rowNo}: has ${fields.length} field(s) where the header has ${header.length}`);
      continue;
    }
    const phone = fields[0].trim();
    if (!E164.test(phone)) {
      report(
        `row ${rowNo}: phone_number must be E.164, such as +15551234567 (a +, the country code, 8–15 digits, no spaces)`,
      );
      continue;
    }
    const first = firstRow.get(phone);
    if (first !== undefined) {
      report(`row ${rowNo}: phone_number duplicates row ${first} (Burki would skip it); keep one of them`);
      continue;
    }
    firstRow.set(phone, rowNo);
    const contact: BurkiContact = { phoneNumber: phone };
    if (hasName) {
      const name = fields[1];
      if (name.length > 200) {
        report(`row ${rowNo}: name must be at most 200 characters`);
        continue;
      }
      if (name) contact.name = name;
    }
    const offset = hasName ? 2 : 1;
    let variables: Record<string, string> | undefined;
    for (let k = 0; k < variableNames.length; k++) {
      const value = fields[offset + k];
      if (value === "") continue;
      (variables ??= {})[variableNames[k]] = value;
    }
    if (variables) contact.variables = variables;
    contacts.push(contact);
    contactRows.push(rowNo);
  }
  if (list.count) return { ok: false, problems: list.done() };
  if (contacts.length === 0) {
    return {
      ok: false,
      problems: [
        "has no contact rows: list at least one contact, or remove contactsFile to leave them unmanaged",
      ],
    };
  }
  if (contacts.length > MAX_CONTACTS) {
    return {
      ok: false,
      problems: [`has ${contacts.length} contacts: at most ${MAX_CONTACTS} per campaign (Burki's limit)`],
    };
  }
  return { ok: true, contacts, rows: contactRows };
}

const contactsFile = csvFileInput(parseContactsCsv, (r) => contactsDigest(r.contacts)!);

/** Read and validate a contacts file: its contacts, or the problems (each a sentence without personal data). */
export const readContactsFile: (file: string) => ContactsFileRead = contactsFile.read;

/**
 * The digest of a contacts file's contacts (the same digest as the same people declared inline),
 * or undefined when it cannot be read or is invalid. Never throws (diff calls it); reuses check's
 * while the file's size and mtime are unchanged.
 */
export const contactsFileDigest: (file: string) => string | undefined = contactsFile.digest;

/**
 * The template rules (templates.ts) over the file's contacts: a contact lacking a variable is a
 * failure at `contactsFile` naming its row; a variable no contact has stays at the template.
 */
function fileTemplateFailures(inputs: Props, contacts: BurkiContact[], rows: number[]): CheckFailure[] {
  const base = new Set(burkiTemplateRules({ ...inputs, contacts: undefined }).map((v) => JSON.stringify(v)));
  const out: CheckFailure[] = [];
  for (const v of burkiTemplateRules({ ...inputs, contacts })) {
    if (v.path[0] === "contacts" && typeof v.path[1] === "number") {
      const message = v.message.replace(
        /add variables\.(\w+) to this contact/,
        "fill its $1 column (add the column if the file has none)",
      );
      out.push({ property: "contactsFile", reason: `row ${rows[v.path[1]]}: ${message}` });
    } else if (!base.has(JSON.stringify(v))) {
      out.push({ property: formatPath(v.path), reason: v.message });
    }
  }
  return out;
}

/**
 * The `contactsFile` part of `check`, on inputs the schema accepted: read and validate the file,
 * set `contactCount` to its number of contacts (unknown while the path is), or the failures, each
 * at `contactsFile` with its row. The contacts read and their rows come back too (the do-not-contact
 * check matches them without reading the file again).
 */
export function checkContactsFile(
  inputs: Props,
): { inputs: Props; contacts?: BurkiContact[]; rows?: number[] } | { failures: CheckFailure[] } {
  const file = inputs.contactsFile;
  if (file === undefined) return { inputs };
  if (file === UNKNOWN) return { inputs: { ...inputs, contactCount: UNKNOWN } };
  if (typeof file !== "string") return { inputs };
  const read = readContactsFile(file);
  if (!read.ok) return { failures: read.problems.map((reason) => ({ property: "contactsFile", reason })) };
  const failures = fileTemplateFailures(inputs, read.contacts, read.rows);
  if (failures.length) return { failures };
  return {
    inputs: { ...inputs, contactCount: read.contacts.length },
    contacts: read.contacts,
    rows: read.rows,
  };
}
