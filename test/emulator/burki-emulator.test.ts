/**
 * Contract tests of the Burki emulator, through HTTP only: they pin the documented behaviour of the
 * real API (burki-api.md) that the provider relies on, quirks included, plus the control API.
 */
import { expect } from "chai";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../provider/emulators/burki";

/** Second organisation's key (cross-org checks). */
const ORG2_KEY = "burki_org2org2org2org2org2org2org2org2";
/** A key given only through `apiKeys`: it maps to org-1. */
const PLAIN_KEY = "burki_plainplainplainplainplainplain00";

// Response bodies are arbitrary JSON; the assertions below pin their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

interface CallOptions {
  json?: unknown;
  raw?: string;
  form?: FormData;
  key?: string | null;
  headers?: Record<string, string>;
}

let emu: BurkiEmulator;
let base: string;

async function call(method: string, path: string, opts: CallOptions = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? BURKI_EMULATOR_API_KEY : opts.key;
  if (key !== null) headers.authorization = `Bearer ${key}`;
  let body: string | FormData | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] ??= "application/json";
  } else if (opts.raw !== undefined) {
    body = opts.raw;
    headers["content-type"] ??= "application/json";
  } else if (opts.form) body = opts.form;
  const res = await fetch(base + path, { method, headers, body, redirect: "manual" });
  const text = await res.text();
  let parsed: Json;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const control = (method: string, path: string, json?: unknown) => call(method, path, { json, key: null });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll until `check` holds (bounded). */
