/**
 * Local emulator of the Burki campaigns API (`/api/v1/campaigns…`), built from
 * /work/shared/reference/burki-api.md. It copies the documented behaviour, quirks included:
 * FastAPI/Pydantic-v2 error bodies, the 307 trailing-slash redirect, 200 (not 201) on create,
 * 202 + polling on import-data, and the asynchronous `scheduled` → `running` hop after `start`.
 * Where the documentation is silent the choice is marked `// emulator guess:`.
 *
 * Control API (no auth, JSON), on top of the base routes in common.ts:
 *   GET    /_emulator/campaigns                          → {"campaigns":[full campaign + organization + contacts…]}
 *   GET    /_emulator/campaigns/:id                      → one full campaign
 *   POST   /_emulator/campaigns/:id/transition           {"status":…} forces a background transition
 *   PATCH  /_emulator/campaigns/:id                      edits fields "outside Pulumi", any status
 *   DELETE /_emulator/campaigns/:id                      deletes "outside Pulumi", any status
 *   POST   /_emulator/campaigns/:id/hooks                {"startBeforeNextDelete"?, "ignoreStop"?}
 *   PATCH  /_emulator/campaigns/:id/contacts/:contactId  {"status"?, "attempts"?} edits one contact
 *   GET    /_emulator/config                             → {startDelayMs, importDelayMs, crossOrgStatus}
 *   PUT    /_emulator/config                             {"startDelayMs"?, "importDelayMs"?, "crossOrgStatus"?}
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  EmulatorBase,
  HttpReply,
  matchRoute,
  parseJson,
  type EmulatorOptions,
  type RequestContext,
} from "./common";

/** `burki_` + 32 characters of [a-z0-9], the key format of the open-source backend. */
export const BURKI_EMULATOR_API_KEY = "burki_0123456789abcdefghijklmnopqrstuv";

export interface BurkiEmulatorOptions extends EmulatorOptions {
  /** Delay of the `scheduled` → `running` hop after `start`, in ms (default 200). */
  startDelayMs?: number;
  /** Delay before an accepted import is processed, in ms (default 30). */
  importDelayMs?: number;
  /** Status for another organisation's campaign (default 404). */
  crossOrgStatus?: 403 | 404;
  /** API key → organisation id; default `{ [BURKI_EMULATOR_API_KEY]: "org-1" }`. */
  organizations?: Record<string, string>;
}

export type BurkiCampaignStatus =
  "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled" | "failed";
export type BurkiContactStatus =
  | "pending"
  | "in_progress"
  | "completed"
  | "failed"
  | "skipped"
  | "no_answer"
  | "busy"
  | "voicemail"
  | "cancelled";

const CAMPAIGN_STATUSES: readonly BurkiCampaignStatus[] = [
  "draft",
  "scheduled",
  "running",
  "paused",
  "completed",
  "cancelled",
  "failed",
];
const CONTACT_STATUSES: readonly BurkiContactStatus[] = [
  "pending",
  "in_progress",
  "completed",
  "failed",
  "skipped",
  "no_answer",
  "busy",
  "voicemail",
  "cancelled",
];
/** Contact statuses that count as failed (re-execute `failed_only` selects them). */
const FAILED_LIKE = new Set<BurkiContactStatus>(["failed", "no_answer", "busy", "voicemail"]);

const DEFAULT_ORG = "org-1";
const NOT_FOUND = { detail: "Campaign not found" };
const FORBIDDEN = { detail: "Forbidden - campaign belongs to different organization" };
const AUTH_REQUIRED = { detail: "Authentication required. Provide a valid API key or login session." };

interface BurkiContact {
  id: number;
  phone_number: string;
  contact_data: { variable_values: Record<string, string>; custom_fields: Record<string, unknown> };
  status: BurkiContactStatus;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
}

interface BurkiExecution {
  id: number;
  contact_id: number;
  contact_name: string | null;
  contact_phone: string;
  status: string;
  call_id: string | null;
  sms_id: string | null;
  executed_at: string;
  execution_data: Record<string, unknown>;
}

interface BurkiImport {
  id: number;
  campaign_id: number;
  status: "pending" | "processing" | "completed" | "failed";
  file_name: string;
  total_rows: number;
  imported_count: number;
  skipped_count: number;
  invalid_count: number;
  error: string | null;
  created_at: string;
  completed_at: string | null;
  /** Parsed at upload time, processed after `importDelayMs`. */
  header: string[];
  rows: string[][];
  columnMappings: Record<string, string>;
}

interface BurkiSchedule {
  schedule_type: "immediate" | "scheduled" | "recurring";
  scheduled_at: string | null;
  timezone: string;
  recurring_config: Record<string, unknown> | null;
}

interface BurkiCampaign {
  id: number;
  organization: string;
  name: string;
  description: string | null;
  campaign_type: string;
  status: BurkiCampaignStatus;
  assistant_id: number;
  welcome_message_template: string | null;
  agenda_template: string | null;
  end_call_message_template: string | null;
  sms_message_template: string | null;
  fallback_values: Record<string, string>;
  variable_mappings: Record<string, string>;
  available_variables: string[];
  pending_import: unknown;
  max_attempts: number;
  retry_delay_minutes: number;
  created_at: string;
  updated_at: string;
  last_import_file_name: string | null;
  last_import_date: string | null;
  last_import_row_count: number | null;
  started_at: string | null;
  completed_at: string | null;
  schedule: BurkiSchedule;
  contacts: BurkiContact[];
  executions: BurkiExecution[];
  imports: BurkiImport[];
  hooks: { startBeforeNextDelete: boolean; ignoreStop: boolean };
}

// ---------------------------------------------------------------------------------------------
// Pydantic-v2-style validation

type Loc = Array<string | number>;

interface ValidationIssue {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

class Validation {
  readonly issues: ValidationIssue[] = [];

  /** Record an issue; returns undefined so validators can `return this.add(…)`. */
  add(type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): undefined {
    this.issues.push(ctx ? { type, loc, msg, input, ctx } : { type, loc, msg, input });
    return undefined;
  }

  get failed(): boolean {
    return this.issues.length > 0;
  }

  reply(): HttpReply {
    return new HttpReply(422, { detail: this.issues });
  }

  /** An integer in lax mode: ints, integral floats, bools and numeric strings. */
  int(loc: Loc, v: unknown, bounds: { ge?: number; le?: number } = {}): number | undefined {
    let n: number | undefined;
    if (typeof v === "boolean") n = v ? 1 : 0;
    else if (typeof v === "number") {
      if (!Number.isFinite(v)) return this.add("finite_number", loc, "Input should be a finite number", v);
      if (!Number.isInteger(v)) {
        return this.add(
          "int_from_float",
          loc,
          "Input should be a valid integer, got a number with a fractional part",
          v,
        );
      }
      n = v;
    } else if (typeof v === "string") {
      const s = v.trim();
      if (!/^[+-]?\d+(\.0*)?$/.test(s)) {
        return this.add(
          "int_parsing",
          loc,
          "Input should be a valid integer, unable to parse string as an integer",
          v,
        );
      }
      n = Math.trunc(Number(s));
    } else return this.add("int_type", loc, "Input should be a valid integer", v);
    if (bounds.ge !== undefined && n < bounds.ge) {
      return this.add("greater_than_equal", loc, `Input should be greater than or equal to ${bounds.ge}`, v, {
        ge: bounds.ge,
      });
    }
    if (bounds.le !== undefined && n > bounds.le) {
      return this.add("less_than_equal", loc, `Input should be less than or equal to ${bounds.le}`, v, {
        le: bounds.le,
      });
    }
    return n;
  }

