/**
 * e2e, the provider's own lost-answer handling under the real CLI: half the creates are applied by
 * the vendor and their answer lost (the emulators' `rateAppliedLost` fault: a reset or a 500 after
 * the campaign was made). `createOnce` (provider/core/create-once.ts) looks the campaign up before it
 * tries again. End state from the emulators and the stack: one campaign per resource, all running.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { endState } from "./helpers/recovery";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

const N = 5;

describe("e2e (real CLI): creates whose answer is lost end with one campaign per resource", function () {
  this.timeout(15 * 60_000);
  const project = projectFor(
    "lost-answer",
    program(`for (let i = 0; i < ${N}; i++) {
  new burki.Campaign("b-" + i, { ...${burkiArgs("Renewals")}, name: "Renewals " + i });
  new woodpecker.Campaign("w-" + i, { ...${woodpeckerArgs("Outreach")}, name: "Outreach " + i });
}`),
  );

  it("looks each lost create up instead of creating it twice", async () => {
    const p = project();
    const lost = { rateAppliedLost: 0.5, seed: 7 }; // seed 7: the first two creates of each platform lose their answer
    await p.burkiCtl.setFaults({ ...lost, match: "^POST /api/v1/campaigns/$" });
    await p.woodpeckerCtl.setFaults({ ...lost, match: "^POST (/rest)?/v2/campaigns$" });
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const faulted = [
      ...(await p.burkiCtl.requests()).filter((r) => r.fault === "applied-lost"),
      ...(await p.woodpeckerCtl.requests()).filter((r) => r.fault === "applied-lost"),
    ];
    expect(faulted.length, "creates whose answer was lost").to.be.greaterThan(0);
    // Each provider line is printed twice: live, and again under Diagnostics at the end.
    const recovered = new Set(
      up.output.match(
        /(Burki|Woodpecker) campaign \d+ \("[^"]+"\): the create was applied although its answer was lost/g,
      ),
    );
    expect(recovered.size, [...recovered].join("\n")).to.equal(faulted.length);

    const end = await endState(p);
    expect(end.pendingOperations).to.equal(0);
    for (const platform of ["burki", "woodpecker"] as const) {
      expect(end.stack[platform].size, `${platform} resources`).to.equal(N);
      expect(end.live[platform].size, `${platform} campaigns at the vendor`).to.equal(N);
      expect([...end.live[platform].keys()].sort()).to.deep.equal([...end.stack[platform].values()].sort());
      const running = [...end.live[platform].values()].filter((c) => c.status.toLowerCase() === "running");
      expect(running.length, `${platform}: all running`).to.equal(N);
    }
  });
});
