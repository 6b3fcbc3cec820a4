/**
 * The Woodpecker emulator as the prospect and blacklist contract tests use it, over HTTP only: one
 * emulator with two accounts (KEY → acct-1, OTHER_KEY → acct-2), reset before each test, and the
 * calls those tests make (any route, a one-step campaign, add_prospects_campaign). Registers its
 * hooks in the calling `describe`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";

export const KEY = WOODPECKER_EMULATOR_API_KEY;
export const OTHER_KEY = "wpk_other_account_key";

export interface AccountClient {
  /** The running emulator (in-process control for the tests that need it). */
  emu(): WoodpeckerEmulator;
  /** Send the calls to another emulator (a test's own), or back to this one with undefined. */
  useOrigin(origin: string | undefined): void;
  api(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; text: string; json: any; headers: Headers }>;
  /** A one-step campaign of the given account; its id. */
  campaign(key?: string): Promise<number>;
  add(
    campaignId: number,
    prospects: unknown[],
    extra?: Record<string, unknown>,
    key?: string,
  ): ReturnType<AccountClient["api"]>;
}

export function accountClient(): AccountClient {
  let emu: WoodpeckerEmulator;
  let origin: string;
  let override: string | undefined;

  async function api(method: string, path: string, body?: unknown, key = KEY) {
    const r = await fetch(`${override ?? origin}/rest${path}`, {
      method,
      headers: { "x-api-key": key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, text, json: text ? (JSON.parse(text) as any) : undefined, headers: r.headers };
  }

  async function campaign(key = KEY): Promise<number> {
    const r = await api(
      "POST",
      "/v2/campaigns",
      {
        name: "prospects",
        email_account_ids: [1],
        settings: { timezone: "Europe/Warsaw", daily_enroll: 50 },
        steps: {
          type: "START",
          followup: {
            type: "EMAIL",
            delivery_time: { MONDAY: [{ from: "08:00", to: "17:00" }] },
            body: { versions: [{ subject: "Hi", message: "<p>Hi</p>" }] },
            followup: null,
          },
        },
      },
      key,
    );
    expect(r.status, r.text).to.equal(200);
    return r.json.id as number;
  }

  const add = (campaignId: number, prospects: unknown[], extra: Record<string, unknown> = {}, key = KEY) =>
    api(
      "POST",
      "/v1/add_prospects_campaign",
      { campaign: { campaign_id: campaignId }, prospects, ...extra },
      key,
    );

  before(async () => {
    emu = new WoodpeckerEmulator({ accounts: { [KEY]: "acct-1", [OTHER_KEY]: "acct-2" } });
    await emu.start();
    origin = emu.origin;
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());

  return { emu: () => emu, useOrigin: (o) => (override = o), api, campaign, add };
}
