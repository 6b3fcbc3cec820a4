export { Campaign, type CampaignArgs, type StepArgs, type StepVersionArgs } from "./campaign";
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
} from "./types";
export { WorkflowConflictError, WorkflowReplacementError } from "./errors";
export {
  checkWoodpeckerCampaignInputs as checkCampaignInputs,
  checkWoodpeckerCampaignRules as checkCampaignRules,
} from "./schema";
