/**
 * e2e: refresh after edits made outside Pulumi, on both platforms. Refresh succeeds and records
 * the drift; `pulumi preview --expect-no-changes` then fails showing it; `up` puts the declared
 * values back. A workflow campaign whose step delay was changed in the app refreshes too (the
 * engine calls Diff on refresh, and the provider's diff never throws for a policy reason); its
 * restore would be a replacement, which the provider refuses at preview with the workflow message.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

describe("e2e (real CLI): refresh after outside edits", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "refresh-drift",
    program(`const b = new burki.Campaign("renewals", ${burkiArgs("renewals")});
const w = new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")});
const f = new woodpecker.Campaign("nurture", ${woodpeckerArgs("nurture", 'workflow: "Q4 nurture",')});
export const burkiId = b.campaignId;
export const woodpeckerId = w.campaignId;
export const workflowId = f.campaignId;`),
    {
      // Out of the workflow first, or the destroy at the end is refused (as it should be).
      beforeCleanUp: async (p) => {
        if (ids) await p.woodpeckerCtl.call("PUT", `/campaigns/${ids.workflow}/workflow`, { active: false });
      },
    },
  );
  let ids: { burki: number; woodpecker: number; workflow: number } | undefined;

  before(async function () {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const out = await p.outputs();
    ids = {
      burki: out.burkiId as number,
      woodpecker: out.woodpeckerId as number,
      workflow: out.workflowId as number,
    };
    await p.woodpeckerCtl.call("PUT", `/campaigns/${ids.workflow}/workflow`, { active: true });
  });

  it("refresh succeeds after edits in both apps, and preview --expect-no-changes fails showing the drift", async () => {
    const p = project();
    await p.burkiCtl.editOutside(ids!.burki, { max_attempts: 7 });
    await p.woodpeckerCtl.editOutside(ids!.woodpecker, { settings: { daily_enroll: 10 } });
    const held = await p.woodpeckerCtl.campaign(ids!.workflow);
    const stepId = held.steps.followup.followup.id;
    await p.woodpeckerCtl.editOutside(ids!.workflow, {
      followup_after: [{ step_id: stepId, followup_after: { range: "DAY", value: 6 } }],
    });
    await p.burkiCtl.clearRequests();
    await p.woodpeckerCtl.clearRequests();

    const refresh = await p.refresh();
    expect(refresh.code, refresh.output).to.equal(0);
    const state = await p.campaignsInState();
    const byName = Object.fromEntries(state.map((r) => [r.urn.split("::").pop(), r]));
    expect(byName.renewals.outputs.maxAttempts).to.equal(7);
    expect(byName.outreach.outputs.settings.dailyEnroll).to.equal(10);
    expect(byName.nurture.outputs.steps[1].delay).to.deep.equal({ value: 6, unit: "day" });

    const preview = await p.preview("--expect-no-changes", "--diff");
    expect(preview.code, preview.output).to.not.equal(0);
    expect(preview.output).to.match(/maxAttempts\s*:\s*7\s*=>\s*3/);
    expect(preview.output).to.match(/dailyEnroll\s*:\s*10\s*=>\s*50/);
    // The workflow campaign's restore would replace it: refused at preview, with the way out.
    expect(preview.output).to.include('belongs to the active workflow "Q4 nurture"');
    expect([...(await p.burkiCtl.writeLines()), ...(await p.woodpeckerCtl.writeLines())]).to.deep.equal([]);
  });

  it("up restores the declared values where they can change in place", async () => {
    const p = project();
    // The workflow campaign takes its app-side delay into the program (the way out the message names).
    p.write(
      "index.ts",
      program(`const b = new burki.Campaign("renewals", ${burkiArgs("renewals")});
const w = new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")});
const f = new woodpecker.Campaign("nurture", ${woodpeckerArgs("nurture", 'workflow: "Q4 nurture",', 6)});
export const burkiId = b.campaignId;
export const woodpeckerId = w.campaignId;
export const workflowId = f.campaignId;`),
    );
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    expect((await p.burkiCtl.campaign(ids!.burki)).max_attempts).to.equal(3);
    expect((await p.woodpeckerCtl.campaign(ids!.woodpecker)).settings.daily_enroll).to.equal(50);
    expect((await p.outputs()).workflowId, "the workflow campaign was not replaced").to.equal(ids!.workflow);
    const again = await p.preview("--expect-no-changes");
    expect(again.code, again.output).to.equal(0);
  });
});
