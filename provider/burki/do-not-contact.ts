/**
 * `burki.Campaign` `doNotContact`: which declared contacts are on the list (by number, and by an
 * `email` / `email_address` variable, which Burki's import reads as the contact's email), the
 * check step over inline contacts or `contactsFile`, the contacts to import, and diff's digest of
 * them.
 *
 * Listed contacts are never sent: the import carries only the others. Because Burki's import
 * replaces the campaign's pending contacts (burki-api.md §4.7), re-importing when someone joins the
 * list removes them from a campaign that has not called them yet; contacts already called
 * (completed or failed) stay as Burki keeps them.
 */
import type { CheckFailure } from "../core/check-types";
import { type PersonKeys, matchedPositions, withoutListed } from "../core/do-not-contact";
import { checkDoNotContact, declaredAudience, resolveDoNotContact } from "../core/do-not-contact-check";
import type { Props } from "../core/provider-kit";
import { containsUnknown } from "../core/validation";
import { readContactsFile } from "./contacts-file";
import { contactsDigest } from "./mapping";
import type { BurkiCampaignInputs, BurkiContact } from "./types";

/** The contact's identifiers the list is matched against. */
export function contactKeys(c: BurkiContact): PersonKeys {
  const emails: string[] = [];
  for (const k of ["email", "email_address"]) {
    const v = c.variables?.[k];
    if (typeof v === "string" && v.trim()) emails.push(v);
  }
  return { phones: [c.phoneNumber], emails };
}

/**
 * The `doNotContact` part of `check`: counts, or failures at `contacts[i]` / `contactsFile` row N.
 * `fromFile`: the contacts `contactsFile` held and their rows (contacts-file.ts check read them).
 */
export function checkBurkiDoNotContact(
  inputs: Props,
  fromFile: { contacts?: BurkiContact[]; rows?: number[] },
): { inputs: Props } | { failures: CheckFailure[] } {
  const audience = declaredAudience(
    inputs,
    { inline: "contacts", file: "contactsFile", noun: "contact" },
    { people: fromFile.contacts, rows: fromFile.rows },
    contactKeys,
  );
  const people = audience.people;
  const name = typeof inputs.name === "string" ? inputs.name : "(name not known yet)";
  const result = checkDoNotContact(inputs, audience, `Burki campaign "${name}"`);
  if ("failures" in result) return result;
  const excluded = result.inputs.excludedByDoNotContact;
  if (Array.isArray(people) && people.length > 0 && excluded === people.length) {
    return {
      failures: [
        {
          property: "doNotContact",
          reason:
            `leaves no contact to call: all ${people.length} declared contact(s) are on the do-not-contact list. ` +
            "Burki's import cannot replace a campaign's pending contacts with an empty list, so the provider " +
            "would have nobody to import; remove the campaign from the program, or declare other contacts",
        },
      ],
    };
  }
  return result;
}

/**
 * The contacts to import (the declared ones not on the list) and their digest, or a sentence
 * saying why the list cannot be used now (a file that became unreadable since check).
 */
export function contactsToImport(
  inputs: BurkiCampaignInputs,
  declared: BurkiContact[],
): { contacts: BurkiContact[]; digest: string | undefined } | { problem: string } {
  if (inputs.doNotContact === undefined) return { contacts: declared, digest: contactsDigest(declared) };
  const resolved = resolveDoNotContact(inputs.doNotContact);
  if (!resolved.ok) {
    return { problem: resolved.failures.map((f) => `${f.property} ${f.reason}`).join("; ") };
  }
  const matched = matchedPositions(resolved.list, declared, contactKeys);
  if (matched.length && inputs.doNotContact.onMatch === "fail") {
    return {
      problem: `${matched.length} declared contact(s) are on the do-not-contact list and doNotContact.onMatch is "fail"`,
    };
  }
  const { kept } = withoutListed(declared, matched);
  if (kept.length === 0 && declared.length > 0) {
    return {
      problem: "every declared contact is on the do-not-contact list (Burki cannot import an empty list)",
    };
  }
  return { contacts: kept, digest: contactsDigest(kept) };
}

/**
 * diff: the digest of the contacts an update would import now, or undefined when it cannot be
 * told ("may change"). Only called with a list that leaves someone out (`excludedByDoNotContact` >
 * 0): otherwise the contacts' own digest is the answer, as without a list.
 */
export function contactsToImportDigest(news: Partial<BurkiCampaignInputs>): string | undefined {
  try {
    let declared: BurkiContact[] | undefined;
    if (news.contactsFile !== undefined) {
      const read = readContactsFile(news.contactsFile);
      declared = read.ok ? read.contacts : undefined;
    } else declared = news.contacts;
    if (!Array.isArray(declared) || containsUnknown(declared)) return undefined;
    const r = contactsToImport(news as BurkiCampaignInputs, declared);
    return "problem" in r ? undefined : r.digest;
  } catch {
    return undefined; // diff never throws: "may change"
  }
}
