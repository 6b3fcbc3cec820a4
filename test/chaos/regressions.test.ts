/**
 * Single faults, placed on purpose, that the chaos run turned up. Each test drives the installed
 * provider through the SDK's real dynamic-provider host against an emulator and shows what a user
 * would see. Faults are placed with a seeded die that only the matched route rolls, so the sequence
 * of outcomes is fixed (`seedFor`).
 */
import { expect } from "chai";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { seededRandom } from "../../provider/emulators/common";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, ProviderRpcError, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const TYPE = "pulumi-nodejs:dynamic/burki:Campaign";

/**
 * A seed whose first draws of the emulator's die fall below `rate` exactly where `pattern` says
 * (true = the fault fires). Only requests matching the profile's `match` roll the die, and only
 * one rate is set, so each such request draws exactly once.
 */
function seedFor(rate: number, pattern: boolean[]): number {
  for (let seed = 1; seed < 10_000; seed++) {
    const r = seededRandom(seed);
    if (pattern.every((fires) => r() < rate === fires)) return seed;
  }
  throw new Error("no seed found");
}

describe("chaos regressions: single faults in the Burki lifecycle", function () {
  this.timeout(60_000);
  let emulator: BurkiEmulator;
  let control: EmulatorControl;
  let host: ProviderHost;
  let providerText: string;

  const inputs = (name: string, over: Props = {}): Props => ({
    name,
    campaignType: "call",
    assistantId: 7,
    contacts: [{ phoneNumber: "+15551239001", name: "Ann" }],
    state: "running",
    ...over,
    __provider: providerText,
  });

  const up = (name: string, props: Props) => checkAndCreate(host, TYPE, name, props);

  before(async () => {
    emulator = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
    await emulator.start();
    control = new EmulatorControl(emulator.origin);
    providerText = await installedProviderText("burki");
    host = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: emulator.baseUrl },
      settings: { "burki:stopTimeoutSeconds": "3", "burki:requestTimeoutSeconds": "3" },
    });
  });

  after(async () => {
    await host?.close();
    await emulator?.stop();
  });

  beforeEach(async () => {
    await control.clearFaults();
    await control.clearRequests();
  });

  afterEach(async () => {
    await control.clearFaults();
    for (const c of await control.campaigns()) await control.deleteOutside(c.id);
  });

  // Bug (fixed; then in provider/burki/stop-then-delete.ts, now run-state.ts `stopThenDelete`): the catch around `client.action(id, "stop")`. A stop
  // that was not confirmed (502/500/reset: OutcomeUnknownError) is treated as if it might have
  // worked, and the code only waits for the campaign to leave running. When the stop never reached
  // Burki, nothing stops it: the destroy hangs for burki:stopTimeoutSeconds (300 s by default) and
  // fails with "it was asked to stop but did not stop", which sends the user looking for a problem
  // in Burki. The chaos run sees this on about 5–10% of running campaigns' deletes. Fix: after an
  // unconfirmed stop, read the campaign; while it is still running/scheduled, send stop again (a
  // repeated stop is refused with a 400 once it took effect, which is already handled).
  it("destroy of a running campaign whose stop got a 502 sends the stop again and deletes it", async () => {
    const c = await up("stop-502", inputs("stop-502"));
    expect(c.outs.status).to.be.oneOf(["running", "scheduled"]);
    // The first stop gets a 502 (never reaches Burki's handler); any later one goes through.
    const seed = seedFor(0.5, [true, false, false, false]);
    await control.setFaults({ rate502: 0.5, match: "^POST /api/v1/campaigns/\\d+/stop$", seed });
    await control.clearRequests();
    let failure: ProviderRpcError | undefined;
    const t0 = Date.now();
    try {
      await host.delete(c.urn, c.id, c.outs, c.inputs);
    } catch (e) {
      if (!(e instanceof ProviderRpcError)) throw e;
      failure = e;
    }
    const took = Date.now() - t0;
    const stops = (await control.requestLines()).filter((l) => l.includes("/stop"));
    expect(stops[0]).to.equal(`POST /api/v1/campaigns/${c.id}/stop 502`);
    expect(
      failure?.details,
      `delete failed after ${took} ms with only ${stops.length} stop request(s): ${stops.join(", ")}`,
    ).to.equal(undefined);
    expect(stops).to.deep.equal([
      `POST /api/v1/campaigns/${c.id}/stop 502`,
      `POST /api/v1/campaigns/${c.id}/stop 200`,
    ]);
    expect(await control.campaign(c.id)).to.equal(undefined);
  });

  // Design promise: "a create that failed ambiguously must not leave a duplicate". When the create
  // POST times out (but is applied) and the look-up that follows cannot be done either, the engine
  // records nothing, so a plain re-run would create a second campaign. The provider does not look
  // before every first create (two stacks deploying one program to one account would adopt each
  // other's drafts); it keeps trying the look-up for a while, then stops with an error that says the
  // campaign MAY EXIST and how to adopt it — and adopting it leaves exactly one campaign.
  it("a create applied while Burki was too slow to answer is reported as possibly existing, and adopting it leaves one", async () => {
    // Every request is answered after 2.5 s, well past one attempt's 1 s (a smaller margin lets a
    // loaded machine, whose timers fire late, see the answer in time): the POST is applied, and the
    // look-ups that follow never get an answer.
    await control.setFaults({ latencyMs: 2_500 });
    const urn = host.urnOf(TYPE, "slow-create");
    const chk = await host.check(urn, {}, inputs("slow create", { state: "draft", contacts: undefined }));
    let first: ProviderRpcError | undefined;
    try {
      await host.create(urn, chk.inputs);
    } catch (e) {
      if (!(e instanceof ProviderRpcError)) throw e;
      first = e;
    }
    await control.clearFaults();
    await new Promise((r) => setTimeout(r, 2_600)); // let the emulator finish what it holds
    expect(first, "the create should have failed").to.not.equal(undefined);
    expect(first!.initFailed).to.equal(undefined); // the engine keeps nothing
    expect(first!.details).to.include('did not confirm the creation of campaign "slow create"');
    expect(first!.details).to.include("MAY EXIST NOW");
    expect(first!.details).to.include("existingCampaignId");
    const held = (await control.campaigns()).filter((x) => x.name === "slow create");
    expect(held, "the POST was applied").to.have.length(1);
    // The user follows the message: adopt the campaign that was created.
    const adopt = await host.check(
      urn,
      {},
      inputs("slow create", { state: "draft", contacts: undefined, existingCampaignId: held[0].id }),
    );
    const again = await host.create(urn, adopt.inputs);
    const after = (await control.campaigns()).filter((x) => x.name === "slow create");
    expect(after.map((x) => x.id)).to.deep.equal([Number(again.id)]);
    expect(Number(again.id)).to.equal(held[0].id);
  });
});
