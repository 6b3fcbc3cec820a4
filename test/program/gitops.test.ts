/**
 * Program layer: the GitOps example (examples/gitops) under setMocks, through the SDK's real
 * dynamic-provider host, against both emulators. Each test works on its own copy of the campaign
 * files, and changes them between runs the way pull requests would: edit, add, remove a file.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { CampaignFilesError, loadCampaigns } from "../../examples/gitops/load";
import { declareCampaigns } from "../../examples/gitops/program";
import { startCampaignWorld, type CampaignWorld } from "../helpers/campaign-host";
import { flattenChain } from "../../provider/woodpecker/mapping";
import type { EmulatorControl } from "../helpers/control";
import { MockEngine, requireFresh, runFailure } from "../helpers/mock-bridge";
import type { ProviderHost } from "../helpers/provider-host";

const GITOPS_DIR = path.resolve(__dirname, "../../examples/gitops");
const CAMPAIGNS_DIR = path.join(GITOPS_DIR, "campaigns");
const BURKI = "/api/v1/campaigns";
const WOODPECKER = "/rest/v2/campaigns";

const scratchDirs: string[] = [];
/** An empty `<tmp>/campaigns` (removed after the suite); the loader shows it as `campaigns/`. */
function scratchCampaignsDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "campaigns-gitops-"));
  scratchDirs.push(root);
  const dir = path.join(root, "campaigns");
  fs.mkdirSync(dir);
  return dir;
}
/** A fresh copy of the repository's campaign files. */
function copyCampaigns(): string {
  const dir = scratchCampaignsDir();
  fs.cpSync(CAMPAIGNS_DIR, dir, { recursive: true });
  return dir;
}

/** Change one value of a campaign file, keeping its comments (as a reviewer would see in the diff). */
function editFile(dir: string, file: string, at: (string | number)[], value: unknown): void {
  const p = path.join(dir, file);
  const doc = parseDocument(fs.readFileSync(p, "utf8"));
  doc.setIn(at, value);
  fs.writeFileSync(p, String(doc));
}

/** The outputs in state of the resource `name` (what the provider read back from the vendor). */
function stateOf(engine: MockEngine, name: string): Record<string, unknown> {
  const entry = [...engine.state.values()].find((e) => e.name === name);
  expect(entry, `${name} in state`).to.not.equal(undefined);
  return entry!.outs;
}

const WINBACK = `# added by a pull request
campaignType: call
assistantId: 123
welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme. We miss you!"
contacts:
  - phoneNumber: "+15555550199"
    name: Sam
state: running
`;

