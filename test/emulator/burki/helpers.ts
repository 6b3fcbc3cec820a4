/**
 * Shared setup of the Burki emulator contract tests (test/emulator/burki/*.test.ts): one emulator
 * per test file (fast timers, a second organisation, a plain `apiKeys` key), reset before each test,
 * and the HTTP helpers the tests call it through.
 */
import { expect } from "chai";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../../provider/emulators/burki";

export { BURKI_EMULATOR_API_KEY };

/** Second organisation's key (cross-org checks). */
export const ORG2_KEY = "burki_org2org2org2org2org2org2org2org2";
/** A key given only through `apiKeys`: it maps to org-1. */
export const PLAIN_KEY = "burki_plainplainplainplainplainplain00";

// Response bodies are arbitrary JSON; the assertions below pin their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: Json;
}

export interface CallOptions {
  json?: unknown;
  raw?: string;
  form?: FormData;
  key?: string | null;
  headers?: Record<string, string>;
}

let emu: BurkiEmulator;
let base: string;

/** The base URL of the running emulator (its origin). */
export const baseUrl = (): string => base;

export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Res> {
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

export const control = (method: string, path: string, json?: unknown) =>
  call(method, path, { json, key: null });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll until `check` holds (bounded). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(10);
  }
}

export async function createCampaign(overrides: Record<string, unknown> = {}, key?: string): Promise<Json> {
  const res = await call("POST", "/api/v1/campaigns/", {
    json: { name: "Spring outreach", campaign_type: "call", assistant_id: 12, ...overrides },
    key,
  });
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

export async function getCampaign(id: number): Promise<Json> {
  const res = await call("GET", `/api/v1/campaigns/${id}`);
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

export function csvForm(
  csv: string,
  fileName = "contacts.csv",
  columnMappings?: Record<string, string>,
): FormData {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), fileName);
  if (columnMappings) form.append("column_mappings", JSON.stringify(columnMappings));
  return form;
}

/** Upload a CSV and wait until the import has been processed; returns the import record. */
export async function importCsv(
  id: number,
  csv: string,
  columnMappings?: Record<string, string>,
): Promise<Json> {
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

export async function contactsOf(id: number, query = ""): Promise<Json[]> {
  const res = await call("GET", `/api/v1/campaigns/${id}/contacts${query}`);
  expect(res.status, res.text).to.equal(200);
  return res.body.contacts;
}

export async function waitForStatus(id: number, status: string): Promise<void> {
  await waitFor(async () => (await getCampaign(id)).status === status);
}

/** A draft campaign with two pending contacts. */
export async function campaignWithContacts(): Promise<number> {
  const c = await createCampaign();
  await importCsv(c.id, "phone,name\n5551230001,Ann\n5551230002,Bob\n");
  return c.id;
}

export async function runningCampaign(): Promise<number> {
  const id = await campaignWithContacts();
  expect((await call("POST", `/api/v1/campaigns/${id}/start`)).status).to.equal(200);
  await waitForStatus(id, "running");
  return id;
}

export const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Start the emulator before the file's tests, stop it after, and reset it before each test. */
export function useBurkiEmulator(): void {
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
}
