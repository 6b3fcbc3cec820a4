/**
 * Validation of `woodpecker.Campaign` inputs with Woodpecker's documented limits: 1–16 steps, at
 * most three sending windows a day in `HH:mm`, daily enrolment 1–500, a subject on the first
 * email step, 1–5 A/B versions, bounce-shield threshold 1–99.
 */
import { doNotContactRules, doNotContactSchema } from "../core/do-not-contact-check";
import { z } from "zod";
import {
  type InputsCheck,
  type RuleViolation,
  checkKnownInputs,
  isRecord,
  textError,
} from "../core/validation";
import { checkProspectRules, normalizeProspectInputs, prospectsSchema } from "./prospects-schema";
import { woodpeckerTemplateRules } from "./templates";
import type { WoodpeckerCampaignInputs } from "./types";
import { isTimeZone } from "../core/time";

export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const DEFAULT_DELIVERY_TIME = Object.fromEntries(
  ["monday", "tuesday", "wednesday", "thursday", "friday"].map((d) => [d, [{ from: "08:00", to: "18:00" }]]),
);

export const DEFAULT_SETTINGS = {
  dailyEnroll: 50,
  prospectTimezone: false,
  gdprUnsubscribe: false,
  listUnsubscribe: false,
  openDisabledList: [] as string[],
  autoPauseProspectFromDomain: false,
  catchAllVerificationMode: "BALANCED" as const,
};

function withoutSubject<V extends { subject?: string }>(v: V): Omit<V, "subject"> {
  const { subject: _subject, ...rest } = v;
  return rest;
}

/** A step's type; absent means the default, "email". */
const stepType = (s: Record<string, unknown>): unknown => (s.type === undefined ? "email" : s.type);

/** A step's own cross-field rules (the step schema's superRefine): fields that need, or exclude, linkedin. */
function stepRules(s: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isRecord(s)) return out;
  if (stepType(s) === "linkedin") {
    if (!s.actionType) out.push({ path: ["actionType"], message: "is required on a linkedin step" });
    if (!s.linkedinAccountId)
      out.push({ path: ["linkedinAccountId"], message: "is required on a linkedin step" });
  } else {
    for (const k of ["actionType", "linkedinAccountId"] as const) {
      if (s[k] !== undefined) out.push({ path: [k], message: "only applies to linkedin steps" });
    }
  }
  return out;
}

/** The campaign's own cross-field rule (its superRefine): every version of the first email step has a subject. */
function firstEmailStepRules(v: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!isRecord(v) || !Array.isArray(v.steps)) return out;
  const firstEmail = v.steps.findIndex((s: unknown) => isRecord(s) && stepType(s) === "email");
  const versions: unknown = firstEmail >= 0 ? (v.steps[firstEmail] as Record<string, unknown>).versions : [];
  (Array.isArray(versions) ? versions : []).forEach((ver: unknown, j) => {
    if (!isRecord(ver)) return;
    const subject = ver.subject;
    if (subject === undefined || (typeof subject === "string" && !subject.trim())) {
      out.push({
        path: ["steps", firstEmail, "versions", j, "subject"],
        message: "is required on the first email step (Woodpecker will not run the campaign without it)",
      });
    }
  });
  return out;
}

/**
 * The cross-field rules of `woodpecker.Campaign` inputs (the superRefines of the campaign and of
 * each step). zod runs them only when the fields they sit on are valid; the GitOps loader also calls
 * them on a file that has field errors, so that every problem is reported at once. Safe on any
 * input: a rule only reads fields of the right type, so an invalid field is reported once, by the schema.
 */
export function checkWoodpeckerCampaignRules(inputs: unknown): RuleViolation[] {
  const steps = isRecord(inputs) && Array.isArray(inputs.steps) ? (inputs.steps as unknown[]) : [];
  return [
    ...steps.flatMap((s, i) => stepRules(s).map((r) => ({ ...r, path: ["steps", i, ...r.path] }))),
    ...firstEmailStepRules(inputs),
    ...woodpeckerTemplateRules(inputs),
    ...checkProspectRules(inputs),
    ...(isRecord(inputs) ? doNotContactRules(inputs) : []),
  ];
}

