/**
 * Property-based tests of both resources' `check` (fast-check), called straight from source, plus
 * a protocol-level sample through the SDK's real dynamic-provider host.
 *
 * Inputs: valid ones built from the documented limits, the same with 1–3 mutations (wrong types,
 * out-of-range numbers, bad phone numbers, bad HH:mm, too many steps / windows / versions, missing
 * and extra keys, nested nonsense, the engine's unknown sentinel at random places, Burki schedule
 * mistakes, Woodpecker prospect mistakes), and arbitrary JSON objects. Valid inputs carry Burki's
 * `schedule` (immediate, scheduled, recurring; times from 2030 on) and Woodpecker's `prospects`
 * and `force`. Properties:
 * - `check` never throws;
 * - it returns inputs or failures, never both, never neither; every failure is
 *   `{property: non-empty string, reason: non-empty string}` and its property is a path into the
 *   given input, "(inputs)", or a documented key of an object that is in the input (a missing field);
 * - no failure sits on, under or above an unknown value (those are checked again at apply time);
 * - a valid input passes, and checking the checked inputs again gives the same inputs (idempotent);
 * - a valid input with unknown values in it is not failed (preview);
 * - through the real host, invalid inputs get the same failures and no request reaches the emulators.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as path from "node:path";
import { check as burkiCheck, diff as burkiDiff } from "../../provider/burki/lifecycle";
import { contactsDigest } from "../../provider/burki/mapping";
import { burkiCampaignSchema } from "../../provider/burki/schema";
import { completeInputs } from "../../provider/core/provider-kit";
import { containsUnknown, formatPath, UNKNOWN } from "../../provider/core/validation";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { check as woodpeckerCheck, diff as woodpeckerDiff } from "../../provider/woodpecker/lifecycle";
import { prospectsDigest } from "../../provider/woodpecker/prospects";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import { installedProviderTexts, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import type { ProviderHost } from "../helpers/provider-host";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Seg = string | number;

const ROOT = path.resolve(__dirname, "../..");
const NUM_RUNS = 300;
const SEED = 4242;

// ---------------------------------------------------------------------------------------------
// Paths

/** Every node of `v` (the root included) as a path of segments. */
function nodePaths(v: unknown, at: Seg[] = []): Seg[][] {
  const out: Seg[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...nodePaths(x, [...at, i])));
  else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) out.push(...nodePaths(x, [...at, k]));
  }
  return out;
}

function at(v: unknown, p: Seg[]): unknown {
  let cur = v as Json;
  for (const s of p) cur = cur?.[s];
  return cur;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const BURKI_KEYS = [
  "name",
  "description",
  "campaignType",
  "assistantId",
  "welcomeMessageTemplate",
  "agendaTemplate",
  "endCallMessageTemplate",
  "smsMessageTemplate",
  "maxAttempts",
  "retryDelayMinutes",
  "fallbackValues",
  "variableMappings",
  "contacts",
  "state",
  "existingCampaignId",
  "phoneNumber",
  "variables",
  "schedule",
  "contactCount",
  "type",
  "at",
  "timezone",
  "recurring",
  "frequency",
  "interval",
  "daysOfWeek",
  "dayOfMonth",
  "time",
  "timeZone",
  "endDate",
];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const WOODPECKER_KEYS = [
  "name",
  "emailAccountIds",
  "settings",
  "steps",
  "bounceShieldThreshold",
  "state",
  "workflow",
  "existingCampaignId",
  "timezone",
  "dailyEnroll",
  "prospectTimezone",
  "gdprUnsubscribe",
  "listUnsubscribe",
  "openDisabledList",
  "autoPauseProspectFromDomain",
  "catchAllVerificationMode",
  "type",
  "delay",
  "value",
  "unit",
  "deliveryTime",
  "versions",
  "actionType",
  "linkedinAccountId",
  "subject",
  "message",
  "signature",
  "trackOpens",
  "from",
  "to",
  ...WEEKDAYS,
  "prospects",
  "force",
  "prospectCount",
  "email",
  "firstName",
  "lastName",
  "company",
  "website",
  "linkedinUrl",
  "tags",
  "phone",
  "address",
  "city",
  "country",
  "industry",
  ...Array.from({ length: 15 }, (_, i) => `snippet${i + 1}`),
];

/** What a failure's `property` may be for `input`. */
function allowedProperties(input: Json, documented: readonly string[]): Set<string> {
  const out = new Set<string>(["(inputs)"]);
  for (const p of nodePaths(input)) {
    if (p.length) out.add(formatPath(p));
    const node = at(input, p);
    if (isObject(node)) for (const k of documented) out.add(formatPath([...p, k]));
  }
  return out;
}

/**
 * Is failure path `a` at or inside unknown value `b`? Failures on an enclosing object or array
 * are allowed: an unknown property name or an array's length is known even when a value inside is
 * not (the provider keeps those, so a preview still reports `maxAttempt` or 17 steps).
 */
const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);

