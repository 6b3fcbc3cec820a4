/**
 * Contract tests of the local Woodpecker emulator, through HTTP only: what a client of the real
 * Woodpecker REST API (v2 campaigns + v1 campaign_list) would see, quirks included.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../provider/emulators/woodpecker";

const KEY = WOODPECKER_EMULATOR_API_KEY;
const OTHER_KEY = "wpk_other_account_key";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const PROBLEM_TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

interface Res {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

interface CallOpts {
  key?: string | null;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

async function http(origin: string, method: string, path: string, opts: CallOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? KEY : opts.key;
  if (key !== null) headers["x-api-key"] = key;
  let payload: string | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(origin + path, { method, headers, body: payload });
  const text = await r.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, text, json, headers: r.headers };
}

function emailStep(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "EMAIL",
    delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
    body: { versions: [{ subject: "Follow-up", message: "<p>bump</p>" }] },
    ...extra,
  };
}

/** A START node followed by `steps` (given in order), nested as followups. */
function chain(steps: Record<string, unknown>[]): Record<string, unknown> {
  let next: Record<string, unknown> | null = null;
  for (let i = steps.length - 1; i >= 0; i--) next = { ...steps[i], followup: next };
  return { type: "START", followup: next };
}

function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Q3 outreach",
    email_account_ids: [101],
    settings: { timezone: "Europe/Warsaw", daily_enroll: 40 },
    steps: chain([
      {
        type: "EMAIL",
        delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
        body: {
          versions: [
            { subject: "Hi {{FIRST_NAME}}", message: "<p>Hello</p>", track_opens: true },
            { subject: "Hey", message: "<p>Hey</p>", signature: "NO_SIGNATURE", track_opens: false },
          ],
        },
      },
      {
        type: "EMAIL",
        followup_after: { range: "DAY", value: 3 },
        body: { versions: [{ message: "bump" }] },
      },
    ]),
    ...overrides,
  };
}

/** The steps after START, in order. */
function stepsOf(campaign: any): any[] {
  const out: any[] = [];
  for (let s = campaign.steps.followup; s; s = s.followup) out.push(s);
  return out;
}

function expectProblem(r: Res, status: number, title: string, detail?: string): void {
  expect(r.status).to.equal(status);
  expect(r.json).to.have.keys(["title", "status", "detail", "timestamp"]);
  expect(r.json.title).to.equal(title);
  expect(r.json.status).to.equal(status);
  if (detail !== undefined) expect(r.json.detail).to.equal(detail);
  expect(r.json.timestamp).to.match(PROBLEM_TS);
}

function expectBusiness(r: Res, status: number, code: string, message?: string): void {
  expect(r.status, r.text).to.equal(status);
  expect(r.json).to.have.keys(["code", "message", "details"]);
  expect(r.json.code).to.equal(code);
  if (message !== undefined) expect(r.json.message).to.equal(message);
}

function expectEmpty(r: Res, status = 200): void {
  expect(r.status, r.text).to.equal(status);
  expect(r.text).to.equal("");
  expect(r.headers.get("content-type")).to.equal(null);
}

