/**
 * e2e, what a person sees: the provider's lines during a long stop-and-wait, in the normal output of
 * `pulumi destroy --non-interactive` (as CI shows it), as they happen. The engine turns each line a
 * plugin writes to stderr into an `info#err` diagnostic without a URN (sdk/go/common/resource/plugin/
 * plugin.go `newPlugin`, `runtrace`: `ctx.Diag.Infoerrf(diag.StreamMessage("", msg, …))`), which
 * the display prints at once. Burki answers the stop but keeps calling for ~40 s (the emulator's
 * `ignoreStop` hook, then a transition): the provider says every 15 s that it is still waiting.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { projectFor } from "./helpers/engine";
import { startPulumi } from "./helpers/crash";
import { burkiArgs, program } from "./programs";

const STOP_TAKES_MS = 40_000;

describe("e2e (real CLI): what `pulumi destroy` shows during a long stop-and-wait", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "what-you-see",
    program(`const c = new burki.Campaign("renewals", ${burkiArgs("Renewals")});
export const campaignId = c.campaignId;`),
  );

  it("prints the wait's progress lines while it waits, then the delete", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const { campaignId } = await p.outputs();
    await p.burkiCtl.call("POST", `/campaigns/${campaignId}/hooks`, { ignoreStop: true });

    const destroy = startPulumi(p, ["destroy", "--yes", "--non-interactive", "--skip-preview"]);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, STOP_TAKES_MS));
    const stoppedAtMs = Date.now() - t0;
    await p.burkiCtl.transition(campaignId as number, "cancelled");
    const r = await destroy.done;
    expect(r.code, r.output).to.equal(0);

    const timed = destroy.lines.map((l) => `${(l.ms / 1000).toFixed(1).padStart(6)}s  ${l.line}`).join("\n");
    if (process.env.WHAT_YOU_SEE_OUT) writeFileSync(process.env.WHAT_YOU_SEE_OUT, timed + "\n");
    const progress = destroy.lines.filter((l) => /stop sent, still running after \d+s/.test(l.line));
    expect(progress.length, timed).to.be.at.least(2);
    expect(progress[0].ms, "the first progress line is shown while the wait goes on").to.be.below(
      stoppedAtMs,
    );
    const deleted = destroy.lines.find((l) => l.line.includes("deleted"));
    expect(deleted, timed).to.not.equal(undefined);
    expect(await p.burkiCtl.campaigns()).to.deep.equal([]);
  });
});
