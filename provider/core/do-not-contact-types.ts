/**
 * The plain shape of the `doNotContact` input both campaign classes take (DESIGN.md, public
 * contract). No runtime code lives here.
 */

/** What a campaign does with a contact or prospect that is on the list. */
export type DoNotContactOnMatch = "exclude" | "fail";

/**
 * People never to call or email, shared by every campaign of a stack that passes it. Personal data:
 * the resource classes keep the whole object as a Pulumi secret in state.
 */
export interface DoNotContact {
  /**
   * Phone numbers in E.164 with their country code, written with any punctuation
   * (`+1 (555) 123-4567`), email addresses (`name@example.com`, any case) and email domains
   * (`@example.com`: every address at that domain or under it). Default: none.
   */
  entries?: string[];
  /**
   * The path of a CSV file of the list, read by the provider at check, create, update and refresh
   * (relative to the program directory). Its header row names its columns, in any case: `entry`
   * (any kind), `phone` or `phone_number`, `email`, `domain`; other columns (a date, a reason) are
   * ignored. Default: none.
   */
  file?: string;
  /**
   * `exclude` (the default): people on the list are left out and counted in
   * `excludedByDoNotContact`; the campaign goes ahead. `fail`: each of them is a check failure at
   * its position (`contacts[12]`, `contactsFile row 40`).
   */
  onMatch?: DoNotContactOnMatch;
}

/** `doNotContact` after `check`: `onMatch` filled, and the list's digest (secret, like the object). */
export interface CheckedDoNotContact extends DoNotContact {
  onMatch: DoNotContactOnMatch;
  /** SHA-256 of the normalised list (computed by check; how a change of the list reaches each campaign). */
  digest?: string;
}

/** The plain counts `check` adds beside `doNotContact` (in inputs and outputs). */
export interface DoNotContactCounts {
  /** How many distinct entries the list holds (numbers, emails and domains). */
  doNotContactCount?: number;
  /** How many of the campaign's declared contacts or prospects are on the list and left out. */
  excludedByDoNotContact?: number;
}