/** The invariants of any `check` answer. */
function expectWellFormed(
  input: Json,
  result: { inputs?: Json; failures?: Array<{ property: unknown; reason: unknown }> },
  documented: readonly string[],
): void {
  const hasFailures = result.failures !== undefined;
  expect(hasFailures !== (result.inputs !== undefined), "exactly one of inputs / failures").to.equal(true);
  if (!hasFailures) return;
  expect(result.failures, "failures, when present, are not empty").to.not.deep.equal([]);
  const allowed = allowedProperties(input, documented);
  const unknowns = nodePaths(input)
    .filter((p) => at(input, p) === UNKNOWN)
    .map((p) => (p.length ? formatPath(p) : "(inputs)"));
  for (const f of result.failures!) {
    expect(Object.keys(f).sort()).to.deep.equal(["property", "reason"]);
    expect(f.property).to.be.a("string").and.not.equal("");
    expect(f.reason).to.be.a("string").and.not.match(/^\s*$/);
    expect(
      allowed.has(f.property as string),
      `"${String(f.property)}" is not a path into the input`,
    ).to.equal(true);
    for (const u of unknowns) {
      expect(
        related(f.property as string, u),
        `failure ${String(f.property)} touches the unknown ${u}`,
      ).to.equal(false);
    }
  }
}

const sortKeys = (v: unknown): Json =>
  Array.isArray(v)
    ? v.map(sortKeys)
    : isObject(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortKeys(v[k])]),
        )
      : v;

const sortFailures = (fs: Array<{ property: string; reason: string }>) =>
  [...fs].sort((a, b) => (a.property + a.reason < b.property + b.reason ? -1 : 1));

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as Json;

// ---------------------------------------------------------------------------------------------
// Arbitraries: valid inputs

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const text = (max: number) => fc.string({ maxLength: max });
const nonEmpty = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim() !== "");
/** Template text without braces: a random `{{` or `}}` is a template mistake check rightly fails. */
const noBraces = (s: string) => s.replace(/[{}]/g, "~");
const templateText = (max: number) => text(max).map(noBraces);
const templateNonEmpty = (max: number) => nonEmpty(max).map(noBraces);
/** Drop undefined members (what the wire does). */
const clean = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const e164 = fc
  .tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,14}$/))
  .map(([c, rest]) => `+${c}${rest}`);
const RESERVED = new Set(["phone", "phone_number", "mobile", "cell", "name", "full_name", "contact_name"]);
const variableName = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/)
  .filter((k) => !RESERVED.has(k.toLowerCase()));
const stringMap = fc.dictionary(nonEmpty(8), text(12), { maxKeys: 3, noNullPrototype: true });

const burkiContact = fc
  .record({
    phoneNumber: e164,
    name: opt(text(30)),
    variables: opt(fc.dictionary(variableName, text(10), { maxKeys: 3, noNullPrototype: true })),
  })
  .map(clean);

const ZONES = ["Europe/Warsaw", "UTC", "America/New_York", "Asia/Tokyo", "Australia/Sydney"];
const pad = (n: number) => String(n).padStart(2, "0");
/** A calendar date from 2030 on (far enough in the future that a test run never sees it pass). */
const futureDate = fc
  .tuple(
    fc.integer({ min: 2030, max: 2040 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
/** A future ISO 8601 time: UTC, with an offset, or without one (read in the schedule's zone). */
const futureAt = fc
  .tuple(
    futureDate,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.constantFrom("Z", "+02:00", "-05:30", "", ":00", ":30.5Z"),
  )
  .map(([d, h, mi, tail]) => `${d}T${pad(h)}:${pad(mi)}${tail}`);
const hhmmOf = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);
const recurring = fc
  .constantFrom("daily", "weekly", "monthly")
  .chain((frequency) =>
    fc.record({
      frequency: fc.constant(frequency),
      interval: opt(fc.integer({ min: 1, max: 365 })),
      daysOfWeek:
        frequency === "weekly"
          ? fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 })
          : fc.constant(undefined),
      dayOfMonth: frequency === "monthly" ? fc.integer({ min: 1, max: 31 }) : fc.constant(undefined),
      time: hhmmOf,
      timeZone: opt(fc.constantFrom(...ZONES)),
      endDate: opt(futureDate),
    }),
  )
  .map(clean);
/** `schedule`, all three types (reference/burki-api.md §3.5). */
const burkiSchedule: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ type: fc.constant("immediate"), timezone: opt(fc.constantFrom(...ZONES)) }).map(clean),
  fc
    .record({ type: fc.constant("scheduled"), at: futureAt, timezone: opt(fc.constantFrom(...ZONES)) })
    .map(clean),
  fc
    .record({
      type: fc.constant("recurring"),
      at: opt(futureAt),
      timezone: opt(fc.constantFrom(...ZONES)),
      recurring,
    })
    .map(clean),
);