let cached: z.ZodType<WoodpeckerCampaignInputs> | undefined;

export function woodpeckerCampaignSchema(): z.ZodType<WoodpeckerCampaignInputs> {
  if (cached) return cached;

  const window = z
    .strictObject({
      from: z.string().regex(HHMM, 'must be a 24-hour time "HH:mm"'),
      to: z.string().regex(HHMM, 'must be a 24-hour time "HH:mm"'),
    })
    // Only compare well-formed times ("8:00" > "18:00" as text); malformed ones are reported above.
    .refine((w) => !HHMM.test(w.from) || !HHMM.test(w.to) || w.from < w.to, {
      message: '"from" must be before "to"',
      path: ["to"],
    });

  const deliveryTime = z
    .strictObject(
      Object.fromEntries(
        WEEKDAYS.map((d) => [
          d,
          z
            .array(window)
            .min(1, "needs at least one window (or leave the day out)")
            .max(3, "at most 3 windows a day")
            .optional(),
        ]),
      ) as Record<(typeof WEEKDAYS)[number], z.ZodOptional<z.ZodArray<typeof window>>>,
    )
    .refine(
      (dt) => Object.values(dt).some((w) => w?.length),
      "needs at least one weekday with a sending window",
    );

  const version = z.strictObject({
    subject: z.string().max(500, "must be at most 500 characters").optional(),
    message: z.string({ error: textError(" (the email body, HTML)") }).min(1, "must not be empty"),
    signature: z
      .enum(["SENDER", "NO_SIGNATURE"], { error: 'must be "SENDER" or "NO_SIGNATURE"' })
      .default("SENDER"),
    trackOpens: z.boolean().default(true),
  });

  const step = z
    .strictObject({
      type: z.enum(["email", "linkedin"], { error: 'must be "email" or "linkedin"' }).default("email"),
      delay: z
        .strictObject({
          value: z.number().int("must be a whole number").positive("must be greater than 0"),
          unit: z.enum(["minute", "hour", "day"], { error: 'must be "minute", "hour" or "day"' }),
        })
        .default({ value: 1, unit: "day" }),
      deliveryTime: deliveryTime.default(DEFAULT_DELIVERY_TIME),
      versions: z.array(version).min(1, "needs at least one version").max(5, "at most 5 versions (A–E)"),
      actionType: z.string().min(1).optional(),
      linkedinAccountId: z.number().int().positive().optional(),
    })
    .superRefine((s, ctx) => {
      for (const r of stepRules(s)) ctx.addIssue({ code: "custom", ...r });
    });

  cached = z
    .strictObject({
      name: z
        .string({ error: textError() })
        .min(1, "must not be empty")
        .max(255, "must be at most 255 characters"),
      emailAccountIds: z
        .array(z.number().int("must be an integer").positive("must be a positive mailbox id"))
        .min(1, "needs at least one sending mailbox (its SMTP id)")
        .refine((ids) => new Set(ids).size === ids.length, "must not repeat a mailbox"),
      settings: z.strictObject({
        timezone: z
          .string({ error: textError(" (e.g. Europe/Warsaw)") })
          .refine(isTimeZone, "is not a known IANA timezone"),
        dailyEnroll: z
          .number()
          .int("must be an integer")
          .min(1, "must be between 1 and 500")
          .max(500, "must be between 1 and 500")
          .default(DEFAULT_SETTINGS.dailyEnroll),
        prospectTimezone: z.boolean().default(false),
        gdprUnsubscribe: z.boolean().default(false),
        listUnsubscribe: z.boolean().default(false),
        openDisabledList: z.array(z.string().min(1)).default([]),
        autoPauseProspectFromDomain: z.boolean().default(false),
        catchAllVerificationMode: z
          .enum(["BALANCED", "MAXIMUM", "NONE", "ONLY_VERIFY"], {
            error: "must be BALANCED, MAXIMUM, NONE or ONLY_VERIFY",
          })
          .default("BALANCED"),
      }),
      steps: z.array(step).min(1, "needs at least one step").max(16, "at most 16 steps (Woodpecker's limit)"),
      bounceShieldThreshold: z
        .number()
        .int("must be an integer")
        .min(1, "must be 1–99")
        .max(99, "must be 1–99")
        .optional(),
      state: z
        .enum(["draft", "running", "paused", "stopped"], {
          error: 'must be "draft", "running", "paused" or "stopped"',
        })
        .optional(),
      workflow: z.string().min(1, "must name the workflow (or leave it out)").optional(),
      existingCampaignId: z.number().int().positive("must be a positive campaign id").optional(),
      prospects: prospectsSchema(),
      prospectsFile: z
        .string({ error: textError(" (the path of a CSV file)") })
        .min(1, "must not be empty: give the path of a CSV file, or leave prospectsFile out")
        .max(4096, "must be at most 4096 characters")
        .optional(),
      force: z.boolean({ error: "must be true or false" }).optional(),
      onProspectRefused: z.enum(["report", "fail"], { error: 'must be "report" or "fail"' }).optional(),
      // Computed here from `prospects`, or from `prospectsFile` once read (a plain count: previews, whose secrets read "[secret]",
      // still tell how many people a change touches). Accepted back only as computed.
      prospectCount: z.number().int().nonnegative().optional(),
      doNotContact: doNotContactSchema(),
      // Computed by check from doNotContact (do-not-contact.ts); plain counts, never who.
      doNotContactCount: z.number().int().nonnegative().optional(),
      excludedByDoNotContact: z.number().int().nonnegative().optional(),
    })
    .superRefine((v, ctx) => {
      for (const r of [
        ...firstEmailStepRules(v),
        ...woodpeckerTemplateRules(v),
        ...checkProspectRules(v),
        ...doNotContactRules(v),
      ]) {
        ctx.addIssue({ code: "custom", ...r });
      }
    })
    .transform(normalizeInputs) as unknown as z.ZodType<WoodpeckerCampaignInputs>;
  return cached;
}

