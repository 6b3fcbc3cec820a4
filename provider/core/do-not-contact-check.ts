/**
 * `doNotContact` for both campaign classes: the input's schema, the list it names (inline entries
 * and/or a CSV file) compiled, and the `check` step that counts or refuses the campaign's people on
 * it, by position only.
 *
 * What check adds to the inputs: `doNotContact.onMatch` (default `exclude`) and
 * `doNotContact.digest` — the list's digest, inside the object the resource class keeps secret, so a
 * change of the list file changes every campaign's inputs while state never holds an unsalted hash
 * in plain text — and two plain counts beside it, `doNotContactCount` (entries on the list) and
 * `excludedByDoNotContact` (declared people left out). Unknown parts (preview) make the counts
 * unknown.
 */
import { z } from "zod";
import type { CheckFailure, RuleViolation } from "./check-types";
import { DoNotContactList, type PersonKeys, matchedPositions, parseEntry } from "./do-not-contact";
import { MAX_DO_NOT_CONTACT_ENTRIES, readDoNotContactFile } from "./do-not-contact-file";
import type { CheckedDoNotContact, DoNotContact } from "./do-not-contact-types";
import { logInfo } from "./log";
import type { Props } from "./provider-kit";
import { UNKNOWN, containsUnknown, isRecord } from "./validation";

/** At most this many matches are named one by one (failures, log lines); then one summary. */
export const DO_NOT_CONTACT_REPORT_LIMIT = 20;

/** The zod schema of `doNotContact` (built on use, inside the implementation module). */
export function doNotContactSchema() {
  return z
    .strictObject(
      {
        entries: z
          .array(
            z
              .string({ error: "must be a string (a phone number, an email address or an @domain)" })
              .refine((s) => !("problem" in parseEntry(s)), { message: parseProblem() }),
          )
          .max(MAX_DO_NOT_CONTACT_ENTRIES, `at most ${MAX_DO_NOT_CONTACT_ENTRIES} entries`)
          .optional(),
        file: z
          .string({ error: "must be a string (the path of a CSV file)" })
          .min(1, "must not be empty: give the path of a CSV file, or leave file out")
          .max(4096, "must be at most 4096 characters")
          .optional(),
        onMatch: z.enum(["exclude", "fail"], { error: 'must be "exclude" or "fail"' }).default("exclude"),
        // Computed by check (the list's digest); whatever is given here is replaced.
        digest: z.string().optional(),
      },
      {
        error: (i) =>
          i.code === "unrecognized_keys"
            ? `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(", ")}: doNotContact has entries, file and onMatch`
            : "must be an object: { entries?, file?, onMatch? }",
      },
    )
    .optional();
}

const parseProblem = (): string => {
  const p = parseEntry("");
  return "problem" in p ? p.problem : "is not an entry";
};

/**
 * Cross-field rules: the list names at least one source, and its counts are only computed. Safe
 * on any input (the GitOps loader calls it beside the schema).
 */
export function doNotContactRules(inputs: Record<string, unknown>): RuleViolation[] {
  const out: RuleViolation[] = [];
  const dnc = inputs.doNotContact;
  if (isRecord(dnc) && dnc.entries === undefined && dnc.file === undefined) {
    out.push({
      path: ["doNotContact"],
      message: "names no list: give entries, a file, or both (entries: [] for a list that is empty for now)",
    });
  }
  if (dnc === undefined) {
    for (const k of ["doNotContactCount", "excludedByDoNotContact"] as const) {
      if (inputs[k] !== undefined)
        out.push({ path: [k], message: "is computed from doNotContact; leave it out" });
    }
  }
  return out;
}

/** The list `doNotContact` names (entries and file together), or the problems at their property. */
export function resolveDoNotContact(
  dnc: DoNotContact,
): { ok: true; list: DoNotContactList } | { ok: false; failures: CheckFailure[] } {
  const list = new DoNotContactList();
  const failures: CheckFailure[] = [];
  (dnc.entries ?? []).forEach((text, i) => {
    const parsed = parseEntry(text);
    if ("problem" in parsed)
      failures.push({ property: `doNotContact.entries[${i}]`, reason: parsed.problem });
    else list.add(parsed);
  });
  if (dnc.file !== undefined) {
    const read = readDoNotContactFile(dnc.file);
    if (!read.ok)
      failures.push(...read.problems.map((reason) => ({ property: "doNotContact.file", reason })));
    else if (list.size === 0 && failures.length === 0)
      return { ok: true, list: read.list }; // its digest is known
    else
      for (const set of ["phones", "emails", "domains"] as const) {
        const kind = set === "phones" ? "phone" : set === "emails" ? "email" : "domain";
        for (const value of read.list[set]) list.add({ kind, value });
      }
  }
  return failures.length ? { ok: false, failures } : { ok: true, list };
}

/** How a campaign's audience looks to the list: its people (or why there are none to match). */
export interface AudienceView<T> {
  /** The declared people; "unknown" at preview; undefined while Pulumi does not manage them. */
  people: readonly T[] | "unknown" | undefined;
  keysOf: (person: T) => PersonKeys;
  /** Where person i is: a property path (`contacts[3]`, `contactsFile`) and a reason prefix (`row 40: `). */
  at: (i: number) => { property: string; prefix: string };
  /** `contacts[3]` or `contactsFile row 40`: how a log line names person i. */
  name: (i: number) => string;
  /** `contact` or `prospect`. */
  noun: string;
}