const validBurki: fc.Arbitrary<Json> = fc
  .record({
    name: nonEmpty(60),
    description: opt(text(40)),
    campaignType: fc.constantFrom("call", "sms", "mixed"),
    assistantId: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    welcomeMessageTemplate: opt(templateText(60)),
    agendaTemplate: opt(templateText(30)),
    endCallMessageTemplate: opt(templateText(30)),
    smsMessageTemplate: opt(templateText(30)),
    maxAttempts: opt(fc.integer({ min: 1, max: 10 })),
    retryDelayMinutes: opt(fc.integer({ min: 5, max: 1440 })),
    fallbackValues: opt(stringMap),
    variableMappings: opt(stringMap),
    contacts: opt(
      fc.uniqueArray(burkiContact, { minLength: 1, maxLength: 4, selector: (c) => c.phoneNumber }),
    ),
    state: opt(fc.constantFrom("draft", "running", "paused")),
    existingCampaignId: opt(fc.integer({ min: 1, max: 1e9 })),
    schedule: opt(burkiSchedule),
  })
  .map((v) => {
    const out = clean(v);
    // Running needs contacts (or an adopted campaign that may have them).
    if (out.state === "running" && !out.contacts && out.existingCampaignId === undefined) out.state = "draft";
    // Burki starts a timed schedule by itself: "draft" and "paused" contradict it.
    const timed = (out.schedule as Json)?.type !== undefined && (out.schedule as Json).type !== "immediate";
    if (timed && (out.state === "draft" || out.state === "paused")) delete out.state;
    return out;
  });

const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const window = fc
  .uniqueArray(fc.integer({ min: 0, max: 24 * 60 - 1 }), { minLength: 2, maxLength: 2 })
  .map(([a, b]) => ({ from: hhmm(Math.min(a, b)), to: hhmm(Math.max(a, b)) }));
const deliveryTime = fc.dictionary(
  fc.constantFrom(...WEEKDAYS),
  fc.array(window, { minLength: 1, maxLength: 3 }),
  {
    minKeys: 1,
    maxKeys: 7,
    noNullPrototype: true,
  },
);
const version = (needsSubject: boolean) =>
  fc
    .record({
      subject: needsSubject ? templateNonEmpty(40) : opt(templateText(40)),
      message: templateNonEmpty(80),
      signature: opt(fc.constantFrom("SENDER", "NO_SIGNATURE")),
      trackOpens: opt(fc.boolean()),
    })
    .map(clean);
const emailStep = (first: boolean) =>
  fc
    .record({
      type: opt(fc.constant("email")),
      delay: opt(
        fc.record({ value: fc.integer({ min: 1, max: 30 }), unit: fc.constantFrom("minute", "hour", "day") }),
      ),
      deliveryTime: opt(deliveryTime),
      versions: fc.array(version(first), { minLength: 1, maxLength: 5 }),
    })
    .map(clean);
const linkedinStep = fc.record({
  type: fc.constant("linkedin"),
  versions: fc.array(fc.record({ message: templateNonEmpty(40) }), { minLength: 1, maxLength: 2 }),
  actionType: fc.constantFrom("CONNECTION_REQUEST", "VISIT_PROFILE", "DIRECT_MESSAGE"),
  linkedinAccountId: fc.integer({ min: 1, max: 1e6 }),
});
const steps = fc
  .tuple(
    fc.array(linkedinStep, { maxLength: 2 }),
    emailStep(true),
    fc.array(fc.oneof(emailStep(false), linkedinStep), { maxLength: 6 }),
  )
  .map(([before, first, rest]) => [...before, first, ...rest].slice(0, 16));

const email = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,11}$/),
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,9}$/),
    fc.constantFrom("com", "org", "example", "co.uk"),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);
const tag = fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/);
const prospect = fc
  .record({
    email,
    firstName: opt(text(20)),
    lastName: opt(text(20)),
    company: opt(text(30)),
    website: opt(fc.constantFrom("https://example.com", "example.org")),
    title: opt(text(20)),
    city: opt(text(12)),
    tags: opt(fc.array(tag, { maxLength: 3 })),
    snippet1: opt(text(40)),
    snippet15: opt(text(40)),
  })
  .map(clean);
/** `prospects`: unique emails (Woodpecker matches them case-insensitively). */
const prospects = fc.uniqueArray(prospect, {
  minLength: 1,
  maxLength: 5,
  selector: (p) => String(p.email).toLowerCase(),
});

