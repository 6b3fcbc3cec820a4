/**
 * e2e, a prospect Woodpecker refuses is not a failed deployment (provider/woodpecker/refusals.ts):
 * Rita replied to another campaign, so she is globally REPLIED and Woodpecker refuses her without
 * `force`. `pulumi up` succeeds, the others are enrolled, the refusal is in the output and in the
 * plain outputs by position and reason, never by email; `onProspectRefused: "fail"` fails the update.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectFor } from "./helpers/engine";
import { program, woodpeckerArgs } from "./programs";

const RITA = `{ email: "rita@example.net", firstName: "Rita", company: "Initech" }`;

function campaigns(policy: string): string {
  const withRita = woodpeckerArgs("Q4 outreach", policy).replace(
    /(prospects: \[[\s\S]*?)\],\n/,
    `$1  ${RITA},\n    ],\n`,
  );
  return program(`const outreach = new woodpecker.Campaign("q4-outreach", ${withRita});
const webinar = new woodpecker.Campaign("webinar", ${woodpeckerArgs("Webinar").replace(
    /prospects: \[[\s\S]*?\],\n/,
    `prospects: [${RITA}],\n`,
  )});
void webinar;
export const outreachId = outreach.campaignId;
export const refused = outreach.prospectsRefused;
export const refusedAt = outreach.prospectsRefusedAt;`);
}

describe("e2e (real CLI): a prospect Woodpecker refuses", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "prospect-refused",
    program(`const webinar = new woodpecker.Campaign("webinar", ${woodpeckerArgs("Webinar").replace(
      /prospects: \[[\s\S]*?\],\n/,
      `prospects: [${RITA}],\n`,
    )});
void webinar;`),
  );

  it("is reported by position, the others are enrolled, and the up succeeds (or fails when asked to)", async () => {
    const p = project();
    expect((await p.up()).code).to.equal(0);
    await p.woodpeckerCtl.call("PUT", "/prospects/status", { email: "rita@example.net", status: "REPLIED" });

    writeFileSync(join(p.dir, "index.ts"), campaigns(""));
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    expect(up.output).to.match(
      /Woodpecker refused 1 of the 3 prospects of Woodpecker campaign \d+ \("Q4 outreach"\)/,
    );
    expect(up.output).to.include("prospects[2] (E_INV_STATUS");
    expect(up.output).to.not.include("rita@example.net");
    const out = await p.outputs();
    expect(out.refused).to.equal(1);
    expect(out.refusedAt).to.have.length(1);
    expect((out.refusedAt as string[])[0]).to.match(/^prospects\[2\]: E_INV_STATUS \(/);
    const members = (
      await p.woodpeckerCtl.call<{ prospects: Array<{ email: string }> }>(
        "GET",
        `/campaigns/${out.outreachId as number}/prospects`,
      )
    ).prospects.map((x) => x.email);
    expect(members.sort()).to.deep.equal(["ana@example.com", "li@example.org"]);
    const exported = (await p.exportStack()).text;
    expect(exported.match(/rita@example\.net/g) ?? [], "never in plain state").to.deep.equal([]);

    writeFileSync(join(p.dir, "index.ts"), campaigns(`onProspectRefused: "fail",`));
    const failing = await p.up();
    expect(failing.code, failing.output).to.not.equal(0);
    expect(failing.output).to.include("prospects[2] (E_INV_STATUS");
    expect(failing.output).to.not.include("rita@example.net");
  });
});
