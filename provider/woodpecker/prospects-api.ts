/**
 * Woodpecker's v1 prospect endpoints (reference/woodpecker-prospects-api.md), in one import: add or
 * update in a campaign (prospects-add.ts), list a campaign's prospects (prospects-list.ts), remove
 * from a campaign (prospects-remove.ts), and what the three share (prospects-v1.ts). Every call goes
 * through the account's limiter (the WoodpeckerClient's HttpClient).
 *
 * Only re-exports: the endpoints were one file, and the sync, the do-not-contact removal, the
 * blacklist and the tests import them from here.
 */
export { type ApiProspect, type ListedProspect, ProspectsRequestError, scrubEmails } from "./prospects-v1";
export { type AddOutcome, addProspectsToCampaign, truncatedFields } from "./prospects-add";
export { LIST_PAGE_SIZE, listCampaignProspects } from "./prospects-list";
export {
  type DeleteLimit,
  MAX_DELETE_HALVINGS,
  MAX_DELETE_URL,
  deleteBatches,
  removeProspectsFromCampaign,
} from "./prospects-remove";
