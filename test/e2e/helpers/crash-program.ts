/**
 * The program of the crash tests: 20 running Burki and 20 running Woodpecker campaigns, each named
 * by its index, each adopting the campaign adopt.json names for it (`existingCampaignId`), which is
 * how the recovery hands an orphan back to the resource whose create it was.
 */
import { READ_ADOPTIONS } from "./recovery";
import { burkiArgs, program, woodpeckerArgs } from "../programs";

export const CRASH_CAMPAIGNS = 20;

export const CRASH_PROGRAM = program(`${READ_ADOPTIONS}
for (let i = 0; i < ${CRASH_CAMPAIGNS}; i++) {
  const n = String(i).padStart(2, "0");
  new burki.Campaign("b-" + n, { ...${burkiArgs("Renewals")}, name: "Renewals " + n, ...adopted("b-" + n) });
  new woodpecker.Campaign("w-" + n, { ...${woodpeckerArgs("Outreach")}, name: "Outreach " + n, ...adopted("w-" + n) });
}`);