/**
 * One spelling for each configuration, so diffs stay quiet: mailboxes and open-tracking opt-outs
 * sorted, days without sending windows left out, LinkedIn versions reduced to their message and
 * empty subjects dropped ("same thread"). Also runs on inputs with unknown values in them (preview,
 * see core/validation.ts `withDefaults`): whatever is unknown is left where it is.
 */
export function normalizeInputs(v: WoodpeckerCampaignInputs): WoodpeckerCampaignInputs {
  const out = { ...v };
  if (Array.isArray(v.emailAccountIds) && v.emailAccountIds.every((id) => typeof id === "number")) {
    out.emailAccountIds = [...v.emailAccountIds].sort((a, b) => a - b);
  }
  if (isRecord(v.settings) && Array.isArray(v.settings.openDisabledList)) {
    out.settings = { ...v.settings, openDisabledList: [...v.settings.openDisabledList].sort() };
  }
  if (Array.isArray(v.steps)) out.steps = v.steps.map(normalizeStep);
  return normalizeProspectInputs(
    out as unknown as Record<string, unknown>,
  ) as unknown as WoodpeckerCampaignInputs;
}

function normalizeStep(
  s: WoodpeckerCampaignInputs["steps"][number],
): WoodpeckerCampaignInputs["steps"][number] {
  if (!isRecord(s)) return s;
  const out = { ...s };
  if (isRecord(s.deliveryTime)) {
    out.deliveryTime = Object.fromEntries(
      WEEKDAYS.filter((d) => s.deliveryTime[d]?.length).map((d) => [d, s.deliveryTime[d]]),
    );
  }
  if (Array.isArray(s.versions)) {
    out.versions = s.versions.map((ver) => {
      if (!isRecord(ver)) return ver;
      if (s.type === "linkedin") return { message: ver.message };
      return ver.subject === "" ? (withoutSubject(ver) as typeof ver) : ver;
    });
  }
  return out;
}

/**
 * Check `woodpecker.Campaign` inputs exactly as the provider's `check` does (the GitOps example
 * uses it to validate campaign files before any plan).
 */
export function checkWoodpeckerCampaignInputs(raw: unknown): InputsCheck<WoodpeckerCampaignInputs> {
  return checkKnownInputs(woodpeckerCampaignSchema(), raw);
}
