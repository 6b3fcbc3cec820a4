/**
 * The do-not-contact list: what an entry is (an E.164 number, an email address, an `@domain`), how
 * it is normalised, the compiled list (three sets) with its digest, and who on a campaign's
 * audience it matches. Shared by both platforms; the CSV form is in do-not-contact-file.ts, the
 * `check` step in do-not-contact-check.ts.
 *
 * Matching: a number matches the same number however it was punctuated; an email matches the same
 * address ignoring case and surrounding spaces; a domain matches every address at that domain or at
 * a subdomain of it (`@example.com` covers `a@example.com` and `b@eu.example.com`). Nothing here
 * ever puts an entry, a number or an address into a message (personal data): problems name a
 * position.
 */
import { createHash } from "node:crypto";

/** E.164: a +, a country code that does not start with 0, 8–15 digits in all. */
const E164 = /^\+[1-9]\d{7,14}$/;
/** The same practical email check as prospects (one `@`, no spaces, a dot in the domain). */
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]+$/;
/** A domain: labels of letters, digits and `-` (IDNs in their xn-- form), at least one dot. */
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
/** Punctuation people write inside phone numbers. */
const PHONE_PUNCTUATION = /[\s().\-/\u00a0]/g;

export type EntryKind = "phone" | "email" | "domain";

/** A normalised entry, or why the text is none of the kinds asked for. */
export type ParsedEntry = { kind: EntryKind; value: string } | { problem: string };

/** `+1 (555) 123-4567` → `+15551234567`; undefined when it is not an E.164 number. */
export function normalizePhone(text: string): string | undefined {
  const compact = text.trim().replace(PHONE_PUNCTUATION, "");
  return E164.test(compact) ? compact : undefined;
}

/** An address in its matching form (trimmed, lower case); undefined when it is not one. */
export function normalizeEmail(text: string): string | undefined {
  const e = text.trim().toLowerCase();
  return e.length <= 254 && EMAIL.test(e) ? e : undefined;
}

/** `@Example.com` or `example.com` → `example.com`; undefined when it is not a domain. */
export function normalizeDomain(text: string): string | undefined {
  const d = text.trim().toLowerCase().replace(/^@/, "").replace(/\.$/, "");
  return DOMAIN.test(d) ? d : undefined;
}

const PROBLEM: Readonly<Record<EntryKind | "any", string>> = {
  any:
    "is not an E.164 phone number with its country code (+15551234567, any punctuation), an email address " +
    "or an @domain",
  phone: "is not an E.164 phone number with its country code (+15551234567, any punctuation)",
  email: "is not an email address (name@domain.tld)",
  domain: "is not an email domain (example.com or @example.com)",
};

/**
 * Parse one entry. `kind` "any" (an inline entry, the `entry` column) tells the kinds apart: an
 * `@` first is a domain, an `@` inside an address, anything else a phone number.
 */
export function parseEntry(text: string, kind: EntryKind | "any" = "any"): ParsedEntry {
  const t = text.trim();
  let k: EntryKind;
  if (kind !== "any") k = kind === "email" && t.startsWith("@") ? "domain" : kind;
  else k = t.startsWith("@") ? "domain" : t.includes("@") ? "email" : "phone";
  const value = k === "phone" ? normalizePhone(t) : k === "email" ? normalizeEmail(t) : normalizeDomain(t);
  return value === undefined ? { problem: PROBLEM[kind] } : { kind: k, value };
}

/** The compiled list: three sets of normalised entries, their count and digest. */
export class DoNotContactList {
  readonly phones = new Set<string>();
  readonly emails = new Set<string>();
  readonly domains = new Set<string>();
  private cachedDigest: string | undefined;

  add(entry: { kind: EntryKind; value: string }): void {
    this.cachedDigest = undefined;
    (entry.kind === "phone" ? this.phones : entry.kind === "email" ? this.emails : this.domains).add(
      entry.value,
    );
  }

  /** Distinct entries. */
  get size(): number {
    return this.phones.size + this.emails.size + this.domains.size;
  }

  /**
   * SHA-256 of the sorted entries: the same list, however written or ordered, has the same digest.
   * As revealing as the list (anyone could hash a number and compare): kept only inside the secret
   * `doNotContact` object.
   */
  get digest(): string {
    if (this.cachedDigest === undefined) {
      const hash = createHash("sha256").update("do-not-contact/1\n");
      for (const [tag, set] of [
        ["p", this.phones],
        ["e", this.emails],
        ["d", this.domains],
      ] as const) {
        let chunk = "";
        for (const v of [...set].sort()) {
          chunk += `${tag}:${v}\n`;
          if (chunk.length > 65_536) {
            hash.update(chunk);
            chunk = "";
          }
        }
        hash.update(chunk);
      }
      this.cachedDigest = hash.digest("hex");
    }
    return this.cachedDigest;
  }

  /** Is this E.164 number on the list? (Already normalised: a contact's number.) */
  hasPhone(e164: string): boolean {
    return this.phones.has(e164);
  }

  /** The entry an address matches: `email`, `domain` (its domain or a parent), or undefined. */
  matchEmail(address: string): "email" | "domain" | undefined {
    const e = address.trim().toLowerCase();
    if (this.emails.has(e)) return "email";
    if (this.domains.size === 0) return undefined;
    let domain = e.slice(e.lastIndexOf("@") + 1);
    for (;;) {
      if (this.domains.has(domain)) return "domain";
      const dot = domain.indexOf(".");
      if (dot < 0 || domain.indexOf(".", dot + 1) < 0) return undefined; // down to `example.com`
      domain = domain.slice(dot + 1);
    }
  }

  /** The listed domain an address falls under (itself or the closest parent), if any. */
  domainOf(address: string): string | undefined {
    let domain = address.trim().toLowerCase();
    domain = domain.slice(domain.lastIndexOf("@") + 1);
    for (;;) {
      if (this.domains.has(domain)) return domain;
      const dot = domain.indexOf(".");
      if (dot < 0) return undefined;
      domain = domain.slice(dot + 1);
    }
  }
}

/** The identifiers of one person a campaign holds: their numbers and addresses. */
export interface PersonKeys {
  /** E.164 numbers (already normalised). */
  phones?: readonly string[];
  /** Email addresses, as written (matched ignoring case). */
  emails?: readonly string[];
}

/** The positions (indexes) of the people on the list, in order. */
export function matchedPositions<T>(
  list: DoNotContactList,
  people: readonly T[],
  keysOf: (person: T) => PersonKeys,
): number[] {
  const out: number[] = [];
  if (list.size === 0) return out;
  for (let i = 0; i < people.length; i++) {
    const k = keysOf(people[i]);
    if (k.phones?.some((p) => list.hasPhone(p)) || k.emails?.some((e) => list.matchEmail(e) !== undefined)) {
      out.push(i);
    }
  }
  return out;
}

/** The people not on the list, and for each its position in `people`. */
export function withoutListed<T>(
  people: readonly T[],
  matched: readonly number[],
): { kept: T[]; positions: number[] } {
  const skip = new Set(matched);
  const kept: T[] = [];
  const positions: number[] = [];
  people.forEach((p, i) => {
    if (skip.has(i)) return;
    kept.push(p);
    positions.push(i);
  });
  return { kept, positions };
}
