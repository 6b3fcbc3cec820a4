/**
 * Shared setup of the Woodpecker emulator contract tests (test/emulator/woodpecker/*.test.ts): one
 * emulator per test file with two accounts, reset before each test, and the HTTP helpers and
 * assertions the tests use (the rate-limit file starts its own emulator and uses `http`).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";

export const KEY = WOODPECKER_EMULATOR_API_KEY;
export const OTHER_KEY = "wpk_other_account_key";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const HEX64 = /^[0-9a-f]{64}$/;
export const PROBLEM_TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

export interface Res {
  status: number;
  text: string;
  json: any;
  headers: Headers;
}

export interface CallOpts {
  key?: string | null;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export async function http(origin: string, method: string, path: string, opts: CallOpts = {}): Promise<Res> {
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

export function emailStep(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "EMAIL",
    delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
    body: { versions: [{ subject: "Follow-up", message: "<p>bump</p>" }] },
    ...extra,
  };
}

/** A START node followed by `steps` (given in order), nested as followups. */
export function chain(steps: Record<string, unknown>[]): Record<string, unknown> {
  let next: Record<string, unknown> | null = null;
  for (let i = steps.length - 1; i >= 0; i--) next = { ...steps[i], followup: next };
  return { type: "START", followup: next };
}

export function createBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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
export function stepsOf(campaign: any): any[] {
  const out: any[] = [];
  for (let s = campaign.steps.followup; s; s = s.followup) out.push(s);
  return out;
}

export function expectProblem(r: Res, status: number, title: string, detail?: string): void {
  expect(r.status).to.equal(status);
  expect(r.json).to.have.keys(["title", "status", "detail", "timestamp"]);
  expect(r.json.title).to.equal(title);
  expect(r.json.status).to.equal(status);
  if (detail !== undefined) expect(r.json.detail).to.equal(detail);
  expect(r.json.timestamp).to.match(PROBLEM_TS);
}

export function expectBusiness(r: Res, status: number, code: string, message?: string): void {
  expect(r.status, r.text).to.equal(status);
  expect(r.json).to.have.keys(["code", "message", "details"]);
  expect(r.json.code).to.equal(code);
  if (message !== undefined) expect(r.json.message).to.equal(message);
}

export function expectEmpty(r: Res, status = 200): void {
  expect(r.status, r.text).to.equal(status);
  expect(r.text).to.equal("");
  expect(r.headers.get("content-type")).to.equal(null);
}

let emu: WoodpeckerEmulator;
let origin: string;

/** Calls on the emulator of the current test file (see useWoodpeckerEmulator). */
export const api = (method: string, path: string, opts?: CallOpts) => http(origin, method, path, opts);
export const v2 = (method: string, path: string, opts?: CallOpts) => api(method, `/rest/v2${path}`, opts);
export const control = (method: string, path: string, body?: unknown) =>
  http(origin, method, `/_emulator${path}`, { key: null, body });

export async function create(overrides: Record<string, unknown> = {}, key = KEY): Promise<any> {
  const r = await v2("POST", "/campaigns", { body: createBody(overrides), key });
  expect(r.status, r.text).to.equal(200);
  return r.json;
}

export async function setStatus(id: number, status: string): Promise<void> {
  const r = await control("POST", `/campaigns/${id}/transition`, { status });
  expect(r.status, r.text).to.equal(200);
}

/** Start the emulator before the file's tests, stop it after, and reset it before each test. */
export function useWoodpeckerEmulator(): void {
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
}
