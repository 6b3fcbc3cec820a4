/**
 * The CSV side of contact imports: RFC 4180 parsing, E.164 phone normalisation, and where each
 * column goes (`column_mappings`, then the campaign's `variable_mappings`, then header detection).
 */
import { isPlainObject } from "./validation";

/** RFC 4180 CSV: quoted fields, `""` escapes, commas and newlines inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let atFieldStart = true;
  let rowStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      atFieldStart = false;
      rowStarted = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      atFieldStart = true;
      rowStarted = true;
    } else if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      atFieldStart = true;
      rowStarted = false;
    } else {
      field += ch;
      atFieldStart = false;
      rowStarted = true;
    }
  }
  if (rowStarted || field !== "") {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * E.164 with a US (+1) default: `5551234567` → `+15551234567`, `+44…` kept, `00…` → `+…`.
 * Returns undefined unless 8–15 digits remain.
 */
export function normalizePhone(raw: string): string | undefined {
  const s = raw.trim();
  if (!s || /[a-z]/i.test(s)) return undefined;
  let digits = s.replace(/\D/g, "");
  const plus = s.startsWith("+");
  if (!plus && digits.startsWith("00")) digits = digits.slice(2);
  // emulator guess: a number without `+` that is not 10 digits already carries its country code.
  else if (!plus && digits.length === 10) digits = "1" + digits;
  if (digits.length < 8 || digits.length > 15 || digits.startsWith("0")) return undefined;
  return "+" + digits;
}

const AUTO_HEADERS: Record<string, string> = {
  phone: "phone_number",
  phone_number: "phone_number",
  mobile: "phone_number",
  cell: "phone_number",
  name: "name",
  full_name: "name",
  contact_name: "name",
  email: "email",
  email_address: "email",
  company: "company",
  organization: "company",
};

/** The `column_mappings` form field: a JSON object of strings, default "{}". */
export function parseColumnMappings(raw: string | null): Record<string, string> | undefined {
  try {
    const parsed = JSON.parse(raw?.trim() ? raw : "{}") as unknown;
    if (!isPlainObject(parsed) || Object.values(parsed).some((x) => typeof x !== "string")) return undefined;
    return parsed as Record<string, string>;
  } catch {
    return undefined;
  }
}

function normalizeHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** Where each CSV column goes: `phone_number` or a variable name. */
export function columnTargets(
  header: string[],
  columnMappings: Record<string, string>,
  variableMappings: Record<string, string>,
): string[] {
  return header.map((h, i) => {
    const trimmed = h.trim();
    const mapped = columnMappings[h] ?? columnMappings[trimmed];
    if (mapped) return mapped;
    // emulator guess: the campaign's variable_mappings (CSV column → variable) apply after the
    // request's column_mappings and before header auto-detection.
    const fromCampaign = variableMappings[h] ?? variableMappings[trimmed];
    if (fromCampaign) return fromCampaign;
    const norm = normalizeHeader(h);
    // emulator guess: other columns become variables named after the snake_cased header.
    return AUTO_HEADERS[norm] ?? (norm || `column_${i + 1}`);
  });
}
