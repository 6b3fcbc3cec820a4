/**
 * e2e: a preview on a fresh stack where one campaign's output feeds another's input. The engine
 * sends unknown values to Check and Diff; the provider must plan, not fail, on both platforms.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

describe("e2e (real CLI): preview with unknown inputs on a fresh stack", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "unknowns",
    program(`const first = new burki.Campaign("first", ${burkiArgs("first")});
// Woodpecker's name and Burki's agenda are unknown until the campaign before them exists.
const mail = new woodpecker.Campaign("mail", {
  ...${woodpeckerArgs("mail")},
  name: pulumi.interpolate\`follow-up of Burki campaign \${first.campaignId}\`,
});
const second = new burki.Campaign("second", {
  ...${burkiArgs("second")},
  agendaTemplate: pulumi.interpolate\`Mention the email campaign \${mail.campaignId}.\`,
  maxAttempts: mail.campaignId.apply(() => 2),
});
export const secondId = second.campaignId;`),
  );

  it("preview succeeds and plans three creates, with no request to either platform but reads", async () => {
    const p = project();
    const preview = await p.preview("--json");
    expect(preview.code, preview.output).to.equal(0);
    const plan = JSON.parse(preview.stdout) as { changeSummary: Record<string, number> };
    expect(plan.changeSummary.create).to.equal(4); // three campaigns and the stack
    expect(await p.burkiCtl.writeLines()).to.deep.equal([]);
    expect(await p.woodpeckerCtl.writeLines()).to.deep.equal([]);
  });

  it("up then creates them with the resolved values", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const burkiHeld = await p.burkiCtl.campaigns();
    const first = burkiHeld.find((c) => c.name === "first");
    const [mail] = await p.woodpeckerCtl.campaigns();
    expect(mail.name).to.equal(`follow-up of Burki campaign ${first.id}`);
    const second = burkiHeld.find((c) => c.name === "second");
    expect(second.max_attempts).to.equal(2);
  });
});
