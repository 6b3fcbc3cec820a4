/**
 * Validation of `burki.Campaign` inputs, with the API's documented limits (CampaignCreateRequest):
 * name 1–200 characters, maxAttempts 1–10, retryDelayMinutes 5–1440, string-valued maps.
 *
 * Built on first use inside the implementation module (never captured by Pulumi's serializer).
 */
import { z } from "zod";
import {
  type InputsCheck,
  type RuleViolation,
  checkKnownInputs,
  isRecord,
  textError,
} from "../core/validation";
import { doNotContactRules, doNotContactSchema } from "../core/do-not-contact-check";
import { normalizeSchedule, scheduleRules, scheduleSchema } from "./schedule";
import { burkiTemplateRules } from "./templates";
import type { BurkiCampaignInputs } from "./types";

export const E164 = /^\+[1-9]\d{7,14}$/;
/** Variable names become CSV column headers and `{{name}}` template variables. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Column names Burki maps to contact fields rather than variables. */
export const RESERVED_VARIABLES = new Set([
  "phone",
  "phone_number",
  "mobile",
  "cell",
  "name",
  "full_name",
  "contact_name",
]);

const optionalText = (max = 20_000) => z.string().max(max, `must be at most ${max} characters`).optional();

const stringMap = z.record(
  z.string().min(1, "keys must not be empty"),
  z.string({ error: "values must be strings" }),
);

let cached: z.ZodType<BurkiCampaignInputs> | undefined;

export function burkiCampaignSchema(): z.ZodType<BurkiCampaignInputs> {
  if (cached) return cached;
  const contact = z.strictObject({
    phoneNumber: z
      .string({ error: textError(" (E.164, e.g. +15551234567)") })
      .regex(E164, "must be an E.164 phone number such as +15551234567 (a +, the country code, no spaces)"),
    name: z.string().max(200, "must be at most 200 characters").optional(),
    variables: z
      .record(
        z
          .string()
          .regex(VARIABLE_NAME, "variable names must be letters, digits and _ (not starting with a digit)")
          .refine(
            (k) => !RESERVED_VARIABLES.has(k.toLowerCase()),
            "is reserved for the phone number or name",
          ),
        z.string({ error: "variable values must be strings" }),
      )
      .optional(),
  });

  cached = z
    .strictObject({
      name: z
        .string({ error: textError() })
        .min(1, "must not be empty")
        .max(200, "must be at most 200 characters (Burki's limit)"),
      description: optionalText(),
      campaignType: z.enum(["call", "sms", "mixed"], { error: 'must be "call", "sms" or "mixed"' }),
      assistantId: z
        .number({ error: "must be the numeric id of a Burki assistant" })
        .int("must be an integer")
        .positive("must be a positive assistant id"),
      welcomeMessageTemplate: optionalText(),
      agendaTemplate: optionalText(),
      endCallMessageTemplate: optionalText(),
      smsMessageTemplate: optionalText(),
      maxAttempts: z
        .number({ error: "must be a number" })
        .int("must be an integer")
        .min(1, "must be between 1 and 10 (Burki's limit)")
        .max(10, "must be between 1 and 10 (Burki's limit)")
        .default(3),
      retryDelayMinutes: z
        .number({ error: "must be a number" })
        .int("must be an integer")
        .min(5, "must be between 5 and 1440 minutes (Burki's limit)")
        .max(1440, "must be between 5 and 1440 minutes (Burki's limit)")
        .default(30),
      fallbackValues: stringMap.optional(),
      variableMappings: stringMap.optional(),
      contacts: z
        .array(contact)
        .min(1, "must list at least one contact; omit contacts to leave them unmanaged")
        .max(100_000, "at most 100000 contacts per campaign")
        .optional(),
      contactsFile: z
        .string({ error: textError(" (the path of a CSV file)") })
        .min(1, "must not be empty: give the path of a CSV file, or leave contactsFile out")
        .max(4096, "must be at most 4096 characters")
        .optional(),
      state: z
        .enum(["draft", "running", "paused"], { error: 'must be "draft", "running" or "paused"' })
        .optional(),
      schedule: scheduleSchema().optional(),
      existingCampaignId: z
        .number()
        .int("must be an integer")
        .positive("must be a positive campaign id")
        .optional(),
      // Computed here from `contacts` (a plain count, so that previews, whose secrets read
      // "[secret]", still tell how many people a change touches). Accepted back only as computed.
      contactCount: z.number().int().nonnegative().optional(),
      doNotContact: doNotContactSchema(),
      // Computed by check from doNotContact (lifecycle.ts); plain counts, never who.
      doNotContactCount: z.number().int().nonnegative().optional(),
      excludedByDoNotContact: z.number().int().nonnegative().optional(),
    })
    .superRefine((v, ctx) => {
      for (const r of checkBurkiCampaignRules(v)) ctx.addIssue({ code: "custom", ...r });
    })
    .transform((v) => normalizeInputs(v)) as unknown as z.ZodType<BurkiCampaignInputs>;
  return cached;
}