const validWoodpecker: fc.Arbitrary<Json> = fc
  .record({
    name: nonEmpty(80),
    emailAccountIds: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 4 }),
    settings: fc
      .record({
        timezone: fc.constantFrom(
          "Europe/Warsaw",
          "UTC",
          "America/New_York",
          "Asia/Tokyo",
          "Australia/Sydney",
        ),
        dailyEnroll: opt(fc.integer({ min: 1, max: 500 })),
        prospectTimezone: opt(fc.boolean()),
        gdprUnsubscribe: opt(fc.boolean()),
        listUnsubscribe: opt(fc.boolean()),
        openDisabledList: opt(fc.array(nonEmpty(12), { maxLength: 3 })),
        autoPauseProspectFromDomain: opt(fc.boolean()),
        catchAllVerificationMode: opt(fc.constantFrom("BALANCED", "MAXIMUM", "NONE", "ONLY_VERIFY")),
      })
      .map(clean),
    steps,
    bounceShieldThreshold: opt(fc.integer({ min: 1, max: 99 })),
    state: opt(fc.constantFrom("draft", "running", "paused", "stopped")),
    workflow: opt(nonEmpty(20)),
    existingCampaignId: opt(fc.integer({ min: 1, max: 1e9 })),
    prospects: opt(prospects),
    force: opt(fc.boolean()),
  })
  .map(clean);

// ---------------------------------------------------------------------------------------------
// Arbitraries: mutations

const nonsense = fc.oneof(
  fc.constant(UNKNOWN),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1.5,
    1e12,
    "",
    " ",
    "x".repeat(300),
    [],
    {},
    "25:00",
    "8:00",
    "12:60",
    "+0123",
    "555 0100",
    "+1 555 123 4567",
    "15551234567",
    { a: { b: [1, { c: null }] } },
    [[[]]],
  ),
);

type Mutation = (v: Json) => void;

/** 1–3 mutations of a valid input (chosen among the nodes it actually has). */
function mutated(valid: fc.Arbitrary<Json>, tooMany: (v: Json) => Mutation[]): fc.Arbitrary<Json> {
  return valid.chain((v) => {
    const paths = nodePaths(v).filter((p) => p.length > 0);
    const objects = nodePaths(v).filter((p) => isObject(at(v, p)));
    const replace = fc.tuple(fc.constantFrom(...paths), nonsense).map(
      ([p, x]): Mutation =>
        (o) =>
          setAt(o, p, x),
    );
    const remove = fc.constantFrom(...paths).map(
      (p): Mutation =>
        (o) =>
          deleteAt(o, p),
    );
    const extra = fc
      .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 10 }), nonsense)
      .map(([p, k, x]): Mutation => (o) => {
        const target = at(o, p);
        if (isObject(target) && k !== "__proto__") target[k] = x;
      });
    const many = tooMany(v);
    const kinds = [replace, remove, extra, ...(many.length ? [fc.constantFrom(...many)] : [])];
    return fc.array(fc.oneof(...kinds), { minLength: 1, maxLength: 3 }).map((ms) => {
      const o = structuredClone(v);
      for (const m of ms) {
        try {
          m(o);
        } catch {
          // an earlier mutation removed what this one edits: skip it
        }
      }
      return o;
    });
  });
}

/** Replace an existing member (never a hole: an earlier mutation may have shortened an array). */
function setAt(o: Json, p: Seg[], x: unknown): void {
  const parent = at(o, p.slice(0, -1)) as Json;
  const k = p[p.length - 1];
  if (parent !== null && typeof parent === "object" && Object.prototype.hasOwnProperty.call(parent, k)) {
    parent[k] = structuredClone(x);
  }
}
function deleteAt(o: Json, p: Seg[]): void {
  const parent = at(o, p.slice(0, -1)) as Json;
  if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
  else if (parent !== null && typeof parent === "object") delete parent[p[p.length - 1]];
}