  /** A string (Pydantic v2 does not coerce numbers to strings). */
  str(loc: Loc, v: unknown, bounds: { min?: number; max?: number } = {}): string | undefined {
    if (typeof v !== "string") return this.add("string_type", loc, "Input should be a valid string", v);
    const len = [...v].length;
    if (bounds.min !== undefined && len < bounds.min) {
      const unit = bounds.min === 1 ? "character" : "characters";
      return this.add("string_too_short", loc, `String should have at least ${bounds.min} ${unit}`, v, {
        min_length: bounds.min,
      });
    }
    if (bounds.max !== undefined && len > bounds.max) {
      const unit = bounds.max === 1 ? "character" : "characters";
      return this.add("string_too_long", loc, `String should have at most ${bounds.max} ${unit}`, v, {
        max_length: bounds.max,
      });
    }
    return v;
  }

  /** `Dict[str, str]`. */
  strDict(loc: Loc, v: unknown): Record<string, string> | undefined {
    if (!isPlainObject(v)) return this.add("dict_type", loc, "Input should be a valid dictionary", v);
    const before = this.issues.length;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) {
      const s = this.str([...loc, k], val);
      if (s !== undefined) out[k] = s;
    }
    return this.issues.length === before ? out : undefined;
  }

  /** `List[str]`. */
  strList(loc: Loc, v: unknown): string[] | undefined {
    if (!Array.isArray(v)) return this.add("list_type", loc, "Input should be a valid list", v);
    const before = this.issues.length;
    const out = v.map((item, i) => this.str([...loc, i], item) ?? "");
    return this.issues.length === before ? out : undefined;
  }

  dict(loc: Loc, v: unknown): Record<string, unknown> | undefined {
    if (!isPlainObject(v)) return this.add("dict_type", loc, "Input should be a valid dictionary", v);
    return v;
  }
}

type FieldKind = "str" | "int" | "strDict" | "strList" | "dict";

interface FieldSpec {
  name: string;
  kind: FieldKind;
  required?: boolean;
  nullable?: boolean;
  min?: number;
  max?: number;
  ge?: number;
  le?: number;
}

const TEMPLATE_FIELDS = [
  "welcome_message_template",
  "agenda_template",
  "end_call_message_template",
  "sms_message_template",
] as const;

/** CampaignCreateRequest (§4.1), in declaration order (Pydantic reports errors in that order). */
const CREATE_FIELDS: FieldSpec[] = [
  { name: "name", kind: "str", required: true, min: 1, max: 200 },
  { name: "description", kind: "str", nullable: true },
  { name: "campaign_type", kind: "str", required: true },
  { name: "assistant_id", kind: "int", required: true },
  ...TEMPLATE_FIELDS.map((name): FieldSpec => ({ name, kind: "str", nullable: true })),
  { name: "max_attempts", kind: "int", ge: 1, le: 10 },
  { name: "retry_delay_minutes", kind: "int", ge: 5, le: 1440 },
  { name: "fallback_values", kind: "strDict", nullable: true },
  { name: "variable_mappings", kind: "strDict", nullable: true },
  { name: "available_variables", kind: "strList", nullable: true },
  // emulator guess: pending_import is an "object (any)" in the OAS, so a non-object is a dict_type 422.
  { name: "pending_import", kind: "dict", nullable: true },
];

/** CampaignUpdateRequest (§4.4): everything optional and nullable, no length or range limits. */
const UPDATE_FIELDS: FieldSpec[] = [
  { name: "name", kind: "str", nullable: true },
  { name: "description", kind: "str", nullable: true },
  ...TEMPLATE_FIELDS.map((name): FieldSpec => ({ name, kind: "str", nullable: true })),
  { name: "max_attempts", kind: "int", nullable: true },
  { name: "retry_delay_minutes", kind: "int", nullable: true },
  { name: "fallback_values", kind: "strDict", nullable: true },
  { name: "variable_mappings", kind: "strDict", nullable: true },
  { name: "available_variables", kind: "strList", nullable: true },
  { name: "pending_import", kind: "dict", nullable: true },
];

