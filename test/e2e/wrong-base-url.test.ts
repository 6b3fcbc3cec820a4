/**
 * e2e: a wrong `baseUrl` on refresh and on destroy. The route answers 404 (the emulator's origin
 * with a wrong path, as a mistyped URL would): that is not the vendor's "campaign not found", so
 * the step fails naming the URL, and the campaigns and the state are kept.
 *
 * What the real engine taught us (the protocol harness assumed otherwise): `refresh` and `destroy`
 * do not run the program, so the provider is configured from the stack config recorded in state by
 * the last `up` (the default `pulumi-nodejs` provider's inputs: for dynamic providers the engine
 * passes the whole stack config, pkg/resource/deploy/target.go `GetPackageConfig`). A baseUrl
 * changed with `pulumi config set` reaches them after an `up`, or at once with `--run-program`.
 */
import { expect } from "chai";
import { projectFor } from "./helpers/engine";
import { burkiArgs, program, woodpeckerArgs } from "./programs";

describe("e2e (real CLI): a wrong baseUrl on refresh and destroy", function () {
  this.timeout(10 * 60_000);
  const project = projectFor(
    "wrong-base-url",
    program(`new burki.Campaign("renewals", ${burkiArgs("renewals")});
new woodpecker.Campaign("outreach", ${woodpeckerArgs("outreach")});`),
    {
      // The right URLs recorded again (an up), so the destroy at the end reaches the emulators.
      beforeCleanUp: async (p) => {
        await p.pointAtEmulators();
        await p.up();
      },
    },
  );

  before(async function () {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
  });

  for (const platform of ["burki", "woodpecker"] as const) {
    it(`${platform}: refresh and destroy fail naming the URL; campaigns and state kept`, async () => {
      const p = project();
      const ctl = platform === "burki" ? p.burkiCtl : p.woodpeckerCtl;
      const wrong = `${(platform === "burki" ? p.burki : p.woodpecker).origin}/not-the-api`;
      // Both campaigns exist, configured right (an earlier iteration's failed destroy deleted the
      // other platform's campaign: the engine goes on with the deletes that do not fail).
      await p.pointAtEmulators();
      expect((await p.up()).code).to.equal(0);
      const mine = async () =>
        (await p.campaignsInState()).filter((r) => r.type.endsWith(`/${platform}:Campaign`)).map((r) => r.id);
      const before = await mine();
      expect(before).to.have.length(1);
      await p.config({ [`${platform}:baseUrl`]: wrong });

      // Not yet recorded by an `up`: plain refresh still uses the last up's config…
      const stale = await p.refresh();
      expect(stale.code, stale.output).to.equal(0);
      // …and --run-program uses the new one.
      const runProgram = await p.refresh("--run-program");
      expect(runProgram.code, runProgram.output).to.not.equal(0);
      expect(runProgram.output).to.include(wrong);
      const destroyRunProgram = await p.destroy("--run-program");
      expect(destroyRunProgram.code, destroyRunProgram.output).to.not.equal(0);
      expect(destroyRunProgram.output).to.include(wrong);

      // An `up` with no campaign change records it (it calls no API: check and diff are local).
      await ctl.clearRequests();
      const up = await p.up();
      expect(up.code, up.output).to.equal(0);
      expect(await ctl.requestLines()).to.deep.equal([]);
      const refresh = await p.refresh();
      expect(refresh.code, refresh.output).to.not.equal(0);
      expect(refresh.output).to.include(wrong);
      const destroy = await p.destroy();
      expect(destroy.code, destroy.output).to.not.equal(0);
      expect(destroy.output).to.include(wrong);

      expect(await mine(), `the ${platform} campaign in state`).to.deep.equal(before);
      expect((await ctl.campaigns()).map((c) => String(c.id))).to.deep.equal(before);
    });
  }
});
