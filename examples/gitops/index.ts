/**
 * Campaigns as files: every `campaigns/<name>.<platform>.yaml` becomes one campaign resource.
 * See README.md for the pipeline (preview on pull requests, guard, up on merge, nightly drift check).
 */
import * as path from "node:path";
import { declareCampaigns } from "./program";

/** `{ <file stem>: { platform, campaignId, status } }` */
export const campaigns = declareCampaigns(path.join(__dirname, "campaigns"));
