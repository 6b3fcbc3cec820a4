export { Campaign, type CampaignArgs, type ContactArgs } from "./campaign";
export type {
  BurkiCampaignInputs as CampaignInputs,
  BurkiCampaignOutputs as CampaignOutputs,
  BurkiCampaignType as CampaignType,
  BurkiContact as Contact,
  BurkiDesiredState as DesiredState,
} from "./types";
export { StopTimeoutError } from "./errors";
export {
  checkBurkiCampaignInputs as checkCampaignInputs,
  checkBurkiCampaignRules as checkCampaignRules,
} from "./schema";
