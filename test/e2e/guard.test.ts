/**
 * e2e: the plan guard on the real CLI's `pulumi preview --json`. A plan that stops a running Burki
 * campaign (a replacement: `campaignType` cannot change in place, so the running campaign is
 * stopped and deleted) is blocked (exit 1); an innocuous plan passes (exit 0). The guard runs as
 * users run it: the `pulumi-campaigns` bin of the installed package.
 */
import { expect } from "chai";
import { join } from "node:path";
import { exec, projectFor } from "./helpers/engine";
import { burkiArgs, program } from "./programs";

const campaign = (overrides: string) =>
  program(`const c = new burki.Campaign("renewals", { ...${burkiArgs("renewals")}, ${overrides} });
export const status = c.status;`);

describe("e2e (real CLI): the guard on a real `pulumi preview --json`", function () {
  this.timeout(10 * 60_000);
  const project = projectFor("guard", campaign(""));

  before(async function () {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
  });

  async function guard(plan: string) {
    const bin = join(project().bench.dir, "node_modules", "pulumi-campaigns", "dist", "cli.js");
    return exec(process.execPath, [bin, "guard"], { cwd: project().dir, input: plan });
  }

  it("blocks a plan that stops a running Burki campaign (exit 1)", async () => {
    const p = project();
    p.write("index.ts", campaign('campaignType: "sms",'));
    const preview = await p.preview("--refresh", "--json", "--show-replacement-steps");
    expect(preview.code, preview.output).to.equal(0);
    const verdict = await guard(preview.stdout);
    expect(verdict.code, verdict.output).to.equal(1);
    expect(verdict.output).to.include("renewals");
    expect(verdict.output).to.match(/running/);
  });

  it("passes an innocuous plan (exit 0)", async () => {
    const p = project();
    p.write("index.ts", campaign("retryDelayMinutes: 90,"));
    const preview = await p.preview("--refresh", "--json", "--show-replacement-steps");
    expect(preview.code, preview.output).to.equal(0);
    expect(
      (JSON.parse(preview.stdout) as { changeSummary: Record<string, number> }).changeSummary.update,
    ).to.equal(1);
    const verdict = await guard(preview.stdout);
    expect(verdict.code, verdict.output).to.equal(0);
  });
});
