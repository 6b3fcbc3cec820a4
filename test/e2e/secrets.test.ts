/**
 * e2e: what `pulumi stack export` holds after a real `up` (real secrets encryption, passphrase
 * provider): no API key, no phone number, no email in plain text; `--show-secrets` shows the
 * contacts and prospects (they were kept as secrets, not dropped); `__provider` under 2 KB.
 */
import { expect } from "chai";
import { BURKI_EMULATOR_API_KEY } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY } from "../../provider/emulators/woodpecker";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

const PERSONAL = ["+15555550101", "+15555550102", "ana@example.com", "li@example.org"];

describe("e2e (real CLI): secrets in state", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "secrets",
    program(`new burki.Campaign("renewals", ${burkiArgs("renewals")});
new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")});`),
  );

  before(async function () {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
  });

  it("stack export holds no API key, phone number or email in plain text", async () => {
    const { text } = await project().exportStack();
    for (const secret of [BURKI_EMULATOR_API_KEY, WOODPECKER_EMULATOR_API_KEY, ...PERSONAL])
      expect(text.includes(secret), `a secret or personal datum in plain state`).to.equal(false);
    const up = project().transcript.find((t) => t.startsWith("$ pulumi up")) ?? "";
    for (const secret of PERSONAL)
      expect(up.includes(secret), "personal data in the up output").to.equal(false);
  });

  it("--show-secrets shows them: they were kept as secrets, not dropped", async () => {
    const { text } = await project().exportStack(true);
    for (const datum of PERSONAL) expect(text, "a contact or prospect").to.include(datum);
    expect(text).to.include(BURKI_EMULATOR_API_KEY); // the default provider's recorded config, a secret
  });

  it("each campaign's __provider is a small shim (under 2 KB)", async () => {
    const campaigns = await project().campaignsInState();
    expect(campaigns).to.have.length(2);
    for (const r of campaigns) {
      const shim = String(r.outputs?.__provider ?? r.inputs?.__provider ?? "");
      expect(shim.length, `__provider of ${r.urn}`).to.be.within(1, 2048);
    }
  });
});