describe("program: the GitOps example under setMocks, through the real provider host", function () {
  let world: CampaignWorld;
  let burki: EmulatorControl;
  let woodpecker: EmulatorControl;
  let host: ProviderHost;
  const transcripts: string[] = [];

  before(async () => {
    world = await startCampaignWorld({
      cwd: GITOPS_DIR,
      project: "campaigns-gitops",
      stack: "prod",
      settings: { "burki:stopTimeoutSeconds": "5" },
      burkiHops: { startDelayMs: 50, importDelayMs: 10 },
    });
    ({ burki, woodpecker, host } = world);
  });

  beforeEach(async () => {
    await Promise.all([burki.reset(), woodpecker.reset()]);
  });

  after(async () => {
    for (const d of scratchDirs) fs.rmSync(d, { recursive: true, force: true });
    await world?.stop();
    console.log(`\n    gitops transcripts:\n${transcripts.map((l) => `      ${l}`).join("\n")}\n`);
  });

  it("the repository's campaign files pass the provider's checks; names are file stems", () => {
    const loaded = loadCampaigns(CAMPAIGNS_DIR);
    expect(loaded.map((c) => [c.file, c.name, c.platform])).to.deep.equal([
      ["campaigns/partner-nurture.woodpecker.yaml", "partner-nurture", "woodpecker"],
      ["campaigns/q4-outreach.woodpecker.yaml", "q4-outreach", "woodpecker"],
      ["campaigns/renewals.burki.yaml", "renewals", "burki"],
    ]);
    const nurture = loaded[0];
    expect(nurture.inputs).to.include({ name: "partner-nurture", workflow: "Partner onboarding" });
    // Defaults are filled by the same checks the provider runs.
    expect(loaded[2].inputs).to.include({ name: "renewals", maxAttempts: 3, state: "running" });
    // A future one-shot schedule (a time without an offset is read in its zone) and managed prospects.
    expect((loaded[2].inputs as { schedule?: unknown }).schedule).to.deep.equal({
      type: "scheduled",
      at: "2030-12-01T09:00",
      timezone: "America/New_York",
    });
    expect(loaded[1].inputs).to.include({ prospectCount: 3 });
    const prospects = (loaded[1].inputs as { prospects?: { email: string }[] }).prospects ?? [];
    expect(prospects.map((p) => p.email)).to.deep.equal([
      "anna@example.com",
      "ben@example.org",
      "chloe@example.net",
    ]);
  });

  it("pull requests over time: up → preview → edit + add + replace → remove + edit → destroy", async () => {
    const dir = copyCampaigns();
    const engine = new MockEngine(host);
    const program = () => declareCampaigns(dir);
    try {
      // 1. The first merge: every file becomes a campaign.
      const up = await engine.run(program, { label: "gitops: up" });
      expect(up.steps).to.have.members([
        "renewals: create",
        "q4-outreach: create",
        "partner-nurture: create",
      ]);
      // renewals waits for its time (2030-12-01 09:00 in New York, 14:00 UTC): Burki holds it as scheduled.
      expect(up.outputs.renewals).to.include({ platform: "burki", status: "scheduled" });
      expect(up.outputs["q4-outreach"]).to.include({ platform: "woodpecker", status: "RUNNING" });
      expect(up.outputs["partner-nurture"]).to.include({ platform: "woodpecker", status: "RUNNING" });
      const [call] = await burki.campaigns();
      expect(call).to.include({ name: "renewals", status: "scheduled", total_contacts: 2 });
      expect(call.schedule).to.include({ schedule_type: "scheduled" });
      expect(Date.parse(call.schedule.scheduled_at)).to.equal(Date.parse("2030-12-01T14:00:00Z"));
      // q4-outreach's three prospects were imported, and read back from Woodpecker.
      expect(stateOf(engine, "q4-outreach")).to.include({ prospectCount: 3, prospectsDrifted: 0 });
      const emails = await woodpecker.campaigns();
      expect(emails.map((c) => c.name).sort()).to.deep.equal(["partner-nurture", "q4-outreach"]);
      const nurture = emails.find((c) => c.name === "partner-nurture");
      expect(nurture.email_account_ids).to.deep.equal([112233, 112234]);
      expect(flattenChain(nurture.steps)[0].body?.versions).to.have.length(2);
      const q4Id = up.outputs["q4-outreach"].campaignId;

      // 2. A pull request: edit renewals, add winback. The preview sends nothing.
      editFile(dir, "renewals.burki.yaml", ["maxAttempts"], 5);
      fs.writeFileSync(path.join(dir, "winback.burki.yaml"), WINBACK);
      editFile(dir, "q4-outreach.woodpecker.yaml", ["steps", 1, "delay", "value"], 5);
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const preview = await engine.run(program, { label: "gitops: PR #1", preview: true });
      expect(preview.steps).to.have.members([
        "renewals: would update",
        "winback: would create",
        "q4-outreach: would replace (steps, deleteBeforeReplace)",
        "partner-nurture: same",
      ]);
      expect(await burki.writeLines()).to.deep.equal([]);
      expect(await woodpecker.writeLines()).to.deep.equal([]);

      // 3. The merge.
      const merged = await engine.run(program, { label: "gitops: merge PR #1" });
      expect(merged.steps).to.have.members([
        "renewals: update",
        "winback: create",
        "q4-outreach: replace (steps, deleteBeforeReplace)",
        "partner-nurture: same",
      ]);
      expect((await burki.campaigns()).map((c) => [c.name, c.status, c.max_attempts]).sort()).to.deep.equal([
        ["renewals", "scheduled", 5],
        ["winback", "running", 3],
      ]);
      expect(await woodpecker.campaign(q4Id)).to.equal(undefined);
      const q4 = (await woodpecker.campaigns()).filter((c) => c.name === "q4-outreach");
      expect(q4).to.have.length(1);
      expect(flattenChain(q4[0].steps)[1].followup_after).to.deep.equal({ range: "DAY", value: 5 });
      // The replacement carries the prospects over to the new campaign.
      expect(stateOf(engine, "q4-outreach")).to.include({ prospectCount: 3, prospectsDrifted: 0 });
      expect(stateOf(engine, "q4-outreach").campaignId).to.not.equal(q4Id);
      // The update of renewals kept its schedule.
      const [renewalsNow] = (await burki.campaigns()).filter((c) => c.name === "renewals");
      expect(Date.parse(renewalsNow.schedule.scheduled_at)).to.equal(Date.parse("2030-12-01T14:00:00Z"));
      const wlog = await woodpecker.writeLines();
      expect(wlog.indexOf(`DELETE ${WOODPECKER}/${q4Id} 200`)).to.be.lessThan(
        wlog.findIndex((l) => l.startsWith(`POST ${WOODPECKER} `)),
      );

      // 4. Another pull request: winback is removed (a running call campaign: stopped, then
      //    deleted), and a subject line of the workflow campaign changes (in place: allowed).
      const winbackId = merged.outputs.winback.campaignId;
      fs.rmSync(path.join(dir, "winback.burki.yaml"));
      editFile(
        dir,
        "partner-nurture.woodpecker.yaml",
        ["steps", 0, "versions", 0, "subject"],
        "Your onboarding checklist",
      );
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      const second = await engine.run(program, { label: "gitops: merge PR #2" });
      expect(second.steps).to.have.members([
        "renewals: same",
        "q4-outreach: same",
        "partner-nurture: update",
        "winback: delete",
      ]);
      expect(Object.keys(second.outputs).sort()).to.deep.equal([
        "partner-nurture",
        "q4-outreach",
        "renewals",
      ]);
      expect(await burki.campaign(winbackId)).to.equal(undefined);
      expect(await burki.writeLines()).to.deep.equal([
        `POST ${BURKI}/${winbackId}/stop 200`,
        `DELETE ${BURKI}/${winbackId} 200`,
      ]);
      const nurtureNow = (await woodpecker.campaigns()).find((c) => c.name === "partner-nurture");
      expect(nurtureNow.id).to.equal(up.outputs["partner-nurture"].campaignId);
      expect(flattenChain(nurtureNow.steps)[0].body?.versions?.[0].subject).to.equal(
        "Your onboarding checklist",
      );
    } finally {
      await engine.destroy("gitops: destroy");
      transcripts.push(...engine.transcript);
    }
    expect(engine.state.size).to.equal(0);
    expect(await burki.campaigns()).to.deep.equal([]);
    expect(await woodpecker.campaigns()).to.deep.equal([]);
  });

  it("a campaign in an active workflow: replacement fails at preview, deletion is refused and nothing is lost", async () => {
    const dir = copyCampaigns();
    const engine = new MockEngine(host);
    const program = () => declareCampaigns(dir);
    try {
      const up = await engine.run(program, { label: "workflow: up" });
      const nurtureId = up.outputs["partner-nurture"].campaignId;
      // What Woodpecker knows but its API does not show: the campaign is in an active workflow.
      await woodpecker.call("PUT", `/campaigns/${nurtureId}/workflow`, { active: true });

      // A structural change would need delete + create: the provider's check stops it at preview.
      editFile(dir, "partner-nurture.woodpecker.yaml", ["steps", 1, "delay", "value"], 7);
      await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
      for (const preview of [true, false]) {
        const failed = await runFailure(engine.run(program, { label: "workflow: delay 5 → 7", preview }));
        expect(failed.message).to.match(/belongs to the active workflow "Partner onboarding"/);
        expect(failed.steps).to.include("partner-nurture: check failed");
      }
      expect(await woodpecker.writeLines()).to.deep.equal([]);
      expect(await burki.writeLines()).to.deep.equal([]);

      // Deleting its file: Woodpecker refuses (409); the campaign and its state entry stay.
      editFile(dir, "partner-nurture.woodpecker.yaml", ["steps", 1, "delay", "value"], 5);
      fs.rmSync(path.join(dir, "partner-nurture.woodpecker.yaml"));
      const refused = await runFailure(engine.run(program, { label: "workflow: file removed" }));
      expect(refused.steps).to.include("partner-nurture: delete failed");
      expect(refused.message).to.match(/part of an active workflow.*CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW/s);
      expect(engine.ids()).to.have.property("partner-nurture", String(nurtureId));
      expect(await woodpecker.campaign(nurtureId)).to.include({ status: "RUNNING" });

      // Out of the workflow (in Woodpecker), the same run deletes it.
      await woodpecker.call("PUT", `/campaigns/${nurtureId}/workflow`, { active: false });
      const removed = await engine.run(program, { label: "workflow: removed from the workflow, run again" });
      expect(removed.steps).to.include("partner-nurture: delete");
      expect(await woodpecker.campaign(nurtureId)).to.equal(undefined);
    } finally {
      await engine.destroy("workflow: destroy");
      transcripts.push(...engine.transcript);
    }
    expect(await woodpecker.campaigns()).to.deep.equal([]);
  });

  it("invalid files: ONE error naming every file and field, before any API call", async () => {
    const dir = copyCampaigns();
    fs.writeFileSync(
      path.join(dir, "broken-calls.burki.yaml"),
      `campaignType: call
assistantId: 123
contacts:
  - phoneNumber: "+15555550111"
  - phoneNumber: "555 0100"
  - phoneNumber: +15555550112
state: running
`,
    );
    const seventeen = Array.from(
      { length: 17 },
      (_, i) => `  - versions: [{ subject: "Step ${i + 1}", message: "<p>${i + 1}</p>" }]`,
    );
    fs.writeFileSync(
      path.join(dir, "too-long.woodpecker.yaml"),
      `emailAccountIds: [112233]\nsettings: { timezone: Europe/Warsaw }\nsteps:\n${seventeen.join("\n")}\n`,
    );
    fs.writeFileSync(
      path.join(dir, "bad-hours.woodpecker.yaml"),
      `emailAccountIds: [112233]
settings: { timezone: Europe/Warsaw }
steps:
  - deliveryTime:
      monday: [{ from: "8:00", to: "18:00" }]
    versions: [{ subject: Hello, message: <p>Hi</p> }]
`,
    );
    await Promise.all([burki.clearRequests(), woodpecker.clearRequests()]);
    const engine = new MockEngine(host);
    const failed = await runFailure(engine.run(() => declareCampaigns(dir), { label: "invalid files" }));
    transcripts.push(...engine.transcript);

    expect(failed.errors).to.have.length(1);
    const error = failed.errors[0];
    expect(error).to.be.instanceOf(CampaignFilesError);
    const lines = error.message.split("\n");
    expect(lines).to.deep.equal([
      'campaigns/bad-hours.woodpecker.yaml:5:18: steps[0].deliveryTime.monday[0].from: must be a 24-hour time "HH:mm"',
      "campaigns/broken-calls.burki.yaml:5:5: contacts[1].phoneNumber: must be an E.164 phone number such as +15551234567 (a +, the country code, no spaces)",
      'campaigns/broken-calls.burki.yaml:6:5: contacts[2].phoneNumber: must be quoted in YAML ("+15551234567"): unquoted, it reads as a number',
      "campaigns/too-long.woodpecker.yaml:3:1: steps: at most 16 steps (Woodpecker's limit)",
      "4 problems in the campaign files; nothing was changed",
    ]);
    // Names files and fields, never the values (phone numbers are personal data).
    expect(error.message).to.not.include("555 0100");
    // Nothing was registered, nothing reached either API, and the valid files were not deployed either.
    expect(failed.steps).to.deep.equal([]);
    expect(engine.state.size).to.equal(0);
    expect(await burki.requests()).to.deep.equal([]);
    expect(await woodpecker.requests()).to.deep.equal([]);
  });

  it("the loader refuses what a reviewer could miss: unknown suffixes, YAML errors, name clashes, an empty directory", () => {
    const dir = scratchCampaignsDir();
    expect(() => loadCampaigns(dir))
      .to.throw(CampaignFilesError)
      .with.property("message")
      .that.matches(/campaigns\/: \(directory\): holds no campaign files/);

    fs.writeFileSync(path.join(dir, "renewals.yaml"), "campaignType: call\n");
    fs.writeFileSync(path.join(dir, "renewals.burki.yaml"), "campaignType: call\nassistantId: [1\n");
    fs.writeFileSync(path.join(dir, "renewals.woodpecker.yml"), "- just\n- a list\n");
    fs.writeFileSync(path.join(dir, "notes.md"), "ignored: not a YAML file\n");
    try {
      loadCampaigns(dir);
      expect.fail("expected CampaignFilesError");
    } catch (e) {
      expect(e).to.be.instanceOf(CampaignFilesError);
      expect((e as CampaignFilesError).problems.map((p) => [p.file, p.property])).to.deep.equal([
        ["campaigns/renewals.burki.yaml", "(yaml)"],
        ["campaigns/renewals.woodpecker.yml", "(file name)"],
        ["campaigns/renewals.yaml", "(file name)"],
      ]);
      expect((e as CampaignFilesError).problems[1].reason).to.match(
        /also the name of campaigns\/renewals.burki.yaml/,
      );
    }
  });

  it("index.ts, the file `pulumi up` runs, declares the repository's campaigns and exports their map", async () => {
    const engine = new MockEngine(host);
    try {
      const { outputs } = await engine.run(() => requireFresh(path.join(GITOPS_DIR, "index.ts")), {
        label: "index.ts: up",
      });
      expect(Object.keys(outputs.campaigns).sort()).to.deep.equal([
        "partner-nurture",
        "q4-outreach",
        "renewals",
      ]);
      expect(outputs.campaigns.renewals).to.include({ platform: "burki", status: "scheduled" });
    } finally {
      await engine.destroy("index.ts: destroy");
      transcripts.push(...engine.transcript);
    }
    expect(await burki.campaigns()).to.deep.equal([]);
    expect(await woodpecker.campaigns()).to.deep.equal([]);
  });
});