/** Schedule mistakes: a time in the past, a missing or misplaced field, a bad zone or calendar date. */
const SCHEDULE_MISTAKES: Mutation[] = [
  (o) => (o.schedule = { type: "scheduled", at: "2001-01-01T09:00:00Z" }),
  (o) => (o.schedule = { type: "scheduled" }),
  (o) => (o.schedule = { type: "immediate", at: "2031-01-01T09:00:00Z" }),
  (o) => (o.schedule = { type: "recurring" }),
  (o) => (o.schedule = { type: "weekly", at: "2031-01-01T09:00:00Z" }),
  (o) => (o.schedule = { type: "scheduled", at: "2031-02-30T09:00:00Z" }),
  (o) => (o.schedule = { type: "scheduled", at: "next Tuesday" }),
  (o) => (o.schedule = { type: "scheduled", at: "2031-01-01T09:00", timezone: "Mars/Olympus" }),
  (o) => (o.schedule = { type: "recurring", recurring: { frequency: "weekly", time: "09:00" } }),
  (o) =>
    (o.schedule = { type: "recurring", recurring: { frequency: "monthly", time: "9:00", dayOfMonth: 1 } }),
  (o) =>
    (o.schedule = {
      type: "recurring",
      recurring: { frequency: "daily", time: "09:00", daysOfWeek: [1], endDate: "2001-12-31" },
    }),
  (o) =>
    (o.schedule = {
      type: "recurring",
      recurring: { frequency: "weekly", time: "09:00", daysOfWeek: [1, 1, 8] },
    }),
  (o) => {
    o.schedule = { type: "scheduled", at: "2031-01-01T09:00:00Z" };
    o.state = "paused";
  },
  (o) => (o.schedule = { type: "scheduled", at: "2031-01-01T09:00:00Z", recurring: { frequency: "daily" } }),
];
/** Prospect mistakes: bad or duplicate emails, unknown fields, bad tags, an empty list, a wrong count. */
const PROSPECT_MISTAKES: Mutation[] = [
  (o) => (o.prospects = []),
  (o) => (o.prospects = [{ email: "not an email" }]),
  (o) => (o.prospects = [{ firstName: "no email" }]),
  (o) => (o.prospects = [{ email: "a@example.com" }, { email: "A@Example.com" }]),
  (o) => (o.prospects = [{ email: "a@example.com", tags: ["#vip"] }]),
  (o) => (o.prospects = [{ email: "a@example.com", first_name: "A" }]),
  (o) => (o.prospects = [{ email: "a@example.com", snippet16: "x" }]),
  (o) => (o.prospects = [{ email: "a@example.com", company: "c".repeat(256) }]),
  (o) => (o.prospects = [{ email: "a@example.com" }, "b@example.com"]),
  (o) => (o.prospectCount = (o.prospects?.length ?? 0) + 1),
  (o) => (o.force = "yes"),
  (o) => {
    // A step uses {{FIRST_NAME}} without a fallback and a prospect has no first name.
    o.steps[0].versions[0].message = "<p>Hi {{FIRST_NAME}}</p>";
    o.prospects = [{ email: "a@example.com" }];
  },
];
const burkiTooMany = (v: Json): Mutation[] => [
  (o) => (o.maxAttempts = 11),
  (o) => (o.retryDelayMinutes = 4),
  (o) => (o.name = "n".repeat(201)),
  ...(v.contacts
    ? [
        (o: Json) => o.contacts.push({ ...o.contacts[0] }), // duplicate phone number
        (o: Json) => (o.contacts[0].phoneNumber = "555 0100"),
        (o: Json) => (o.contacts[0].variables = { phone: "x", "1abc": "y" }),
      ]
    : []),
  ...SCHEDULE_MISTAKES,
];
const woodpeckerTooMany = (v: Json): Mutation[] => [
  (o) => (o.steps = Array.from({ length: 17 }, () => structuredClone(o.steps[0]))),
  (o) => (o.steps[0].versions = Array.from({ length: 6 }, () => ({ subject: "s", message: "m" }))),
  (o) =>
    (o.steps[0].deliveryTime = {
      monday: ["08:00", "10:00", "12:00", "14:00"].map((from) => ({ from, to: from.replace(/:00$/, ":30") })),
    }),
  (o) => (o.steps[0].deliveryTime = { tuesday: [{ from: "18:00", to: "08:00" }] }),
  (o) => (o.settings.dailyEnroll = 501),
  (o) => (o.settings.timezone = "Mars/Olympus"),
  (o) => (o.bounceShieldThreshold = 100),
  (o) => (o.emailAccountIds = [1, 1]),
  ...(v.steps.length ? [(o: Json) => (o.steps = [])] : []),
  ...PROSPECT_MISTAKES,
  ...(v.prospects
    ? [
        (o: Json) => o.prospects.push({ ...o.prospects[0] }), // duplicate email
        (o: Json) => (o.prospects[0].email = `${o.prospects[0].email} `.repeat(2)),
      ]
    : []),
];

/** A valid input with 1–3 of its leaves replaced by the unknown sentinel. */
function withUnknowns(valid: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return valid.chain((v) => {
    const leaves = nodePaths(v).filter((p) => p.length > 0);
    return fc.uniqueArray(fc.constantFrom(...leaves), { minLength: 1, maxLength: 3 }).map((ps) => {
      const o = structuredClone(v);
      for (const p of ps) setAt(o, p, UNKNOWN);
      return o;
    });
  });
}

/**
 * A valid input and the same input with any subset of its leaves (none, some or all) replaced by
 * the unknown sentinel, as a preview sends it when those values depend on resources not created yet.
 */
function withAnyUnknownLeaves(valid: fc.Arbitrary<Json>): fc.Arbitrary<{ known: Json; partial: Json }> {
  return valid.chain((v) => {
    const leaves = nodePaths(v).filter((p) => {
      const node = at(v, p);
      return p.length > 0 && (node === null || typeof node !== "object");
    });
    return fc.subarray(leaves).map((ps) => {
      const o = structuredClone(v);
      for (const p of ps) setAt(o, p, UNKNOWN);
      return { known: v, partial: o };
    });
  });
}

