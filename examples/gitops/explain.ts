/**
 * What the loader needs to explain a campaign file: where a property path is in the YAML text
 * (line and column), which keys each object of the inputs accepts, and the closest allowed key for
 * a misspelt one (`assistantID` → `assistantId`).
 */
import { type Document, LineCounter, isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import type { burki, woodpecker } from "pulumi-campaigns";

/** A path into the inputs, as zod reports it: `["contacts", 2, "phoneNumber"]`. */
export type PropertyPath = (string | number)[];

/** `contacts[2].phoneNumber`: the spelling of the provider's check failures. */
export function formatPath(path: PropertyPath): string {
  let out = "";
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out || "(inputs)";
}

/** The reverse of formatPath, for the provider's failures (which come as text). */
export function parsePath(property: string): PropertyPath {
  if (property === "(inputs)") return [];
  return [...property.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] !== undefined ? Number(m[2]) : m[1],
  );
}

// ---------------------------------------------------------------------------------------------
// The keys of each object. Typed against the package's public input types: adding an input to
// the provider's types without listing it here (or listing one it does not have) fails to compile.

/** An object with exactly these keys, a list of `items`, or `null`: any value (the check decides). */
export type Shape = { fields: Record<string, Shape | null> } | { items: Shape } | null;

const fieldsOf = <T>(fields: { [K in keyof Required<T>]-?: Shape | null }): Shape => ({
  fields: fields as Record<string, Shape | null>,
});
const listOf = (items: Shape): Shape => ({ items });

const contact = fieldsOf<burki.Contact>({ phoneNumber: null, name: null, variables: null });

/** `doNotContact` and its counts: the same input on both platforms (one public type). */
const DO_NOT_CONTACT_FIELDS = {
  doNotContact: fieldsOf<NonNullable<burki.CampaignInputs["doNotContact"]>>({
    entries: null,
    file: null,
    onMatch: null,
    digest: null,
  }),
  doNotContactCount: null,
  excludedByDoNotContact: null,
};

export const BURKI_SHAPE = fieldsOf<burki.CampaignInputs>({
  name: null,
  description: null,
  campaignType: null,
  assistantId: null,
  welcomeMessageTemplate: null,
  agendaTemplate: null,
  endCallMessageTemplate: null,
  smsMessageTemplate: null,
  maxAttempts: null,
  retryDelayMinutes: null,
  fallbackValues: null,
  variableMappings: null,
  contacts: listOf(contact),
  contactsFile: null,
  state: null,
  schedule: fieldsOf<burki.Schedule>({
    type: null,
    at: null,
    timezone: null,
    recurring: fieldsOf<burki.Recurring>({
      frequency: null,
      interval: null,
      daysOfWeek: null,
      dayOfMonth: null,
      time: null,
      timeZone: null,
      endDate: null,
    }),
  }),
  existingCampaignId: null,
  contactCount: null,
  ...DO_NOT_CONTACT_FIELDS,
});

const windows = listOf(fieldsOf<woodpecker.TimeWindow>({ from: null, to: null }));

const step = fieldsOf<woodpecker.CampaignStep>({
  type: null,
  delay: fieldsOf<woodpecker.StepDelay>({ value: null, unit: null }),
  deliveryTime: fieldsOf<woodpecker.DeliveryTime>({
    monday: windows,
    tuesday: windows,
    wednesday: windows,
    thursday: windows,
    friday: windows,
    saturday: windows,
    sunday: windows,
  }),
  versions: listOf(
    fieldsOf<woodpecker.StepVersion>({ subject: null, message: null, signature: null, trackOpens: null }),
  ),
  actionType: null,
  linkedinAccountId: null,
});

const prospect = fieldsOf<woodpecker.Prospect>({
  email: null,
  firstName: null,
  lastName: null,
  company: null,
  website: null,
  linkedinUrl: null,
  tags: null,
  title: null,
  phone: null,
  address: null,
  city: null,
  state: null,
  country: null,
  industry: null,
  snippet1: null,
  snippet2: null,
  snippet3: null,
  snippet4: null,
  snippet5: null,
  snippet6: null,
  snippet7: null,
  snippet8: null,
  snippet9: null,
  snippet10: null,
  snippet11: null,
  snippet12: null,
  snippet13: null,
  snippet14: null,
  snippet15: null,
});