describe("Woodpecker emulator (contract)", function () {
  let emu: WoodpeckerEmulator;
  let origin: string;
  const api = (method: string, path: string, opts?: CallOpts) => http(origin, method, path, opts);
  const v2 = (method: string, path: string, opts?: CallOpts) => api(method, `/rest/v2${path}`, opts);
  const control = (method: string, path: string, body?: unknown) =>
    http(origin, method, `/_emulator${path}`, { key: null, body });

  async function create(overrides: Record<string, unknown> = {}, key = KEY): Promise<any> {
    const r = await v2("POST", "/campaigns", { body: createBody(overrides), key });
    expect(r.status, r.text).to.equal(200);
    return r.json;
  }

  async function setStatus(id: number, status: string): Promise<void> {
    const r = await control("POST", `/campaigns/${id}/transition`, { status });
    expect(r.status, r.text).to.equal(200);
  }

  before(async function () {
    emu = new WoodpeckerEmulator({
      accounts: { [KEY]: "acct-1", [OTHER_KEY]: "acct-2" },
    });
    const base = await emu.start();
    origin = emu.origin;
    expect(base).to.equal(`${origin}/rest`);
  });

  after(async function () {
    await emu.stop();
  });

  beforeEach(async function () {
    const r = await control("POST", "/reset");
    expect(r.status).to.equal(200);
  });

  describe("request-level errors (problem dialect)", function () {
    it("answers 401 without or with an unknown x-api-key", async function () {
      expectProblem(
        await v2("GET", "/campaigns/12345001", { key: null }),
        401,
        "Unauthorized",
        "Invalid api key",
      );
      expectProblem(await v2("POST", "/campaigns", { key: "nope", body: createBody() }), 401, "Unauthorized");
      // v2 does not accept the legacy Basic auth
      const basic = "Basic " + Buffer.from(`:${KEY}`).toString("base64");
      expectProblem(
        await v2("GET", "/campaigns/1", { key: null, headers: { authorization: basic } }),
        401,
        "Unauthorized",
      );
    });

    it("answers 400 for a non-integer campaign_id", async function () {
      for (const bad of ["abc", "1.5", "12345001x", "99999999999999999999"]) {
        expectProblem(
          await v2("GET", `/campaigns/${bad}`),
          400,
          "Bad Request",
          "Value of campaign_id is incorrect.",
        );
      }
      expectProblem(
        await v2("POST", "/campaigns/abc/run"),
        400,
        "Bad Request",
        "Value of campaign_id is incorrect.",
      );
    });

    it("answers 400 for a malformed JSON body and 404 for an unknown route", async function () {
      expectProblem(
        await v2("POST", "/campaigns", { raw: "{not json" }),
        400,
        "Bad Request",
        "Failed to read request",
      );
      expectProblem(
        await v2("POST", "/campaigns", { raw: "" }),
        400,
        "Bad Request",
        "Failed to read request",
      );
      expectProblem(await v2("GET", "/nothing/here"), 404, "Not Found");
    });

    it("has no v2 list: GET /rest/v2/campaigns is 405", async function () {
      const r = await v2("GET", "/campaigns");
      expectProblem(r, 405, "Method Not Allowed");
      expect(r.headers.get("allow")).to.equal("POST");
    });
  });

  describe("create", function () {
    it("returns the full campaign with ids, defaults and DRAFT", async function () {
      const r = await v2("POST", "/campaigns", { body: createBody() });
      expect(r.status).to.equal(200);
      const c = r.json;
      expect(c.id).to.equal(12345001);
      expect(c.name).to.equal("Q3 outreach");
      expect(c.status).to.equal("DRAFT");
      expect(c.email_account_ids).to.deep.equal([101]);
      expect(c.bounce_shield_autopaused_at).to.equal(null);
      expect(c.settings).to.deep.equal({
        timezone: "Europe/Warsaw",
        prospect_timezone: false,
        daily_enroll: 40,
        gdpr_unsubscribe: false,
        list_unsubscribe: false,
        open_disabled_list: [],
        auto_pause_prospect_from_domain: false,
        catch_all_verification_mode: "BALANCED",
      });
      expect(c.steps.type).to.equal("START");
      expect(c.steps.id).to.match(UUID);
      const [s1, s2] = stepsOf(c);
      expect(stepsOf(c)).to.have.length(2);
      expect(s1.id).to.match(UUID);
      expect(s2.id).to.match(UUID);
      expect(s1.type).to.equal("EMAIL");
      expect(s1.followup_after).to.deep.equal({ range: "DAY", value: 1 });
      expect(s1.delivery_time).to.deep.equal({ MONDAY: [{ from: "08:00", to: "17:00" }] });
      const [a, b] = s1.body.versions;
      expect(a.id).to.match(HEX64);
      expect(b.id).to.match(HEX64);
      expect(a.id).to.not.equal(b.id);
      expect([a.version, b.version]).to.deep.equal(["A", "B"]);
      expect(a).to.include({ subject: "Hi {{FIRST_NAME}}", message: "<p>Hello</p>", signature: "SENDER" });
      expect(a.track_opens).to.equal(true);
      expect(b).to.include({ signature: "NO_SIGNATURE", track_opens: false });
      // the second step: the given delay, default Mon–Fri 08:00–18:00, subject null, defaults
      expect(s2.followup_after).to.deep.equal({ range: "DAY", value: 3 });
      expect(Object.keys(s2.delivery_time)).to.deep.equal([
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
      ]);
      expect(s2.delivery_time.FRIDAY).to.deep.equal([{ from: "08:00", to: "18:00" }]);
      expect(s2.body.versions[0]).to.include({
        subject: null,
        version: "A",
        signature: "SENDER",
        track_opens: true,
      });
      expect(s2.followup).to.equal(null);

      const second = await create({ name: undefined });
      expect(second.id).to.equal(12345002);
      expect(second.name).to.equal("Untitled campaign");
    });

    it("accepts LINKEDIN steps and ignores unknown fields", async function () {
      const c = await create({
        unknown_field: 1,
        steps: chain([
          emailStep(),
          {
            type: "LINKEDIN",
            followup_after: { range: "HOUR", value: 10 },
            body: {
              action_type: "CONNECTION_REQUEST",
              linkedin_account_id: 7,
              versions: [{ message: "Hi" }],
            },
          },
        ]),
      });
      expect(c).to.not.have.property("unknown_field");
      const li = stepsOf(c)[1];
      expect(li.type).to.equal("LINKEDIN");
      expect(li.body.action_type).to.equal("CONNECTION_REQUEST");
      expect(li.body.linkedin_account_id).to.equal(7);
      expect(li.body.versions[0].id).to.match(HEX64);
      expect(li.body.versions[0]).to.include({ version: "A", message: "Hi" });
    });

    it("answers createStatus (201 when configured)", async function () {
      const cfg = await control("PUT", "/config", { createStatus: 201 });
      expect(cfg.json.createStatus).to.equal(201);
      const r = await v2("POST", "/campaigns", { body: createBody() });
      expect(r.status).to.equal(201);
      expect(r.json.status).to.equal("DRAFT");
      await control("PUT", "/config", { createStatus: 200 });
    });

    const invalid: Array<[string, () => Record<string, unknown>, string]> = [
      ["17 steps", () => ({ steps: chain(Array.from({ length: 17 }, () => emailStep())) }), "steps"],
      ["no step after START", () => ({ steps: { type: "START", followup: null } }), "steps"],
      [
        "a root that is not START",
        () => ({ steps: { ...chain([emailStep()]), type: "EMAIL" } }),
        "steps.type",
      ],
      [
        "4 windows a day",
        () => ({
          steps: chain([
            emailStep({
              delivery_time: {
                MONDAY: [
                  { from: "06:00", to: "07:00" },
                  { from: "08:00", to: "09:00" },
                  { from: "10:00", to: "11:00" },
                  { from: "12:00", to: "13:00" },
                ],
              },
            }),
          ]),
        }),
        "MONDAY",
      ],
      [
        "a bad HH:mm",
        () => ({
          steps: chain([emailStep({ delivery_time: { TUESDAY: [{ from: "8:00", to: "25:00" }] } })]),
        }),
        "TUESDAY[0].from",
      ],
      [
        "from after to",
        () => ({
          steps: chain([emailStep({ delivery_time: { TUESDAY: [{ from: "18:00", to: "08:00" }] } })]),
        }),
        "TUESDAY[0]",
      ],
      [
        "an empty delivery_time",
        () => ({ steps: chain([emailStep({ delivery_time: {} })]) }),
        "delivery_time",
      ],
      ["daily_enroll 0", () => ({ settings: { timezone: "UTC", daily_enroll: 0 } }), "daily_enroll"],
      ["daily_enroll 501", () => ({ settings: { timezone: "UTC", daily_enroll: 501 } }), "daily_enroll"],
      ["a missing daily_enroll", () => ({ settings: { timezone: "UTC" } }), "daily_enroll"],
      ["a missing timezone", () => ({ settings: { daily_enroll: 10 } }), "settings.timezone"],
      [
        "an unknown timezone",
        () => ({ settings: { timezone: "Mars/Olympus", daily_enroll: 10 } }),
        "timezone",
      ],
      ["no settings", () => ({ settings: undefined }), "settings"],
      ["empty email_account_ids", () => ({ email_account_ids: [] }), "email_account_ids"],
      ["a non-integer mailbox", () => ({ email_account_ids: ["101"] }), "email_account_ids[0]"],
      [
        "a bad catch_all_verification_mode",
        () => ({ settings: { timezone: "UTC", daily_enroll: 5, catch_all_verification_mode: "STRICT" } }),
        "catch_all_verification_mode",
      ],
      [
        "6 versions",
        () => ({
          steps: chain([
            emailStep({ body: { versions: Array.from({ length: 6 }, () => ({ message: "m" })) } }),
          ]),
        }),
        "versions",
      ],
      [
        "a version without message",
        () => ({ steps: chain([emailStep({ body: { versions: [{ subject: "s" }] } })]) }),
        "message",
      ],
      [
        "a bad signature",
        () => ({ steps: chain([emailStep({ body: { versions: [{ message: "m", signature: "CEO" }] } })]) }),
        "signature",
      ],
      [
        "a bad followup_after",
        () => ({ steps: chain([emailStep({ followup_after: { range: "WEEK", value: 0 } })]) }),
        "followup_after.range",
      ],
      [
        "a LINKEDIN step without action_type",
        () => ({ steps: chain([emailStep(), { type: "LINKEDIN", body: { linkedin_account_id: 7 } }]) }),
        "action_type",
      ],
      ["an unknown step type", () => ({ steps: chain([emailStep({ type: "SMS" })]) }), "type"],
    ];
    for (const [what, overrides, mentions] of invalid) {
      it(`refuses ${what} with 400 INPUT_DATA_VALIDATION_FAILURE`, async function () {
        const r = await v2("POST", "/campaigns", { body: createBody(overrides()) });
        expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure");
        expect(r.json.details).to.be.a("string").and.include(mentions);
        const list = await control("GET", "/campaigns");
        expect(list.json.campaigns).to.have.length(0);
      });
    }

    it("checks mailboxes against the configured SMTP ids and lists them", async function () {
      expect((await v2("GET", "/mailboxes")).json).to.deep.equal([]);
      await control("PUT", "/config", { mailboxes: [101, 102] });
      try {
        const r = await v2("POST", "/campaigns", { body: createBody({ email_account_ids: [101, 999] }) });
        expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
        expect(r.json.details).to.include("999");
        await create({ email_account_ids: [101, 102] });
        const m = await v2("GET", "/mailboxes");
        expect(m.status).to.equal(200);
        expect(m.json).to.deep.equal([
          { id: 101, type: "SMTP", details: { email: "sender101@example.com" } },
          { id: 102, type: "SMTP", details: { email: "sender102@example.com" } },
        ]);
      } finally {
        await control("PUT", "/config", { mailboxes: null });
      }
    });
  });

  describe("get", function () {
    it("returns the campaign; 404 CAMPAIGN_NOT_EXIST for unknown ids and other accounts", async function () {
      const c = await create();
      const r = await v2("GET", `/campaigns/${c.id}`);
      expect(r.status).to.equal(200);
      expect(r.json).to.deep.equal(c);
      const missing = await v2("GET", "/campaigns/999");
      expectBusiness(missing, 404, "CAMPAIGN_NOT_EXIST", "Campaign not found");
      expect(missing.json.details).to.equal(null);
      expectBusiness(await v2("GET", `/campaigns/${c.id}`, { key: OTHER_KEY }), 404, "CAMPAIGN_NOT_EXIST");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}`, { key: OTHER_KEY }), 404, "CAMPAIGN_NOT_EXIST");
    });
  });

  describe("patch", function () {
    it("is allowed in DRAFT, refused in RUNNING, allowed again once EDITED", async function () {
      const c = await create();
      const p1 = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { name: "Renamed", email_account_ids: [201, 202], settings: { daily_enroll: 99 }, steps: null },
      });
      expect(p1.status, p1.text).to.equal(200);
      expect(p1.json.name).to.equal("Renamed");
      expect(p1.json.email_account_ids).to.deep.equal([201, 202]);
      expect(p1.json.settings.daily_enroll).to.equal(99);
      expect(p1.json.settings.timezone).to.equal("Europe/Warsaw"); // partial merge
      expect(p1.json.steps).to.deep.equal(c.steps); // steps are not changed here

      expectEmpty(await v2("POST", `/campaigns/${c.id}/run`));
      const refused = await v2("PATCH", `/campaigns/${c.id}`, { body: { name: "Nope" } });
      expectBusiness(
        refused,
        409,
        "CAMPAIGN_NOT_EDITABLE",
        "Only campaigns with a status of DRAFT or EDITED can be updated",
      );
      expect(refused.json.details).to.equal(null);
      expect((await v2("GET", `/campaigns/${c.id}`)).json.name).to.equal("Renamed");

      expectEmpty(await v2("POST", `/campaigns/${c.id}/make_editable`));
      expect((await v2("GET", `/campaigns/${c.id}`)).json.status).to.equal("EDITED");
      const p2 = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { settings: { gdpr_unsubscribe: true, open_disabled_list: ["google.com"] } },
      });
      expect(p2.status).to.equal(200);
      expect(p2.json.status).to.equal("EDITED");
      expect(p2.json.settings).to.include({ gdpr_unsubscribe: true, daily_enroll: 99 });
      expect(p2.json.settings.open_disabled_list).to.deep.equal(["google.com"]);
    });

    it("validates the given fields like create", async function () {
      const c = await create();
      const r = await v2("PATCH", `/campaigns/${c.id}`, {
        body: { settings: { daily_enroll: 0, timezone: "Nowhere/City" }, email_account_ids: [] },
      });
      expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
      expect(r.json.details)
        .to.include("daily_enroll")
        .and.include("timezone")
        .and.include("email_account_ids");
      expect((await v2("GET", `/campaigns/${c.id}`)).json).to.deep.equal(c);
      expectProblem(await v2("PATCH", `/campaigns/${c.id}`, { raw: "[" }), 400, "Bad Request");
      expectBusiness(await v2("PATCH", "/campaigns/42", { body: { name: "x" } }), 404, "CAMPAIGN_NOT_EXIST");
    });
  });

  describe("status transitions", function () {
    it("run / pause / stop / make_editable answer 200 with no body", async function () {
      const c = await create();
      const path = `/campaigns/${c.id}`;
      const status = async () => (await v2("GET", path)).json.status;

      expectBusiness(
        await v2("POST", `${path}/pause`),
        400,
        "INVALID_CAMPAIGN_STATUS",
        "Campaign cannot be paused in status DRAFT",
      );
      expectBusiness(await v2("POST", `${path}/stop`), 400, "INVALID_CAMPAIGN_STATUS");
      expectEmpty(await v2("POST", `${path}/make_editable`)); // DRAFT: no-op
      expect(await status()).to.equal("DRAFT");

      expectEmpty(await v2("POST", `${path}/run`));
      expect(await status()).to.equal("RUNNING");
      expectEmpty(await v2("POST", `${path}/run`)); // no-op
      expect(await status()).to.equal("RUNNING");

      expectEmpty(await v2("POST", `${path}/pause`));
      expect(await status()).to.equal("PAUSED");
      expectEmpty(await v2("POST", `${path}/pause`)); // no-op
      expect(await status()).to.equal("PAUSED");

      expectEmpty(await v2("POST", `${path}/stop`));
      expect(await status()).to.equal("STOPPED");
      expectEmpty(await v2("POST", `${path}/stop`)); // no-op
      expectBusiness(await v2("POST", `${path}/pause`), 400, "INVALID_CAMPAIGN_STATUS");

      expectEmpty(await v2("POST", `${path}/run`)); // STOPPED can be resumed
      expect(await status()).to.equal("RUNNING");

      expectEmpty(await v2("POST", `${path}/make_editable`));
      expect(await status()).to.equal("EDITED");
      expectEmpty(await v2("POST", `${path}/make_editable`)); // no-op
      expectEmpty(await v2("POST", `${path}/stop`)); // EDITED → STOPPED
      expect(await status()).to.equal("STOPPED");

      await setStatus(c.id, "COMPLETED");
      expectEmpty(await v2("POST", `${path}/run`));
      expect(await status()).to.equal("RUNNING");
      expectBusiness(await v2("POST", "/campaigns/777/run"), 404, "CAMPAIGN_NOT_EXIST");
    });

    it("refuses to run without a subject on every version of the first EMAIL step", async function () {
      const c = await create({
        steps: chain([
          {
            type: "EMAIL",
            body: {
              versions: [
                { subject: "ok", message: "m" },
                { subject: null, message: "m" },
              ],
            },
          },
        ]),
      });
      const r = await v2("POST", `/campaigns/${c.id}/run`);
      expectBusiness(r, 409, "CAMPAIGN_VALIDATION_FAILURE", "Subject is required in the first email step");
      expect((await v2("GET", `/campaigns/${c.id}`)).json.status).to.equal("DRAFT");
      const step = stepsOf(c)[0];
      const fixed = await v2(
        "PATCH",
        `/campaigns/${c.id}/steps/${step.id}/versions/${step.body.versions[1].id}`,
        {
          body: { subject: "Now with a subject" },
        },
      );
      expect(fixed.status).to.equal(200);
      expectEmpty(await v2("POST", `/campaigns/${c.id}/run`));
    });
  });

  describe("delete and the hidden workflow flag", function () {
    it("DELETE answers 200 with no body, then GET is 404", async function () {
      const c = await create();
      await setStatus(c.id, "RUNNING"); // any status
      expectEmpty(await v2("DELETE", `/campaigns/${c.id}`));
      expectBusiness(await v2("GET", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
    });

    it("refuses DELETE with 409 while in an active workflow; the flag is invisible", async function () {
      const c = await create();
      const set = await control("PUT", `/campaigns/${c.id}/workflow`, { active: true });
      expect(set.json.inActiveWorkflow).to.equal(true);

      const r = await v2("DELETE", `/campaigns/${c.id}`);
      expect(r.status).to.equal(409);
      expect(r.json).to.deep.equal({
        code: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW",
        message: "Campaign related to active workflow",
        details: null,
      });

      const get = await v2("GET", `/campaigns/${c.id}`);
      expect(get.status).to.equal(200);
      expect(get.json).to.deep.equal(c);
      expect(get.text.toLowerCase()).to.not.include("workflow");
      const patched = await v2("PATCH", `/campaigns/${c.id}`, { body: { name: "x" } });
      expect(patched.text.toLowerCase()).to.not.include("workflow");
      const v1 = await api("GET", "/rest/v1/campaign_list");
      expect(v1.json).to.have.length(1);
      expect(v1.text.toLowerCase()).to.not.include("workflow");

      await control("PUT", `/campaigns/${c.id}/workflow`, { active: false });
      expectEmpty(await v2("DELETE", `/campaigns/${c.id}`));
    });
  });

  describe("steps and versions", function () {
    it("adds a step only at the end, and only in DRAFT/EDITED", async function () {
      const c = await create();
      const [s1, s2] = stepsOf(c);
      const step = emailStep({ followup_after: { range: "HOUR", value: 10 } });

      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: s1.id, step } }),
        400,
        "INVALID_PARENT_STEP",
        "A step can only be added at the end of the campaign",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: c.steps.id, step } }),
        400,
        "INVALID_PARENT_STEP",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, {
          body: { parent_id: "00000000-0000-4000-8000-000000000000", step },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, {
          body: { parent_id: s2.id, step: emailStep({ body: { versions: [] } }) },
        }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );

      const r = await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: s2.id, step } });
      expect(r.status, r.text).to.equal(200);
      const steps = stepsOf(r.json);
      expect(steps.map((s) => s.id).slice(0, 2)).to.deep.equal([s1.id, s2.id]);
      expect(steps).to.have.length(3);
      expect(steps[2].id).to.match(UUID);
      expect(steps[2].followup_after).to.deep.equal({ range: "HOUR", value: 10 });
      expect(steps[2].followup).to.equal(null);

      await setStatus(c.id, "RUNNING");
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: steps[2].id, step } }),
        409,
        "CAMPAIGN_NOT_EDITABLE",
      );
    });

    it("refuses to add after a step that has processed prospects", async function () {
      const c = await create();
      const last = stepsOf(c)[1];
      const marked = await control("PUT", `/campaigns/${c.id}/steps/${last.id}/processed`, { prospects: 3 });
      expect(stepsOf(marked.json)[1].processedProspects).to.equal(3);
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: last.id, step: emailStep() } }),
        409,
        "STEP_ALREADY_PROCESSED",
      );
    });

    it("refuses a 17th step", async function () {
      const c = await create({ steps: chain(Array.from({ length: 16 }, () => emailStep())) });
      const last = stepsOf(c)[15];
      const r = await v2("POST", `/campaigns/${c.id}/steps`, {
        body: { parent_id: last.id, step: emailStep() },
      });
      expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
    });

    it("replaces a step's whole delivery_time", async function () {
      const c = await create();
      const s2 = stepsOf(c)[1];
      const dt = {
        WEDNESDAY: [
          { from: "09:00", to: "12:00" },
          { from: "13:00", to: "17:00" },
        ],
        SATURDAY: [{ from: "10:00", to: "11:00" }],
      };
      const r = await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: dt } });
      expect(r.status, r.text).to.equal(200);
      expect(stepsOf(r.json)[1].delivery_time).to.deep.equal(dt);
      expect(stepsOf(r.json)[0].delivery_time).to.deep.equal(stepsOf(c)[0].delivery_time);

      const four = Array.from({ length: 4 }, (_, i) => ({ from: `0${i + 1}:00`, to: `0${i + 1}:30` }));
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: { MONDAY: four } } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: {} } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: { FUNDAY: [] } } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000`, {
          body: { delivery_time: dt },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expect(stepsOf((await v2("GET", `/campaigns/${c.id}`)).json)[1].delivery_time).to.deep.equal(dt);
    });

    it("patches a version partially", async function () {
      const c = await create();
      const s1 = stepsOf(c)[0];
      const [a, b] = s1.body.versions;
      const r = await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${b.id}`, {
        body: { subject: "New subject", track_opens: true },
      });
      expect(r.status, r.text).to.equal(200);
      const [a2, b2] = stepsOf(r.json)[0].body.versions;
      expect(a2).to.deep.equal(a);
      expect(b2).to.deep.equal({ ...b, subject: "New subject", track_opens: true });

      const s2 = stepsOf(c)[1];
      const nulled = await v2(
        "PATCH",
        `/campaigns/${c.id}/steps/${s2.id}/versions/${s2.body.versions[0].id}`,
        {
          body: { subject: null, message: "<p>same thread</p>", signature: "NO_SIGNATURE" },
        },
      );
      expect(stepsOf(nulled.json)[1].body.versions[0]).to.include({
        subject: null,
        message: "<p>same thread</p>",
        signature: "NO_SIGNATURE",
      });

      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${"0".repeat(64)}`, {
          body: { subject: "x" },
        }),
        404,
        "VERSION_NOT_EXIST",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000/versions/${a.id}`, {
          body: { subject: "x" },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${a.id}`, {
          body: { signature: "BOSS" },
        }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      await setStatus(c.id, "PAUSED");
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${a.id}`, { body: { subject: "x" } }),
        409,
        "CAMPAIGN_NOT_EDITABLE",
      );
    });

    it("deletes a later EMAIL step and relinks the chain; the first EMAIL step stays", async function () {
      const c = await create({
        steps: chain([
          { type: "LINKEDIN", body: { action_type: "VISIT_PROFILE", linkedin_account_id: 5 } },
          emailStep(),
          emailStep(),
          emailStep(),
        ]),
      });
      const [li, first, middle, last] = stepsOf(c);

      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/${first.id}`),
        400,
        "FIRST_EMAIL_STEP_NOT_DELETABLE",
      );
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${li.id}`), 400, "STEP_NOT_DELETABLE");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${c.steps.id}`), 400, "STEP_NOT_DELETABLE");
      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000`),
        404,
        "STEP_NOT_EXIST",
      );

      await control("PUT", `/campaigns/${c.id}/steps/${last.id}/processed`, { prospects: 1 });
      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/${last.id}`),
        409,
        "STEP_ALREADY_PROCESSED",
      );

      const r = await v2("DELETE", `/campaigns/${c.id}/steps/${middle.id}`);
      expect(r.status, r.text).to.equal(200);
      expect(stepsOf(r.json).map((s) => s.id)).to.deep.equal([li.id, first.id, last.id]);
      expect(stepsOf(r.json)[1].followup.id).to.equal(last.id);

      await setStatus(c.id, "RUNNING");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${last.id}`), 409, "CAMPAIGN_NOT_EDITABLE");
    });
  });

  describe("bounce shield threshold", function () {
    it("GET null, PUT 204, GET value, DELETE 204", async function () {
      const c = await create();
      const path = `/campaigns/${c.id}/bounce_shield/threshold`;
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: null });
      expectEmpty(await v2("PUT", path, { body: { bounce_rate_threshold: 12 } }), 204);
      const got = await v2("GET", path);
      expect(got.status).to.equal(200);
      expect(got.json).to.deep.equal({ bounce_rate_threshold: 12 });
      for (const bad of [0, 100, 12.5, "12", null]) {
        expectBusiness(
          await v2("PUT", path, { body: { bounce_rate_threshold: bad } }),
          400,
          "INPUT_DATA_VALIDATION_FAILURE",
        );
      }
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: 12 });
      expectEmpty(await v2("DELETE", path), 204);
      expect((await v2("GET", path)).json).to.deep.equal({ bounce_rate_threshold: null });
      expectBusiness(await v2("GET", "/campaigns/1/bounce_shield/threshold"), 404, "CAMPAIGN_NOT_EXIST");
    });
  });

  describe("v1 campaign_list", function () {
    it("lists the account's campaigns, filtered by status and id", async function () {
      const a = await create({
        name: "A",
        settings: { timezone: "UTC", daily_enroll: 77, gdpr_unsubscribe: true },
      });
      const b = await create({ name: "B" });
      await create({ name: "other account" }, OTHER_KEY);
      await setStatus(b.id, "RUNNING");

      const all = await api("GET", "/rest/v1/campaign_list");
      expect(all.status).to.equal(200);
      expect(all.json.map((x: any) => x.name)).to.deep.equal(["A", "B"]);
      const item = all.json[0];
      expect(item).to.have.keys([
        "id",
        "name",
        "status",
        "created",
        "from_name",
        "from_names",
        "gdpr_unsubscribe",
        "folder_name",
        "folder_id",
        "from_email",
        "from_emails",
        "per_day",
        "bcc",
        "cc",
        "error",
      ]);
      expect(item).to.include({ id: a.id, status: "DRAFT", per_day: 77, gdpr_unsubscribe: true });
      expect(item.created).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
      expect(item.from_emails).to.deep.equal(["sender101@example.com"]);

      const running = await api("GET", "/rest/v1/campaign_list?status=RUNNING,PAUSED");
      expect(running.json.map((x: any) => x.id)).to.deep.equal([b.id]);
      const byId = await api("GET", `/rest/v1/campaign_list?id=${a.id},${b.id}`);
      expect(byId.json.map((x: any) => x.id)).to.deep.equal([a.id, b.id]);

      // Basic auth with ":<key>" works on v1
      const basic = "Basic " + Buffer.from(`:${OTHER_KEY}`).toString("base64");
      const other = await api("GET", "/rest/v1/campaign_list", {
        key: null,
        headers: { authorization: basic },
      });
      expect(other.json.map((x: any) => x.name)).to.deep.equal(["other account"]);
    });

    it("answers its errors inside HTTP 200", async function () {
      const none = await api("GET", "/rest/v1/campaign_list");
      expect(none.status).to.equal(200);
      expect(none.json).to.deep.equal({
        status: { status: "ERROR", code: "E_NO_CAMPAIGNS", msg: "No campaigns found" },
      });
      await create();
      const filtered = await api("GET", "/rest/v1/campaign_list?status=COMPLETED");
      expect(filtered.status).to.equal(200);
      expect(filtered.json.status.code).to.equal("E_NO_CAMPAIGNS");

      const expected = { status: { status: "ERROR", code: "E_SESSION", msg: "Invalid or expired API key" } };
      const bad = await api("GET", "/rest/v1/campaign_list", { key: "wrong" });
      expect(bad.status).to.equal(200);
      expect(bad.json).to.deep.equal(expected);
      const noKey = await api("GET", "/rest/v1/campaign_list", { key: null });
      expect(noKey.status).to.equal(200);
      expect(noKey.json).to.deep.equal(expected);
      const badBasic = "Basic " + Buffer.from(":wrong").toString("base64");
      const r = await api("GET", "/rest/v1/campaign_list", {
        key: null,
        headers: { authorization: badBasic },
      });
      expect(r.json).to.deep.equal(expected);
    });
  });

  describe("control API", function () {
    it("exposes hidden state, background transitions and outside edits", async function () {
      const c = await create();
      const got = await control("GET", `/campaigns/${c.id}`);
      expect(got.status).to.equal(200);
      expect(got.json).to.include({ account: "acct-1", inActiveWorkflow: false, bounceRateThreshold: null });
      expect(stepsOf(got.json)[0].processedProspects).to.equal(0);
      expect((await control("GET", "/campaigns/1")).status).to.equal(404);

      await setStatus(c.id, "RUNNING");
      const paused = await control("POST", `/campaigns/${c.id}/transition`, {
        status: "PAUSED",
        bounceShield: true,
      });
      expect(paused.json.status).to.equal("PAUSED");
      const viaApi = await v2("GET", `/campaigns/${c.id}`);
      expect(viaApi.json.status).to.equal("PAUSED");
      expect(viaApi.json.bounce_shield_autopaused_at).to.be.a("string");
      expect((await control("POST", `/campaigns/${c.id}/transition`, { status: "NOPE" })).status).to.equal(
        400,
      );

      const s1 = stepsOf(c)[0];
      const edited = await control("PATCH", `/campaigns/${c.id}`, {
        name: "Edited in the app",
        settings: { daily_enroll: 5 },
        versions: [{ step_id: s1.id, version_id: s1.body.versions[0].id, subject: "App subject" }],
        delivery_time: [{ step_id: s1.id, delivery_time: { SUNDAY: [{ from: "10:00", to: "12:00" }] } }],
      });
      expect(edited.status, edited.text).to.equal(200);
      const after = (await v2("GET", `/campaigns/${c.id}`)).json;
      expect(after.status).to.equal("PAUSED");
      expect(after.name).to.equal("Edited in the app");
      expect(after.settings.daily_enroll).to.equal(5);
      expect(stepsOf(after)[0].body.versions[0].subject).to.equal("App subject");
      expect(stepsOf(after)[0].delivery_time).to.deep.equal({ SUNDAY: [{ from: "10:00", to: "12:00" }] });
      const badEdit = await control("PATCH", `/campaigns/${c.id}`, { settings: { daily_enroll: 0 } });
      expect(badEdit.status).to.equal(400);
      expect(badEdit.json.error).to.include("daily_enroll");

      await control("PUT", `/campaigns/${c.id}/workflow`, { active: true });
      const del = await control("DELETE", `/campaigns/${c.id}`); // ignores the workflow flag
      expect(del.status).to.equal(200);
      expectBusiness(await v2("GET", `/campaigns/${c.id}`), 404, "CAMPAIGN_NOT_EXIST");
      expect((await control("GET", "/campaigns")).json.campaigns).to.deep.equal([]);
    });
  });
});

describe("Woodpecker emulator rate limit (contract)", function () {
  const KEY_A1 = "wpk_account_a_key_1";
  const KEY_A2 = "wpk_account_a_key_2";
  const KEY_B = "wpk_account_b_key";
  let emu: WoodpeckerEmulator;
  let origin: string;
  const control = (method: string, path: string, body?: unknown) =>
    http(origin, method, `/_emulator${path}`, { key: null, body });
  const burst = (keys: string[]) =>
    Promise.all(keys.map((key) => http(origin, "GET", "/rest/v2/campaigns/1", { key })));
  const count = (rs: Res[], status: number) => rs.filter((r) => r.status === status).length;

  before(async function () {
    emu = new WoodpeckerEmulator({
      accounts: { [KEY_A1]: "acct-a", [KEY_A2]: "acct-a", [KEY_B]: "acct-b" },
      latencyMs: 100,
    });
    await emu.start();
    origin = emu.origin;
  });

  after(async function () {
    await emu.stop();
  });

  beforeEach(async function () {
    await control("POST", "/reset");
    await control("PUT", "/config", { queue: { maxQueued: 6, maxWaitMs: 15_000 } });
  });

  it("processes one request at a time per account, queues 6, answers the rest 429", async function () {
    const rs = await burst(Array.from({ length: 12 }, () => KEY_A1));
    // processed requests reach the API (campaign 1 does not exist)
    expect(count(rs, 404)).to.equal(7);
    expect(count(rs, 429)).to.equal(5);
    const limited = rs.find((r) => r.status === 429)!;
    expectProblem(limited, 429, "Too Many Requests", "Too many requests");
    const stats = (await control("GET", "/stats")).json;
    expect(stats.maxConcurrent).to.equal(1);
    expect(stats.maxQueueDepth).to.equal(6);
    expect(stats.rateLimited).to.equal(5);
    expect(stats.accounts["acct-a"]).to.deep.equal({ maxConcurrent: 1, maxQueueDepth: 6, rateLimited: 5 });
    const log = (await control("GET", "/requests")).json.requests;
    expect(log.filter((e: { fault?: string }) => e.fault === "rate-limit")).to.have.length(5);

    expect((await control("DELETE", "/stats")).status).to.equal(200);
    expect((await control("GET", "/stats")).json).to.include({
      maxConcurrent: 0,
      maxQueueDepth: 0,
      rateLimited: 0,
    });
  });

  it("limits per account, not per key: two keys of one account share the queue", async function () {
    const rs = await burst(Array.from({ length: 12 }, (_, i) => (i % 2 ? KEY_A1 : KEY_A2)));
    expect(count(rs, 404)).to.equal(7);
    expect(count(rs, 429)).to.equal(5);
  });

  it("gives two accounts separate queues", async function () {
    const rs = await burst([
      ...Array.from({ length: 7 }, () => KEY_A1),
      ...Array.from({ length: 7 }, () => KEY_B),
    ]);
    expect(count(rs, 404)).to.equal(14);
    const stats = (await control("GET", "/stats")).json;
    expect(stats.rateLimited).to.equal(0);
    expect(stats.maxConcurrent).to.equal(1);
    expect(stats.accounts["acct-a"].maxQueueDepth).to.equal(6);
    expect(stats.accounts["acct-b"].maxQueueDepth).to.equal(6);
  });

  it("answers 429 to a queued request that waited longer than maxWaitMs", async function () {
    await control("PUT", "/config", { queue: { maxQueued: 6, maxWaitMs: 30 } });
    const rs = await burst([KEY_A1, KEY_A1, KEY_A1]);
    expect(count(rs, 404)).to.equal(1);
    expect(count(rs, 429)).to.equal(2);
    expect((await control("GET", "/stats")).json.rateLimited).to.equal(2);
  });

  it("measures real overlap: without the queue, maxConcurrent goes above 1", async function () {
    // A subclass switches the base class's queue off, as a broken queue would.
    class Unqueued extends WoodpeckerEmulator {
      constructor() {
        super({ accounts: { [KEY_A1]: "acct-a" }, latencyMs: 100 });
        this.accountQueue = undefined;
      }
    }
    const unqueued = new Unqueued();
    await unqueued.start();
    try {
      const rs = await Promise.all(
        Array.from({ length: 8 }, () =>
          http(unqueued.origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 }),
        ),
      );
      expect(count(rs, 404)).to.equal(8);
      const stats = unqueued.stats;
      expect(stats.maxConcurrent).to.be.greaterThan(1);
      expect(stats.maxQueueDepth).to.equal(0);
      expect(stats.rateLimited).to.equal(0);
    } finally {
      await unqueued.stop();
    }
  });

  it("does not queue unauthenticated requests (they get 401)", async function () {
    const rs = await Promise.all(
      Array.from({ length: 10 }, () => http(origin, "GET", "/rest/v2/campaigns/1", { key: "unknown" })),
    );
    expect(count(rs, 401)).to.equal(10);
  });

  it("applies and clears an injected 429 fault profile (not counted as rate limiting)", async function () {
    await control("PUT", "/latency", { latencyMs: 0 });
    try {
      expect((await control("PUT", "/faults", { rate429: 1 })).status).to.equal(200);
      const r = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expectProblem(r, 429, "Too Many Requests");
      expect((await control("GET", "/stats")).json.rateLimited).to.equal(0);
      const log = (await control("GET", "/requests")).json.requests;
      expect(log[log.length - 1].fault).to.equal("429");

      await control("PUT", "/faults", { rate500: 1 });
      const e = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expect(e.status).to.equal(500);
      expect(e.json).to.deep.equal({
        type: "UNKNOWN",
        message: "Unknown error during request",
        details: null,
      });

      expect((await control("DELETE", "/faults")).status).to.equal(200);
      const ok = await http(origin, "GET", "/rest/v2/campaigns/1", { key: KEY_A1 });
      expectBusiness(ok, 404, "CAMPAIGN_NOT_EXIST");
    } finally {
      await control("PUT", "/latency", { latencyMs: 100 });
    }
  });
});