const PROVIDER = "exports.handler = () => ({});"; // what `__provider` carries; check ignores it

interface Subject {
  title: string;
  check: typeof burkiCheck;
  diff: typeof burkiDiff;
  /** What the last `up` of these checked inputs left as outputs (a campaign that matches them). */
  outputsOf: (inputs: Json) => Json;
  /** Checked inputs as the methods after check use them: the defaults check left out filled back. */
  complete: (inputs: Json) => Json;
  valid: fc.Arbitrary<Json>;
  invalid: fc.Arbitrary<Json>;
  documented: readonly string[];
}

const BURKI_STATUS: Record<string, string> = { running: "running", paused: "paused", draft: "draft" };
const WOODPECKER_STATUS: Record<string, string> = {
  running: "RUNNING",
  paused: "PAUSED",
  stopped: "STOPPED",
  draft: "DRAFT",
};

const SUBJECTS: Subject[] = [
  {
    title: "burki.Campaign",
    check: burkiCheck,
    diff: burkiDiff,
    complete: (i) => completeInputs(burkiCampaignSchema, i) as Json,
    outputsOf: (i) => ({
      ...(completeInputs(burkiCampaignSchema, i) as Json),
      campaignId: 41,
      status: BURKI_STATUS[i.state ?? "draft"],
      contactsDigest: contactsDigest(i.contacts),
      ...(i.existingCampaignId !== undefined ? { campaignId: i.existingCampaignId } : {}),
    }),
    valid: validBurki,
    invalid: mutated(validBurki, burkiTooMany),
    documented: BURKI_KEYS,
  },
  {
    title: "woodpecker.Campaign",
    check: woodpeckerCheck,
    diff: woodpeckerDiff,
    complete: (i) => completeInputs(woodpeckerCampaignSchema, i) as Json,
    outputsOf: (i) => ({
      ...(completeInputs(woodpeckerCampaignSchema, i) as Json),
      campaignId: i.existingCampaignId ?? 41,
      status: WOODPECKER_STATUS[i.state ?? "draft"],
      ...(i.prospects !== undefined ? { prospectsDigest: prospectsDigest(i.prospects) } : {}),
    }),
    valid: validWoodpecker,
    invalid: mutated(validWoodpecker, woodpeckerTooMany),
    documented: WOODPECKER_KEYS,
  },
];

