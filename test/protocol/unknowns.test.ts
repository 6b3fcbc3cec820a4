/**
 * Protocol layer: what every preview sends. The engine passes the unknown sentinel to Check AND
 * Diff wherever an input depends on a resource not created yet (`allowUnknowns := opts.DryRun`,
 * pkg/resource/deploy/step_generator.go), nested at any depth. Through the SDK's real
 * dynamic-provider host, for both resources, on a create (Check with olds = {}) and on an update
 * (Check with the old inputs, then Diff against the old outputs): check fills the defaults around
 * the sentinel (Woodpecker stores its steps' defaults only implied, and diff fills them back), diff never throws, and a replacement is planned only for a field that is itself
 * unknown or really changed. No request reaches the emulators.
 */
import { expect } from "chai";
import * as path from "node:path";
import {
  checkAndCreate,
  installedProviderTexts,
  startCampaignWorld,
  type CampaignWorld,
} from "../helpers/campaign-host";
import type { EmulatorControl } from "../helpers/control";
import { completeInputs } from "../../provider/core/provider-kit";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import { UNKNOWN, type ProviderHost, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";
const WOODPECKER = "pulumi-nodejs:dynamic/woodpecker:Campaign";

/** `value` with `leaf` put at `path` (a copy). */
function withLeaf(value: Props, path: Array<string | number>, leaf: unknown): Props {
  const copy = structuredClone(value);
  let cur: Props = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg];
  cur[path[path.length - 1]] = leaf;
  return copy;
}

