export {
  Campaign,
  type CampaignArgs,
  type ContactArgs,
  type DoNotContactArgs,
  type RecurringArgs,
  type ScheduleArgs,
} from "./campaign";
export type { DoNotContact, DoNotContactOnMatch } from "../core/do-not-contact-types";
export type {
  BurkiCampaignInputs as CampaignInputs,
  BurkiCampaignOutputs as CampaignOutputs,
  BurkiCampaignType as CampaignType,
  BurkiContact as Contact,
  BurkiDesiredState as DesiredState,
  BurkiFrequency as Frequency,
  BurkiRecurring as Recurring,
  BurkiSchedule as Schedule,
} from "./types";
export { StopTimeoutError } from "./errors";
import type { InputsCheck, RuleViolation } from "../core/check-types";
import { checkBurkiCampaignInputs, checkBurkiCampaignRules } from "./schema";
import type { BurkiCampaignInputs } from "./types";

/**
 * Check `burki.Campaign` inputs exactly as the provider's `check` does, before any plan or API
 * call: the inputs with defaults filled, or every failure with its property path. Declared with
 * its own type so the public declarations never reach the zod schemas behind it.
 */
export const checkCampaignInputs: (raw: unknown) => InputsCheck<BurkiCampaignInputs> =
  checkBurkiCampaignInputs;

/**
 * The cross-field rules alone (duplicates, rules that tie one field to another), on any value: the
 * GitOps loader reports them together with the field errors, which zod would report first.
 */
export const checkCampaignRules: (inputs: unknown) => RuleViolation[] = checkBurkiCampaignRules;