async function waitFor(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

async function createCampaign(overrides: Record<string, unknown> = {}, key?: string): Promise<Json> {
  const res = await call("POST", "/api/v1/campaigns/", {
    json: { name: "Spring outreach", campaign_type: "call", assistant_id: 12, ...overrides },
    key,
  });
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

async function getCampaign(id: number): Promise<Json> {
  const res = await call("GET", `/api/v1/campaigns/${id}`);
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

function csvForm(csv: string, fileName = "contacts.csv", columnMappings?: Record<string, string>): FormData {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), fileName);
  if (columnMappings) form.append("column_mappings", JSON.stringify(columnMappings));
  return form;
}

/** Upload a CSV and wait until the import has been processed; returns the import record. */
async function importCsv(id: number, csv: string, columnMappings?: Record<string, string>): Promise<Json> {
  const res = await call("POST", `/api/v1/campaigns/${id}/import-data`, {
    form: csvForm(csv, undefined, columnMappings),
  });
  expect(res.status, res.text).to.equal(202);
  let job: Json;
  await waitFor(async () => {
    job = (await call("GET", `/api/v1/campaigns/${id}/imports/${res.body.import_id}`)).body;
    return job.status === "completed";
  });
  return job;
}

async function contactsOf(id: number, query = ""): Promise<Json[]> {
  const res = await call("GET", `/api/v1/campaigns/${id}/contacts${query}`);
  expect(res.status, res.text).to.equal(200);
  return res.body.contacts;
}

async function waitForStatus(id: number, status: string): Promise<void> {
  await waitFor(async () => (await getCampaign(id)).status === status);
}

/** A draft campaign with two pending contacts. */
async function campaignWithContacts(): Promise<number> {
  const c = await createCampaign();
  await importCsv(c.id, "phone,name\n5551230001,Ann\n5551230002,Bob\n");
  return c.id;
}

async function runningCampaign(): Promise<number> {
  const id = await campaignWithContacts();
  expect((await call("POST", `/api/v1/campaigns/${id}/start`)).status).to.equal(200);
  await waitForStatus(id, "running");
  return id;
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);

  before(async () => {
    emu = new BurkiEmulator({
      startDelayMs: 50,
      importDelayMs: 10,
      apiKeys: [PLAIN_KEY],
      organizations: { [BURKI_EMULATOR_API_KEY]: "org-1", [ORG2_KEY]: "org-2" },
    });
    base = await emu.start();
  });

  after(async () => {
    await emu.stop();
  });

  beforeEach(async () => {
    expect((await control("POST", "/_emulator/reset")).status).to.equal(200);
    await control("PUT", "/_emulator/config", { startDelayMs: 50, importDelayMs: 10, crossOrgStatus: 404 });
  });

  describe("authentication", () => {
    it("answers 401 with the FastAPI body and WWW-Authenticate when the key is missing or unknown", async () => {
      for (const key of [null, "burki_unknownunknownunknownunknown000"]) {
        const res = await call("GET", "/api/v1/campaigns/", { key });
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          detail: "Authentication required. Provide a valid API key or login session.",
        });
        expect(res.headers.get("www-authenticate")).to.equal("Bearer");
      }
      const basic = await call("GET", "/api/v1/campaigns/", {
        key: null,
        headers: { authorization: "Basic abc" },
      });
      expect(basic.status).to.equal(401);
    });

    it("accepts the default key, organisation keys and plain apiKeys", async () => {
      expect(BURKI_EMULATOR_API_KEY).to.match(/^burki_[a-z0-9]{32}$/);
      for (const key of [BURKI_EMULATOR_API_KEY, ORG2_KEY, PLAIN_KEY]) {
        expect((await call("GET", "/api/v1/campaigns/", { key })).status).to.equal(200);
      }
      const c = await createCampaign({}, PLAIN_KEY);
      expect((await call("GET", `/api/v1/campaigns/${c.id}`)).status, "plain key → org-1").to.equal(200);
    });
  });

  describe("routing quirks", () => {
    it("redirects the slash-less collection path with 307, keeping the query, for any method", async () => {
      for (const method of ["GET", "POST"]) {
        const res = await call(method, "/api/v1/campaigns?page=2&per_page=5", { key: null });
        expect(res.status).to.equal(307);
        expect(res.headers.get("location")).to.equal(`${base}/api/v1/campaigns/?page=2&per_page=5`);
        expect(res.text).to.equal("");
      }
    });

    it("redirects a trailing slash on an item path to the slash-less spelling", async () => {
      const res = await call("DELETE", "/api/v1/campaigns/42/");
      expect(res.status).to.equal(307);
      expect(res.headers.get("location")).to.equal(`${base}/api/v1/campaigns/42`);
    });

    it("answers 404 for unknown paths and 405 for known paths with the wrong method, before auth", async () => {
      for (const path of ["/api/v1/nothing", "/api/v1/campaigns/42/resume", "/api/v1/campaigns/42/cancel"]) {
        const res = await call("POST", path, { key: null });
        expect(res.status, path).to.equal(404);
        expect(res.body).to.deep.equal({ detail: "Not Found" });
      }
      const patch = await call("PATCH", "/api/v1/campaigns/42", { json: { name: "x" }, key: null });
      expect(patch.status).to.equal(405);
      expect(patch.body).to.deep.equal({ detail: "Method Not Allowed" });
      const addContacts = await call("POST", "/api/v1/campaigns/42/contacts", { json: { contacts: [] } });
      expect(addContacts.status).to.equal(405);
      expect(addContacts.body).to.deep.equal({ detail: "Method Not Allowed" });
    });

    it("rejects a non-integer campaign id with a Pydantic int_parsing 422, after auth", async () => {
      expect((await call("GET", "/api/v1/campaigns/abc", { key: null })).status).to.equal(401);
      const res = await call("GET", "/api/v1/campaigns/abc");
      expect(res.status).to.equal(422);
      expect(res.body).to.deep.equal({
        detail: [
          {
            type: "int_parsing",
            loc: ["path", "campaign_id"],
            msg: "Input should be a valid integer, unable to parse string as an integer",
            input: "abc",
          },
        ],
      });
    });

    it("reports malformed JSON as json_invalid before checking auth", async () => {
      const res = await call("POST", "/api/v1/campaigns/", { raw: '{"name": ', key: null });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.have.length(1);
      const [issue] = res.body.detail;
      expect(issue.type).to.equal("json_invalid");
      expect(issue.msg).to.equal("JSON decode error");
      expect(issue.loc[0]).to.equal("body");
      expect(issue.loc[1]).to.be.a("number");
      expect(issue.input).to.deep.equal({});
      expect(issue.ctx.error).to.be.a("string");
      const token = await call("POST", "/api/v1/campaigns/", { raw: '{"name": x}' });
      expect(token.body.detail[0].loc).to.deep.equal(["body", 9]);
      expect(token.body.detail[0].ctx).to.deep.equal({ error: "Expecting value" });
    });
  });

  describe("create", () => {
    it("answers 200 with a draft campaign, defaults applied, unknown keys dropped, no assistant_name", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: {
          name: "Spring outreach",
          campaign_type: "call",
          assistant_id: 12,
          contacts: [{ phone: "+15551234567" }],
          phone_number_id: 7,
        },
      });
      expect(res.status).to.equal(200);
      const c = res.body;
      expect(c).to.include({
        id: 1,
        name: "Spring outreach",
        description: null,
        campaign_type: "call",
        status: "draft",
        assistant_id: 12,
        max_attempts: 3,
        retry_delay_minutes: 30,
        total_contacts: 0,
        completed_contacts: 0,
        failed_contacts: 0,
        welcome_message_template: null,
        sms_message_template: null,
      });
      expect(c).not.to.have.property("assistant_name");
      expect(c).not.to.have.property("contacts");
      expect(c).not.to.have.property("phone_number_id");
      expect(c.created_at).to.match(ISO_Z);
      expect(c.updated_at).to.match(ISO_Z);
      expect((await createCampaign()).id).to.equal(2);
    });

    it("coerces a numeric string assistant_id and accepts any campaign_type", async () => {
      const c = await createCampaign({ assistant_id: "12", campaign_type: "carrier-pigeon" });
      expect(c.assistant_id).to.equal(12);
      expect(c.campaign_type).to.equal("carrier-pigeon");
    });

    it("rejects max_attempts 11 and retry_delay_minutes 4 with bounded-integer errors", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1, max_attempts: 11, retry_delay_minutes: 4 },
      });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        {
          type: "less_than_equal",
          loc: ["body", "max_attempts"],
          msg: "Input should be less than or equal to 10",
          input: 11,
          ctx: { le: 10 },
        },
        {
          type: "greater_than_equal",
          loc: ["body", "retry_delay_minutes"],
          msg: "Input should be greater than or equal to 5",
          input: 4,
          ctx: { ge: 5 },
        },
      ]);
      const zero = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1, max_attempts: 0 },
      });
      expect(zero.body.detail[0]).to.include({
        type: "greater_than_equal",
        msg: "Input should be greater than or equal to 1",
      });
      expect(zero.body.detail[0].ctx).to.deep.equal({ ge: 1 });
    });

    it("rejects an empty or too long name", async () => {
      const empty = await call("POST", "/api/v1/campaigns/", {
        json: { name: "", campaign_type: "call", assistant_id: 1 },
      });
      expect(empty.status).to.equal(422);
      expect(empty.body.detail).to.deep.equal([
        {
          type: "string_too_short",
          loc: ["body", "name"],
          msg: "String should have at least 1 character",
          input: "",
          ctx: { min_length: 1 },
        },
      ]);
      const long = await call("POST", "/api/v1/campaigns/", {
        json: { name: "n".repeat(201), campaign_type: "call", assistant_id: 1 },
      });
      expect(long.body.detail[0]).to.include({
        type: "string_too_long",
        msg: "String should have at most 200 characters",
      });
    });

    it("lists every missing required field in one 422, in schema order", async () => {
      const res = await call("POST", "/api/v1/campaigns/", { json: { description: "d" } });
      expect(res.status).to.equal(422);
      expect(res.body.detail.map((d: Json) => [d.type, d.loc.join("."), d.msg])).to.deep.equal([
        ["missing", "body.name", "Field required"],
        ["missing", "body.campaign_type", "Field required"],
        ["missing", "body.assistant_id", "Field required"],
      ]);
    });

    it("rejects bad assistant_id values and non-string fallback values", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: {
          name: "x",
          campaign_type: "call",
          assistant_id: "abc",
          fallback_values: { name: "there", key: 5 },
        },
      });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        {
          type: "int_parsing",
          loc: ["body", "assistant_id"],
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: "abc",
        },
        {
          type: "string_type",
          loc: ["body", "fallback_values", "key"],
          msg: "Input should be a valid string",
          input: 5,
        },
      ]);
      const float = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1.5 },
      });
      expect(float.body.detail[0]).to.include({ type: "int_from_float" });
    });

    it("answers a missing body with loc [body]", async () => {
      const res = await call("POST", "/api/v1/campaigns/");
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        { type: "missing", loc: ["body"], msg: "Field required", input: null },
      ]);
    });
  });

  describe("get and list", () => {
    it("returns the full campaign object with assistant_name", async () => {
      const created = await createCampaign({
        description: "desc",
        fallback_values: { name: "there" },
        welcome_message_template: "Hi {{name}}",
      });
      const c = await getCampaign(created.id);
      expect(Object.keys(c)).to.include.members([
        "id",
        "name",
        "description",
        "campaign_type",
        "status",
        "assistant_id",
        "assistant_name",
        "welcome_message_template",
        "agenda_template",
        "end_call_message_template",
        "sms_message_template",
        "fallback_values",
        "variable_mappings",
        "available_variables",
        "max_attempts",
        "retry_delay_minutes",
        "total_contacts",
        "completed_contacts",
        "failed_contacts",
        "created_at",
        "updated_at",
        "last_import_file_name",
        "last_import_date",
        "last_import_row_count",
        "started_at",
        "completed_at",
      ]);
      expect(c.assistant_name).to.equal("Assistant 12");
      expect(c.fallback_values).to.deep.equal({ name: "there" });
      expect(c.welcome_message_template).to.equal("Hi {{name}}");
    });

    it("answers 404 for an unknown campaign and hides other organisations' campaigns", async () => {
      const missing = await call("GET", "/api/v1/campaigns/999");
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal({ detail: "Campaign not found" });
      const theirs = await createCampaign({}, ORG2_KEY);
      const cross = await call("GET", `/api/v1/campaigns/${theirs.id}`);
      expect(cross.status).to.equal(404);
      expect(cross.body).to.deep.equal({ detail: "Campaign not found" });
      await control("PUT", "/_emulator/config", { crossOrgStatus: 403 });
      const forbidden = await call("DELETE", `/api/v1/campaigns/${theirs.id}`);
      expect(forbidden.status).to.equal(403);
      expect(forbidden.body).to.deep.equal({
        detail: "Forbidden - campaign belongs to different organization",
      });
      expect((await call("GET", "/api/v1/campaigns/", { key: ORG2_KEY })).body.campaigns).to.have.length(1);
    });

    it("paginates newest first with the page envelope", async () => {
      for (let i = 1; i <= 5; i++) await createCampaign({ name: `C${i}` });
      await createCampaign({ name: "Other org" }, ORG2_KEY);
      const res = await call("GET", "/api/v1/campaigns/?page=2&per_page=2");
      expect(res.status).to.equal(200);
      expect(res.body.campaigns.map((c: Json) => c.name)).to.deep.equal(["C3", "C2"]);
      expect(res.body.pagination).to.deep.equal({
        page: 2,
        per_page: 2,
        total_items: 5,
        total_pages: 3,
        has_next: true,
        has_prev: true,
      });
      const item = res.body.campaigns[0];
      expect(item).to.include.keys(
        "assistant_name",
        "metrics",
        "started_at",
        "completed_at",
        "total_contacts",
      );
      expect(item).not.to.have.property("welcome_message_template");
      const def = await call("GET", "/api/v1/campaigns/");
      expect(def.body.pagination).to.include({ page: 1, per_page: 50, total_items: 5, has_next: false });
    });

    it("filters by status, campaign_type, assistant_id and search", async () => {
      await createCampaign({ name: "Dental reminders", campaign_type: "call", assistant_id: 1 });
      await createCampaign({
        name: "Promo",
        description: "DENTAL promo",
        campaign_type: "sms",
        assistant_id: 2,
      });
      const third = await createCampaign({ name: "Survey", campaign_type: "call", assistant_id: 2 });
      await control("POST", `/_emulator/campaigns/${third.id}/transition`, { status: "paused" });
      const names = async (q: string) =>
        (await call("GET", `/api/v1/campaigns/${q}`)).body.campaigns.map((c: Json) => c.name);
      expect(await names("?status=paused")).to.deep.equal(["Survey"]);
      expect(await names("?campaign_type=sms")).to.deep.equal(["Promo"]);
      expect(await names("?assistant_id=2")).to.deep.equal(["Survey", "Promo"]);
      expect(await names("?search=dental")).to.deep.equal(["Promo", "Dental reminders"]);
    });

    it("rejects out-of-range pagination with 422 on the query parameter", async () => {
      for (const q of ["per_page=0", "per_page=1001", "page=0"]) {
        const res = await call("GET", `/api/v1/campaigns/?${q}`);
        expect(res.status, q).to.equal(422);
        expect(res.body.detail[0].loc).to.deep.equal(["query", q.split("=")[0]]);
      }
      const res = await call("GET", "/api/v1/campaigns/?per_page=1001");
      expect(res.body.detail[0]).to.include({ type: "less_than_equal", input: "1001" });
    });
  });

  describe("update", () => {
    it("applies a partial update to a draft and bumps updated_at", async () => {
      const c = await createCampaign({ description: "keep me" });
      const res = await call("PUT", `/api/v1/campaigns/${c.id}`, {
        json: { name: "Renamed", max_attempts: 5, description: null, campaign_type: "sms", assistant_id: 99 },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ message: "Campaign updated successfully" });
      const after = await getCampaign(c.id);
      expect(after).to.include({
        name: "Renamed",
        max_attempts: 5,
        description: "keep me",
        campaign_type: "call",
        assistant_id: 12,
      });
      expect(after.updated_at > c.updated_at).to.equal(true);
    });

    it("does not range-check updates but rejects wrong types", async () => {
      const c = await createCampaign();
      expect(
        (await call("PUT", `/api/v1/campaigns/${c.id}`, { json: { max_attempts: 50 } })).status,
      ).to.equal(200);
      expect((await getCampaign(c.id)).max_attempts).to.equal(50);
      const bad = await call("PUT", `/api/v1/campaigns/${c.id}`, { json: { max_attempts: "many" } });
      expect(bad.status).to.equal(422);
      expect(bad.body.detail[0]).to.include({ type: "int_parsing" });
    });

    it("refuses updates to a running campaign with 400", async () => {
      const id = await runningCampaign();
      const res = await call("PUT", `/api/v1/campaigns/${id}`, { json: { name: "nope" } });
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "Cannot update running or completed campaigns" });
    });
  });

  describe("lifecycle", () => {
    it("refuses to start without contacts", async () => {
      const c = await createCampaign();
      const res = await call("POST", `/api/v1/campaigns/${c.id}/start`);
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "No contacts found" });
    });

    it("starts asynchronously: scheduled first, running after the delay", async () => {
      const id = await campaignWithContacts();
      const res = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        success: true,
        message: "Campaign execution started immediately",
        campaign_id: id,
        status: "scheduled",
      });
      expect(res.body.task_id).to.match(/^[0-9a-f-]{36}$/);
      expect((await getCampaign(id)).status).to.equal("scheduled");
      await waitForStatus(id, "running");
      const c = await getCampaign(id);
      expect(c.started_at).to.match(ISO_Z);
      const again = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Cannot start campaign - invalid status" });
    });

    it("pauses a running campaign and resumes it with start", async () => {
      const id = await runningCampaign();
      const pause = await call("POST", `/api/v1/campaigns/${id}/pause`);
      expect(pause.status).to.equal(200);
      expect(pause.body).to.deep.equal({ message: "Campaign paused successfully" });
      expect((await getCampaign(id)).status).to.equal("paused");
      const again = await call("POST", `/api/v1/campaigns/${id}/pause`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Campaign is not running" });
      expect((await call("POST", `/api/v1/campaigns/${id}/start`)).body.status).to.equal("scheduled");
      await waitForStatus(id, "running");
    });

    it("stops synchronously: cancelled, pending contacts cancelled, completed_at set", async () => {
      const id = await runningCampaign();
      const stop = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(stop.status).to.equal(200);
      expect(stop.body).to.deep.equal({ message: "Campaign stopped successfully" });
      const c = await getCampaign(id);
      expect(c.status).to.equal("cancelled");
      expect(c.completed_at).to.match(ISO_Z);
      expect((await contactsOf(id)).map((k) => k.status)).to.deep.equal(["cancelled", "cancelled"]);
      const again = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(again.status).to.equal(400);
      expect(again.body).to.deep.equal({ detail: "Campaign cannot be stopped (invalid status)" });
    });

    it("drops the pending running hop when the campaign is unscheduled or stopped first", async () => {
      await control("PUT", "/_emulator/config", { startDelayMs: 80 });
      const a = await campaignWithContacts();
      const b = await campaignWithContacts();
      await call("POST", `/api/v1/campaigns/${a}/start`);
      await call("POST", `/api/v1/campaigns/${b}/start`);
      const un = await call("POST", `/api/v1/campaigns/${a}/unschedule`);
      expect(un.status).to.equal(200);
      expect((await call("POST", `/api/v1/campaigns/${b}/stop`)).status).to.equal(200);
      await sleep(160);
      expect((await getCampaign(a)).status).to.equal("draft");
      expect((await getCampaign(b)).status).to.equal("cancelled");
      const notScheduled = await call("POST", `/api/v1/campaigns/${a}/unschedule`);
      expect(notScheduled.status).to.equal(400);
      expect(notScheduled.body).to.deep.equal({ detail: "Campaign is not scheduled" });
    });

    it("refuses to delete a running campaign; after stop, delete works once then 404", async () => {
      const id = await runningCampaign();
      const del = await call("DELETE", `/api/v1/campaigns/${id}`);
      expect(del.status).to.equal(400);
      expect(del.body).to.deep.equal({ detail: "Cannot delete running campaign - stop it first" });
      await call("POST", `/api/v1/campaigns/${id}/stop`);
      const ok = await call("DELETE", `/api/v1/campaigns/${id}`);
      expect(ok.status).to.equal(200);
      expect(ok.body).to.deep.equal({ message: "Campaign deleted successfully" });
      for (const method of ["GET", "DELETE"]) {
        const gone = await call(method, `/api/v1/campaigns/${id}`);
        expect(gone.status).to.equal(404);
        expect(gone.body).to.deep.equal({ detail: "Campaign not found" });
      }
    });

    it("deletes draft, paused and scheduled campaigns", async () => {
      for (const status of ["draft", "paused", "scheduled", "completed"]) {
        const c = await createCampaign();
        await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status });
        expect((await call("DELETE", `/api/v1/campaigns/${c.id}`)).status, status).to.equal(200);
      }
    });

    it("re-executes a completed campaign back to draft", async () => {
      const id = await campaignWithContacts();
      const draft = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "all" },
      });
      expect(draft.status).to.equal(400);
      expect(draft.body).to.deep.equal({ detail: "Campaign status doesn't allow re-execution" });
      await control("POST", `/_emulator/campaigns/${id}/transition`, { status: "completed" });
      const start = await call("POST", `/api/v1/campaigns/${id}/start`);
      expect(start.body).to.deep.equal({ detail: "All contacts have already been processed" });
      const none = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "failed_only" },
      });
      expect(none.status).to.equal(400);
      expect(none.body).to.deep.equal({ detail: "No contacts match the selection criteria" });
      const res = await call("POST", `/api/v1/campaigns/${id}/re-execute`, {
        json: { contact_selection: "all" },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        success: true,
        message: "Campaign ready for re-execution with 2 contacts",
        campaign_id: id,
        contacts_reset: 2,
        schedule_type: "immediate",
        status: "draft",
      });
      const c = await getCampaign(id);
      expect(c).to.include({ status: "draft", completed_contacts: 0, total_contacts: 2 });
      expect((await contactsOf(id)).map((k) => k.status)).to.deep.equal(["pending", "pending"]);
      const missingBody = await call("POST", `/api/v1/campaigns/${id}/re-execute`);
      expect(missingBody.status).to.equal(422);
    });

    it("saves schedules: scheduled sets status scheduled, immediate reverts to draft, past is 400", async () => {
      const c = await createCampaign();
      const initial = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
      expect(initial.body).to.deep.equal({
        schedule_type: "immediate",
        scheduled_at: null,
        recurring_config: null,
      });
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const save = await call("POST", `/api/v1/campaigns/${c.id}/schedule`, {
        json: { schedule_type: "scheduled", scheduled_at: future, timezone: "UTC" },
      });
      expect(save.status).to.equal(200);
      expect(save.body).to.deep.equal({ success: true, message: "Schedule saved" });
      expect((await getCampaign(c.id)).status).to.equal("scheduled");
      const got = await call("GET", `/api/v1/campaigns/${c.id}/schedule`);
      expect(got.body.schedule_type).to.equal("scheduled");
      expect(Date.parse(got.body.scheduled_at)).to.equal(Date.parse(future));
      await call("POST", `/api/v1/campaigns/${c.id}/schedule`, { json: { schedule_type: "immediate" } });
      expect((await getCampaign(c.id)).status).to.equal("draft");
      const past = await call("POST", `/api/v1/campaigns/${c.id}/schedule`, {
        json: { schedule_type: "scheduled", scheduled_at: "2020-01-01T00:00:00Z" },
      });
      expect(past.status).to.equal(400);
      expect(past.body).to.deep.equal({ detail: "Scheduled time is in the past" });
    });

    it("reports progress and executions", async () => {
      const id = await campaignWithContacts();
      const before = await call("GET", `/api/v1/campaigns/${id}/progress`);
      expect(before.body).to.include({ campaign_id: id, status: "draft" });
      expect(before.body.progress).to.include({ total_contacts: 2, pending: 2, completed: 0 });
      await control("POST", `/_emulator/campaigns/${id}/transition`, { status: "completed" });
      const after = await call("GET", `/api/v1/campaigns/${id}/progress`);
      expect(after.body.progress).to.include({ completed: 2, pending: 0, progress_percentage: 100 });
      const ex = await call("GET", `/api/v1/campaigns/${id}/executions`);
      expect(ex.status).to.equal(200);
      expect(ex.body.executions).to.have.length(2);
      expect(ex.body.executions[0].execution_id).to.equal(ex.body.executions[0].id);
      expect(ex.body.pagination.total_items).to.equal(2);
      expect((await getCampaign(id)).completed_contacts).to.equal(2);
    });
  });

  describe("test hooks", () => {
    it("startBeforeNextDelete turns the next DELETE into the running-campaign 400, once", async () => {
      const c = await createCampaign();
      const hook = await control("POST", `/_emulator/campaigns/${c.id}/hooks`, {
        startBeforeNextDelete: true,
      });
      expect(hook.status).to.equal(200);
      const del = await call("DELETE", `/api/v1/campaigns/${c.id}`);
      expect(del.status).to.equal(400);
      expect(del.body).to.deep.equal({ detail: "Cannot delete running campaign - stop it first" });
      expect((await getCampaign(c.id)).status).to.equal("running");
      await call("POST", `/api/v1/campaigns/${c.id}/stop`);
      expect((await call("DELETE", `/api/v1/campaigns/${c.id}`)).status).to.equal(200);
    });

    it("ignoreStop answers 200 to stop without changing the status, until cleared", async () => {
      const id = await runningCampaign();
      await control("POST", `/_emulator/campaigns/${id}/hooks`, { ignoreStop: true });
      const stop = await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect(stop.status).to.equal(200);
      expect(stop.body).to.deep.equal({ message: "Campaign stopped successfully" });
      expect((await getCampaign(id)).status).to.equal("running");
      await control("POST", `/_emulator/campaigns/${id}/hooks`, { ignoreStop: false });
      await call("POST", `/api/v1/campaigns/${id}/stop`);
      expect((await getCampaign(id)).status).to.equal("cancelled");
    });
  });

  describe("contacts import", () => {
    it("accepts a CSV with 202, then processes it asynchronously with E.164 normalisation", async () => {
      const c = await createCampaign();
      const csv =
        "Phone Number,Full Name,Email,Appointment Date,Notes\r\n" +
        '5551234567,"Smith, John",john@example.com,2024-02-15,"He said ""hi"""\r\n' +
        "+44 20 7946 0958,Jane Doe,,2024-02-16,\r\n" +
        "(555) 123-9999,No Email,,,\r\n" +
        "12345,Too Short,,,\r\n" +
        "555-123-4567,Duplicate,,,\r\n";
      const res = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, {
        form: csvForm(csv, "leads.csv"),
      });
      expect(res.status).to.equal(202);
      expect(res.body).to.deep.equal({
        import_id: 1,
        campaign_id: c.id,
        status: "pending",
        message: "Import queued for processing",
      });
      let job: Json;
      await waitFor(async () => {
        job = (await call("GET", `/api/v1/campaigns/${c.id}/imports/1`)).body;
        return job.status === "completed";
      });
      expect(job).to.include({
        id: 1,
        import_id: 1,
        campaign_id: c.id,
        file_name: "leads.csv",
        total_rows: 5,
        imported_count: 3,
        skipped_count: 1,
        invalid_count: 1,
        error: null,
      });
      expect(job.completed_at).to.match(ISO_Z);
      const contacts = await contactsOf(c.id);
      expect(contacts.map((k) => k.phone_number)).to.deep.equal([
        "+15551234567",
        "+442079460958",
        "+15551239999",
      ]);
      expect(contacts[0]).to.include({ status: "pending", attempts: 0, last_attempt_at: null });
      expect(contacts[0].contact_data).to.deep.equal({
        variable_values: {
          name: "Smith, John",
          email: "john@example.com",
          appointment_date: "2024-02-15",
          notes: 'He said "hi"',
        },
        custom_fields: {},
      });
      const after = await getCampaign(c.id);
      expect(after).to.include({
        total_contacts: 3,
        last_import_file_name: "leads.csv",
        last_import_row_count: 5,
      });
      expect(after.last_import_date).to.match(ISO_Z);
    });

    it("applies column_mappings before header auto-detection", async () => {
      const c = await createCampaign();
      await importCsv(c.id, "Tel,Who\n5551230000,Ann\n", { Tel: "phone_number", Who: "name" });
      const [k] = await contactsOf(c.id);
      expect(k.phone_number).to.equal("+15551230000");
      expect(k.contact_data.variable_values).to.deep.equal({ name: "Ann" });
    });

    it("replaces pending contacts on re-import and keeps processed ones", async () => {
      const c = await createCampaign();
      await importCsv(c.id, "phone\n5551110001\n5551110002\n5551110003\n");
      const first = await contactsOf(c.id);
      const done = first[0];
      await control("PATCH", `/_emulator/campaigns/${c.id}/contacts/${done.id}`, { status: "completed" });
      const job = await importCsv(c.id, "phone\n5551110001\n5552220001\n");
      expect(job).to.include({ total_rows: 2, imported_count: 1, skipped_count: 1 });
      const contacts = await contactsOf(c.id);
      expect(contacts.map((k) => [k.phone_number, k.status])).to.deep.equal([
        ["+15551110001", "completed"],
        ["+15552220001", "pending"],
      ]);
      expect((await getCampaign(c.id)).total_contacts).to.equal(2);
      expect((await contactsOf(c.id, "?status=pending")).map((k) => k.phone_number)).to.deep.equal([
        "+15552220001",
      ]);
    });

    it("rejects empty files, files without a phone column, missing files and imports while running", async () => {
      const c = await createCampaign();
      for (const csv of ["", "phone\n", "name,email\nAnn,a@example.com\n"]) {
        const res = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, { form: csvForm(csv) });
        expect(res.status, JSON.stringify(csv)).to.equal(400);
        expect(res.body).to.deep.equal({ detail: "Invalid file format or empty file" });
      }
      const noFile = new FormData();
      noFile.append("column_mappings", "{}");
      const missing = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, { form: noFile });
      expect(missing.status).to.equal(422);
      expect(missing.body.detail[0]).to.include({ type: "missing", msg: "Field required" });
      expect(missing.body.detail[0].loc).to.deep.equal(["body", "file"]);
      const unknown = await call("GET", `/api/v1/campaigns/${c.id}/imports/77`);
      expect(unknown.status).to.equal(404);
      expect(unknown.body).to.deep.equal({ detail: "Import not found" });
      const id = await runningCampaign();
      const running = await call("POST", `/api/v1/campaigns/${id}/import-data`, {
        form: csvForm("phone\n5551234567\n"),
      });
      expect(running.status).to.equal(400);
    });

    it("rejects an invalid contact status filter with 400", async () => {
      const id = await campaignWithContacts();
      const res = await call("GET", `/api/v1/campaigns/${id}/contacts?status=bogus`);
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "Invalid status value" });
      const page = await call("GET", `/api/v1/campaigns/${id}/contacts?per_page=1&page=2`);
      expect(page.body.contacts).to.have.length(1);
      expect(page.body.pagination).to.include({
        total_items: 2,
        total_pages: 2,
        has_prev: true,
        has_next: false,
      });
    });
  });

  describe("template preview", () => {
    it("renders variables with the system defaults", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", {
        json: {
          template: "Hi {{ name }}, {{assistant_name}} from {{company}} on {{ day | upper }}",
          variables: { day: "mon" },
        },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        success: true,
        rendered_template: "Hi there, your assistant from our company on MON",
      });
      const named = await call("POST", "/api/v1/campaigns/template-preview", {
        json: { template: "Hi {{name}}", variables: { name: "John" } },
      });
      expect(named.body.rendered_template).to.equal("Hi John");
    });

    it("reports a syntax error with 200 and success false", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", {
        json: { template: "Hi {{ name", variables: {} },
      });
      expect(res.status).to.equal(200);
      expect(res.body.success).to.equal(false);
      expect(res.body.rendered_template).to.match(/^\[Template Error: .+\] Hi \{\{ name$/);
    });

    it("requires both template and variables", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", { json: { template: "x" } });
      expect(res.status).to.equal(422);
      expect(res.body.detail.map((d: Json) => d.loc)).to.deep.equal([["body", "variables"]]);
    });
  });

  describe("control API", () => {
    it("lists every organisation's campaigns with their contacts", async () => {
      await campaignWithContacts();
      await createCampaign({ name: "Theirs" }, ORG2_KEY);
      const res = await control("GET", "/_emulator/campaigns");
      expect(res.status).to.equal(200);
      expect(res.body.campaigns.map((c: Json) => [c.name, c.organization, c.contacts.length])).to.deep.equal([
        ["Spring outreach", "org-1", 2],
        ["Theirs", "org-2", 0],
      ]);
      const one = await control("GET", "/_emulator/campaigns/1");
      expect(one.body).to.include({ id: 1, organization: "org-1", assistant_name: "Assistant 12" });
      expect((await control("GET", "/_emulator/campaigns/99")).status).to.equal(404);
    });

    it("edits a campaign outside Pulumi in any status and bumps updated_at", async () => {
      const id = await runningCampaign();
      const before = await getCampaign(id);
      const res = await control("PATCH", `/_emulator/campaigns/${id}`, {
        name: "Edited in the dashboard",
        max_attempts: 7,
        fallback_values: { company: "ACME" },
        campaign_type: "sms",
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ name: "Edited in the dashboard", status: "running" });
      const after = await getCampaign(id);
      expect(after).to.include({ name: "Edited in the dashboard", max_attempts: 7, campaign_type: "sms" });
      expect(after.fallback_values).to.deep.equal({ company: "ACME" });
      expect(after.updated_at > before.updated_at).to.equal(true);
      const bad = await control("PATCH", `/_emulator/campaigns/${id}`, { status: "draft" });
      expect(bad.status).to.equal(400);
    });

    it("deletes a campaign outside Pulumi in any status", async () => {
      const id = await runningCampaign();
      expect((await control("DELETE", `/_emulator/campaigns/${id}`)).status).to.equal(200);
      expect((await call("GET", `/api/v1/campaigns/${id}`)).status).to.equal(404);
    });

    it("forces transitions and validates the target status", async () => {
      const c = await createCampaign();
      const res = await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "running" });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal("running");
      expect(res.body.started_at).to.match(ISO_Z);
      const failed = await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "failed" });
      expect(failed.body.status).to.equal("failed");
      expect(
        (await control("POST", `/_emulator/campaigns/${c.id}/transition`, { status: "done" })).status,
      ).to.equal(400);
    });

    it("logs API requests in order with method, path and status", async () => {
      await control("DELETE", "/_emulator/requests");
      const c = await createCampaign();
      await call("GET", `/api/v1/campaigns/${c.id}`);
      await call("GET", "/api/v1/campaigns/999");
      await call("GET", "/api/v1/campaigns", { key: null });
      const log = await control("GET", "/_emulator/requests");
      expect(log.body.requests.map((r: Json) => [r.method, r.path, r.status])).to.deep.equal([
        ["POST", "/api/v1/campaigns/", 200],
        ["GET", `/api/v1/campaigns/${c.id}`, 200],
        ["GET", "/api/v1/campaigns/999", 404],
        ["GET", "/api/v1/campaigns", 307],
      ]);
    });

    it("injects 500s with a fault profile and recovers when it is cleared", async () => {
      await control("PUT", "/_emulator/faults", { rate500: 1 });
      const res = await call("GET", "/api/v1/campaigns/");
      expect(res.status).to.equal(500);
      expect(res.body).to.deep.equal({ detail: "Internal Server Error" });
      await control("DELETE", "/_emulator/faults");
      expect((await call("GET", "/api/v1/campaigns/")).status).to.equal(200);
    });

    it("returns and updates the timing config", async () => {
      const res = await control("PUT", "/_emulator/config", { startDelayMs: 5, crossOrgStatus: 403 });
      expect(res.body).to.deep.equal({ startDelayMs: 5, importDelayMs: 10, crossOrgStatus: 403 });
      expect((await control("PUT", "/_emulator/config", { crossOrgStatus: 500 })).status).to.equal(400);
    });

    it("reset deletes all data and restarts ids", async () => {
      await createCampaign();
      await control("POST", "/_emulator/reset");
      expect((await call("GET", "/api/v1/campaigns/")).body.campaigns).to.deep.equal([]);
      expect((await createCampaign()).id).to.equal(1);
    });
  });
});
