/**
 * e2e: what the engine stores of a Woodpecker campaign's inputs. Check leaves out the defaults of
 * each step and version (provider-kit.ts `storedWithoutItemDefaults`), so the checkpoint the engine
 * rewrites after every step is smaller; diff fills them back. A state written by an earlier
 * version (every default spelled out in each step) must read as no change, and the next `up`
 * stores the shorter inputs without a call to Woodpecker.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_DELIVERY_TIME } from "../../provider/woodpecker/schema";
import { projectFor } from "./helpers/engine";
import { program, woodpeckerArgs } from "./programs";

type Step = { versions: Array<Record<string, unknown>> } & Record<string, unknown>;

/** A step as the schema gives it: every default spelled out (how earlier builds of this package stored it). */
const spelledOut = (s: Step): Step => ({
  type: "email",
  delay: { value: 1, unit: "day" },
  deliveryTime: DEFAULT_DELIVERY_TIME,
  ...s,
  versions: s.versions.map((v) => ({ signature: "SENDER", trackOpens: true, ...v })),
});

describe("e2e (real CLI): a Woodpecker campaign's stored inputs", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "stored-inputs",
    program(`const w = new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")});
export const woodpeckerId = w.campaignId;`),
  );

  it("are stored without the steps' defaults; a state that spells them out (an earlier version) is no change, and up shortens it", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const [stored] = await p.campaignsInState();
    const steps = stored.inputs.steps as Step[];
    expect(steps[0]).to.not.have.any.keys("type", "delay", "deliveryTime");
    expect(steps[1]).to.not.have.any.keys("type", "deliveryTime");
    expect(steps[1].delay).to.deep.equal({ value: 3, unit: "day" });
    expect(stored.inputs.settings).to.include({ dailyEnroll: 50, prospectTimezone: false });
    // The outputs still describe the whole campaign.
    expect(stored.outputs.steps[0].deliveryTime).to.deep.equal(DEFAULT_DELIVERY_TIME);
    const shortBytes = JSON.stringify(stored.inputs).length;

    // The state as an earlier version wrote it: every step's defaults in the inputs.
    const exported = await p.exportStack();
    const deployment = exported.deployment;
    for (const r of deployment.resources) {
      if (r.urn === stored.urn) r.inputs.steps = (r.inputs.steps as Step[]).map(spelledOut);
    }
    const file = join(p.dir, "spelled-out.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(exported.text), deployment }));
    await p.ok(["stack", "import", "--file", file]);
    const [before] = await p.campaignsInState();
    expect(JSON.stringify(before.inputs).length).to.be.greaterThan(shortBytes + 400);

    await p.woodpeckerCtl.clearRequests();
    const preview = await p.preview("--expect-no-changes");
    expect(preview.code, preview.output).to.equal(0);
    const again = await p.up("--expect-no-changes");
    expect(again.code, again.output).to.equal(0);
    expect(await p.woodpeckerCtl.writeLines()).to.deep.equal([]);
    const [after] = await p.campaignsInState();
    expect(after.inputs.steps).to.deep.equal(steps);
    expect(JSON.stringify(after.inputs).length).to.equal(shortBytes);
  });
});