describe("property: check of both resources", function () {
  this.timeout(120_000);

  for (const s of SUBJECTS) {
    describe(s.title, () => {
      const anyInput = fc.oneof(
        s.valid,
        s.invalid,
        withUnknowns(s.invalid),
        fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
      );

      it("never throws; answers inputs xor well-formed failures whose paths lead into the input", async () => {
        await fc.assert(
          fc.asyncProperty(anyInput, async (input) => {
            const r = await s.check({}, { ...input, __provider: PROVIDER });
            expectWellFormed(input, r, s.documented);
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
      });

      it("never throws on arbitrary values either (fc.anything at the top and inside)", async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 3 }), { maxKeys: 6 }),
            async (input) => {
              const r = await s.check({}, input);
              expect(r.inputs !== undefined || r.failures !== undefined).to.equal(true);
            },
          ),
          { numRuns: 100, seed: SEED },
        );
      });

      it("valid inputs pass, and checking the checked inputs again gives the same inputs", async () => {
        await fc.assert(
          fc.asyncProperty(s.valid, async (input) => {
            const first = await s.check({}, { ...input, __provider: PROVIDER });
            expect(first.failures, JSON.stringify(first.failures)).to.equal(undefined);
            const again = await s.check({}, json(first.inputs));
            expect(again.failures, JSON.stringify(again.failures)).to.equal(undefined);
            expect(json(again.inputs)).to.deep.equal(json(first.inputs));
            expect(first.inputs).to.not.have.property("__provider");
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
      });

      it("mutated inputs with real mistakes fail; none of the failures touches an unknown value", async () => {
        let failed = 0;
        await fc.assert(
          fc.asyncProperty(fc.oneof(s.invalid, withUnknowns(s.invalid)), async (input) => {
            const r = await s.check({}, input);
            expectWellFormed(input, r, s.documented);
            if (r.failures) failed++;
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
        // The mutations are mostly real mistakes: most of them must be caught.
        expect(failed).to.be.greaterThan(NUM_RUNS / 2);
      });

      it("any subset of leaves unknown: check and diff never throw, defaults are filled, and diff replaces only fields that hold a sentinel", async () => {
        let replaced = 0;
        await fc.assert(
          fc.asyncProperty(withAnyUnknownLeaves(s.valid), async ({ known, partial }) => {
            const before = await s.check({}, { ...known, __provider: PROVIDER });
            const olds = s.outputsOf(json(before.inputs));
            // A create at preview: no olds.
            const created = await s.check({}, { ...partial, __provider: PROVIDER });
            expect(created.failures, JSON.stringify(created.failures)).to.equal(undefined);
            // Every default the known input gets is there once filled back (as diff, create and update
            // do), or an unknown stands in its place.
            const filled = s.complete(json(created.inputs));
            for (const k of Object.keys(s.complete(json(before.inputs)))) expect(filled).to.have.property(k);
            // An update at preview: olds = the old inputs; only the workflow rule may refuse it.
            const updated = await s.check(json(before.inputs), { ...partial, __provider: PROVIDER });
            for (const f of updated.failures ?? []) expect(f.property).to.equal("workflow");
            const d = await s.diff("41", olds, created.inputs!);
            const holdingSentinel = Object.keys(partial).filter((k) => containsUnknown(partial[k]));
            expect(d.replaces ?? [], JSON.stringify(partial)).to.satisfy((rs: string[]) =>
              rs.every((r) => holdingSentinel.includes(r)),
            );
            if (holdingSentinel.length === 0) expect(d.changes, JSON.stringify(d)).to.equal(false);
            else expect(d.changes).to.equal(true);
            if (d.replaces?.length) replaced++;
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
        // Unknown replace fields do come up: the property is not vacuous.
        expect(replaced).to.be.greaterThan(0);
      });

      it("a valid input with unknown values in it is not failed (preview)", async () => {
        await fc.assert(
          fc.asyncProperty(withUnknowns(s.valid), async (input) => {
            const r = await s.check({}, input);
            expect(r.failures, JSON.stringify(r.failures)).to.equal(undefined);
          }),
          { numRuns: NUM_RUNS, seed: SEED },
        );
      });
    });
  }

  it("the valid inputs cover every schedule type and prospects (+ force), and count the prospects", async () => {
    const burkiSamples = fc.sample(validBurki, { numRuns: NUM_RUNS, seed: SEED });
    const types = new Set(burkiSamples.map((v) => v.schedule?.type).filter(Boolean));
    expect([...types].sort()).to.deep.equal(["immediate", "recurring", "scheduled"]);
    const frequencies = new Set(burkiSamples.map((v) => v.schedule?.recurring?.frequency).filter(Boolean));
    expect([...frequencies].sort()).to.deep.equal(["daily", "monthly", "weekly"]);
    const woodpeckerSamples = fc.sample(validWoodpecker, { numRuns: NUM_RUNS, seed: SEED });
    const withProspects = woodpeckerSamples.filter((v) => v.prospects);
    expect(withProspects.length).to.be.greaterThan(NUM_RUNS / 4);
    expect(new Set(woodpeckerSamples.map((v) => String(v.force)))).to.have.all.keys(
      "true",
      "false",
      "undefined",
    );
    for (const v of withProspects.slice(0, 50)) {
      const r = await woodpeckerCheck({}, v);
      expect(r.inputs, JSON.stringify(r.failures)).to.include({ prospectCount: v.prospects.length });
    }
  });

  it("every schedule and prospect mistake fails, at the field it concerns", async () => {
    const cases: Array<[string, Mutation[], fc.Arbitrary<Json>, typeof burkiCheck, RegExp]> = [
      ["schedule", SCHEDULE_MISTAKES, validBurki, burkiCheck, /^(schedule\b|state$)/],
      [
        "prospects",
        PROSPECT_MISTAKES,
        validWoodpecker,
        woodpeckerCheck,
        /^(prospects\b|prospectCount$|force$)/,
      ],
    ];
    for (const [what, mistakes, valid, check, where] of cases) {
      const samples = fc.sample(valid, { numRuns: 20, seed: SEED });
      for (const [i, mistake] of mistakes.entries()) {
        for (const v of samples) {
          const o = structuredClone(v);
          mistake(o);
          const r = await check({}, o);
          const label = `${what} mistake #${i}: ${JSON.stringify(o)}`;
          expect(r.failures, label).to.not.equal(undefined);
          expect(
            r.failures!.some((f) => where.test(f.property)),
            `${label}: ${JSON.stringify(r.failures)}`,
          ).to.equal(true);
        }
      }
    }
  });

  // Bug: provider/core/validation.ts `validate` reports `issue.message` only. For a bad key of a
  // record (contact `variables`, `fallbackValues`, `variableMappings`) zod 4 raises an
  // "invalid_key" issue whose message is its generic "Invalid key in record"; the schema's own
  // explanation ("variable names must be letters, digits and _ …", "is reserved for the phone number
  // or name", "keys must not be empty") sits in `issue.issues` and never reaches the user.
  // Fix: for `invalid_key` (and `invalid_element`) issues, use the inner issues' messages.
  it("a bad record key is explained with the schema's rule, not zod's generic message", async () => {
    const badVariable = fc.oneof(
      fc.constantFrom("phone", "Phone_Number", "name", "mobile"),
      fc.stringMatching(/^[0-9-][A-Za-z0-9_-]{0,8}$/),
    );
    await fc.assert(
      fc.asyncProperty(badVariable, async (key) => {
        const r = await burkiCheck(
          {},
          {
            name: "n",
            campaignType: "call",
            assistantId: 1,
            contacts: [{ phoneNumber: "+15551234567", variables: { [key]: "x" } }],
          },
        );
        expect(r.failures).to.have.length(1);
        expect(r.failures![0].property).to.equal(`contacts[0].variables.${key}`);
        expect(r.failures![0].reason).to.match(/variable names must be|reserved/);
      }),
      { numRuns: 50, seed: SEED },
    );
    const empty = await burkiCheck(
      {},
      { name: "n", campaignType: "call", assistantId: 1, fallbackValues: { "": "x" } },
    );
    expect(empty.failures).to.deep.equal([{ property: "fallbackValues.", reason: "keys must not be empty" }]);
  });

  // Bug: provider/core/validation.ts `validate` drops every issue whose path is on, under OR ABOVE
  // an unknown value (`isUnder(u, issue.path)`). Issues above an unknown that do not depend on its
  // value are lost with it: with any unknown input (common: a value from another resource's
  // output), a misspelt top-level key ("Unrecognized key", reported at the root) is never reported,
  // and 17 steps pass as long as one of them holds an unknown. `pulumi preview` in CI then passes
  // and the `pulumi up` after the merge fails. Fix: keep ancestor issues that cannot depend on a
  // value — `unrecognized_keys`, and `too_big`/`too_small` of arrays (their length is known).
  it("an unknown value does not hide a mistake that does not depend on it", async () => {
    for (const s of SUBJECTS) {
      await fc.assert(
        fc.asyncProperty(
          withUnknowns(s.valid),
          fc.constantFrom("maxAttempt", "dailyEnrol", "stat"),
          async (input, typo) => {
            const r = await s.check({}, { ...input, [typo]: 1 });
            expect(
              (r.failures ?? []).map((f) => f.reason),
              `${s.title}: ${JSON.stringify(input)}`,
            ).to.include(`Unrecognized key: "${typo}"`);
          },
        ),
        { numRuns: 50, seed: SEED },
      );
    }
    const steps = Array.from({ length: 17 }, () => ({ versions: [{ subject: "s", message: "m" }] }));
    steps[16].versions[0].message = UNKNOWN;
    const r = await woodpeckerCheck(
      {},
      { name: "n", emailAccountIds: [1], settings: { timezone: "UTC" }, steps },
    );
    expect(r.failures).to.deep.equal([
      { property: "steps", reason: "at most 16 steps (Woodpecker's limit)" },
    ]);
  });

  describe("through the SDK's dynamic-provider host", () => {
    let burki: BurkiEmulator;
    let woodpecker: WoodpeckerEmulator;
    let host: ProviderHost;
    const provider = {} as Record<string, string>;

    before(async () => {
      burki = new BurkiEmulator();
      woodpecker = new WoodpeckerEmulator();
      await Promise.all([burki.start(), woodpecker.start()]);
      const texts = await installedProviderTexts();
      provider["burki.Campaign"] = texts.burki;
      provider["woodpecker.Campaign"] = texts.woodpecker;
      host = await startCampaignHost({
        cwd: ROOT,
        burki: { baseUrl: burki.baseUrl },
        woodpecker: { baseUrl: woodpecker.baseUrl },
      });
    });

    after(async () => {
      await host?.close();
      await Promise.all([burki?.stop(), woodpecker?.stop()]);
    });

    it("50 invalid inputs per resource: the same failures as in process, and no request reaches either emulator", async () => {
      for (const s of SUBJECTS) {
        const type = `pulumi-nodejs:dynamic/${s.title.replace(".Campaign", "")}:Campaign`;
        // Plain JSON (what the engine sends) that the provider really fails.
        const samples = fc.sample(s.invalid, { numRuns: 400, seed: SEED }).map(json);
        const invalid: Json[] = [];
        for (const input of samples) {
          if (invalid.length === 50) break;
          if ((await s.check({}, input)).failures) invalid.push(input);
        }
        expect(invalid).to.have.length(50);
        for (const [i, input] of invalid.entries()) {
          const viaHost = await host.check(
            host.urnOf(type, `bad-${i}`),
            {},
            { ...input, __provider: provider[s.title] },
          );
          // The wire (a protobuf Struct) sorts object keys: compare with the same input, keys sorted.
          const local = await s.check({}, sortKeys(input));
          expect(sortFailures(viaHost.failures), JSON.stringify(input)).to.deep.equal(
            sortFailures(local.failures!),
          );
        }
      }
      for (const e of [burki, woodpecker]) {
        expect(await new EmulatorControl(e.origin).requests(), e.platform).to.deep.equal([]);
      }
    });
  });
});
