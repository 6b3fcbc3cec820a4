/**
 * The two resources under test: what a campaign of the benchmark looks like, and the fewest API
 * calls the vendor's API allows for its create and its delete (what "calls per campaign" is
 * compared with).
 */
import type { Props } from "../../test/helpers/provider-host";

export type PlatformKey = "burki" | "woodpecker";

export interface PlatformSpec {
  key: PlatformKey;
  title: string;
  /** The resource's type token (DESIGN.md's public contract). */
  type: string;
  /** The module whose exports object is the provider `pulumi.dynamic.Resource` serializes. */
  providerModule: string;
  /** The inputs of campaign `i` (without `__provider`). */
  inputs(i: number): Props;
  /** Fewest API calls per campaign the API allows, with the reason. */
  minimum: { up: number; destroy: number; upWhy: string; destroyWhy: string };
  /** A target on calls per campaign, where one is set (undefined: reported against the minimum only). */
  target: { up?: number; destroy?: number };
  /** Does the platform process one request at a time per account (the throughput limit applies)? */
  oneAtATime: boolean;
}

const phone = (i: number, k: number) => `+1555${String(i * 2 + k).padStart(7, "0")}`;

export const BURKI: PlatformSpec = {
  key: "burki",
  title: "Burki",
  type: "pulumi-nodejs:dynamic/burki:Campaign",
  providerModule: "pulumi-campaigns/dynamic/burki-campaign",
  inputs: (i) => ({
    name: `bench-${i}`,
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme",
    contacts: [
      { phoneNumber: phone(i, 0), name: "Ann", variables: { plan: "gold" } },
      { phoneNumber: phone(i, 1), name: "Bob" },
    ],
    state: "running",
  }),
  minimum: {
    // Create with contacts and `state: "running"`:
    //  1. POST /campaigns/           — answers the whole campaign (id, status "draft"): no GET needed;
    //  2. POST /campaigns/:id/import-data — answers 202 + import_id: the import is asynchronous;
    //  3. GET  /campaigns/:id/imports/:importId — at least one poll: `start` refuses a campaign whose
    //     contacts are not imported yet ("No contacts found"), so the import must be seen completed;
    //  4. POST /campaigns/:id/start  — answers {status: "scheduled"}, which already satisfies
    //     `state: "running"` (the scheduled → running hop is Burki's worker's business).
    // So 4; more polls are needed only while the import is still pending when first asked.
    up: 4,
    upWhy:
      "POST create (answers the campaign) + POST import-data (202, asynchronous) + ≥1 GET of the import " +
      "(start refuses a campaign without imported contacts) + POST start (answers status scheduled, " +
      "which satisfies state running)",
    // Delete of a running campaign: POST stop + DELETE. The state already says it is running, so no
    // read is needed first; stop cancels it (Burki answers 400 to a DELETE while it runs).
    destroy: 2,
    destroyWhy:
      "POST stop + DELETE (the state already says running; DELETE of a running campaign is refused)",
  },
  // The common case of stop-then-delete is GET → stop → GET → DELETE (DESIGN.md; provider/burki/run-state.ts stopThenDelete).
  target: { destroy: 4 },
  oneAtATime: false,
};

export const WOODPECKER: PlatformSpec = {
  key: "woodpecker",
  title: "Woodpecker",
  type: "pulumi-nodejs:dynamic/woodpecker:Campaign",
  providerModule: "pulumi-campaigns/dynamic/woodpecker-campaign",
  inputs: (i) => ({
    name: `bench-${i}`,
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: [
      { versions: [{ subject: "Quick question", message: "<p>Hi {{FIRST_NAME}}</p>" }] },
      { delay: { value: 3, unit: "day" }, versions: [{ message: "<p>Following up</p>" }] },
    ],
  }),
  minimum: {
    // POST /v2/campaigns creates the campaign with its whole step chain and answers it in full
    // (ids, status DRAFT); no state is declared, so nothing else is needed.
    up: 1,
    upWhy: "POST create (the whole step chain in one body; answers the campaign)",
    // DELETE /v2/campaigns/:id (200, empty body).
    destroy: 1,
    destroyWhy: "DELETE",
  },
  target: { up: 1, destroy: 1 },
  oneAtATime: true,
};

export const PLATFORMS: readonly PlatformSpec[] = [BURKI, WOODPECKER];