/**
 * The cross-field rules of `burki.Campaign` inputs (the schema's superRefine). zod runs them only
 * when every field is valid; the GitOps loader also calls them on a file that has field errors, so
 * that every problem is reported at once. Safe on any input: a rule only reads fields of the right
 * type, so a field that is itself invalid is reported once, by the schema.
 */
export function checkBurkiCampaignRules(inputs: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isRecord(inputs)) return out;
  const { contacts, contactsFile, state, existingCampaignId, contactCount } = inputs;
  if (contacts !== undefined && contactsFile !== undefined) {
    out.push({
      path: ["contactsFile"],
      message: "cannot be used together with contacts: declare the people in one of them, not both",
    });
  }
  // With contactsFile the count is the file's (lifecycle.ts check sets it after reading it).
  if (
    contactsFile === undefined &&
    contactCount !== undefined &&
    contactCount !== (Array.isArray(contacts) ? contacts.length : 0)
  ) {
    out.push({ path: ["contactCount"], message: "is computed from contacts (their number); leave it out" });
  }
  const seen = new Map<string, number>();
  (Array.isArray(contacts) ? contacts : []).forEach((c: unknown, i) => {
    if (!isRecord(c) || typeof c.phoneNumber !== "string") return;
    const first = seen.get(c.phoneNumber);
    if (first !== undefined) {
      out.push({
        path: ["contacts", i, "phoneNumber"],
        message: `duplicates contacts[${first}].phoneNumber (Burki would skip it)`,
      });
    } else {
      seen.set(c.phoneNumber, i);
    }
  });
  const noContacts =
    contactsFile === undefined &&
    (contacts === undefined || (Array.isArray(contacts) && contacts.length === 0));
  if (state === "running" && noContacts && existingCampaignId === undefined) {
    out.push({
      path: ["contacts"],
      message:
        'state "running" needs at least one contact: Burki refuses to start a campaign without contacts',
    });
  }
  out.push(...scheduleRules(inputs));
  out.push(...burkiTemplateRules(inputs));
  out.push(...doNotContactRules(inputs));
  return out;
}

/**
 * Empty maps and empty variable sets mean "none": one spelling, so diffs stay quiet. Also runs on
 * inputs with unknown values in them (preview, see core/validation.ts `withDefaults`): it leaves
 * every unknown where it is.
 */
export function normalizeInputs(v: BurkiCampaignInputs): BurkiCampaignInputs {
  const out: BurkiCampaignInputs = { ...v };
  for (const k of ["fallbackValues", "variableMappings"] as const) {
    if (out[k] && typeof out[k] === "object" && Object.keys(out[k]!).length === 0) delete out[k];
  }
  for (const k of [
    "description",
    "welcomeMessageTemplate",
    "agendaTemplate",
    "endCallMessageTemplate",
    "smsMessageTemplate",
  ] as const) {
    if (out[k] === "") delete out[k];
  }
  if (Array.isArray(out.contacts)) {
    out.contacts = out.contacts.map((c) => {
      if (!c || typeof c !== "object") return c; // unknown at preview
      const n: { phoneNumber: string; name?: string; variables?: Record<string, string> } = {
        phoneNumber: c.phoneNumber,
      };
      if (c.name) n.name = c.name;
      if (c.variables && (typeof c.variables !== "object" || Object.keys(c.variables).length)) {
        n.variables = c.variables;
      }
      return n;
    });
    out.contactCount = out.contacts.length;
  } else if (out.contacts === undefined) {
    // With contactsFile, lifecycle.ts check counts the file's rows.
    if (out.contactsFile === undefined) delete out.contactCount;
  } else {
    // The whole list is unknown (preview): so is its count.
    (out as unknown as Record<string, unknown>).contactCount = out.contacts;
  }
  if (out.schedule !== undefined) out.schedule = normalizeSchedule(out.schedule);
  for (const k of Object.keys(out) as (keyof BurkiCampaignInputs)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * Check `burki.Campaign` inputs exactly as the provider's `check` does (the GitOps example uses it
 * to validate campaign files before any plan).
 */
export function checkBurkiCampaignInputs(raw: unknown): InputsCheck<BurkiCampaignInputs> {
  return checkKnownInputs(burkiCampaignSchema(), raw);
}
