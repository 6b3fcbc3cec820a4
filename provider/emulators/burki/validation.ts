/**
 * Request validation the way FastAPI/Pydantic v2 does it: 422 bodies `{"detail":[{type, loc, msg,
 * input, ctx?}]}` in field declaration order, lax integers, and the JSON / form body decoding that
 * runs before any dependency (auth included).
 */
import { HttpReply, parseJson, type RequestContext } from "../common";
import type { BodyValue, RouteSpec } from "./types";
import { instantInZone, isTimeZone } from "../../core/time";

type Loc = Array<string | number>;

interface ValidationIssue {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export class Validation {
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

export const TEMPLATE_FIELDS = [
  "welcome_message_template",
  "agenda_template",
  "end_call_message_template",
  "sms_message_template",
] as const;

/** CampaignCreateRequest (§4.1), in declaration order (Pydantic reports errors in that order). */
export const CREATE_FIELDS: FieldSpec[] = [
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
export const UPDATE_FIELDS: FieldSpec[] = [
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
export function validateModel(
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

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A required body: `model` → model_attributes_type, `dict` → dict_type when not an object. */
export function objectBody(
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

export function pagination(v: Validation, q: URLSearchParams): { page: number; perPage: number } {
  const page = q.has("page") ? v.int(["query", "page"], q.get("page"), { ge: 1 }) : 1;
  const perPage = q.has("per_page")
    ? v.int(["query", "per_page"], q.get("per_page"), { ge: 1, le: 1000 })
    : 50;
  return { page: page ?? 1, perPage: perPage ?? 50 };
}

// Is a time zone IANA? emulator guess: Burki validates it with zoneinfo; the runtime's zone data stands in.

/**
 * Parse a schedule time (reference §4.10: "ISO-8601, may be naive"). A naive time is read in
 * `timezone` (default UTC, as documented); one with an offset is absolute.
 */
export function parseWhen(value: unknown, timezone = "UTC"): Date | undefined {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const naive = !/(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim());
  const d = new Date(naive ? value.trim() + "Z" : value.trim());
  if (Number.isNaN(d.getTime())) return undefined;
  if (!naive || timezone === "UTC" || !isTimeZone(timezone)) return d;
  return new Date(instantInZone(d.getTime(), timezone));
}

/**
 * The recurring_config a schedule POST accepts (reference §4.10): frequency daily/weekly/monthly,
 * interval ≥ 1, days_of_week 1–7, day_of_month 1–31, time "HH:MM", time_zone IANA, end_date
 * YYYY-MM-DD. Emulator guess: which fields are required is undocumented; frequency and time are.
 */
export function validRecurringConfig(c: Record<string, unknown>): boolean {
  const intIn = (v: unknown, lo: number, hi: number) =>
    Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
  if (c.frequency !== "daily" && c.frequency !== "weekly" && c.frequency !== "monthly") return false;
  if (typeof c.time !== "string" || !/^([01]\d|2[0-3]):[0-5]\d$/.test(c.time)) return false;
  if (c.interval !== undefined && c.interval !== null && !intIn(c.interval, 1, 10_000)) return false;
  if (c.days_of_week !== undefined && c.days_of_week !== null) {
    if (!Array.isArray(c.days_of_week) || !c.days_of_week.every((d) => intIn(d, 1, 7))) return false;
  }
  if (c.day_of_month !== undefined && c.day_of_month !== null && !intIn(c.day_of_month, 1, 31)) return false;
  if (c.time_zone !== undefined && c.time_zone !== null && !isTimeZone(c.time_zone)) return false;
  if (c.end_date !== undefined && c.end_date !== null) {
    if (typeof c.end_date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(c.end_date)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Body decoding

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

function isJsonContentType(ct: string): boolean {
  const mime = ct.split(";")[0].trim().toLowerCase();
  return mime === "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"));
}

/**
 * Decode the body a route declares, before auth: JSON (malformed → 422 json_invalid; another
 * content type → the raw text), or a form (multipart or urlencoded; unparsable → 400; any other
 * content type reads as an empty form, as in Starlette).
 */
export async function readBody(
  spec: RouteSpec,
  ctx: RequestContext,
): Promise<{ body: BodyValue; form?: FormData } | HttpReply> {
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
  return { body, form };
}
