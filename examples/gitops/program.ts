/**
 * The GitOps program: one resource per campaign file. `index.ts` runs it on ./campaigns; tests run
 * it on copies of that directory.
 */
import * as pulumi from "@pulumi/pulumi";
import { burki, woodpecker } from "pulumi-campaigns";
import { loadCampaigns, type Platform } from "./load";

export interface DeployedCampaign {
  platform: Platform;
  /** The vendor's campaign id. */
  campaignId: pulumi.Output<number>;
  /** The vendor's status string (Burki: `running`…, Woodpecker: `RUNNING`…). */
  status: pulumi.Output<string>;
}

/** Declare every campaign in `dir`; the map (by file stem) is the stack's `campaigns` output. */
export function declareCampaigns(dir: string): Record<string, DeployedCampaign> {
  const deployed: Record<string, DeployedCampaign> = {};
  // Throws one error listing every problem of every file, before any resource is declared.
  for (const c of loadCampaigns(dir)) {
    const campaign =
      c.platform === "burki"
        ? new burki.Campaign(c.name, c.inputs)
        : new woodpecker.Campaign(c.name, c.inputs);
    deployed[c.name] = { platform: c.platform, campaignId: campaign.campaignId, status: campaign.status };
  }
  return deployed;
}
