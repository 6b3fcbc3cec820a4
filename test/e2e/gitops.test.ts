/**
 * e2e: the GitOps example (examples/gitops: campaigns kept as YAML files) previews, ups and
 * destroys under the real CLI, in a project made from the example's files as a user copies them.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT, projectFor } from "./helpers/engine";

const EXAMPLE = join(ROOT, "examples", "gitops");

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of ["program.ts", "load.ts", "explain.ts"]) files[f] = readFileSync(join(EXAMPLE, f), "utf8");
  for (const f of readdirSync(join(EXAMPLE, "campaigns")))
    files[`campaigns/${f}`] = readFileSync(join(EXAMPLE, "campaigns", f), "utf8");
  return files;
}

describe("e2e (real CLI): the GitOps example", function () {
  this.timeout(10 * 60_000);
  const project = projectFor("gitops", readFileSync(join(EXAMPLE, "index.ts"), "utf8"), {
    files: exampleFiles(),
  });

  it("previews the three campaign files as three creates", async () => {
    const preview = await project().preview("--json");
    expect(preview.code, preview.output).to.equal(0);
    const plan = JSON.parse(preview.stdout) as { steps: { op: string; urn: string }[] };
    const creates = plan.steps.filter((s) => s.op === "create" && /:Campaign::/.test(s.urn));
    expect(creates.map((s) => s.urn.split("::").pop()).sort()).to.deep.equal([
      "partner-nurture",
      "q4-outreach",
      "renewals",
    ]);
  });

  it("ups: one Burki and two Woodpecker campaigns, as the files declare", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const burkiHeld = await p.burkiCtl.campaigns();
    expect(burkiHeld.map((c) => [c.name, c.status])).to.deep.equal([["renewals", "scheduled"]]);
    const woodpeckerHeld = await p.woodpeckerCtl.campaigns();
    expect(woodpeckerHeld.map((c) => c.name).sort()).to.deep.equal(["partner-nurture", "q4-outreach"]);
    const again = await p.preview("--expect-no-changes");
    expect(again.code, again.output).to.equal(0);
  });

  it("destroys: the scheduled Burki campaign is stopped before its delete; nothing left", async () => {
    const p = project();
    const id = (await p.burkiCtl.campaigns())[0].id as number;
    await p.burkiCtl.clearRequests();
    const destroy = await p.destroy();
    expect(destroy.code, destroy.output).to.equal(0);
    const lines = await p.burkiCtl.writeLines();
    expect(lines.indexOf(`POST /api/v1/campaigns/${id}/stop 200`)).to.be.lessThan(
      lines.indexOf(`DELETE /api/v1/campaigns/${id} 200`),
    );
    expect(await p.burkiCtl.campaigns()).to.deep.equal([]);
    expect(await p.woodpeckerCtl.campaigns()).to.deep.equal([]);
    expect(await p.campaignsInState()).to.deep.equal([]);
  });
});
