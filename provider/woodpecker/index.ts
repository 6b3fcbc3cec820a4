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
export {
  checkWoodpeckerCampaignInputs as checkCampaignInputs,
  checkWoodpeckerCampaignRules as checkCampaignRules,
} from "./schema";
