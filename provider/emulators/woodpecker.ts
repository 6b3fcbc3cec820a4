/**
 * Local emulator of Woodpecker's REST API: the v2 campaign endpoints, `GET /v2/mailboxes` and the v1
 * `campaign_list`, with the documented quirks (two error dialects, empty 200 bodies on run / pause /
 * stop / delete, 204 on the bounce-shield threshold, no v2 list, the hidden "active workflow" flag that
 * only shows up as a 409 on DELETE, v1 errors inside HTTP 200) and the documented rate limit: one
 * request processed at a time per account, up to 6 more queued for at most 15 s each, the rest 429.
 *
 * Reference: /work/shared/reference/woodpecker-api.md. Wherever the docs are silent the choice made
 * here is marked `// emulator guess:`.
 *
 * Control API (no auth, JSON), in addition to the shared routes of common.ts:
 *   GET    /_emulator/campaigns                       → {"campaigns":[ControlCampaign…]} (`?account=` filters)
 *   GET    /_emulator/campaigns/:id                   → ControlCampaign (404 {"error"} when absent)
 *   PATCH  /_emulator/campaigns/:id                   edit "outside Pulumi" in any status:
 *          {name?, email_account_ids?, settings?: {…partial}, versions?: [{step_id, version_id, subject?,
 *           message?, signature?, track_opens?}], delivery_time?: [{step_id, delivery_time}],
 *           followup_after?: [{step_id, followup_after: {range, value}}]} → ControlCampaign
 *   DELETE /_emulator/campaigns/:id                   delete outside Pulumi (ignores the workflow flag)
 *   PUT    /_emulator/campaigns/:id/workflow          {"active": boolean} → the hidden workflow flag
 *   POST   /_emulator/campaigns/:id/transition        {"status": S, "bounceShield"?: boolean} → ControlCampaign
 *   PUT    /_emulator/campaigns/:id/steps/:stepId/processed   {"prospects": n} → ControlCampaign
 *   GET    /_emulator/stats                           → {"maxConcurrent","maxQueueDepth","rateLimited","accounts":{…}}
 *   DELETE /_emulator/stats                           resets them
 *   GET    /_emulator/config                          → {"createStatus","queue","mailboxes","accounts"}
 *   PUT    /_emulator/config                          {"createStatus"?, "queue"?: {"maxQueued","maxWaitMs"},
 *                                                      "mailboxes"?: number[] | null}
 * A ControlCampaign is the API's campaign JSON plus `account`, `inActiveWorkflow`, `bounceRateThreshold`,
 * `created` and, on every EMAIL/LINKEDIN step, `processedProspects`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  EmulatorBase,
  HttpReply,
  matchRoute,
  parseJson,
  type AccountQueueOptions,
  type EmulatorOptions,
  type RequestContext,
} from "./common";
import { ProspectStore, handleProspectsV1 } from "./woodpecker-prospects";

export const WOODPECKER_EMULATOR_API_KEY = "wpk_emulator_0123456789abcdef0123456789abcdef";
/** The account of WOODPECKER_EMULATOR_API_KEY (and of `apiKeys` not mapped in `accounts`). */
export const WOODPECKER_EMULATOR_DEFAULT_ACCOUNT = "acct-1";

export interface WoodpeckerEmulatorOptions extends EmulatorOptions {
  /** API key → account id. Default `{ [WOODPECKER_EMULATOR_API_KEY]: "acct-1" }`. */
  accounts?: Record<string, string>;
  /** Per-account queue. Default `{ maxQueued: 6, maxWaitMs: 15000 }` (the documented limits). */
  queue?: { maxQueued: number; maxWaitMs: number };
  /** HTTP status of a successful create (undocumented: 200 or 201). Default 200. */
  createStatus?: 200 | 201;
  /** Valid SMTP mailbox ids. Default: any positive integer is accepted (and GET /mailboxes is empty). */
  mailboxes?: number[];
}

export type WoodpeckerCampaignStatus = "DRAFT" | "EDITED" | "RUNNING" | "PAUSED" | "STOPPED" | "COMPLETED";
export const WOODPECKER_CAMPAIGN_STATUSES: readonly WoodpeckerCampaignStatus[] = [
  "DRAFT",
  "EDITED",
  "RUNNING",
  "PAUSED",
  "STOPPED",
  "COMPLETED",
];

export interface WoodpeckerAccountStats {
  /** Most requests of the account ever processed at the same time (the limit allows 1). */
  maxConcurrent: number;
  /** Most requests of the account ever waiting in its queue at the same time (the limit allows 6). */
  maxQueueDepth: number;
  /** 429s answered by the queue (full, or waited too long); injected 429 faults are not counted. */
  rateLimited: number;
}

export interface WoodpeckerEmulatorStats extends WoodpeckerAccountStats {
  accounts: Record<string, WoodpeckerAccountStats>;
}

/** The body of `PATCH /_emulator/campaigns/:id` (an edit made in the Woodpecker app). */
export interface WoodpeckerOutsideEdit {
  name?: string;
  email_account_ids?: number[];
  settings?: Record<string, unknown>;
  versions?: Array<{
    step_id: string;
    version_id: string;
    subject?: string | null;
    message?: string;
    signature?: string;
    track_opens?: boolean;
  }>;
  delivery_time?: Array<{ step_id: string; delivery_time: unknown }>;
  /** A step's delay changed in the app (the API has no endpoint for it). */
  followup_after?: Array<{ step_id: string; followup_after: unknown }>;
}

const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"] as const;
type Weekday = (typeof WEEKDAYS)[number];
interface TimeWindow {
  from: string;
  to: string;
}
type DeliveryTime = Partial<Record<Weekday, TimeWindow[]>>;
type Range = "MINUTE" | "HOUR" | "DAY";
interface FollowupAfter {
  range: Range;
  value: number;
}
type Signature = "SENDER" | "NO_SIGNATURE";
interface EmailVersion {
  id: string;
  version: string;
  subject: string | null;
  message: string;
  signature: Signature;
  track_opens: boolean;
}
interface LinkedInVersion {
  id: string;
  version: string;
  message: string;
}
interface StepCommon {
  id: string;
  followup_after: FollowupAfter;
  delivery_time: DeliveryTime;
  /** Hidden: how many prospects went through this step (set through the control API). */
  processedProspects: number;
}
interface EmailStep extends StepCommon {
  type: "EMAIL";
  body: { versions: EmailVersion[] };
}
interface LinkedInStep extends StepCommon {
  type: "LINKEDIN";
  body: { action_type: string; linkedin_account_id: number; versions: LinkedInVersion[] };
}
type StoredStep = EmailStep | LinkedInStep;

const CATCH_ALL_MODES = ["BALANCED", "MAXIMUM", "NONE", "ONLY_VERIFY"] as const;
interface Settings {
  timezone: string;
  prospect_timezone: boolean;
  daily_enroll: number;
  gdpr_unsubscribe: boolean;
  list_unsubscribe: boolean;
  open_disabled_list: string[];
  auto_pause_prospect_from_domain: boolean;
  catch_all_verification_mode: (typeof CATCH_ALL_MODES)[number];
}

interface StoredCampaign {
  id: number;
  account: string;
  name: string;
  status: WoodpeckerCampaignStatus;
  email_account_ids: number[];
  settings: Settings;
  startId: string;
  /** The linear chain after START, in order (rendered as nested `followup`s). */
  steps: StoredStep[];
  bounceRateThreshold: number | null;
  bounceShieldAutopausedAt: string | null;
  /** Hidden: never visible through any API response, exactly like the real API. */
  inActiveWorkflow: boolean;
  created: Date;
}

