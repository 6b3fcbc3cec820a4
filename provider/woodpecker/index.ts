export type { DoNotContactArgs } from "../burki/campaign";
export type { DoNotContact, DoNotContactOnMatch } from "../core/do-not-contact-types";
export {
  Campaign,
  type CampaignArgs,
  type ProspectArgs,
  type StepArgs,
  type StepVersionArgs,
} from "./campaign";
export type {
  CampaignSettings,
  CampaignStep,
  DeliveryTime,
  StepDelay,
  StepVersion,
  TimeWindow,
  Weekday,
  WoodpeckerCampaignInputs as CampaignInputs,
  WoodpeckerCampaignOutputs as CampaignOutputs,
  WoodpeckerDesiredState as DesiredState,
  WoodpeckerProspect as Prospect,
  WoodpeckerProspectCounts as ProspectCounts,
} from "./types";
export { WorkflowConflictError, WorkflowReplacementError } from "./errors";
import type { InputsCheck, RuleViolation } from "../core/check-types";
import { checkWoodpeckerCampaignInputs, checkWoodpeckerCampaignRules } from "./schema";
import type { WoodpeckerCampaignInputs } from "./types";

/**
 * Check `woodpecker.Campaign` inputs exactly as the provider's `check` does, before any plan or API
 * call: the inputs with defaults filled, or every failure with its property path. Declared with
 * its own type so the public declarations never reach the zod schemas behind it.
 */
export const checkCampaignInputs: (raw: unknown) => InputsCheck<WoodpeckerCampaignInputs> =
  checkWoodpeckerCampaignInputs;

/**
 * The cross-field rules alone (duplicates, rules that tie one field to another), on any value: the
 * GitOps loader reports them together with the field errors, which zod would report first.
 */
export const checkCampaignRules: (inputs: unknown) => RuleViolation[] = checkWoodpeckerCampaignRules;
