/**
 * Protocol layer, issue 8 item 4: a 404 is "gone" only when the vendor says the campaign is gone.
 *
 * A running campaign is created through a correctly configured provider host; then a second host,
 * configured with a `baseUrl` whose path does not exist at the vendor (Burki's `…/api/v1`, which
 * doubles the path; Woodpecker's without `/rest`, or ending in `/v2`), refreshes (Read) and
 * destroys (Delete) it, as `pulumi refresh` / `pulumi destroy` would. Both must fail with a message
 * that names the base URL, the request and the config key; the campaign stays untouched on the
 * emulator (still there, still running) and nothing is deleted. The vendor's own not-found answer
 * still means gone, and adopting an id that does not exist says so.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { checkAndCreate, installedProviderText, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, rpcFailure, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");

interface Case {
  platform: "burki" | "woodpecker";
  type: string;
  title: string;
  inputs: (providerText: string) => Props;
  start: () => Promise<{ baseUrl: string; origin: string; stop: () => Promise<void> }>;
  /** Wrong base URLs (relative to the emulator's origin) and the corrected value the message must give. */
  wrong: Array<{ suffix: string; corrected: (origin: string) => string | undefined }>;
  running: string;
  /** How the vendor says "no such campaign", as the message quotes it. */
  notFoundAnswer: string;
}

const cases: Case[] = [
  {
    platform: "burki",
    type: "pulumi-nodejs:dynamic/burki:Campaign",
    title: "Burki",
    inputs: (providerText) => ({
      name: "renewals",
      campaignType: "call",
      assistantId: 7,
      welcomeMessageTemplate: "Hi {{name}}",
      contacts: [{ phoneNumber: "+15551230001", name: "Ann" }],
      state: "running",
      __provider: providerText,
    }),
    start: async () => {
      const e = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
      await e.start();
      return { baseUrl: e.baseUrl, origin: e.origin, stop: () => e.stop() };
    },
    wrong: [
      { suffix: "/api/v1", corrected: (o) => o },
      { suffix: "/no/such/path", corrected: () => undefined },
    ],
    running: "running",
    notFoundAnswer: '404 {"detail": "Campaign not found"}',
  },
  {
    platform: "woodpecker",
    type: "pulumi-nodejs:dynamic/woodpecker:Campaign",
    title: "Woodpecker",
    inputs: (providerText) => ({
      name: "q4-outreach",
      emailAccountIds: [112233],
      settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
      steps: [{ versions: [{ subject: "Quick question", message: "<p>Hi {{FIRST_NAME}}</p>" }] }],
      state: "running",
      __provider: providerText,
    }),
    start: async () => {
      const e = new WoodpeckerEmulator({ latencyMs: 1 });
      await e.start();
      return { baseUrl: e.baseUrl, origin: e.origin, stop: () => e.stop() };
    },
    wrong: [
      { suffix: "", corrected: (o) => `${o}/rest` },
      { suffix: "/rest/v2", corrected: (o) => `${o}/rest` },
    ],
    running: "RUNNING",
    notFoundAnswer: "404 CAMPAIGN_NOT_EXIST",
  },
];

for (const c of cases) {
  describe(`protocol: ${c.title} with a baseUrl whose path does not exist`, function () {
    this.timeout(60_000);
    let emulator: { baseUrl: string; origin: string; stop: () => Promise<void> };
    let control: EmulatorControl;
    let good: ProviderHost;
    let providerText: string;

    before(async () => {
      emulator = await c.start();
      control = new EmulatorControl(emulator.origin);
      providerText = await installedProviderText(c.platform);
      good = await startCampaignHost({ cwd: ROOT, [c.platform]: { baseUrl: emulator.baseUrl } });
    });
    after(async () => {
      await good?.close();
      await emulator?.stop();
    });

    for (const w of c.wrong) {
      it(`refresh and destroy with baseUrl <origin>${w.suffix || " (no path)"} fail clearly; the campaign keeps running`, async () => {
        const created = await checkAndCreate(
          good,
          c.type,
          `live${w.suffix.replace(/\W/g, "-")}`,
          c.inputs(providerText),
        );
        const id = created.id;
        const before = await control.campaign(id);
        expect(before.status).to.equal(c.running);
        const countBefore = (await control.campaigns()).length;

        const wrongUrl = `${emulator.origin}${w.suffix}`;
        const bad = await startCampaignHost({ cwd: ROOT, [c.platform]: { baseUrl: wrongUrl } });
        try {
          await control.clearRequests();
          const refresh = await rpcFailure(bad.read(created.urn, id, created.outs, created.inputs));
          const destroy = await rpcFailure(bad.delete(created.urn, id, created.outs, created.inputs));
          for (const [what, e] of [
            ["refresh", refresh],
            ["destroy", destroy],
          ] as const) {
            const m = e.details;
            expect(m, what).to.include(`${c.title} at ${wrongUrl} answered `);
            expect(m, what).to.match(new RegExp(`(GET|DELETE) /(api/)?v[12]/campaigns/${id} with HTTP 404`));
            expect(m, what).to.include(`not ${c.title}'s own not-found answer (${c.notFoundAnswer})`);
            expect(m, what).to.include(`${c.platform}:baseUrl`);
            const corrected = w.corrected(emulator.origin);
            if (corrected) expect(m, what).to.include(`pulumi config set ${c.platform}:baseUrl ${corrected}`);
            else expect(m, what).to.include(`Check ${c.platform}:baseUrl (in use: ${wrongUrl};`);
            expect(m, what).to.include("the resource stays in the Pulumi state");
            expect(m, what).to.not.match(/no longer exists|already gone|deleted outside/);
          }
          // Nothing reached a real route, and nothing was written.
          const lines = await control.requestLines();
          expect(lines.length).to.be.greaterThan(0);
          expect(
            lines.every((l) => l.endsWith(" 404")),
            lines.join("\n"),
          ).to.equal(true);
          expect(bad.stdout() + bad.stderr()).to.not.match(/removing it from the state|was already gone/);
        } finally {
          await bad.close();
        }
        // The campaign is untouched: still there, still running, nothing deleted.
        const after = await control.campaign(id);
        expect(after?.status).to.equal(c.running);
        expect((await control.campaigns()).length).to.equal(countBefore);

        // With the right baseUrl the same state refreshes fine, and the vendor's own not-found
        // answer (the campaign deleted outside Pulumi) still means gone.
        const ok = await good.read(created.urn, id, created.outs, created.inputs);
        expect(ok.id).to.equal(id);
        await control.deleteOutside(id);
        const gone = await good.read(created.urn, id, created.outs, created.inputs);
        expect(gone.id).to.equal("");
        await good.delete(created.urn, id, created.outs, created.inputs); // vendor's not-found = done
      });
    }

    it("adopting an existingCampaignId that does not exist says so (not 'deleted outside Pulumi')", async () => {
      const urn = good.urnOf(c.type, "adopt-missing");
      const chk = await good.check(urn, {}, { ...c.inputs(providerText), existingCampaignId: 424242 });
      expect(chk.failures).to.deep.equal([]);
      const e = await rpcFailure(good.create(urn, chk.inputs));
      expect(e.details).to.include(
        `existingCampaignId 424242 does not exist in the ${c.title} account of the configured API key`,
      );
      expect(e.details).to.include(`remove existingCampaignId`);
      expect(e.details).to.not.match(/deleted outside Pulumi|pulumi up/);
    });
  });
}