const FIRST_CAMPAIGN_ID = 12345001;
const MAX_STEPS = 16;
const MAX_VERSIONS = 5;
const MAX_WINDOWS_PER_DAY = 3;
const MAX_DAILY_ENROLL = 500;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TIMEZONES = new Set<string>([...Intl.supportedValuesOf("timeZone"), "UTC"]);
const EDITABLE: readonly WoodpeckerCampaignStatus[] = ["DRAFT", "EDITED"];

// ---------------------------------------------------------------------------------------------
// Error bodies

/** "YYYY-MM-DD HH:mm:ss" in UTC, as in the documented problem bodies. */
function problemTimestamp(d = new Date()): string {
  return d.toISOString().replace("T", " ").slice(0, 19);
}

function problem(status: number, title: string, detail: string, headers?: Record<string, string>): HttpReply {
  return new HttpReply(status, { title, status, detail, timestamp: problemTimestamp() }, headers);
}

function business(status: number, code: string, message: string, details: string | null = null): HttpReply {
  return new HttpReply(status, { code, message, details });
}

const unauthorized = () => problem(401, "Unauthorized", "Invalid api key");
const badCampaignId = () => problem(400, "Bad Request", "Value of campaign_id is incorrect.");
const unreadable = () => problem(400, "Bad Request", "Failed to read request");
const campaignNotFound = () => business(404, "CAMPAIGN_NOT_EXIST", "Campaign not found");
// emulator guess: the code of the "not editable" 409 is undocumented; the message is the docs' sentence.
const notEditable = () =>
  business(409, "CAMPAIGN_NOT_EDITABLE", "Only campaigns with a status of DRAFT or EDITED can be updated");