export const WOODPECKER_SHAPE = fieldsOf<woodpecker.CampaignInputs>({
  name: null,
  emailAccountIds: null,
  settings: fieldsOf<woodpecker.CampaignSettings>({
    timezone: null,
    dailyEnroll: null,
    prospectTimezone: null,
    gdprUnsubscribe: null,
    listUnsubscribe: null,
    openDisabledList: null,
    autoPauseProspectFromDomain: null,
    catchAllVerificationMode: null,
  }),
  steps: listOf(step),
  bounceShieldThreshold: null,
  state: null,
  workflow: null,
  existingCampaignId: null,
  prospects: listOf(prospect),
  prospectsFile: null,
  force: null,
  onProspectRefused: null,
  prospectCount: null,
  ...DO_NOT_CONTACT_FIELDS,
});

export interface UnknownKey {
  /** The path of the key itself (`contacts[0].phone`), or of its object when the key is not shown. */
  path: PropertyPath;
  /** The key as written; undefined when it is not shown (it does not look like a field name). */
  key?: string;
  /** The path of the object that holds it. */
  parent: PropertyPath;
  allowed: string[];
  suggestion?: string;
}

/**
 * A key that does not look like a field name is not repeated in messages: a misplaced phone
 * number or email address as a key (`- "+15551234567": Sam`) is personal data.
 */
const SHOWABLE_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;

/** Every key of `value` that its shape does not accept, in the order of the file. */
export function findUnknownKeys(value: unknown, shape: Shape, at: PropertyPath = []): UnknownKey[] {
  if (!shape) return [];
  if ("items" in shape) {
    return Array.isArray(value) ? value.flatMap((v, i) => findUnknownKeys(v, shape.items, [...at, i])) : [];
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return [];
  const allowed = Object.keys(shape.fields);
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]): UnknownKey[] => {
    if (Object.prototype.hasOwnProperty.call(shape.fields, k))
      return findUnknownKeys(v, shape.fields[k], [...at, k]);
    const shown = SHOWABLE_KEY.test(k);
    return [
      {
        path: [...at, k],
        key: shown ? k : undefined,
        parent: at,
        allowed,
        suggestion: shown ? suggestKey(k, allowed) : undefined,
      },
    ];
  });
}

/** Drop the keys listed (in place). Called on the loader's own copy of the file's content. */
export function dropKeys(value: unknown, keys: UnknownKey[]): void {
  for (const u of keys) {
    let obj: unknown = value;
    for (const seg of u.parent) obj = (obj as Record<string | number, unknown>)[seg];
    delete (obj as Record<string, unknown>)[String(u.path[u.path.length - 1])];
  }
}

const normalized = (k: string) => k.toLowerCase().replace(/[-_\s]/g, "");

/**
 * The allowed key a misspelt `key` most likely meant: the same key up to case and `_`/`-`
 * (`assistantID`, `assistant_id`), else the closest by edit distance (adjacent swaps count as
 * one edit) within a third of the key's length, else the only key that starts with it (`phone` →
 * `phoneNumber`). Undefined when nothing is close.
 */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const k = normalized(key);
  const same = allowed.find((a) => normalized(a) === k);
  if (same) return same;
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(k.length / 3)) + 1;
  for (const a of allowed) {
    const d = editDistance(k, normalized(a));
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  if (best) return best;
  const prefixed = k.length >= 4 ? allowed.filter((a) => normalized(a).startsWith(k)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------------------------
// Positions.

export interface Position {
  line: number;
  column: number;
}

/**
 * Where `path` is in the file: the key of the field (`phoneNumber:`), the item of a list (`- …`),
 * or, for something the file does not have (a missing required field), the mapping that should
 * hold it. Undefined only for a document without content.
 */
export function locate(doc: Document, lines: LineCounter, path: PropertyPath): Position | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const seg of path) {
    while (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number" && seg < node.items.length) {
      node = node.items[seg];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offsetPosition(lines, offset);
}

export function offsetPosition(lines: LineCounter, offset: number | undefined): Position | undefined {
  if (offset === undefined) return undefined;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