/**
 * The declared audience as check sees it, for either platform: the inline list (`contacts`,
 * `prospects`) or the people its file held (`contactsFile`, `prospectsFile`, read by the file's own
 * check, with their rows), "unknown" while any of it is unknown at preview, and where each person is
 * (`contacts[3]`, `contactsFile row 40`).
 */
export function declaredAudience<T>(
  inputs: Props,
  keys: { inline: string; file: string; noun: string },
  fromFile: { people?: T[]; rows?: number[] },
  keysOf: (person: T) => PersonKeys,
): AudienceView<T> {
  const rows = fromFile.rows;
  const inline = inputs[keys.file] === undefined;
  const declared: unknown = inline
    ? inputs[keys.inline]
    : (fromFile.people ?? (inputs[keys.file] === UNKNOWN ? UNKNOWN : undefined));
  const people =
    declared === undefined
      ? undefined
      : declared === UNKNOWN || !Array.isArray(declared) || containsUnknown(declared)
        ? ("unknown" as const)
        : (declared as T[]);
  return {
    people,
    keysOf,
    at: (i) =>
      inline
        ? { property: `${keys.inline}[${i}]`, prefix: "" }
        : { property: keys.file, prefix: `row ${rows![i]}: ` },
    name: (i) => (inline ? `${keys.inline}[${i}]` : `${keys.file} row ${rows![i]}`),
    noun: keys.noun,
  };
}

/**
 * The `doNotContact` part of `check`, on inputs the schema accepted: the list's digest and the two
 * counts added, or the failures (a bad file; with `onMatch: "fail"`, each match at its position).
 */
export function checkDoNotContact<T>(
  inputs: Props,
  audience: AudienceView<T>,
  label: string,
): { inputs: Props } | { failures: CheckFailure[] } {
  const raw = inputs.doNotContact;
  if (raw === undefined) return { inputs };
  if (!isRecord(raw) || containsUnknown(raw)) {
    return { inputs: { ...inputs, doNotContactCount: UNKNOWN, excludedByDoNotContact: UNKNOWN } };
  }
  const dnc = raw as unknown as CheckedDoNotContact;
  const resolved = resolveDoNotContact(dnc);
  if (!resolved.ok) return { failures: resolved.failures };
  const { list } = resolved;
  const out: Props = {
    ...inputs,
    doNotContact: { ...dnc, digest: list.digest },
    doNotContactCount: list.size,
  };
  const people = audience.people;
  if (people === "unknown") return { inputs: { ...out, excludedByDoNotContact: UNKNOWN } };
  if (people === undefined) {
    delete out.excludedByDoNotContact;
    return { inputs: out };
  }
  const matched = matchedPositions(list, people, audience.keysOf);
  if (dnc.onMatch === "fail" && matched.length) {
    const failures: CheckFailure[] = matched.slice(0, DO_NOT_CONTACT_REPORT_LIMIT).map((i) => {
      const { property, prefix } = audience.at(i);
      return {
        property,
        reason:
          `${prefix}is on the do-not-contact list, and doNotContact.onMatch is "fail": remove this ` +
          `${audience.noun}, or set onMatch "exclude" to leave such people out`,
      };
    });
    if (matched.length > DO_NOT_CONTACT_REPORT_LIMIT) {
      failures.push({
        property: audience.at(matched[DO_NOT_CONTACT_REPORT_LIMIT]).property,
        reason: `… and ${matched.length - DO_NOT_CONTACT_REPORT_LIMIT} more ${audience.noun}(s) on the do-not-contact list, not listed one by one`,
      });
    }
    return { failures };
  }
  if (matched.length) {
    const shown = matched.slice(0, DO_NOT_CONTACT_REPORT_LIMIT).map(audience.name);
    const more = matched.length > shown.length ? `, and ${matched.length - shown.length} more` : "";
    logInfo(
      `${label}: leaves out ${matched.length} ${audience.noun}(s) on the do-not-contact list: ${shown.join(", ")}${more}`,
    );
  }
  return { inputs: { ...out, excludedByDoNotContact: matched.length } };
}

/** The `doNotContact` part of outputs (and of the inputs a refresh hands back): echoed from inputs. */
export function doNotContactOutputs(inputs: {
  doNotContact?: unknown;
  doNotContactCount?: unknown;
  excludedByDoNotContact?: unknown;
}): Props {
  const out: Props = {};
  if (inputs.doNotContact === undefined) return out;
  out.doNotContact = inputs.doNotContact;
  if (typeof inputs.doNotContactCount === "number") out.doNotContactCount = inputs.doNotContactCount;
  if (typeof inputs.excludedByDoNotContact === "number")
    out.excludedByDoNotContact = inputs.excludedByDoNotContact;
  return out;
}

/**
 * diff's view of the list itself: declared or dropped, another file or onMatch, another number of
 * people left out. (Who is left out changes the audience's digest, which each platform compares.)
 */
export function doNotContactChanged(n: Props, o: Props): boolean {
  const nd = n.doNotContact;
  const od = o.doNotContact;
  if (nd === undefined || od === undefined) return nd !== od;
  if (!isRecord(nd) || !isRecord(od) || containsUnknown(nd)) return true;
  return (
    nd.file !== od.file ||
    (nd.onMatch ?? "exclude") !== (od.onMatch ?? "exclude") ||
    n.excludedByDoNotContact !== o.excludedByDoNotContact
  );
}