// emulator guess: codes and messages of the step/version 404s.
const stepNotFound = () => business(404, "STEP_NOT_EXIST", "Step not found");
const versionNotFound = () => business(404, "VERSION_NOT_EXIST", "Version not found");
const validationFailure = (issues: Issues) =>
  // emulator guess: the real API sends `details: null`; we put the list of problems there as a string.
  business(400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", issues.list.join("; "));

function v1Error(code: string, msg: string): HttpReply {
  // The v1 quirk: errors come back inside an HTTP 200.
  return new HttpReply(200, { status: { status: "ERROR", code, msg } });
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

class Issues {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path} ${message}`);
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isPosInt(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}

// emulator guess: undefined and null both mean "not given" for optional fields.
function given(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function parseCampaignId(raw: string): number | undefined {
  if (!/^-?\d{1,19}$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

function newVersionId(): string {
  return randomBytes(32).toString("hex");
}

function letter(i: number): string {
  return String.fromCharCode(65 + i);
}

function defaultDeliveryTime(): DeliveryTime {
  // emulator guess: steps created without delivery_time get Mon–Fri 08:00–18:00 (the GET example's values).
  const out: DeliveryTime = {};
  for (const d of WEEKDAYS.slice(0, 5)) out[d] = [{ from: "08:00", to: "18:00" }];
  return out;
}

function cloneDeliveryTime(dt: DeliveryTime): DeliveryTime {
  const out: DeliveryTime = {};
  for (const d of WEEKDAYS) {
    const w = dt[d];
    if (w) out[d] = w.map((x) => ({ from: x.from, to: x.to }));
  }
  return out;
}

function parseDeliveryTime(v: unknown, path: string, issues: Issues): DeliveryTime | undefined {
  if (!isObj(v)) {
    issues.add(path, "must be an object mapping weekdays (MONDAY…SUNDAY) to time windows");
    return undefined;
  }
  const before = issues.list.length;
  for (const key of Object.keys(v)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) issues.add(`${path}.${key}`, "is not a weekday");
  }
  const out: DeliveryTime = {};
  for (const day of WEEKDAYS) {
    const windows = v[day];
    // emulator guess: a day set to null counts as absent; an empty array is refused (1–3 windows a day).
    if (!given(windows)) continue;
    const at = `${path}.${day}`;
    if (!Array.isArray(windows) || windows.length < 1 || windows.length > MAX_WINDOWS_PER_DAY) {
      issues.add(at, `must have 1 to ${MAX_WINDOWS_PER_DAY} time windows`);
      continue;
    }
    const parsed: TimeWindow[] = [];
    windows.forEach((w, i) => {
      const wp = `${at}[${i}]`;
      if (!isObj(w)) return issues.add(wp, 'must be {"from":"HH:mm","to":"HH:mm"}');
      const { from, to } = w;
      const okFrom = typeof from === "string" && HHMM.test(from);
      const okTo = typeof to === "string" && HHMM.test(to);
      if (!okFrom) issues.add(`${wp}.from`, "must be a time in 24h HH:mm format");
      if (!okTo) issues.add(`${wp}.to`, "must be a time in 24h HH:mm format");
      if (okFrom && okTo) {
        if (from >= to) issues.add(wp, `must start before it ends (${from} >= ${to})`);
        else parsed.push({ from, to });
      }
    });
    // emulator guess: overlapping windows on one day are refused.
    const sorted = [...parsed].sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].from < sorted[i - 1].to) issues.add(at, "has overlapping time windows");
    }
    out[day] = parsed;
  }
  if (issues.list.length === before && Object.keys(out).length === 0) {
    issues.add(path, "must contain at least one day");
  }
  return issues.list.length === before ? out : undefined;
}

function parseFollowupAfter(v: unknown, path: string, issues: Issues): FollowupAfter | undefined {
  // emulator guess: when omitted (on any step) it defaults to {"range":"DAY","value":1}, the GET default.
  if (!given(v)) return { range: "DAY", value: 1 };
  if (!isObj(v)) {
    issues.add(path, 'must be {"range":"MINUTE"|"HOUR"|"DAY","value":<integer > 0>}');
    return undefined;
  }
  const before = issues.list.length;
  if (v.range !== "MINUTE" && v.range !== "HOUR" && v.range !== "DAY") {
    issues.add(`${path}.range`, "must be MINUTE, HOUR or DAY");
  }
  if (!isPosInt(v.value)) issues.add(`${path}.value`, "must be an integer greater than 0");
  return issues.list.length === before ? { range: v.range as Range, value: v.value as number } : undefined;
}

function parseSignature(v: unknown, path: string, issues: Issues): Signature | undefined {
  if (v === "SENDER" || v === "NO_SIGNATURE") return v;
  issues.add(path, "must be SENDER or NO_SIGNATURE");
  return undefined;
}

function parseEmailVersions(v: unknown, path: string, issues: Issues): EmailVersion[] | undefined {
  if (!Array.isArray(v) || v.length < 1 || v.length > MAX_VERSIONS) {
    issues.add(path, `must be an array of 1 to ${MAX_VERSIONS} versions`);
    return undefined;
  }
  const before = issues.list.length;
  const out: EmailVersion[] = [];
  v.forEach((x, i) => {
    const vp = `${path}[${i}]`;
    if (!isObj(x)) return issues.add(vp, "must be an object");
    if (typeof x.message !== "string") issues.add(`${vp}.message`, "is required and must be a string");
    if (x.subject !== undefined && x.subject !== null && typeof x.subject !== "string") {
      issues.add(`${vp}.subject`, "must be a string or null");
    }
    // emulator guess: signature defaults to SENDER and track_opens to true.
    const signature = given(x.signature) ? parseSignature(x.signature, `${vp}.signature`, issues) : "SENDER";
    if (given(x.track_opens) && typeof x.track_opens !== "boolean") {
      issues.add(`${vp}.track_opens`, "must be a boolean");
    }
    out.push({
      id: newVersionId(),
      version: letter(i),
      subject: typeof x.subject === "string" ? x.subject : null,
      message: typeof x.message === "string" ? x.message : "",
      signature: signature ?? "SENDER",
      track_opens: typeof x.track_opens === "boolean" ? x.track_opens : true,
    });
  });
  return issues.list.length === before ? out : undefined;
}

function parseLinkedInBody(v: unknown, path: string, issues: Issues): LinkedInStep["body"] | undefined {
  if (!isObj(v)) {
    issues.add(path, "is required: {action_type, linkedin_account_id, versions}");
    return undefined;
  }
  const before = issues.list.length;
  // emulator guess: any non-empty action_type is accepted (documented: CONNECTION_REQUEST; third-party:
  // VISIT_PROFILE, DIRECT_MESSAGE).
  if (typeof v.action_type !== "string" || v.action_type.trim() === "") {
    issues.add(`${path}.action_type`, "is required");
  }
  if (!isPosInt(v.linkedin_account_id)) {
    issues.add(`${path}.linkedin_account_id`, "is required and must be a positive integer");
  }
  const versions: LinkedInVersion[] = [];
  // emulator guess: LinkedIn versions are optional (a profile visit has no message), at most 5.
  if (given(v.versions)) {
    if (!Array.isArray(v.versions) || v.versions.length > MAX_VERSIONS) {
      issues.add(`${path}.versions`, `must be an array of at most ${MAX_VERSIONS} versions`);
    } else {
      v.versions.forEach((x: unknown, i: number) => {
        if (!isObj(x) || typeof x.message !== "string") {
          return issues.add(`${path}.versions[${i}].message`, "is required and must be a string");
        }
        versions.push({ id: newVersionId(), version: letter(i), message: x.message });
      });
    }
  }
  if (issues.list.length !== before) return undefined;
  return {
    action_type: v.action_type as string,
    linkedin_account_id: v.linkedin_account_id as number,
    versions,
  };
}

/** One EMAIL/LINKEDIN step (its `followup` is not looked at). Step ids sent by clients are ignored. */
function parseStep(v: unknown, path: string, issues: Issues): StoredStep | undefined {
  if (!isObj(v)) {
    issues.add(path, "must be a step object");
    return undefined;
  }
  if (v.type !== "EMAIL" && v.type !== "LINKEDIN") {
    issues.add(`${path}.type`, "must be EMAIL or LINKEDIN");
    return undefined;
  }
  const before = issues.list.length;
  const delivery = given(v.delivery_time)
    ? parseDeliveryTime(v.delivery_time, `${path}.delivery_time`, issues)
    : defaultDeliveryTime();
  const followupAfter = parseFollowupAfter(v.followup_after, `${path}.followup_after`, issues);
  const common = { id: randomUUID(), processedProspects: 0 };
  if (v.type === "EMAIL") {
    const body = v.body;
    let versions: EmailVersion[] | undefined;
    if (!isObj(body)) issues.add(`${path}.body`, "is required: {versions: [...]}");
    else versions = parseEmailVersions(body.versions, `${path}.body.versions`, issues);
    if (issues.list.length !== before || !delivery || !followupAfter || !versions) return undefined;
    return {
      ...common,
      type: "EMAIL",
      followup_after: followupAfter,
      delivery_time: delivery,
      body: { versions },
    };
  }
  const body = parseLinkedInBody(v.body, `${path}.body`, issues);
  if (issues.list.length !== before || !delivery || !followupAfter || !body) return undefined;
  return { ...common, type: "LINKEDIN", followup_after: followupAfter, delivery_time: delivery, body };
}

function parseStepChain(root: unknown, issues: Issues): StoredStep[] | undefined {
  if (!isObj(root)) {
    issues.add("steps", "is required and must be the START step object");
    return undefined;
  }
  const before = issues.list.length;
  if (root.type !== "START") issues.add("steps.type", "must be START");
  const nodes: unknown[] = [];
  for (let n: unknown = root.followup; given(n); n = isObj(n) ? n.followup : undefined) nodes.push(n);
  if (nodes.length < 1 || nodes.length > MAX_STEPS) {
    issues.add(
      "steps",
      `must be followed by 1 to ${MAX_STEPS} EMAIL or LINKEDIN steps (got ${nodes.length})`,
    );
  }
  const steps: StoredStep[] = [];
  nodes.slice(0, MAX_STEPS + 1).forEach((n, i) => {
    const s = parseStep(n, `steps[${i + 1}]`, issues);
    if (s) steps.push(s);
  });
  return issues.list.length === before ? steps : undefined;
}

function parseSettings(v: unknown, mode: "create" | "patch", issues: Issues): Partial<Settings> | undefined {
  if (!given(v)) {
    if (mode === "create") issues.add("settings", "is required (settings.timezone, settings.daily_enroll)");
    return mode === "create" ? undefined : {};
  }
  if (!isObj(v)) {
    issues.add("settings", "must be an object");
    return undefined;
  }
  const before = issues.list.length;
  const out: Partial<Settings> = {};
  if (given(v.timezone)) {
    if (typeof v.timezone !== "string" || !TIMEZONES.has(v.timezone)) {
      issues.add("settings.timezone", `is not a supported time zone (${JSON.stringify(v.timezone)})`);
    } else out.timezone = v.timezone;
  } else if (mode === "create") issues.add("settings.timezone", "is required");
  if (given(v.daily_enroll)) {
    const n = v.daily_enroll;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > MAX_DAILY_ENROLL) {
      issues.add("settings.daily_enroll", `must be an integer from 1 to ${MAX_DAILY_ENROLL}`);
    } else out.daily_enroll = n;
  } else if (mode === "create") issues.add("settings.daily_enroll", "is required");
  for (const key of [
    "prospect_timezone",
    "gdpr_unsubscribe",
    "list_unsubscribe",
    "auto_pause_prospect_from_domain",
  ] as const) {
    if (!given(v[key])) continue;
    if (typeof v[key] !== "boolean") issues.add(`settings.${key}`, "must be a boolean");
    else out[key] = v[key];
  }
  if (given(v.open_disabled_list)) {
    const l = v.open_disabled_list;
    if (!Array.isArray(l) || !l.every((x) => typeof x === "string")) {
      issues.add("settings.open_disabled_list", "must be an array of strings");
    } else out.open_disabled_list = [...(l as string[])];
  }
  if (given(v.catch_all_verification_mode)) {
    const m = v.catch_all_verification_mode;
    if (!(CATCH_ALL_MODES as readonly unknown[]).includes(m)) {
      issues.add("settings.catch_all_verification_mode", `must be one of ${CATCH_ALL_MODES.join(", ")}`);
    } else out.catch_all_verification_mode = m as Settings["catch_all_verification_mode"];
  }
  // emulator guess: settings outside the 8 documented ones (e.g. the third-party
  // auto_pause_prospect_from_domain_statuses, count_followup_delay_in_working_days) are ignored.
  return issues.list.length === before ? out : undefined;
}

/** Validation of a version edit; returns the changes to apply. */
function parseVersionPatch(
  step: StoredStep,
  v: Record<string, unknown>,
  path: string,
  issues: Issues,
): Partial<EmailVersion> {
  const out: Partial<EmailVersion> = {};
  if (v.message !== undefined) {
    if (typeof v.message !== "string") issues.add(`${path}.message`, "must be a string");
    else out.message = v.message;
  }
  // emulator guess: on a LINKEDIN version only `message` is used; the email fields are ignored.
  if (step.type !== "EMAIL") return out;
  if (v.subject !== undefined) {
    if (v.subject !== null && typeof v.subject !== "string")
      issues.add(`${path}.subject`, "must be a string or null");
    else out.subject = v.subject;
  }
  if (v.signature !== undefined) {
    const s = parseSignature(v.signature, `${path}.signature`, issues);
    if (s) out.signature = s;
  }
  if (v.track_opens !== undefined) {
    if (typeof v.track_opens !== "boolean") issues.add(`${path}.track_opens`, "must be a boolean");
    else out.track_opens = v.track_opens;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

type Handler = (ctx: RequestContext, params: Record<string, string>, account: string) => HttpReply;
interface Route {
  pattern: string;
  methods: Partial<Record<string, Handler>>;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class WoodpeckerEmulator extends EmulatorBase {
  readonly platform = "woodpecker";
  createStatus: 200 | 201;
  /** Valid SMTP ids; undefined = any positive integer is accepted. */
  mailboxes: number[] | undefined;
  private readonly accounts = new Map<string, string>();
  private readonly campaigns = new Map<number, StoredCampaign>();
  private nextId = FIRST_CAMPAIGN_ID;
  private accountStats = new Map<string, WoodpeckerAccountStats>();
  /** The v1 prospects (woodpecker-prospects.ts); tests reach it in process. */
  readonly prospects = new ProspectStore();

  constructor(opts: WoodpeckerEmulatorOptions = {}) {
    super(opts);
    const accounts = opts.accounts ?? { [WOODPECKER_EMULATOR_API_KEY]: WOODPECKER_EMULATOR_DEFAULT_ACCOUNT };
    for (const [key, account] of Object.entries(accounts)) this.accounts.set(key, account);
    // emulator guess: plain `apiKeys` (from EmulatorOptions) not mapped in `accounts` belong to acct-1.
    for (const key of opts.apiKeys ?? []) {
      if (!this.accounts.has(key)) this.accounts.set(key, WOODPECKER_EMULATOR_DEFAULT_ACCOUNT);
    }
    this.apiKeys = new Set(this.accounts.keys());
    this.accountQueue = { ...(opts.queue ?? { maxQueued: 6, maxWaitMs: 15_000 }) };
    this.createStatus = opts.createStatus ?? 200;
    this.mailboxes = opts.mailboxes ? [...opts.mailboxes] : undefined;
  }

  get baseUrl(): string {
    return `${this.origin}/rest`;
  }

  /** Current per-account queue limits. */
  get queue(): AccountQueueOptions {
    return { ...this.accountQueue! };
  }

  // -------------------------------------------------------------------------------------------
  // Auth, queue and stats

  /** The API key of a request: `x-api-key`, or (v1 only) `Authorization: Basic base64(":<key>")`. */
  private apiKeyOf(ctx: RequestContext): string | undefined {
    const header = ctx.headers["x-api-key"];
    const key = Array.isArray(header) ? header[0] : header;
    if (key) return key.trim();
    if (!ctx.path.startsWith("/rest/v1/")) return undefined;
    const auth = ctx.headers.authorization;
    const m = auth ? /^Basic\s+(\S+)$/i.exec(auth) : null;
    if (!m) return undefined;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return decoded;
    // emulator guess: the key may be the password (documented ":<key>") or the user name ("<key>:").
    return decoded.slice(i + 1) || decoded.slice(0, i);
  }

  private authenticate(ctx: RequestContext): string | undefined {
    const key = this.apiKeyOf(ctx);
    return key === undefined ? undefined : this.accounts.get(key);
  }

  protected override accountOf(ctx: RequestContext): string | undefined {
    return this.authenticate(ctx);
  }

  // The stats come from the base class's queue hooks (common.ts).

  protected override onQueued(account: string, depth: number): void {
    const s = this.statsFor(account);
    s.maxQueueDepth = Math.max(s.maxQueueDepth, depth);
  }

  protected override onAdmitted(account: string, processing: number): void {
    const s = this.statsFor(account);
    s.maxConcurrent = Math.max(s.maxConcurrent, processing);
  }

  protected override onRateLimited(account: string): void {
    this.statsFor(account).rateLimited++;
  }

  private statsFor(account: string): WoodpeckerAccountStats {
    let s = this.accountStats.get(account);
    if (!s) {
      s = { maxConcurrent: 0, maxQueueDepth: 0, rateLimited: 0 };
      this.accountStats.set(account, s);
    }
    return s;
  }

  get stats(): WoodpeckerEmulatorStats {
    const accounts: Record<string, WoodpeckerAccountStats> = {};
    let maxConcurrent = 0;
    let maxQueueDepth = 0;
    let rateLimited = 0;
    for (const [account, s] of this.accountStats) {
      accounts[account] = { ...s };
      maxConcurrent = Math.max(maxConcurrent, s.maxConcurrent);
      maxQueueDepth = Math.max(maxQueueDepth, s.maxQueueDepth);
      rateLimited += s.rateLimited;
    }
    return { maxConcurrent, maxQueueDepth, rateLimited, accounts };
  }

  resetStats(): void {
    this.accountStats = new Map();
  }

  protected override tooManyRequestsBody(_reason: "rate-limit" | "fault"): unknown {
    // emulator guess: the 429 body is undocumented; it uses the v2 "problem" dialect.
    return {
      title: "Too Many Requests",
      status: 429,
      detail: "Too many requests",
      timestamp: problemTimestamp(),
    };
  }

  protected override serverErrorBody(): unknown {
    return { type: "UNKNOWN", message: "Unknown error during request", details: null };
  }

  protected async handleApi(ctx: RequestContext): Promise<HttpReply> {
    return this.dispatch(ctx);
  }

  protected resetData(): void {
    this.campaigns.clear();
    this.prospects.clear();
    this.nextId = FIRST_CAMPAIGN_ID;
    // emulator guess: POST /_emulator/reset also resets the stats (configuration is kept).
    this.resetStats();
  }

  // -------------------------------------------------------------------------------------------
  // API routing

  private readonly routes: Route[] = [
    { pattern: "/rest/v2/campaigns", methods: { POST: (c, _p, a) => this.createCampaign(c, a) } },
    {
      pattern: "/rest/v2/campaigns/:campaign_id",
      methods: {
        GET: (c, p, a) => this.getCampaign(c, p, a),
        PATCH: (c, p, a) => this.patchCampaign(c, p, a),
        DELETE: (c, p, a) => this.deleteCampaign(c, p, a),
      },
    },
    { pattern: "/rest/v2/campaigns/:campaign_id/run", methods: { POST: (c, p, a) => this.run(c, p, a) } },
    { pattern: "/rest/v2/campaigns/:campaign_id/pause", methods: { POST: (c, p, a) => this.pause(c, p, a) } },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/stop",
      methods: { POST: (c, p, a) => this.stopCampaign(c, p, a) },
    },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/make_editable",
      methods: { POST: (c, p, a) => this.makeEditable(c, p, a) },
    },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/steps",
      methods: { POST: (c, p, a) => this.addStep(c, p, a) },
    },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/steps/:step_id",
      methods: {
        PATCH: (c, p, a) => this.patchStep(c, p, a),
        DELETE: (c, p, a) => this.deleteStep(c, p, a),
      },
    },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/steps/:step_id/versions/:version_id",
      methods: { PATCH: (c, p, a) => this.patchVersion(c, p, a) },
    },
    {
      pattern: "/rest/v2/campaigns/:campaign_id/bounce_shield/threshold",
      methods: {
        GET: (c, p, a) => this.getThreshold(c, p, a),
        PUT: (c, p, a) => this.putThreshold(c, p, a),
        DELETE: (c, p, a) => this.deleteThreshold(c, p, a),
      },
    },
    { pattern: "/rest/v2/mailboxes", methods: { GET: () => this.listMailboxes() } },
  ];

  private dispatch(ctx: RequestContext): HttpReply {
    if (ctx.path.startsWith("/rest/v1/")) return this.handleV1(ctx);
    // emulator guess: authentication is checked before routing, so unknown routes without a key get 401.
    const account = this.authenticate(ctx);
    if (account === undefined) return unauthorized();
    for (const route of this.routes) {
      let params: Record<string, string> | undefined;
      try {
        params = matchRoute(route.pattern, ctx.path);
      } catch {
        return problem(400, "Bad Request", "Malformed request path");
      }
      if (!params) continue;
      const handler = route.methods[ctx.method];
      if (!handler) {
        // There is no v2 list: GET /rest/v2/campaigns is 405 (as a third-party client observed).
        // emulator guess: any other known path with a wrong method is 405 too (detail in Spring's words).
        const allow = Object.keys(route.methods).join(", ");
        return problem(405, "Method Not Allowed", `Request method '${ctx.method}' is not supported`, {
          allow,
        });
      }
      return handler(ctx, params, account);
    }
    // emulator guess: an unknown route (a wrong base URL: no /rest, a doubled /v2) answers 404 in the
    // framework's "problem" dialect, never with CAMPAIGN_NOT_EXIST; only a known campaign route with an
    // unknown id says CAMPAIGN_NOT_EXIST (documented).
    return problem(404, "Not Found", `No endpoint ${ctx.method} ${ctx.path}.`);
  }

  /** The JSON body of a request (400 "Failed to read request" when it is missing or malformed). */
  private jsonObject(ctx: RequestContext): Record<string, unknown> | HttpReply {
    if (ctx.rawBody.length === 0) return unreadable();
    const parsed = parseJson(ctx.rawBody);
    // emulator guess: valid JSON that is not an object cannot be read into the request type either.
    if (!parsed.ok || !isObj(parsed.value)) return unreadable();
    return parsed.value;
  }

  /**
   * Common preamble of the campaign routes, in the order a framework would apply it (emulator guess):
   * bad campaign_id (400) → unreadable body (400) → unknown campaign (404) → not editable (409).
   */
  private prepare(
    ctx: RequestContext,
    params: Record<string, string>,
    account: string,
    opts: { body?: boolean; editable?: boolean } = {},
  ): { c: StoredCampaign; body: Record<string, unknown> } | HttpReply {
    const id = parseCampaignId(params.campaign_id);
    if (id === undefined) return badCampaignId();
    let body: Record<string, unknown> = {};
    if (opts.body) {
      const b = this.jsonObject(ctx);
      if (b instanceof HttpReply) return b;
      body = b;
    }
    const c = this.campaigns.get(id);
    // Another account's campaign does not exist for this key.
    if (!c || c.account !== account) return campaignNotFound();
    if (opts.editable && !EDITABLE.includes(c.status)) return notEditable();
    return { c, body };
  }

  private full(c: StoredCampaign): HttpReply {
    return new HttpReply(200, this.render(c));
  }

  // -------------------------------------------------------------------------------------------
  // Campaigns

  private parseEmailAccountIds(v: unknown, issues: Issues): number[] | undefined {
    if (!Array.isArray(v) || v.length === 0) {
      issues.add("email_account_ids", "is required and must be a non-empty array of SMTP mailbox ids");
      return undefined;
    }
    const before = issues.list.length;
    const seen = new Set<number>();
    v.forEach((id: unknown, i: number) => {
      if (!isPosInt(id)) return issues.add(`email_account_ids[${i}]`, "must be a positive integer");
      if (this.mailboxes && !this.mailboxes.includes(id)) {
        issues.add(`email_account_ids[${i}]`, `mailbox ${id} is not a connected SMTP mailbox`);
      }
      // emulator guess: duplicate ids are refused rather than merged.
      if (seen.has(id)) issues.add(`email_account_ids[${i}]`, `repeats mailbox ${id}`);
      seen.add(id);
    });
    return issues.list.length === before ? [...seen] : undefined;
  }

  private parseName(v: unknown, issues: Issues): string | undefined {
    if (typeof v === "string" && v.trim() !== "") return v;
    // emulator guess: a name, when given, must be a non-empty string.
    issues.add("name", "must be a non-empty string");
    return undefined;
  }

  private createCampaign(ctx: RequestContext, account: string): HttpReply {
    const body = this.jsonObject(ctx);
    if (body instanceof HttpReply) return body;
    const issues = new Issues();
    // emulator guess: the default name of a campaign created without one.
    const name = given(body.name) ? this.parseName(body.name, issues) : "Untitled campaign";
    const emailIds = this.parseEmailAccountIds(body.email_account_ids, issues);
    const settings = parseSettings(body.settings, "create", issues);
    const steps = parseStepChain(body.steps, issues);
    if (!issues.ok || name === undefined || !emailIds || !settings || !steps)
      return validationFailure(issues);
    const c: StoredCampaign = {
      id: this.nextId++,
      account,
      name,
      status: "DRAFT",
      email_account_ids: emailIds,
      settings: {
        timezone: settings.timezone!,
        prospect_timezone: settings.prospect_timezone ?? false,
        daily_enroll: settings.daily_enroll!,
        gdpr_unsubscribe: settings.gdpr_unsubscribe ?? false,
        list_unsubscribe: settings.list_unsubscribe ?? false,
        open_disabled_list: settings.open_disabled_list ?? [],
        auto_pause_prospect_from_domain: settings.auto_pause_prospect_from_domain ?? false,
        catch_all_verification_mode: settings.catch_all_verification_mode ?? "BALANCED",
      },
      startId: randomUUID(),
      steps,
      bounceRateThreshold: null,
      bounceShieldAutopausedAt: null,
      inActiveWorkflow: false,
      created: new Date(),
    };
    this.campaigns.set(c.id, c);
    return new HttpReply(this.createStatus, this.render(c));
  }

  private getCampaign(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    return p instanceof HttpReply ? p : this.full(p.c);
  }

  /** Validates a campaign-level edit (name, email_account_ids, settings) and returns its application. */
  private campaignEdit(c: StoredCampaign, body: Record<string, unknown>, issues: Issues): () => void {
    const name = body.name !== undefined ? this.parseName(body.name, issues) : undefined;
    const ids =
      body.email_account_ids !== undefined
        ? this.parseEmailAccountIds(body.email_account_ids, issues)
        : undefined;
    const settings = parseSettings(body.settings, "patch", issues);
    return () => {
      if (name !== undefined) c.name = name;
      if (ids) c.email_account_ids = ids; // replaces the set
      if (settings) Object.assign(c.settings, settings); // partial merge
    };
  }

  private patchCampaign(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { body: true, editable: true });
    if (p instanceof HttpReply) return p;
    const issues = new Issues();
    // Steps cannot be changed here (use the step endpoints); unknown fields are ignored.
    const apply = this.campaignEdit(p.c, p.body, issues);
    if (!issues.ok) return validationFailure(issues);
    apply();
    // emulator guess: PATCH answers 200 with the full campaign (undocumented).
    return this.full(p.c);
  }

  private deleteCampaign(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    if (p.c.inActiveWorkflow) {
      return business(409, "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW", "Campaign related to active workflow");
    }
    this.campaigns.delete(p.c.id);
    return new HttpReply(200);
  }

  // -------------------------------------------------------------------------------------------
  // Status transitions (all answer 200 with no body). emulator guess: the accepted source statuses and
  // the idempotent no-ops (run on RUNNING, pause on PAUSED, …) are undocumented.

  private run(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    const c = p.c;
    if (c.status === "RUNNING") return new HttpReply(200);
    const firstEmail = c.steps.find((s): s is EmailStep => s.type === "EMAIL");
    // Docs: the subject is "required to run a campaign if the version is part of the first EMAIL step".
    // emulator guess: the 409 code/message, and a whitespace-only subject counts as missing.
    if (firstEmail && firstEmail.body.versions.some((v) => !v.subject || v.subject.trim() === "")) {
      return business(409, "CAMPAIGN_VALIDATION_FAILURE", "Subject is required in the first email step");
    }
    c.status = "RUNNING";
    // emulator guess: resuming clears the bounce-shield auto-pause mark.
    c.bounceShieldAutopausedAt = null;
    return new HttpReply(200);
  }

  private pause(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    const c = p.c;
    if (c.status === "RUNNING") c.status = "PAUSED";
    else if (c.status !== "PAUSED") {
      // emulator guess: code and message (the pause docs list 400 but not 409).
      return business(400, "INVALID_CAMPAIGN_STATUS", `Campaign cannot be paused in status ${c.status}`);
    }
    return new HttpReply(200);
  }

  private stopCampaign(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    const c = p.c;
    if (c.status === "DRAFT") {
      // emulator guess: a campaign that never ran cannot be stopped.
      return business(400, "INVALID_CAMPAIGN_STATUS", `Campaign cannot be stopped in status ${c.status}`);
    }
    c.status = "STOPPED";
    return new HttpReply(200);
  }

  private makeEditable(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    if (!EDITABLE.includes(p.c.status)) p.c.status = "EDITED";
    return new HttpReply(200);
  }

  // -------------------------------------------------------------------------------------------
  // Steps and versions

  private findStep(c: StoredCampaign, stepId: string): { step: StoredStep; index: number } | undefined {
    const index = c.steps.findIndex((s) => s.id === stepId);
    return index < 0 ? undefined : { step: c.steps[index], index };
  }

  private addStep(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { body: true, editable: true });
    if (p instanceof HttpReply) return p;
    const { c, body } = p;
    const issues = new Issues();
    if (typeof body.parent_id !== "string" || body.parent_id === "") {
      issues.add("parent_id", "is required (the id of the current last step)");
    }
    // emulator guess: a `followup` inside the new step is ignored (steps are added one at a time).
    const step = parseStep(body.step, "step", issues);
    if (!issues.ok || !step) return validationFailure(issues);
    const parentId = body.parent_id as string;
    const last = c.steps[c.steps.length - 1];
    if (parentId !== c.startId && !this.findStep(c, parentId)) return stepNotFound();
    if (parentId !== last.id) {
      return business(400, "INVALID_PARENT_STEP", "A step can only be added at the end of the campaign");
    }
    if (last.processedProspects > 0) {
      // emulator guess: code and message.
      return business(409, "STEP_ALREADY_PROCESSED", "The parent step has already processed prospects");
    }
    if (c.steps.length >= MAX_STEPS) {
      issues.add("steps", `a campaign can have at most ${MAX_STEPS} EMAIL or LINKEDIN steps`);
      return validationFailure(issues);
    }
    c.steps.push(step);
    // emulator guess: add-step answers 200 with the full campaign (undocumented).
    return this.full(c);
  }

  private patchStep(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { body: true, editable: true });
    if (p instanceof HttpReply) return p;
    const { c, body } = p;
    const issues = new Issues();
    if (params.step_id === c.startId) {
      // emulator guess: the START step has no delivery time.
      issues.add("step_id", "is the START step, which has no delivery_time");
      return validationFailure(issues);
    }
    const found = this.findStep(c, params.step_id);
    if (!found) return stepNotFound();
    if (!given(body.delivery_time)) {
      issues.add("delivery_time", "is required");
      return validationFailure(issues);
    }
    // emulator guess: only delivery_time is used; followup_after and other fields are ignored.
    const dt = parseDeliveryTime(body.delivery_time, "delivery_time", issues);
    if (!issues.ok || !dt) return validationFailure(issues);
    found.step.delivery_time = dt; // replaces the whole object
    return this.full(c);
  }

  private deleteStep(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { editable: true });
    if (p instanceof HttpReply) return p;
    const { c } = p;
    const found = params.step_id === c.startId ? undefined : this.findStep(c, params.step_id);
    if (params.step_id === c.startId || (found && found.step.type !== "EMAIL")) {
      // emulator guess: code and message.
      return business(400, "STEP_NOT_DELETABLE", "Only EMAIL steps can be deleted");
    }
    if (!found) return stepNotFound();
    const firstEmail = c.steps.findIndex((s) => s.type === "EMAIL");
    if (found.index === firstEmail) {
      // emulator guess: code and message.
      return business(400, "FIRST_EMAIL_STEP_NOT_DELETABLE", "The first EMAIL step cannot be deleted");
    }
    if (found.step.processedProspects > 0) {
      // emulator guess: code and message.
      return business(409, "STEP_ALREADY_PROCESSED", "The step has already processed prospects");
    }
    // The chain is relinked: the deleted step's parent now points to its followup.
    c.steps.splice(found.index, 1);
    return this.full(c);
  }

  private patchVersion(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { body: true, editable: true });
    if (p instanceof HttpReply) return p;
    const { c, body } = p;
    const found = this.findStep(c, params.step_id);
    if (!found) return params.step_id === c.startId ? versionNotFound() : stepNotFound();
    const versions: Array<EmailVersion | LinkedInVersion> = found.step.body.versions;
    const version = versions.find((v) => v.id === params.version_id);
    if (!version) return versionNotFound();
    const issues = new Issues();
    const changes = parseVersionPatch(found.step, body, "", issues);
    if (!issues.ok) return validationFailure(issues);
    Object.assign(version, changes);
    return this.full(c);
  }

  // -------------------------------------------------------------------------------------------
  // Bounce shield. emulator guess: allowed in any status (the docs have no DRAFT/EDITED note).

  private getThreshold(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    return new HttpReply(200, { bounce_rate_threshold: p.c.bounceRateThreshold });
  }

  private putThreshold(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account, { body: true });
    if (p instanceof HttpReply) return p;
    const t = p.body.bounce_rate_threshold;
    if (typeof t !== "number" || !Number.isSafeInteger(t) || t < 1 || t > 99) {
      const issues = new Issues();
      issues.add("bounce_rate_threshold", "is required and must be an integer from 1 to 99");
      return validationFailure(issues);
    }
    p.c.bounceRateThreshold = t;
    return new HttpReply(204);
  }

  private deleteThreshold(ctx: RequestContext, params: Record<string, string>, account: string): HttpReply {
    const p = this.prepare(ctx, params, account);
    if (p instanceof HttpReply) return p;
    p.c.bounceRateThreshold = null;
    // emulator guess: 204 like PUT (the DELETE response is undocumented), also when nothing was set.
    return new HttpReply(204);
  }

  // -------------------------------------------------------------------------------------------
  // Mailboxes and the v1 list

  private mailboxEmail(id: number): string {
    return `sender${id}@example.com`;
  }

  private listMailboxes(): HttpReply {
    // emulator guess: mailboxes are shared by all accounts; only SMTP entries with an email are listed.
    return new HttpReply(
      200,
      (this.mailboxes ?? []).map((id) => ({ id, type: "SMTP", details: { email: this.mailboxEmail(id) } })),
    );
  }

  private handleV1(ctx: RequestContext): HttpReply {
    const account = this.authenticate(ctx);
    if (account === undefined) return v1Error("E_SESSION", "Invalid or expired API key");
    const prospects = handleProspectsV1(ctx, {
      store: this.prospects,
      account,
      campaign: (id) => {
        const c = this.campaigns.get(id);
        return c && c.account === account ? c : undefined;
      },
    });
    if (prospects) return prospects;
    if (ctx.method !== "GET" || ctx.path !== "/rest/v1/campaign_list") {
      // emulator guess: unknown v1 routes answer the v1 E_URL_NOT_FOUND inside a 200.
      return v1Error("E_URL_NOT_FOUND", "URL not found");
    }
    const list = (name: string) =>
      (ctx.query.get(name) ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    const statuses = list("status").map((s) => s.toUpperCase());
    const badStatus = statuses.find((s) => !(WOODPECKER_CAMPAIGN_STATUSES as readonly string[]).includes(s));
    // emulator guess: bad filter values answer E_WRONG_PARAM inside a 200.
    if (badStatus !== undefined) return v1Error("E_WRONG_PARAM", `Invalid status: ${badStatus}`);
    const rawIds = list("id");
    const badId = rawIds.find((s) => parseCampaignId(s) === undefined);
    if (badId !== undefined) return v1Error("E_WRONG_PARAM", `Invalid id: ${badId}`);
    const ids = rawIds.map(Number);
    const found = [...this.campaigns.values()]
      .filter((c) => c.account === account)
      .filter((c) => statuses.length === 0 || statuses.includes(c.status))
      .filter((c) => ids.length === 0 || ids.includes(c.id))
      .sort((a, b) => a.id - b.id);
    if (found.length === 0) return v1Error("E_NO_CAMPAIGNS", "No campaigns found");
    // emulator guess: statistics for a single id are not modelled; folder fields are null, bcc/cc/error "".
    return new HttpReply(
      200,
      found.map((c) => {
        const emails = c.email_account_ids.map((id) => this.mailboxEmail(id));
        const names = c.email_account_ids.map((id) => `Sender ${id}`);
        return {
          id: c.id,
          name: c.name,
          status: c.status,
          created: v1Date(c.created),
          from_name: names[0] ?? "",
          from_names: names,
          gdpr_unsubscribe: c.settings.gdpr_unsubscribe,
          folder_name: null,
          folder_id: null,
          from_email: emails[0] ?? "",
          from_emails: emails,
          per_day: c.settings.daily_enroll,
          bcc: "",
          cc: "",
          error: "",
        };
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  private render(c: StoredCampaign, control = false): Record<string, unknown> {
    let next: Record<string, unknown> | null = null;
    for (let i = c.steps.length - 1; i >= 0; i--) {
      const s = c.steps[i];
      const body =
        s.type === "EMAIL"
          ? { versions: s.body.versions.map((v) => ({ ...v })) }
          : {
              action_type: s.body.action_type,
              linkedin_account_id: s.body.linkedin_account_id,
              versions: s.body.versions.map((v) => ({ ...v })),
            };
      const step: Record<string, unknown> = {
        id: s.id,
        type: s.type,
        followup_after: { ...s.followup_after },
        delivery_time: cloneDeliveryTime(s.delivery_time),
        body,
      };
      if (control) step.processedProspects = s.processedProspects;
      step.followup = next;
      next = step;
    }
    const out: Record<string, unknown> = {
      id: c.id,
      name: c.name,
      status: c.status,
      email_account_ids: [...c.email_account_ids],
      settings: { ...c.settings, open_disabled_list: [...c.settings.open_disabled_list] },
      steps: { id: c.startId, type: "START", followup: next },
      bounce_shield_autopaused_at: c.bounceShieldAutopausedAt,
    };
    if (control) {
      out.account = c.account;
      out.inActiveWorkflow = c.inActiveWorkflow;
      out.bounceRateThreshold = c.bounceRateThreshold;
      out.created = c.created.toISOString();
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // In-process control (the same operations as the control routes)

  private mustGet(id: number): StoredCampaign {
    const c = this.campaigns.get(id);
    if (!c) throw new ControlError(404, `no campaign ${id}`);
    return c;
  }

  /** Every campaign with its hidden state (optionally of one account). */
  listCampaigns(account?: string): Record<string, unknown>[] {
    return [...this.campaigns.values()]
      .filter((c) => account === undefined || c.account === account)
      .sort((a, b) => a.id - b.id)
      .map((c) => this.render(c, true));
  }

  /** One campaign with its hidden state, or undefined. */
  inspectCampaign(id: number): Record<string, unknown> | undefined {
    const c = this.campaigns.get(id);
    return c ? this.render(c, true) : undefined;
  }

  /** Set or clear the hidden "part of an active workflow" flag (DELETE then answers 409). */
  setInActiveWorkflow(id: number, active: boolean): Record<string, unknown> {
    const c = this.mustGet(id);
    c.inActiveWorkflow = active;
    return this.render(c, true);
  }

  /**
   * A background status change (bounce-shield auto-pause, completion, stop on mailbox disconnect…).
   * With `bounceShield`, a PAUSED campaign gets `bounce_shield_autopaused_at`.
   */
  transition(
    id: number,
    status: WoodpeckerCampaignStatus,
    opts: { bounceShield?: boolean } = {},
  ): Record<string, unknown> {
    if (!WOODPECKER_CAMPAIGN_STATUSES.includes(status)) {
      throw new ControlError(400, `status must be one of ${WOODPECKER_CAMPAIGN_STATUSES.join(", ")}`);
    }
    const c = this.mustGet(id);
    c.status = status;
    c.bounceShieldAutopausedAt = status === "PAUSED" && opts.bounceShield ? new Date().toISOString() : null;
    return this.render(c, true);
  }

  /** An edit made in the Woodpecker app, allowed in any status; validated like the API. */
  editOutside(id: number, edit: WoodpeckerOutsideEdit): Record<string, unknown> {
    const c = this.mustGet(id);
    if (!isObj(edit)) throw new ControlError(400, "the body must be an object");
    const issues = new Issues();
    const applyCampaign = this.campaignEdit(c, edit as Record<string, unknown>, issues);
    const later: Array<() => void> = [];
    const items = (v: unknown, what: string): unknown[] => {
      if (v === undefined) return [];
      if (Array.isArray(v)) return v;
      issues.add(what, "must be an array");
      return [];
    };
    items(edit.versions, "versions").forEach((x, i) => {
      const at = `versions[${i}]`;
      if (!isObj(x)) return issues.add(at, "must be an object");
      const found = this.findStep(c, String(x.step_id));
      const version = found?.step.body.versions.find((v: { id: string }) => v.id === x.version_id);
      if (!found || !version) return issues.add(at, "names an unknown step_id/version_id");
      const changes = parseVersionPatch(found.step, x, at, issues);
      later.push(() => Object.assign(version, changes));
    });
    items(edit.delivery_time, "delivery_time").forEach((x, i) => {
      const at = `delivery_time[${i}]`;
      if (!isObj(x)) return issues.add(at, "must be an object");
      const found = this.findStep(c, String(x.step_id));
      if (!found) return issues.add(at, "names an unknown step_id");
      const dt = parseDeliveryTime(x.delivery_time, `${at}.delivery_time`, issues);
      if (dt) later.push(() => (found.step.delivery_time = dt));
    });
    items(edit.followup_after, "followup_after").forEach((x, i) => {
      const at = `followup_after[${i}]`;
      if (!isObj(x)) return issues.add(at, "must be an object");
      const found = this.findStep(c, String(x.step_id));
      if (!found) return issues.add(at, "names an unknown step_id");
      const fa = parseFollowupAfter(x.followup_after, `${at}.followup_after`, issues);
      if (fa) later.push(() => (found.step.followup_after = fa));
    });
    if (!issues.ok) throw new ControlError(400, issues.list.join("; "));
    applyCampaign();
    for (const f of later) f();
    return this.render(c, true);
  }

  /** Delete a campaign in the app (ignores the workflow flag). */
  deleteOutside(id: number): void {
    this.mustGet(id);
    this.campaigns.delete(id);
  }

  /** Mark a step as having processed `prospects` prospects. */
  setProcessedProspects(id: number, stepId: string, prospects: number): Record<string, unknown> {
    const c = this.mustGet(id);
    const found = this.findStep(c, stepId);
    if (!found) throw new ControlError(404, `no step ${stepId} in campaign ${id}`);
    if (!Number.isSafeInteger(prospects) || prospects < 0) {
      throw new ControlError(400, "prospects must be a non-negative integer");
    }
    found.step.processedProspects = prospects;
    return this.render(c, true);
  }

  /** Change createStatus, the queue limits or the mailboxes at run time. */
  configure(cfg: { createStatus?: unknown; queue?: unknown; mailboxes?: unknown }): void {
    if (cfg.createStatus !== undefined && cfg.createStatus !== 200 && cfg.createStatus !== 201) {
      throw new ControlError(400, "createStatus must be 200 or 201");
    }
    if (cfg.queue !== undefined) {
      const q = cfg.queue;
      const okNum = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;
      if (!isObj(q) || !okNum(q.maxQueued) || !okNum(q.maxWaitMs)) {
        throw new ControlError(400, "queue must be {maxQueued: number >= 0, maxWaitMs: number >= 0}");
      }
    }
    if (cfg.mailboxes !== undefined && cfg.mailboxes !== null) {
      if (!Array.isArray(cfg.mailboxes) || !cfg.mailboxes.every(isPosInt)) {
        throw new ControlError(400, "mailboxes must be an array of positive integers or null");
      }
    }
    if (cfg.createStatus !== undefined) this.createStatus = cfg.createStatus as 200 | 201;
    if (isObj(cfg.queue)) {
      this.accountQueue = { maxQueued: Number(cfg.queue.maxQueued), maxWaitMs: Number(cfg.queue.maxWaitMs) };
    }
    if (cfg.mailboxes !== undefined)
      this.mailboxes = Array.isArray(cfg.mailboxes) ? [...cfg.mailboxes] : undefined;
  }

  private config(): Record<string, unknown> {
    return {
      createStatus: this.createStatus,
      queue: this.queue,
      mailboxes: this.mailboxes ?? null,
      accounts: [...new Set(this.accounts.values())].sort(),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Control routes

  protected async handleControl(ctx: RequestContext): Promise<HttpReply | undefined> {
    try {
      return this.control(ctx);
    } catch (e) {
      if (e instanceof ControlError) return new HttpReply(e.status, { error: e.message });
      throw e;
    }
  }

  private control(ctx: RequestContext): HttpReply | undefined {
    const body = (): Record<string, unknown> => {
      if (ctx.rawBody.length === 0) return {};
      const parsed = parseJson(ctx.rawBody);
      if (!parsed.ok) throw new ControlError(400, `malformed JSON: ${parsed.message}`);
      if (!isObj(parsed.value)) throw new ControlError(400, "the body must be a JSON object");
      return parsed.value;
    };
    const id = (raw: string): number => {
      const n = parseCampaignId(raw);
      if (n === undefined) throw new ControlError(400, `bad campaign id ${raw}`);
      return n;
    };
    const route = (method: string, pattern: string) =>
      ctx.method === method ? matchRoute(pattern, ctx.path) : undefined;
    const ok = (b: unknown) => new HttpReply(200, b);
    let m: Record<string, string> | undefined;

    if (route("GET", "/_emulator/campaigns")) {
      return ok({ campaigns: this.listCampaigns(ctx.query.get("account") ?? undefined) });
    }
    if ((m = route("GET", "/_emulator/campaigns/:id"))) {
      const c = this.inspectCampaign(id(m.id));
      return c ? ok(c) : new HttpReply(404, { error: `no campaign ${m.id}` });
    }
    if ((m = route("PATCH", "/_emulator/campaigns/:id"))) {
      return ok(this.editOutside(id(m.id), body() as WoodpeckerOutsideEdit));
    }
    if ((m = route("DELETE", "/_emulator/campaigns/:id"))) {
      this.deleteOutside(id(m.id));
      return ok({ ok: true });
    }
    if ((m = route("PUT", "/_emulator/campaigns/:id/workflow"))) {
      const b = body();
      if (typeof b.active !== "boolean") throw new ControlError(400, '{"active": boolean} expected');
      return ok(this.setInActiveWorkflow(id(m.id), b.active));
    }
    if ((m = route("POST", "/_emulator/campaigns/:id/transition"))) {
      const b = body();
      return ok(
        this.transition(id(m.id), b.status as WoodpeckerCampaignStatus, {
          bounceShield: b.bounceShield === true,
        }),
      );
    }
    if ((m = route("PUT", "/_emulator/campaigns/:id/steps/:stepId/processed"))) {
      const b = body();
      return ok(this.setProcessedProspects(id(m.id), m.stepId, b.prospects as number));
    }
    if (route("GET", "/_emulator/stats")) return ok(this.stats);
    if (route("DELETE", "/_emulator/stats")) {
      this.resetStats();
      return ok({ ok: true });
    }
    if (route("GET", "/_emulator/config")) return ok(this.config());
    if (route("PUT", "/_emulator/config")) {
      this.configure(body());
      return ok(this.config());
    }
    return undefined;
  }
}

/** v1 date style: "2025-02-10T13:14:57+0100". */
// emulator guess: rendered in UTC ("+0000"); the real offset is probably the account's.
function v1Date(d: Date): string {
  return `${d.toISOString().slice(0, 19)}+0000`;
}