describe("protocol: unknown values at preview, through the SDK's dynamic-provider host", function () {
  this.timeout(60_000);
  let world: CampaignWorld;
  let burki: EmulatorControl;
  let woodpecker: EmulatorControl;
  let host: ProviderHost;
  let providers: Record<"burki" | "woodpecker", string>;

  before(async () => {
    world = await startCampaignWorld({ cwd: ROOT, burkiHops: { startDelayMs: 20, importDelayMs: 5 } });
    ({ burki, woodpecker, host } = world);
    providers = await installedProviderTexts();
  });

  after(() => world?.stop());

  describe("woodpecker.Campaign", () => {
    // Only what a user writes: settings without their defaults, steps without type/delay/deliveryTime.
    const program = (): Props => ({
      name: "unknowns",
      emailAccountIds: [112233],
      settings: { timezone: "Europe/Warsaw" },
      steps: [
        { versions: [{ subject: "Quick question", message: "<p>Hi</p>" }] },
        { delay: { value: 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
      ],
      state: "draft",
      __provider: providers.woodpecker,
    });
    let created: { urn: string; id: string; inputs: Props; outs: Props };

    before(async () => {
      created = await checkAndCreate(host, WOODPECKER, "unknowns", program());
      await woodpecker.clearRequests();
    });
    after(async () => {
      await host.delete(created.urn, created.id, created.outs, created.inputs);
    });

    const cases: Array<{ path: Array<string | number>; replaces: string[] }> = [
      { path: ["emailAccountIds", 0], replaces: [] },
      { path: ["name"], replaces: [] },
      { path: ["steps", 1, "versions", 0, "message"], replaces: [] },
      { path: ["settings", "timezone"], replaces: [] },
      // The delay cannot change in place: unknown, it may force a replacement.
      { path: ["steps", 1, "delay", "value"], replaces: ["steps"] },
    ];
    for (const c of cases) {
      it(`sentinel at ${c.path.join(".")}: check fills the defaults, diff plans ${c.replaces.length ? "a replacement" : "an update"}`, async () => {
        const news = withLeaf(program(), c.path, UNKNOWN);
        // Create (a new resource at preview): Check only, olds = {}.
        const onCreate = await host.check(created.urn, {}, news);
        expect(onCreate.failures).to.deep.equal([]);
        expect(onCreate.inputs.settings).to.include({
          dailyEnroll: 50,
          catchAllVerificationMode: "BALANCED",
        });
        // A step's defaults are stored implied (storedWithoutItemDefaults); diff fills them back.
        expect(onCreate.inputs.steps[0]).to.not.have.any.keys("type", "delay", "deliveryTime");
        const filled = completeInputs(woodpeckerCampaignSchema, onCreate.inputs);
        expect(filled.steps[0]).to.include({ type: "email" });
        expect(filled.steps[0].deliveryTime).to.have.property("monday");
        // Update: Check with the old inputs, then Diff against the old outputs.
        const onUpdate = await host.check(created.urn, created.inputs, news);
        expect(onUpdate.failures).to.deep.equal([]);
        expect(onUpdate.inputs).to.deep.equal(onCreate.inputs);
        const diff = await host.diff(created.urn, created.id, created.outs, onUpdate.inputs);
        expect(diff.changes).to.equal("DIFF_SOME");
        expect(diff.replaces).to.deep.equal(c.replaces);
        expect(await woodpecker.requests()).to.deep.equal([]);
      });
    }

    it("the two reproductions of issue 8 (settings with only a timezone; steps without deliveryTime) no longer throw", async () => {
      const news = withLeaf(program(), ["emailAccountIds"], [UNKNOWN]);
      const chk = await host.check(created.urn, created.inputs, news);
      // Before: TypeError "s.openDisabledList is not iterable" from diff, failing the preview.
      const diff = await host.diff(created.urn, created.id, created.outs, chk.inputs);
      expect(diff).to.deep.equal({ changes: "DIFF_SOME", replaces: [], deleteBeforeReplace: true });
    });

    it("a known, unchanged program is still no change (the defaults filled at preview match state)", async () => {
      const chk = await host.check(created.urn, created.inputs, program());
      const diff = await host.diff(created.urn, created.id, created.outs, chk.inputs);
      expect(diff.changes).to.equal("DIFF_NONE");
    });
  });

  describe("burki.Campaign", () => {
    const program = (): Props => ({
      name: "unknowns",
      campaignType: "call",
      assistantId: 7,
      welcomeMessageTemplate: "Hi {{name}}",
      contacts: [{ phoneNumber: "+15551230001", name: "Ann" }, { phoneNumber: "+15551230002" }],
      state: "draft",
      __provider: providers.burki,
    });
    let created: { urn: string; id: string; inputs: Props; outs: Props };

    before(async () => {
      created = await checkAndCreate(host, BURKI, "unknowns", program());
      await burki.clearRequests();
    });
    after(async () => {
      await host.delete(created.urn, created.id, created.outs, created.inputs);
    });

    const cases: Array<{ path: Array<string | number>; replaces: string[] }> = [
      { path: ["contacts", 0, "phoneNumber"], replaces: [] },
      { path: ["name"], replaces: [] },
      { path: ["welcomeMessageTemplate"], replaces: [] },
      { path: ["assistantId"], replaces: ["assistantId"] },
    ];
    for (const c of cases) {
      it(`sentinel at ${c.path.join(".")}: check fills the defaults, diff plans ${c.replaces.length ? "a replacement" : "an update"}`, async () => {
        const news = withLeaf(program(), c.path, UNKNOWN);
        const onCreate = await host.check(created.urn, {}, news);
        expect(onCreate.failures).to.deep.equal([]);
        // Before: maxAttempts/retryDelayMinutes missing, read as changes by diff.
        expect(onCreate.inputs).to.include({ maxAttempts: 3, retryDelayMinutes: 30, contactCount: 2 });
        const onUpdate = await host.check(created.urn, created.inputs, news);
        expect(onUpdate.inputs).to.deep.equal(onCreate.inputs);
        const diff = await host.diff(created.urn, created.id, created.outs, onUpdate.inputs);
        expect(diff.changes).to.equal("DIFF_SOME");
        expect(diff.replaces).to.deep.equal(c.replaces);
        expect(await burki.requests()).to.deep.equal([]);
      });
    }

    it("unknown contacts: their count is unknown too; a known program is no change", async () => {
      const unknownList = await host.check(created.urn, created.inputs, { ...program(), contacts: UNKNOWN });
      expect(unknownList.inputs).to.include({ contacts: UNKNOWN, contactCount: UNKNOWN, maxAttempts: 3 });
      const same = await host.check(created.urn, created.inputs, program());
      expect((await host.diff(created.urn, created.id, created.outs, same.inputs)).changes).to.equal(
        "DIFF_NONE",
      );
    });
  });
});
