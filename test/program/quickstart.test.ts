/**
 * Program layer: the quickstart (examples/quickstart) run as a Pulumi program under setMocks, its
 * dynamic resources sent through the SDK's real dynamic-provider host against both emulators, over
 * several runs of one stack: up → preview → update + replace → replace of a running call campaign →
 * destroy. The provider host runs in the example's directory, so the serialized
 * `require("pulumi-campaigns/dynamic/…")` resolves the installed package, as under `pulumi up`.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BURKI_EMULATOR_API_KEY } from "../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY } from "../../provider/emulators/woodpecker";
import { quickstart, type QuickstartSettings } from "../../examples/quickstart/program";
import { startCampaignWorld, type CampaignWorld } from "../helpers/campaign-host";
import { flattenChain } from "../../provider/woodpecker/mapping";
import type { EmulatorControl } from "../helpers/control";
import { MAX_PROVIDER_TEXT, MockEngine, requireFresh } from "../helpers/mock-bridge";
import type { ProviderHost } from "../helpers/provider-host";

const QUICKSTART_DIR = path.resolve(__dirname, "../../examples/quickstart");
const PROJECT = "pulumi-campaigns-quickstart";
const BURKI = "/api/v1/campaigns";
const WOODPECKER = "/rest/v2/campaigns";

/* eslint-disable @typescript-eslint/no-explicit-any */
describe("program: the quickstart under setMocks, through the real provider host", function () {
  let world: CampaignWorld;
  let burki: EmulatorControl;
  let woodpecker: EmulatorControl;
  let host: ProviderHost;

  before(async () => {
    world = await startCampaignWorld({
      cwd: QUICKSTART_DIR,
      project: PROJECT,
      settings: { "burki:stopTimeoutSeconds": "5" },
      burkiHops: { startDelayMs: 50, importDelayMs: 10 },
    });
    ({ burki, woodpecker, host } = world);
  });

  after(async () => {
    await world?.stop();
  });

  describe("one stack over five runs", () => {
    const base: QuickstartSettings = { burkiAssistantId: 7, woodpeckerMailboxId: 112233 };
    let engine: MockEngine;
    let burkiId: number;
    let woodpeckerId: number;

    before(async () => {
      await Promise.all([burki.reset(), woodpecker.reset()]);
      engine = new MockEngine(host);
    });

    after(() => {
      console.log(`\n    quickstart transcript:\n${engine.transcript.map((l) => `      ${l}`).join("\n")}\n`);
    });

    it("1. up: creates a running call campaign with 3 contacts and a running 2-step email campaign", async () => {
      const { outputs, steps } = await engine.run(() => quickstart(base), { label: "up" });
      expect(steps).to.have.members(["renewals: create", "q4-outreach: create"]);
      expect(outputs).to.include({ burkiStatus: "running", woodpeckerStatus: "RUNNING" });
      burkiId = outputs.burkiCampaignId;
      woodpeckerId = outputs.woodpeckerCampaignId;

      const [call] = await burki.campaigns();
      expect(await burki.campaigns()).to.have.length(1);
      expect(call).to.include({ id: burkiId, name: "renewals", campaign_type: "call", status: "running" });
      expect(call).to.include({ assistant_id: 7, max_attempts: 3, total_contacts: 3 });
      expect(call.contacts.map((c: any) => c.phone_number)).to.have.members([
        "+15555550101",
        "+15555550102",
        "+15555550103",
      ]);
      expect(call.contacts[0].contact_data.variable_values).to.include({ renewal_date: "December 1" });

      const emails = await woodpecker.campaigns();
      expect(emails).to.have.length(1);
      expect(emails[0]).to.include({ id: woodpeckerId, name: "q4-outreach", status: "RUNNING" });
      const chain = flattenChain(emails[0].steps);
      expect(chain).to.have.length(2);
      expect(chain[0].body?.versions?.[0].subject).to.equal("Quick question about {{COMPANY}}");
      expect(chain[1].followup_after).to.deep.equal({ range: "DAY", value: 3 });
      const prospects = world.woodpeckerEmulator.prospects.list("acct-1", woodpeckerId);
      expect(prospects.map((p) => [p.fields.first_name, p.fields.company])).to.have.deep.members([
        ["Ana", "Acme"],
        ["Li", "Globex"],
      ]);
      // Who is emailed (and who never is), and the digest of it, are secrets in state; the count is plain.
      expect(engine.registeredOptions.get("q4-outreach")!.additionalSecretOutputs).to.have.members([
        "prospects",
        "prospectsDigest",
        "doNotContact",
      ]);
      const entry = [...engine.state.values()].find((e) => e.name === "q4-outreach")!;
      expect(entry.inputs.prospectCount).to.equal(2);

      // The serialized shim reached state as the small require form of the installed package.
      for (const type of [
        "pulumi-nodejs:dynamic/burki:Campaign",
        "pulumi-nodejs:dynamic/woodpecker:Campaign",
      ]) {
        const text = engine.providerTexts.get(type)!;
        expect(text.length).to.be.lessThan(MAX_PROVIDER_TEXT);
        expect(text).to.include('require("pulumi-campaigns/dynamic/');
        expect(text).to.not.include(BURKI_EMULATOR_API_KEY).and.not.include(WOODPECKER_EMULATOR_API_KEY);
      }
    });

    it("2. preview of changed inputs: plans an update and a replacement, sends no write", async () => {
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const before = engine.ids();
      const { steps } = await engine.run(
        () => quickstart({ ...base, maxAttempts: 5, followUpAfterDays: 4 }),
        {
          label: "maxAttempts 3 → 5, follow-up after 3 → 4 days",
          preview: true,
        },
      );
      expect(steps).to.have.members([
        "renewals: would update",
        "q4-outreach: would replace (steps, deleteBeforeReplace)",
      ]);
      expect(await burki.writeLines()).to.deep.equal([]);
      expect(await woodpecker.writeLines()).to.deep.equal([]);
      expect(engine.ids()).to.deep.equal(before);
      expect((await burki.campaign(burkiId)).max_attempts).to.equal(3);
      expect(flattenChain((await woodpecker.campaign(woodpeckerId)).steps)[1].followup_after?.value).to.equal(
        3,
      );
    });

    it("3. up: maxAttempts changes in place; a new follow-up delay replaces the email campaign, delete first", async () => {
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const { outputs, steps } = await engine.run(
        () => quickstart({ ...base, maxAttempts: 5, followUpAfterDays: 4 }),
        { label: "up: maxAttempts 3 → 5, follow-up after 3 → 4 days" },
      );
      expect(steps).to.have.members([
        "renewals: update",
        "q4-outreach: replace (steps, deleteBeforeReplace)",
      ]);

      // In place: the same running call campaign, paused → edited → started again.
      expect(outputs).to.include({ burkiCampaignId: burkiId, burkiStatus: "running" });
      expect(await burki.campaign(burkiId)).to.include({ max_attempts: 5, status: "running" });
      expect(await burki.writeLines()).to.deep.equal([
        `POST ${BURKI}/${burkiId}/pause 200`,
        `PUT ${BURKI}/${burkiId} 200`,
        `POST ${BURKI}/${burkiId}/start 200`,
      ]);

      // Replaced: the old campaign is gone and exactly one new one runs; the DELETE came first.
      const newId = outputs.woodpeckerCampaignId;
      expect(newId).to.not.equal(woodpeckerId);
      expect(await woodpecker.campaign(woodpeckerId)).to.equal(undefined);
      const emails = await woodpecker.campaigns();
      expect(emails.map((c) => c.id)).to.deep.equal([newId]);
      expect(emails[0].status).to.equal("RUNNING");
      expect(flattenChain(emails[0].steps)[1].followup_after).to.deep.equal({ range: "DAY", value: 4 });
      const log = await woodpecker.writeLines();
      const deleted = log.indexOf(`DELETE ${WOODPECKER}/${woodpeckerId} 200`);
      const created = log.findIndex((l) => l.startsWith(`POST ${WOODPECKER} `));
      expect(deleted, log.join("\n")).to.be.at.least(0);
      expect(created, log.join("\n")).to.be.greaterThan(deleted);
      expect(log.filter((l) => l.startsWith(`POST ${WOODPECKER} `))).to.have.length(1);
      woodpeckerId = newId;
    });

    it("4. up: a new campaignType replaces the running call campaign (stop → delete → create); dailyEnroll in place", async () => {
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const settings = {
        ...base,
        maxAttempts: 5,
        followUpAfterDays: 4,
        campaignType: "mixed" as const,
        dailyEnroll: 80,
      };
      const { outputs, steps } = await engine.run(() => quickstart(settings), {
        label: "up: campaignType call → mixed, dailyEnroll 50 → 80",
      });
      expect(steps).to.have.members([
        "renewals: replace (campaignType, deleteBeforeReplace)",
        "q4-outreach: update",
      ]);

      const newId = outputs.burkiCampaignId;
      expect(newId).to.not.equal(burkiId);
      expect(await burki.campaign(burkiId)).to.equal(undefined);
      const calls = await burki.campaigns();
      expect(calls.map((c) => c.id)).to.deep.equal([newId]);
      expect(calls[0]).to.include({ campaign_type: "mixed", status: "running", total_contacts: 3 });
      const log = await burki.writeLines();
      const stop = log.indexOf(`POST ${BURKI}/${burkiId}/stop 200`);
      const del = log.indexOf(`DELETE ${BURKI}/${burkiId} 200`);
      const create = log.indexOf(`POST ${BURKI}/ 200`);
      expect(stop, log.join("\n")).to.be.at.least(0);
      expect(del, log.join("\n")).to.be.greaterThan(stop);
      expect(create, log.join("\n")).to.be.greaterThan(del);
      burkiId = newId;

      expect(outputs).to.include({ woodpeckerCampaignId: woodpeckerId, woodpeckerStatus: "RUNNING" });
      expect((await woodpecker.campaign(woodpeckerId)).settings.daily_enroll).to.equal(80);
    });

    it("5. destroy: nothing is left; the running call campaign was stopped before its delete", async () => {
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const { steps } = await engine.destroy();
      expect(steps).to.have.members(["renewals: delete", "q4-outreach: delete"]);
      expect(engine.state.size).to.equal(0);
      expect(await burki.campaigns()).to.deep.equal([]);
      expect(await woodpecker.campaigns()).to.deep.equal([]);
      const log = await burki.writeLines();
      expect(log).to.deep.equal([`POST ${BURKI}/${burkiId}/stop 200`, `DELETE ${BURKI}/${burkiId} 200`]);
      expect(await woodpecker.writeLines()).to.deep.equal([`DELETE ${WOODPECKER}/${woodpeckerId} 200`]);
    });
  });

  it("index.ts, the file `pulumi up` runs: reads the stack config and exports ids and statuses", async () => {
    await Promise.all([burki.reset(), woodpecker.reset()]);
    const engine = new MockEngine(host);
    const config = {
      [`${PROJECT}:burkiAssistantId`]: "42",
      [`${PROJECT}:maxAttempts`]: "4",
      [`${PROJECT}:woodpeckerMailboxId`]: "4242",
      [`${PROJECT}:dailyEnroll`]: "25",
    };
    const entry = path.join(QUICKSTART_DIR, "index.ts");
    try {
      const { outputs, steps } = await engine.run(() => requireFresh(entry), {
        label: "index.ts: up",
        config,
      });
      expect(steps).to.have.members(["renewals: create", "q4-outreach: create"]);
      expect(Object.keys(outputs).sort()).to.deep.equal([
        "burkiCampaignId",
        "burkiStatus",
        "woodpeckerCampaignId",
        "woodpeckerStatus",
      ]);
      expect(outputs).to.include({ burkiStatus: "running", woodpeckerStatus: "RUNNING" });
      expect(await burki.campaign(outputs.burkiCampaignId)).to.include({ assistant_id: 42, max_attempts: 4 });
      const email = await woodpecker.campaign(outputs.woodpeckerCampaignId);
      expect(email.email_account_ids).to.deep.equal([4242]);
      expect(email.settings.daily_enroll).to.equal(25);

      // The same file run again with the same config changes nothing.
      const again = await engine.run(() => requireFresh(entry), { label: "index.ts: up again", config });
      expect(again.steps).to.have.members(["renewals: same", "q4-outreach: same"]);
    } finally {
      await engine.destroy("index.ts: destroy");
      console.log(`\n    index.ts transcript:\n${engine.transcript.map((l) => `      ${l}`).join("\n")}\n`);
    }
    expect(await burki.campaigns()).to.deep.equal([]);
    expect(await woodpecker.campaigns()).to.deep.equal([]);
  });
});