/** Validate a model body; returns only the fields that were present (unknown keys dropped). */
function validateModel(
  v: Validation,
  body: Record<string, unknown>,
  fields: FieldSpec[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const loc: Loc = ["body", f.name];
    if (!(f.name in body)) {
      if (f.required) v.add("missing", loc, "Field required", body);
      continue;
    }
    const raw = body[f.name];
    if (raw === null && f.nullable) {
      out[f.name] = null;
      continue;
    }
    let value: unknown;
    switch (f.kind) {
      case "str":
        value = v.str(loc, raw, { min: f.min, max: f.max });
        break;
      case "int":
        value = v.int(loc, raw, { ge: f.ge, le: f.le });
        break;
      case "strDict":
        value = v.strDict(loc, raw);
        break;
      case "strList":
        value = v.strList(loc, raw);
        break;
      case "dict":
        value = v.dict(loc, raw);
        break;
    }
    if (value !== undefined) out[f.name] = value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// CSV, phones, templates (exported for unit tests)

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
function parseColumnMappings(raw: string | null): Record<string, string> | undefined {
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
function columnTargets(
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

const SYSTEM_DEFAULTS: Record<string, string> = {
  name: "there",
  company: "our company",
  assistant_name: "your assistant",
};

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[^a-z0-9'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function phoneFormat(s: string): string {
  const d = s.replace(/\D/g, "");
  const us = d.length === 11 && d.startsWith("1") ? d.slice(1) : d.length === 10 ? d : undefined;
  // emulator guess: US numbers as (555) 123-4567, anything else unchanged.
  return us ? `(${us.slice(0, 3)}) ${us.slice(3, 6)}-${us.slice(6)}` : s;
}

function pythonStr(v: unknown): string {
  if (v === null) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return JSON.stringify(v);
}

/**
 * A small Jinja2 subset: `{{ var }}`, `{{ var | filter }}` with upper, lower, title, title_case,
 * phone_format, default('x'). Unknown variables render empty (Jinja's Undefined).
 */
export function renderTemplate(
  template: string,
  variables: Record<string, unknown>,
): { ok: true; text: string } | { ok: false; error: string } {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{{", i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf("}}", open + 2);
    if (close < 0)
      return { ok: false, error: "unexpected end of template, expected 'end of print statement'." };
    const expr = template.slice(open + 2, close).trim();
    const [head, ...filters] = expr.split("|").map((p) => p.trim());
    if (!head) return { ok: false, error: "Expected an expression, got 'end of print statement'" };
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(head)) return { ok: false, error: `unexpected '${head[0]}'` };
    const given = Object.prototype.hasOwnProperty.call(variables, head);
    const known = given || head in SYSTEM_DEFAULTS;
    // emulator guess: an unknown variable renders empty (Jinja's default Undefined); `{% … %}` blocks
    // are not supported and pass through literally.
    let value: string | undefined = given ? pythonStr(variables[head]) : SYSTEM_DEFAULTS[head];
    for (const f of filters) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/.exec(f);
      if (!m) return { ok: false, error: `unexpected '${f[0] ?? "|"}'` };
      const [, fname, args] = m;
      if (fname === "upper") value = (value ?? "").toUpperCase();
      else if (fname === "lower") value = (value ?? "").toLowerCase();
      else if (fname === "title" || fname === "title_case") value = titleCase(value ?? "");
      else if (fname === "phone_format") value = phoneFormat(value ?? "");
      else if (fname === "default" || fname === "d") {
        if (!known) {
          const a = /^\s*(['"])(.*)\1\s*$/.exec(args ?? "");
          value = a ? a[2] : (args ?? "").trim();
        }
      } else return { ok: false, error: `No filter named '${fname}'.` };
    }
    out += value ?? "";
    i = close + 2;
  }
  return { ok: true, text: out };
}

/**
 * Where JSON.parse gave up, for V8 messages without a position ("Unexpected token 'x', …"): the
 * first prefix that fails for a reason other than running out of input.
 */
function jsonErrorOffset(text: string): number {
  if (text.length > 65_536) return 0;
  for (let k = 1; k <= text.length; k++) {
    try {
      JSON.parse(text.slice(0, k));
    } catch (e) {
      const message = (e as Error).message;
      if (/end of JSON input/i.test(message)) continue;
      const m = /position (\d+)/.exec(message);
      const pos = m ? Number(m[1]) : k - 1;
      if (pos < k) return pos;
    }
  }
  return 0;
}

/** Python-ish `json.JSONDecodeError.msg` for a JavaScript JSON.parse message. */
function pythonJsonError(message: string): string {
  if (/after property name/i.test(message)) return "Expecting ':' delimiter";
  if (/property name/i.test(message)) return "Expecting property name enclosed in double quotes";
  if (/after (array element|property value)/i.test(message)) return "Expecting ',' delimiter";
  if (/non-whitespace character after JSON/i.test(message)) return "Extra data";
  if (/unterminated string/i.test(message)) return "Unterminated string starting at";
  return "Expecting value";
}

// ---------------------------------------------------------------------------------------------
// Routing

type BodyValue = { kind: "absent" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string };

interface ApiCall {
  ctx: RequestContext;
  params: Record<string, string>;
  org: string;
  body: BodyValue;
  form?: FormData;
}

interface RouteSpec {
  body?: "json" | "form";
  handler: (call: ApiCall) => HttpReply | Promise<HttpReply>;
}

interface RouteDef {
  pattern: string;
  methods: Record<string, RouteSpec>;
}

type RouteMatch =
  | { kind: "none" }
  | { kind: "method"; allow: string[] }
  | { kind: "ok"; spec: RouteSpec; params: Record<string, string> };

const CAMPAIGNS = "/api/v1/campaigns";

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  try {
    const params = matchRoute(pattern, path);
    // Starlette's `{param}` matches one or more characters.
    if (params && Object.values(params).some((v) => v === "")) return undefined;
    return params;
  } catch {
    return undefined; // malformed %-escape
  }
}

function isJsonContentType(ct: string): boolean {
  const mime = ct.split(";")[0].trim().toLowerCase();
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

// ---------------------------------------------------------------------------------------------

export class BurkiEmulator extends EmulatorBase {
  readonly platform = "burki";
  startDelayMs: number;
  importDelayMs: number;
  crossOrgStatus: 403 | 404;
  readonly organizations: Record<string, string>;

  private readonly campaigns = new Map<number, BurkiCampaign>();
  private nextCampaignId = 1;
  private nextContactId = 1;
  private nextImportId = 1;
  private nextExecutionId = 1;
  private lastNow = 0;
  private readonly startTimers = new Map<number, NodeJS.Timeout>();
  private readonly importTimers = new Set<NodeJS.Timeout>();
  private readonly routes: RouteDef[];

  constructor(opts: BurkiEmulatorOptions = {}) {
    super(opts);
    this.startDelayMs = opts.startDelayMs ?? 200;
    this.importDelayMs = opts.importDelayMs ?? 30;
    this.crossOrgStatus = opts.crossOrgStatus ?? 404;
    this.organizations = { ...(opts.organizations ?? { [BURKI_EMULATOR_API_KEY]: DEFAULT_ORG }) };
    const c = CAMPAIGNS;
    this.routes = [
      {
        pattern: `${c}/`,
        methods: {
          GET: { handler: (a) => this.listCampaigns(a) },
          POST: { body: "json", handler: (a) => this.createCampaign(a) },
        },
      },
      {
        pattern: `${c}/template-preview`,
        methods: { POST: { body: "json", handler: (a) => this.templatePreview(a) } },
      },
      {
        pattern: `${c}/:campaign_id`,
        methods: {
          GET: { handler: (a) => this.getCampaign(a) },
          PUT: { body: "json", handler: (a) => this.updateCampaign(a) },
          DELETE: { handler: (a) => this.deleteCampaign(a) },
        },
      },
      { pattern: `${c}/:campaign_id/contacts`, methods: { GET: { handler: (a) => this.listContacts(a) } } },
      {
        pattern: `${c}/:campaign_id/import-data`,
        methods: { POST: { body: "form", handler: (a) => this.importData(a) } },
      },
      {
        pattern: `${c}/:campaign_id/imports/:import_id`,
        methods: { GET: { handler: (a) => this.getImport(a) } },
      },
      {
        pattern: `${c}/:campaign_id/schedule`,
        methods: {
          GET: { handler: (a) => this.getSchedule(a) },
          POST: { body: "json", handler: (a) => this.saveSchedule(a) },
        },
      },
      { pattern: `${c}/:campaign_id/start`, methods: { POST: { handler: (a) => this.startCampaign(a) } } },
      {
        pattern: `${c}/:campaign_id/unschedule`,
        methods: { POST: { handler: (a) => this.unscheduleCampaign(a) } },
      },
      { pattern: `${c}/:campaign_id/pause`, methods: { POST: { handler: (a) => this.pauseCampaign(a) } } },
      { pattern: `${c}/:campaign_id/stop`, methods: { POST: { handler: (a) => this.stopCampaign(a) } } },
      {
        pattern: `${c}/:campaign_id/re-execute`,
        methods: { POST: { body: "json", handler: (a) => this.reExecute(a) } },
      },
      { pattern: `${c}/:campaign_id/progress`, methods: { GET: { handler: (a) => this.getProgress(a) } } },
      {
        pattern: `${c}/:campaign_id/executions`,
        methods: { GET: { handler: (a) => this.listExecutions(a) } },
      },
    ];
  }

  get baseUrl(): string {
    return this.origin;
  }

  protected override tooManyRequestsBody(): unknown {
    return { detail: "Too Many Requests" };
  }

  protected override serverErrorBody(): unknown {
    return { detail: "Internal Server Error" };
  }

  protected override onStop(): void {
    this.clearTimers();
  }

  protected resetData(): void {
    this.clearTimers();
    this.campaigns.clear();
    this.nextCampaignId = 1;
    this.nextContactId = 1;
    this.nextImportId = 1;
    this.nextExecutionId = 1;
  }

  private clearTimers(): void {
    for (const t of this.startTimers.values()) clearTimeout(t);
    this.startTimers.clear();
    for (const t of this.importTimers) clearTimeout(t);
    this.importTimers.clear();
  }

  /** ISO-8601 with `Z`, strictly increasing so every bump of `updated_at` is visible. */
  private now(): string {
    this.lastNow = Math.max(Date.now(), this.lastNow + 1);
    return new Date(this.lastNow).toISOString();
  }

  // -------------------------------------------------------------------------------------------
  // Request pipeline: route (404/405/307) → body parse (422 json_invalid) → auth (401) → handler

  private route(path: string, method: string): RouteMatch {
    let allow: string[] | undefined;
    for (const r of this.routes) {
      const params = matchPath(r.pattern, path);
      if (!params) continue;
      const spec = r.methods[method];
      if (spec) return { kind: "ok", spec, params };
      allow ??= Object.keys(r.methods);
    }
    return allow ? { kind: "method", allow } : { kind: "none" };
  }

  protected async handleApi(ctx: RequestContext): Promise<HttpReply> {
    const found = this.route(ctx.path, ctx.method);
    if (found.kind === "none") {
      // FastAPI's redirect_slashes: the other spelling of a known path answers 307 (any method).
      if (ctx.path !== "/") {
        const alt = ctx.path.endsWith("/") ? ctx.path.slice(0, -1) : ctx.path + "/";
        if (this.route(alt, ctx.method).kind !== "none") {
          const qs = ctx.query.toString();
          return new HttpReply(307, undefined, { location: `${this.origin}${alt}${qs ? `?${qs}` : ""}` });
        }
      }
      // FastAPI/Starlette: a path with no route is 404 {"detail":"Not Found"}, before any dependency
      // (auth included) runs. Clients must not read it as "campaign not found" ({"detail":
      // "Campaign not found"}, from the handlers): it means a wrong base URL.
      return new HttpReply(404, { detail: "Not Found" });
    }
    if (found.kind === "method") {
      return new HttpReply(405, { detail: "Method Not Allowed" }, { allow: found.allow.join(", ") });
    }
    const { spec, params } = found;

    // The body is read and decoded before any dependency (auth included) runs.
    let body: BodyValue = { kind: "absent" };
    let form: FormData | undefined;
    const ct = ctx.headers["content-type"];
    if (spec.body === "json" && ctx.rawBody.length > 0) {
      if (!ct || isJsonContentType(ct)) {
        const parsed = parseJson(ctx.rawBody);
        if (!parsed.ok) {
          const text = ctx.rawBody.toString("utf8");
          const position = /end of JSON input/i.test(parsed.message)
            ? text.length
            : /position \d+/.test(parsed.message)
              ? parsed.position
              : jsonErrorOffset(text);
          return new HttpReply(422, {
            detail: [
              {
                type: "json_invalid",
                loc: ["body", position],
                msg: "JSON decode error",
                input: {},
                ctx: { error: pythonJsonError(parsed.message) },
              },
            ],
          });
        }
        body = { kind: "json", value: parsed.value };
      } else {
        body = { kind: "raw", text: ctx.rawBody.toString("utf8") };
      }
    } else if (spec.body === "form") {
      const mime = (ct ?? "").split(";")[0].trim().toLowerCase();
      if (mime === "multipart/form-data" || mime === "application/x-www-form-urlencoded") {
        try {
          form = await new Request("http://x", {
            method: "POST",
            headers: { "content-type": ct ?? "" },
            body: ctx.rawBody,
          }).formData();
        } catch {
          return new HttpReply(400, { detail: "There was an error parsing the body" });
        }
      } else form = new FormData(); // Starlette: any other content type reads as an empty form
    }

    const org = this.authenticate(ctx);
    if (org === undefined) return new HttpReply(401, AUTH_REQUIRED, { "www-authenticate": "Bearer" });
    return spec.handler({ ctx, params, org, body, form });
  }

  private authenticate(ctx: RequestContext): string | undefined {
    const header = ctx.headers.authorization;
    if (!header) return undefined;
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    const key = m[1];
    if (Object.prototype.hasOwnProperty.call(this.organizations, key)) return this.organizations[key];
    return this.apiKeys.has(key) ? DEFAULT_ORG : undefined;
  }

  /** The campaign for a validated id, or the 404/403 reply. */
  private lookup(id: number, org: string): BurkiCampaign | HttpReply {
    const c = this.campaigns.get(id);
    if (!c) return new HttpReply(404, NOT_FOUND);
    if (c.organization !== org) {
      return this.crossOrgStatus === 403 ? new HttpReply(403, FORBIDDEN) : new HttpReply(404, NOT_FOUND);
    }
    return c;
  }

  /** Validate `campaign_id` and fetch the campaign (for routes with no other parameters). */
  private campaignFor(call: ApiCall): BurkiCampaign | HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    if (v.failed || id === undefined) return v.reply();
    return this.lookup(id, call.org);
  }

  /** A required body: `model` → model_attributes_type, `dict` → dict_type when not an object. */
  private objectBody(
    v: Validation,
    body: BodyValue,
    kind: "model" | "dict",
  ): Record<string, unknown> | undefined {
    if (body.kind === "absent") {
      v.add("missing", ["body"], "Field required", null);
      return undefined;
    }
    const value = body.kind === "json" ? body.value : body.text;
    if (isPlainObject(value)) return value;
    if (kind === "model") {
      v.add(
        "model_attributes_type",
        ["body"],
        "Input should be a valid dictionary or object to extract fields from",
        value,
      );
    } else v.add("dict_type", ["body"], "Input should be a valid dictionary", value);
    return undefined;
  }

  private pagination(v: Validation, q: URLSearchParams): { page: number; perPage: number } {
    const page = q.has("page") ? v.int(["query", "page"], q.get("page"), { ge: 1 }) : 1;
    const perPage = q.has("per_page")
      ? v.int(["query", "per_page"], q.get("per_page"), { ge: 1, le: 1000 })
      : 50;
    return { page: page ?? 1, perPage: perPage ?? 50 };
  }

  private paginate<T>(items: T[], page: number, perPage: number): { items: T[]; pagination: unknown } {
    const total = items.length;
    const totalPages = Math.ceil(total / perPage); // emulator guess: 0 pages when there are no items
    return {
      items: items.slice((page - 1) * perPage, page * perPage),
      pagination: {
        page,
        per_page: perPage,
        total_items: total,
        total_pages: totalPages,
        has_next: page < totalPages,
        has_prev: page > 1,
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Views

  private counters(c: BurkiCampaign): { total: number; completed: number; failed: number } {
    let completed = 0;
    let failed = 0;
    for (const k of c.contacts) {
      if (k.status === "completed") completed++;
      else if (FAILED_LIKE.has(k.status)) failed++;
    }
    return { total: c.contacts.length, completed, failed };
  }

  /** The campaign object of GET (§4.2); `assistant_name` is left out of the create response. */
  private campaignView(c: BurkiCampaign, withAssistantName = true): Record<string, unknown> {
    const n = this.counters(c);
    return structuredClone({
      id: c.id,
      name: c.name,
      description: c.description,
      campaign_type: c.campaign_type,
      status: c.status,
      assistant_id: c.assistant_id,
      ...(withAssistantName ? { assistant_name: assistantName(c.assistant_id) } : {}),
      welcome_message_template: c.welcome_message_template,
      agenda_template: c.agenda_template,
      end_call_message_template: c.end_call_message_template,
      sms_message_template: c.sms_message_template,
      fallback_values: c.fallback_values,
      variable_mappings: c.variable_mappings,
      available_variables: c.available_variables,
      max_attempts: c.max_attempts,
      retry_delay_minutes: c.retry_delay_minutes,
      total_contacts: n.total,
      completed_contacts: n.completed,
      failed_contacts: n.failed,
      created_at: c.created_at,
      updated_at: c.updated_at,
      last_import_file_name: c.last_import_file_name,
      last_import_date: c.last_import_date,
      last_import_row_count: c.last_import_row_count,
      started_at: c.started_at,
      completed_at: c.completed_at,
    });
  }

  private metrics(c: BurkiCampaign): Record<string, number> {
    const n = this.counters(c);
    const done = n.completed + n.failed;
    return {
      success_rate: done ? round2((n.completed / done) * 100) : 0,
      answer_rate: done ? round2((n.completed / done) * 100) : 0,
      average_duration_seconds: 0,
      total_duration_seconds: 0,
      actual_cost: 0,
    };
  }

  private summaryView(c: BurkiCampaign): Record<string, unknown> {
    const n = this.counters(c);
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      campaign_type: c.campaign_type,
      status: c.status,
      assistant_id: c.assistant_id,
      assistant_name: assistantName(c.assistant_id),
      total_contacts: n.total,
      completed_contacts: n.completed,
      failed_contacts: n.failed,
      created_at: c.created_at,
      started_at: c.started_at,
      completed_at: c.completed_at,
      metrics: this.metrics(c),
    };
  }

  private contactView(k: BurkiContact): Record<string, unknown> {
    return structuredClone({
      id: k.id,
      phone_number: k.phone_number,
      contact_data: k.contact_data,
      status: k.status,
      attempts: k.attempts,
      created_at: k.created_at,
      last_attempt_at: k.last_attempt_at,
    });
  }

  private importView(j: BurkiImport): Record<string, unknown> {
    return {
      id: j.id,
      import_id: j.id,
      campaign_id: j.campaign_id,
      status: j.status,
      file_name: j.file_name,
      total_rows: j.total_rows,
      imported_count: j.imported_count,
      skipped_count: j.skipped_count,
      invalid_count: j.invalid_count,
      error: j.error,
      created_at: j.created_at,
      completed_at: j.completed_at,
    };
  }

  private scheduleView(c: BurkiCampaign): Record<string, unknown> {
    return structuredClone({
      schedule_type: c.schedule.schedule_type,
      scheduled_at: c.schedule.scheduled_at,
      recurring_config: c.schedule.recurring_config,
    });
  }

  /** Control-API view: everything, contacts included. */
  private fullView(c: BurkiCampaign): Record<string, unknown> {
    return {
      ...this.campaignView(c),
      organization: c.organization,
      pending_import: structuredClone(c.pending_import),
      schedule: structuredClone(c.schedule),
      hooks: { ...c.hooks },
      contacts: c.contacts.map((k) => this.contactView(k)),
      imports: c.imports.map((j) => this.importView(j)),
      executions: structuredClone(c.executions),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Status changes

  /** Every status change goes through here, so a pending `scheduled` → `running` hop is dropped. */
  private setStatus(c: BurkiCampaign, status: BurkiCampaignStatus): void {
    this.dropRunningHop(c.id);
    c.status = status;
    if (status === "running") c.started_at ??= this.now();
  }

  private dropRunningHop(id: number): void {
    const t = this.startTimers.get(id);
    if (t) {
      clearTimeout(t);
      this.startTimers.delete(id);
    }
  }

  private cancel(c: BurkiCampaign): void {
    this.setStatus(c, "cancelled");
    for (const k of c.contacts) if (k.status === "pending") k.status = "cancelled";
    c.completed_at = this.now();
  }

  private complete(c: BurkiCampaign): void {
    this.setStatus(c, "completed");
    const at = this.now();
    for (const k of c.contacts) {
      if (k.status !== "pending" && k.status !== "in_progress") continue;
      k.status = "completed";
      k.attempts += 1;
      k.last_attempt_at = at;
      const id = this.nextExecutionId++;
      c.executions.push({
        id,
        contact_id: k.id,
        contact_name: k.contact_data.variable_values.name ?? null,
        contact_phone: k.phone_number,
        status: "completed",
        call_id: "CA" + randomBytes(16).toString("hex"),
        sms_id: null,
        executed_at: at,
        execution_data: {
          from_number: "+15550001234",
          to_number: k.phone_number,
          template_variables_used: { ...k.contact_data.variable_values },
          duration_seconds: 0,
        },
      });
    }
    c.started_at ??= at;
    c.completed_at = at;
  }

  private scheduleRunningHop(c: BurkiCampaign): void {
    const id = c.id;
    const timer = setTimeout(() => {
      this.startTimers.delete(id);
      const cur = this.campaigns.get(id);
      // The worker re-checks the status (the stale-task guard): only a still-scheduled campaign runs.
      if (cur && cur.status === "scheduled") this.setStatus(cur, "running");
    }, this.startDelayMs);
    timer.unref();
    this.startTimers.set(id, timer);
  }

  // -------------------------------------------------------------------------------------------
  // Handlers

  private listCampaigns(call: ApiCall): HttpReply {
    const q = call.ctx.query;
    const v = new Validation();
    const { page, perPage } = this.pagination(v, q);
    const assistantId = q.has("assistant_id")
      ? v.int(["query", "assistant_id"], q.get("assistant_id"))
      : undefined;
    if (v.failed) return v.reply();
    const status = q.get("status");
    const type = q.get("campaign_type");
    const search = q.get("search")?.toLowerCase();
    const items = [...this.campaigns.values()]
      .filter((c) => c.organization === call.org)
      .filter((c) => !status || c.status === status)
      .filter((c) => !type || c.campaign_type === type)
      .filter((c) => assistantId === undefined || c.assistant_id === assistantId)
      .filter(
        (c) =>
          !search ||
          c.name.toLowerCase().includes(search) ||
          (c.description ?? "").toLowerCase().includes(search),
      )
      // emulator guess: newest first (the order is undocumented).
      .sort((a, b) => b.id - a.id);
    const p = this.paginate(items, page, perPage);
    return new HttpReply(200, {
      campaigns: p.items.map((c) => this.summaryView(c)),
      pagination: p.pagination,
    });
  }

  private createCampaign(call: ApiCall): HttpReply {
    const v = new Validation();
    const body = this.objectBody(v, call.body, "model");
    const f = body ? validateModel(v, body, CREATE_FIELDS) : {};
    if (v.failed) return v.reply();
    // emulator guess: campaign_type is not checked against call/sms/mixed and any assistant_id is
    // accepted (the handler's behaviour for unknown values is undocumented).
    const at = this.now();
    const c: BurkiCampaign = {
      id: this.nextCampaignId++,
      organization: call.org,
      name: f.name as string,
      description: (f.description as string | null | undefined) ?? null,
      campaign_type: f.campaign_type as string,
      status: "draft",
      assistant_id: f.assistant_id as number,
      welcome_message_template: (f.welcome_message_template as string | null | undefined) ?? null,
      agenda_template: (f.agenda_template as string | null | undefined) ?? null,
      end_call_message_template: (f.end_call_message_template as string | null | undefined) ?? null,
      sms_message_template: (f.sms_message_template as string | null | undefined) ?? null,
      // emulator guess: null/absent maps and lists read back as {} / [] (as in the create example).
      fallback_values: (f.fallback_values as Record<string, string> | null | undefined) ?? {},
      variable_mappings: (f.variable_mappings as Record<string, string> | null | undefined) ?? {},
      available_variables: (f.available_variables as string[] | null | undefined) ?? [],
      pending_import: f.pending_import ?? null,
      max_attempts: (f.max_attempts as number | undefined) ?? 3,
      retry_delay_minutes: (f.retry_delay_minutes as number | undefined) ?? 30,
      created_at: at,
      updated_at: at,
      last_import_file_name: null,
      last_import_date: null,
      last_import_row_count: null,
      started_at: null,
      completed_at: null,
      schedule: { schedule_type: "immediate", scheduled_at: null, timezone: "UTC", recurring_config: null },
      contacts: [],
      executions: [],
      imports: [],
      hooks: { startBeforeNextDelete: false, ignoreStop: false },
    };
    this.campaigns.set(c.id, c);
    // Create answers 200 (not 201) with the campaign, without assistant_name.
    return new HttpReply(200, this.campaignView(c, false));
  }

  private getCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    return new HttpReply(200, this.campaignView(c));
  }

  private updateCampaign(call: ApiCall): HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const body = this.objectBody(v, call.body, "model");
    const f = body ? validateModel(v, body, UPDATE_FIELDS) : {};
    if (v.failed || id === undefined) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    if (c.status !== "draft" && c.status !== "paused") {
      return new HttpReply(400, { detail: "Cannot update running or completed campaigns" });
    }
    // emulator guess: null or absent leaves a field unchanged; no length/range re-validation (the
    // update schema has none); campaign_type, assistant_id and status are not in the schema.
    const target = c as unknown as Record<string, unknown>;
    for (const [k, val] of Object.entries(f)) if (val !== null) target[k] = val;
    c.updated_at = this.now();
    return new HttpReply(200, { message: "Campaign updated successfully" });
  }

  private deleteCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    if (c.hooks.startBeforeNextDelete) {
      // Test hook: the scheduled run fires between the client's GET and this DELETE.
      c.hooks.startBeforeNextDelete = false;
      this.setStatus(c, "running");
    }
    if (c.status === "running") {
      return new HttpReply(400, { detail: "Cannot delete running campaign - stop it first" });
    }
    this.removeCampaign(c);
    return new HttpReply(200, { message: "Campaign deleted successfully" });
  }

  private removeCampaign(c: BurkiCampaign): void {
    this.dropRunningHop(c.id);
    for (const j of c.imports) j.status = j.status === "pending" ? "failed" : j.status;
    this.campaigns.delete(c.id);
  }

  private listContacts(call: ApiCall): HttpReply {
    const q = call.ctx.query;
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const { page, perPage } = this.pagination(v, q);
    if (v.failed || id === undefined) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    const status = q.get("status");
    if (status && !CONTACT_STATUSES.includes(status as BurkiContactStatus)) {
      return new HttpReply(400, { detail: "Invalid status value" });
    }
    // emulator guess: contacts in import order (ascending id).
    const items = c.contacts.filter((k) => !status || k.status === status);
    const p = this.paginate(items, page, perPage);
    return new HttpReply(200, {
      contacts: p.items.map((k) => this.contactView(k)),
      pagination: p.pagination,
    });
  }

  private templatePreview(call: ApiCall): HttpReply {
    const v = new Validation();
    const body = this.objectBody(v, call.body, "model");
    let template: string | undefined;
    let variables: Record<string, unknown> | undefined;
    if (body) {
      if (!("template" in body)) v.add("missing", ["body", "template"], "Field required", body);
      else template = v.str(["body", "template"], body.template);
      if (!("variables" in body)) v.add("missing", ["body", "variables"], "Field required", body);
      else variables = v.dict(["body", "variables"], body.variables);
    }
    if (v.failed || template === undefined || variables === undefined) return v.reply();
    const r = renderTemplate(template, variables);
    if (!r.ok)
      return new HttpReply(200, {
        success: false,
        rendered_template: `[Template Error: ${r.error}] ${template}`,
      });
    return new HttpReply(200, { success: true, rendered_template: r.text });
  }

  private async importData(call: ApiCall): Promise<HttpReply> {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const form = call.form ?? new FormData();
    const file = form.get("file");
    if (file === null) v.add("missing", ["body", "file"], "Field required", null);
    else if (typeof file === "string") {
      v.add(
        "value_error",
        ["body", "file"],
        "Value error, Expected UploadFile, received: <class 'str'>",
        file,
        {
          error: {},
        },
      );
    }
    const mappingsEntry = form.get("column_mappings");
    const mappingsRaw = typeof mappingsEntry === "string" ? mappingsEntry : null;
    if (mappingsEntry !== null && typeof mappingsEntry !== "string") {
      v.add("string_type", ["body", "column_mappings"], "Input should be a valid string", {});
    }
    if (v.failed || id === undefined || file === null || typeof file === "string") return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    // emulator guess: import is refused while the campaign is running (undocumented).
    if (c.status === "running") {
      return new HttpReply(400, { detail: "Cannot import contacts while the campaign is running" });
    }
    const columnMappings = parseColumnMappings(mappingsRaw);
    // emulator guess: wording of the bad column_mappings error.
    if (!columnMappings) return new HttpReply(400, { detail: "Invalid column_mappings JSON" });
    const text = (await file.text()).replace(/^\uFEFF/, "");
    const rows = parseCsv(text).filter((r) => r.some((cell) => cell.trim() !== ""));
    const header = rows.shift();
    const targets = header ? columnTargets(header, columnMappings, c.variable_mappings) : [];
    // emulator guess: the file is checked synchronously; a header-only file counts as empty.
    if (!header || rows.length === 0 || !targets.includes("phone_number")) {
      return new HttpReply(400, { detail: "Invalid file format or empty file" });
    }
    const job: BurkiImport = {
      id: this.nextImportId++,
      campaign_id: c.id,
      status: "pending",
      file_name: file.name || "upload.csv",
      total_rows: rows.length,
      imported_count: 0,
      skipped_count: 0,
      invalid_count: 0,
      error: null,
      created_at: this.now(),
      completed_at: null,
      header,
      rows,
      columnMappings,
    };
    c.imports.push(job);
    const timer = setTimeout(() => {
      this.importTimers.delete(timer);
      this.processImport(job);
    }, this.importDelayMs);
    timer.unref();
    this.importTimers.add(timer);
    // emulator guess: the 202 body is undocumented; this shape is invented.
    return new HttpReply(202, {
      import_id: job.id,
      campaign_id: c.id,
      status: "pending",
      message: "Import queued for processing",
    });
  }

  /** The background worker: replace pending/skipped contacts with the file's rows. */
  private processImport(job: BurkiImport): void {
    const c = this.campaigns.get(job.campaign_id);
    if (!c || !c.imports.includes(job)) return;
    // emulator guess: the import runs in one step, so "processing" is never observed by a poll.
    job.status = "processing";
    // Pending or skipped contacts from earlier imports are deleted first; the others are kept.
    c.contacts = c.contacts.filter((k) => k.status !== "pending" && k.status !== "skipped");
    const seen = new Set(c.contacts.map((k) => k.phone_number));
    const targets = columnTargets(job.header, job.columnMappings, c.variable_mappings);
    const phoneCol = targets.indexOf("phone_number");
    const at = this.now();
    for (const row of job.rows) {
      const phone = normalizePhone(row[phoneCol] ?? "");
      if (!phone) {
        job.invalid_count++;
        continue;
      }
      // emulator guess: a phone repeated inside the same file is skipped like an existing one.
      if (seen.has(phone)) {
        job.skipped_count++;
        continue;
      }
      seen.add(phone);
      const vars: Record<string, string> = {};
      targets.forEach((t, i) => {
        const cell = (row[i] ?? "").trim();
        // emulator guess: empty cells are left out of variable_values.
        if (i !== phoneCol && t !== "phone_number" && cell !== "") vars[t] = cell;
      });
      c.contacts.push({
        id: this.nextContactId++,
        phone_number: phone,
        contact_data: { variable_values: vars, custom_fields: {} },
        status: "pending",
        attempts: 0,
        created_at: at,
        last_attempt_at: null,
      });
      job.imported_count++;
    }
    job.status = "completed";
    job.completed_at = at;
    job.rows = [];
    c.last_import_file_name = job.file_name;
    c.last_import_date = at;
    c.last_import_row_count = job.total_rows;
    // emulator guess: an import does not bump updated_at.
  }

  private getImport(call: ApiCall): HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const importId = v.int(["path", "import_id"], call.params.import_id);
    if (v.failed || id === undefined || importId === undefined) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    const job = c.imports.find((j) => j.id === importId);
    // emulator guess: the detail of an unknown import (the import-status route is OAS-only).
    if (!job) return new HttpReply(404, { detail: "Import not found" });
    return new HttpReply(200, this.importView(job));
  }

  private getSchedule(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    return new HttpReply(200, this.scheduleView(c));
  }

  /** Parse a schedule time; naive times are taken as UTC (emulator guess: `timezone` is not applied). */
  private parseWhen(value: unknown): Date | undefined {
    if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
    const naive = !/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
    const d = new Date(naive ? value.trim() + "Z" : value.trim());
    return Number.isNaN(d.getTime()) ? undefined : d;
  }

  private saveSchedule(call: ApiCall): HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const body = this.objectBody(v, call.body, "dict");
    if (v.failed || id === undefined || !body) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    // emulator guess: a schedule can be saved only in draft, scheduled or paused.
    if (c.status !== "draft" && c.status !== "scheduled" && c.status !== "paused") {
      return new HttpReply(400, { detail: `Cannot schedule campaign with status ${c.status}` });
    }
    const type = body.schedule_type;
    const invalid = new HttpReply(400, { detail: "Invalid schedule configuration" });
    const timezone = typeof body.timezone === "string" ? body.timezone : "UTC";
    if (type === "immediate") {
      c.schedule = { schedule_type: "immediate", scheduled_at: null, timezone, recurring_config: null };
      if (c.status === "scheduled") this.setStatus(c, "draft");
      return new HttpReply(200, { success: true, message: "Schedule saved" });
    }
    if (type !== "scheduled" && type !== "recurring") return invalid;
    let when: Date | undefined;
    if (body.scheduled_at !== undefined && body.scheduled_at !== null) {
      when = this.parseWhen(body.scheduled_at);
      if (!when) return invalid;
    }
    let recurring: Record<string, unknown> | null = null;
    if (type === "scheduled") {
      if (!when) return invalid;
    } else {
      if (!isPlainObject(body.recurring_config)) return invalid;
      const freq = body.recurring_config.frequency;
      if (freq !== "daily" && freq !== "weekly" && freq !== "monthly") return invalid;
      recurring = structuredClone(body.recurring_config);
    }
    if (when && when.getTime() <= Date.now())
      return new HttpReply(400, { detail: "Scheduled time is in the past" });
    c.schedule = {
      schedule_type: type,
      scheduled_at: when ? when.toISOString().replace(/\.000Z$/, "Z") : null,
      timezone,
      recurring_config: recurring,
    };
    // emulator guess: a scheduled campaign does not run at its time on its own; `start` runs it.
    this.setStatus(c, "scheduled");
    return new HttpReply(200, { success: true, message: "Schedule saved" });
  }

  private startCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    if (c.status === "completed") {
      return new HttpReply(400, { detail: "All contacts have already been processed" });
    }
    if (c.status !== "draft" && c.status !== "scheduled" && c.status !== "paused") {
      return new HttpReply(400, { detail: "Cannot start campaign - invalid status" });
    }
    if (c.contacts.length === 0) return new HttpReply(400, { detail: "No contacts found" });
    if (!c.contacts.some((k) => k.status === "pending")) {
      return new HttpReply(400, { detail: "All contacts have already been processed" });
    }
    this.setStatus(c, "scheduled");
    // emulator guess: started_at is set by the first start and kept across pause/resume.
    c.started_at ??= this.now();
    this.scheduleRunningHop(c);
    return new HttpReply(200, {
      success: true,
      message: "Campaign execution started immediately",
      task_id: randomUUID(),
      campaign_id: c.id,
      status: "scheduled",
    });
  }

  private unscheduleCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    // emulator guess: the error and success bodies are undocumented.
    if (c.status !== "scheduled") return new HttpReply(400, { detail: "Campaign is not scheduled" });
    this.setStatus(c, "draft");
    c.schedule = { schedule_type: "immediate", scheduled_at: null, timezone: "UTC", recurring_config: null };
    return new HttpReply(200, {
      success: true,
      message: "Campaign unscheduled successfully",
      campaign_id: c.id,
      status: "draft",
    });
  }

  private pauseCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    if (c.status !== "running") return new HttpReply(400, { detail: "Campaign is not running" });
    this.setStatus(c, "paused");
    return new HttpReply(200, { message: "Campaign paused successfully" });
  }

  private stopCampaign(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    if (c.status !== "running" && c.status !== "paused" && c.status !== "scheduled") {
      return new HttpReply(400, { detail: "Campaign cannot be stopped (invalid status)" });
    }
    if (!c.hooks.ignoreStop) this.cancel(c);
    return new HttpReply(200, { message: "Campaign stopped successfully" });
  }

  private reExecute(call: ApiCall): HttpReply {
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const body = this.objectBody(v, call.body, "dict");
    if (v.failed || id === undefined || !body) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    if (c.status !== "completed" && c.status !== "cancelled" && c.status !== "failed") {
      return new HttpReply(400, { detail: "Campaign status doesn't allow re-execution" });
    }
    const sel = body.contact_selection;
    let selected: BurkiContact[];
    if (sel === "all") selected = [...c.contacts];
    else if (sel === "failed_only") selected = c.contacts.filter((k) => FAILED_LIKE.has(k.status));
    else if (Array.isArray(sel) && sel.every((x) => Number.isInteger(x))) {
      selected = c.contacts.filter((k) => sel.includes(k.id));
    } else {
      // emulator guess: wording for a missing or malformed contact_selection.
      return new HttpReply(400, { detail: "Invalid contact_selection" });
    }
    if (selected.length === 0)
      return new HttpReply(400, { detail: "No contacts match the selection criteria" });
    const ss = body.schedule_settings;
    let when: Date | undefined;
    if (isPlainObject(ss) && (ss.schedule_type === "scheduled" || ss.schedule_type === "once")) {
      when = this.parseWhen(ss.scheduled_at);
      if (!when) return new HttpReply(400, { detail: "Invalid schedule configuration" });
      if (when.getTime() <= Date.now())
        return new HttpReply(400, { detail: "Scheduled time is in the past" });
    }
    const chosen = new Set(selected);
    for (const k of c.contacts) {
      if (chosen.has(k)) {
        k.status = "pending";
        k.attempts = 0; // emulator guess: attempts restart from zero
      } else k.status = "skipped";
    }
    // emulator guess: started_at/completed_at are cleared with the counters.
    c.started_at = null;
    c.completed_at = null;
    const n = selected.length;
    if (when) {
      const iso = when.toISOString().replace(/\.000Z$/, "Z");
      const tz = isPlainObject(ss) && typeof ss.timezone === "string" ? ss.timezone : "UTC";
      c.schedule = { schedule_type: "scheduled", scheduled_at: iso, timezone: tz, recurring_config: null };
      this.setStatus(c, "scheduled");
      const human = iso.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC");
      return new HttpReply(200, {
        success: true,
        message: `Campaign scheduled for re-execution at ${human} with ${n} contacts`,
        campaign_id: c.id,
        contacts_reset: n,
        schedule_type: "once",
        status: "scheduled",
        scheduled_time: iso,
      });
    }
    this.setStatus(c, "draft");
    return new HttpReply(200, {
      success: true,
      message: `Campaign ready for re-execution with ${n} contacts`,
      campaign_id: c.id,
      contacts_reset: n,
      schedule_type: "immediate",
      status: "draft",
    });
  }

  private getProgress(call: ApiCall): HttpReply {
    const c = this.campaignFor(call);
    if (c instanceof HttpReply) return c;
    const n = this.counters(c);
    const processing = c.contacts.filter((k) => k.status === "in_progress").length;
    const pending = c.contacts.filter((k) => k.status === "pending").length;
    const done = n.completed + n.failed;
    const progressPct = n.total ? round2((done / n.total) * 100) : 0;
    const successRate = done ? round2((n.completed / done) * 100) : 0;
    return new HttpReply(200, {
      campaign_id: c.id,
      status: c.status,
      progress: {
        total_contacts: n.total,
        completed: n.completed,
        failed: n.failed,
        processing,
        pending,
        progress_percentage: progressPct,
        success_rate: successRate,
      },
      metrics: {
        total_duration_seconds: 0,
        average_duration_seconds: 0,
        success_rate: successRate,
        answer_rate: successRate,
        completion_rate: progressPct,
        cost_estimate: 0,
        actual_cost: 0,
        last_updated: this.now(),
      },
      started_at: c.started_at,
      completed_at: c.completed_at,
      recent_activity: [...c.executions]
        .reverse()
        .slice(0, 10)
        .map((e) => ({
          execution_id: e.id,
          contact_phone: e.contact_phone,
          status: e.status,
          executed_at: e.executed_at,
          call_id: e.call_id,
        })),
    });
  }

  private listExecutions(call: ApiCall): HttpReply {
    const q = call.ctx.query;
    const v = new Validation();
    const id = v.int(["path", "campaign_id"], call.params.campaign_id);
    const { page, perPage } = this.pagination(v, q);
    if (v.failed || id === undefined) return v.reply();
    const c = this.lookup(id, call.org);
    if (c instanceof HttpReply) return c;
    const status = q.get("status");
    // emulator guess: the status filter is not validated here; newest first, as in the example.
    const items = [...c.executions].reverse().filter((e) => !status || e.status === status);
    const p = this.paginate(items, page, perPage);
    return new HttpReply(200, {
      executions: p.items.map((e) => structuredClone({ ...e, execution_id: e.id })),
      pagination: p.pagination,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Control API

  protected async handleControl(ctx: RequestContext): Promise<HttpReply | undefined> {
    const body = (): Record<string, unknown> => {
      const parsed = ctx.rawBody.length ? (JSON.parse(ctx.rawBody.toString("utf8")) as unknown) : {};
      if (!isPlainObject(parsed)) throw new Error("body must be a JSON object");
      return parsed;
    };
    const { method, path } = ctx;
    if (path === "/_emulator/config") {
      if (method === "PUT") this.applyConfig(body());
      else if (method !== "GET") return undefined;
      return new HttpReply(200, {
        startDelayMs: this.startDelayMs,
        importDelayMs: this.importDelayMs,
        crossOrgStatus: this.crossOrgStatus,
      });
    }
    if (path === "/_emulator/campaigns" && method === "GET") {
      return new HttpReply(200, { campaigns: [...this.campaigns.values()].map((c) => this.fullView(c)) });
    }
    const find = (raw: string): BurkiCampaign | undefined => this.campaigns.get(Number(raw));
    const missing = (raw: string) => new HttpReply(404, { error: `no campaign ${raw}` });

    let p = matchPath("/_emulator/campaigns/:id", path);
    if (p) {
      const c = find(p.id);
      if (!c) return ["GET", "PATCH", "DELETE"].includes(method) ? missing(p.id) : undefined;
      if (method === "GET") return new HttpReply(200, this.fullView(c));
      if (method === "DELETE") {
        this.removeCampaign(c);
        return new HttpReply(200, { ok: true });
      }
      if (method === "PATCH") {
        this.patchCampaign(c, body());
        return new HttpReply(200, this.fullView(c));
      }
      return undefined;
    }
    p = matchPath("/_emulator/campaigns/:id/transition", path);
    if (p && method === "POST") {
      const c = find(p.id);
      if (!c) return missing(p.id);
      const status = body().status;
      if (!CAMPAIGN_STATUSES.includes(status as BurkiCampaignStatus)) {
        return new HttpReply(400, { error: `status must be one of ${CAMPAIGN_STATUSES.join(", ")}` });
      }
      this.forceTransition(c, status as BurkiCampaignStatus);
      return new HttpReply(200, this.fullView(c));
    }
    p = matchPath("/_emulator/campaigns/:id/hooks", path);
    if (p && method === "POST") {
      const c = find(p.id);
      if (!c) return missing(p.id);
      const b = body();
      for (const k of ["startBeforeNextDelete", "ignoreStop"] as const) {
        if (b[k] === undefined) continue;
        if (typeof b[k] !== "boolean") return new HttpReply(400, { error: `${k} must be a boolean` });
        c.hooks[k] = b[k];
      }
      return new HttpReply(200, { hooks: { ...c.hooks } });
    }
    p = matchPath("/_emulator/campaigns/:id/contacts/:contactId", path);
    if (p && method === "PATCH") {
      const c = find(p.id);
      if (!c) return missing(p.id);
      const k = c.contacts.find((x) => x.id === Number(p?.contactId));
      if (!k) return new HttpReply(404, { error: `no contact ${p.contactId}` });
      const b = body();
      if (b.status !== undefined) {
        if (!CONTACT_STATUSES.includes(b.status as BurkiContactStatus)) {
          return new HttpReply(400, { error: `status must be one of ${CONTACT_STATUSES.join(", ")}` });
        }
        k.status = b.status as BurkiContactStatus;
        if (k.status !== "pending") k.last_attempt_at = this.now();
      }
      if (b.attempts !== undefined) k.attempts = Number(b.attempts);
      return new HttpReply(200, this.contactView(k));
    }
    return undefined;
  }

  private applyConfig(b: Record<string, unknown>): void {
    if (b.startDelayMs !== undefined) this.startDelayMs = nonNegative(b.startDelayMs, "startDelayMs");
    if (b.importDelayMs !== undefined) this.importDelayMs = nonNegative(b.importDelayMs, "importDelayMs");
    if (b.crossOrgStatus !== undefined) {
      if (b.crossOrgStatus !== 403 && b.crossOrgStatus !== 404)
        throw new Error("crossOrgStatus must be 403 or 404");
      this.crossOrgStatus = b.crossOrgStatus;
    }
  }

  /** Edit "outside Pulumi": any status, any subset of the fields below. */
  private patchCampaign(c: BurkiCampaign, b: Record<string, unknown>): void {
    const strOrNull = ["description", ...TEMPLATE_FIELDS];
    const target = c as unknown as Record<string, unknown>;
    const next: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(b)) {
      const bad = (what: string) => new Error(`${k} must be ${what}`);
      if (k === "name" || k === "campaign_type") {
        if (typeof val !== "string") throw bad("a string");
      } else if (strOrNull.includes(k)) {
        if (val !== null && typeof val !== "string") throw bad("a string or null");
      } else if (k === "max_attempts" || k === "retry_delay_minutes" || k === "assistant_id") {
        if (!Number.isInteger(val)) throw bad("an integer");
      } else if (k === "fallback_values" || k === "variable_mappings") {
        if (!isPlainObject(val) || Object.values(val).some((x) => typeof x !== "string")) {
          throw bad("an object of strings");
        }
      } else if (k === "available_variables") {
        if (!Array.isArray(val) || val.some((x) => typeof x !== "string")) throw bad("an array of strings");
      } else throw new Error(`unknown or read-only field ${k}`);
      next[k] = structuredClone(val);
    }
    Object.assign(target, next);
    c.updated_at = this.now();
  }

  private forceTransition(c: BurkiCampaign, status: BurkiCampaignStatus): void {
    switch (status) {
      case "completed":
        this.complete(c);
        break;
      case "cancelled":
        this.cancel(c); // emulator guess: same effects as a stop
        break;
      case "failed":
        this.setStatus(c, "failed");
        c.completed_at = this.now(); // emulator guess: a failed run records its end time
        break;
      default:
        this.setStatus(c, status); // running also sets started_at
    }
  }
}

function assistantName(id: number): string {
  // emulator guess: the emulator has no assistants; names are derived from the id.
  return `Assistant ${id}`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function nonNegative(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number ≥ 0`);
  return v;
}
