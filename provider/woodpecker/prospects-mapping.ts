/**
 * A declared prospect in Woodpecker's shape (reference/woodpecker-prospects-api.md §2.1): the input
 * field → Woodpecker field map, the comparison with the data Woodpecker stores, and the secret digest
 * over that shape. The plan, the sync, the state and prospectsFile all read a prospect through these,
 * so a field is mapped in one place.
 */
import { digestOfRows } from "../core/digest";
import type { ApiProspect } from "./prospects-v1";
import { SNIPPET_KEYS, emailKey } from "./prospects-schema";
import type { WoodpeckerProspect } from "./types";

/** Input field → Woodpecker's field (§2.1). */
export const FIELD_MAP: Readonly<Record<string, string>> = {
  firstName: "first_name",
  lastName: "last_name",
  company: "company",
  website: "website",
  linkedinUrl: "linkedin_url",
  title: "title",
  phone: "phone",
  address: "address",
  city: "city",
  state: "state",
  country: "country",
  industry: "industry",
  ...Object.fromEntries(SNIPPET_KEYS.map((k) => [k, k])),
};

const API_FIELDS: ReadonlyMap<string, string> = new Map(Object.entries(FIELD_MAP));

/** A declared prospect in Woodpecker's shape. */
export function toApiProspect(p: WoodpeckerProspect): ApiProspect {
  const out: ApiProspect = { email: p.email.trim() };
  // Over the prospect's own fields (a few), not every known field: called for each of 100,000.
  for (const k of Object.keys(p)) {
    const apiKey = API_FIELDS.get(k);
    const v = (p as Record<string, unknown>)[k];
    if (apiKey !== undefined && typeof v === "string" && v !== "") out[apiKey] = v;
  }
  if (p.tags?.length) out.tags = p.tags.map((t) => `#${t}`).join(" ");
  return out;
}

const tagSet = (s: string | undefined) =>
  (s ?? "")
    .split(/\s+/)
    .map((t) => t.replace(/^#/, ""))
    .filter(Boolean)
    .sort()
    .join(" ");

/**
 * Does the stored prospect hold what is declared? Only declared fields count: an undeclared field
 * is not managed (Woodpecker keeps stored data for fields a request leaves out [DOC]).
 */
export function sameProspectData(declared: ApiProspect, stored: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(declared)) {
    if (k === "email") continue;
    if (k === "tags") {
      if (tagSet(v) !== tagSet(stored.tags)) return false;
    } else if ((stored[k] ?? "") !== v) return false;
  }
  return true;
}

/** The secret digest of the managed prospects (order-insensitive; undefined when unmanaged). */
export function prospectsDigest(prospects: readonly WoodpeckerProspect[] | undefined): string | undefined {
  if (prospects === undefined) return undefined;
  const rows = prospects.map((p) => {
    const row = toApiProspect(p); // a new object: the key may replace its email
    row.email = emailKey(p.email);
    return row;
  });
  rows.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  // digestOf(rows): each row's keys sorted here (every value a string), so digestOfRows can skip
  // the generic replacer.
  return digestOfRows(rows, (row) => {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(row).sort()) sorted[k] = row[k];
    return sorted;
  });
}
