/**
 * Burki's state machines against a scripted client: each case lists every call the machine must
 * make, in order, with Burki's answer; an unexpected call fails the case. No server, no sleeps
 * beyond the waits' short backoff (10 ms × 1.5ⁿ) and the tiny stop timeouts used here.
 */
import { expect } from "chai";
import type { BurkiCampaign, BurkiSchedule } from "../../provider/burki/api";
import { StopTimeoutError } from "../../provider/burki/errors";
import {
  type DeleteClient,
  type EditClient,
  converge,
  prepareForEdit,
  restoreAfterEdit,
  stopThenDelete,
} from "../../provider/burki/run-state";
import { CampaignGoneError, CampaignsError, EndpointError } from "../../provider/core/errors";
import { UnexpectedStateError } from "../../provider/core/waiter";
import {
  START_HOP_PACE,
  importPace,
  resetPaces,
  waitImportDone,
  waitStartedOrScheduled,
} from "../../provider/burki/wait";
import { type Step, apiError, lost, notFoundError, runCases } from "./scripted-client";

const ID = 42;
const LABEL = `Burki campaign ${ID} ("renewals")`;

function campaign(status: string): BurkiCampaign {
  return {
    id: ID,
    name: "renewals",
    campaign_type: "call",
    status,
    assistant_id: 7,
    max_attempts: 3,
    retry_delay_minutes: 30,
  };
}

const get = (status: string | undefined, repeats = false): Step => ({
  call: "getCampaign",
  args: [ID],
  returns: status === undefined ? undefined : campaign(status),
  repeats,
});
const act = (action: string, throws?: unknown): Step => ({ call: "action", args: [ID, action], throws });
const del = (outcome: "deleted" | "gone" | Error): Step =>
  outcome instanceof Error
    ? { call: "deleteCampaign", args: [ID], throws: outcome }
    : { call: "deleteCampaign", args: [ID], returns: outcome };
const refused = (message: string) => apiError("burki", 400, message);
const RUNNING_REFUSAL = refused("Cannot delete running campaign - stop it first");
const notFound = () => notFoundError("burki", "Campaign not found");

const opts = (stopTimeoutMs = 5_000) => ({ label: LABEL, stopTimeoutMs });

describe("burki state machines (scripted client)", () => {
  // Each case starts with no measured pace: what one case learned must not shape the next.
  beforeEach(() => resetPaces());

  describe("stopThenDelete", () => {
    runCases<DeleteClient>([
      {
        name: "a draft is deleted at once: GET → DELETE",
        script: [get("draft"), del("deleted")],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "a running campaign is stopped first: GET → stop → GET → DELETE",
        script: [get("running"), act("stop"), get("cancelled"), del("deleted")],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "a scheduled campaign is stopped first too",
        script: [get("scheduled"), act("stop"), get("scheduled"), get("draft"), del("deleted")],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "already gone at the first GET",
        script: [get(undefined)],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "already-gone",
      },
      {
        name: "404 mid-way: the stop finds it deleted",
        script: [get("running"), act("stop", notFound())],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "already-gone",
      },
      {
        name: "a route 404 on the stop (a wrong base URL) is not taken for gone: the error surfaces, nothing is deleted",
        script: [
          get("running"),
          act(
            "stop",
            new EndpointError(
              "there is no Burki API at …",
              "burki",
              404,
              "POST",
              "/scripted",
              "http://x/api/v1",
            ),
          ),
        ],
        run: (c) => stopThenDelete(c, ID, opts()),
        throws: { type: EndpointError, message: /there is no Burki API/ },
      },
      {
        name: "404 mid-way: deleted while we waited for it to stop",
        script: [get("running"), act("stop"), get(undefined)],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "already-gone",
      },
      {
        name: "404 mid-way: the DELETE finds it gone",
        script: [get("draft"), del("gone")],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "already-gone",
      },
      {
        name: "start/stop race: it turns running between the GET and the DELETE, so it is stopped again",
        script: [
          get("draft"),
          del(RUNNING_REFUSAL),
          get("running"),
          act("stop"),
          get("cancelled"),
          del("deleted"),
        ],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "a lost stop is sent again while the campaign still runs",
        script: [
          get("running"),
          act("stop", lost("burki")),
          get("running"),
          act("stop"),
          get("cancelled"),
          del("deleted"),
        ],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "a confirmed stop is not sent again while the campaign winds down",
        script: [
          get("running"),
          act("stop"),
          get("running"),
          get("running"),
          get("cancelled"),
          del("deleted"),
        ],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "the campaign finishes meanwhile: stop refused (400), the wait reads the truth",
        script: [
          get("running"),
          act("stop", refused("Campaign is not running")),
          get("completed"),
          del("deleted"),
        ],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "deleted",
      },
      {
        name: "a lost DELETE: the next GET tells it is gone",
        script: [get("draft"), del(lost("burki")), get(undefined)],
        run: (c) => stopThenDelete(c, ID, opts()),
        returns: "already-gone",
      },
      {
        name: "a stop that never takes ends in StopTimeoutError naming the campaign; nothing is deleted",
        script: [get("running"), act("stop"), get("running", true)],
        run: (c) => stopThenDelete(c, ID, opts(30)),
        throws: {
          type: StopTimeoutError,
          message:
            /^Burki campaign 42 \("renewals"\) is still running: it was asked to stop but did not stop within 0s, so it was NOT deleted/,
        },
      },
      {
        name: "a campaign that keeps restarting: 5 refused DELETEs, then StopTimeoutError",
        script: Array.from({ length: 5 }, () => [get("draft"), del(RUNNING_REFUSAL)]).flat(),
        run: (c) => stopThenDelete(c, ID, opts()),
        throws: {
          type: StopTimeoutError,
          message: /kept turning running again .*\(5 attempts\); it was NOT deleted/,
        },
      },
      {
        name: "a campaign that restarts once the stop deadline has passed is not chased further",
        script: [get("draft"), del(RUNNING_REFUSAL)],
        run: (c) => stopThenDelete(c, ID, opts(0)),
        throws: { type: StopTimeoutError, message: /kept turning running again/ },
      },
      {
        name: "an undocumented status after a stop fails the wait rather than deleting",
        script: [get("running"), act("stop"), get("archived")],
        run: (c) => stopThenDelete(c, ID, opts()),
        throws: {
          type: UnexpectedStateError,
          message: /Unexpected state "archived" while waiting for Burki campaign 42/,
        },
      },
      {
        name: "an error that is not Burki's answer to a race is not swallowed",
        script: [get("draft"), del(apiError("burki", 403, "forbidden"))],
        run: (c) => stopThenDelete(c, ID, opts()),
        throws: { type: CampaignsError, message: /HTTP 403/ },
      },
    ]);
  });

  describe("converge", () => {
    const known = (status: string, current = true) => ({ campaign: campaign(status), current });
    runCases<EditClient>([
      {
        name: "draft → running: start, then the start hop reads running",
        script: [act("start"), get("running")],
        run: (c) => converge(c, ID, "running", LABEL, known("draft")),
        returns: "running",
      },
      {
        name: "already satisfied and current: no call at all",
        script: [],
        run: (c) => converge(c, ID, "running", LABEL, known("running")),
        returns: "running",
      },
      {
        name: "satisfied but not current: read once more for fresh counters",
        script: [get("paused")],
        run: (c) => converge(c, ID, "paused", LABEL, known("paused", false)),
        returns: "paused",
      },
      {
        name: "the campaign finishes meanwhile: start refused, a fresh GET says completed, not restarted",
        script: [act("start", refused("Campaign has no pending contacts")), get("completed")],
        run: (c) => converge(c, ID, "running", LABEL, known("paused")),
        returns: "completed",
      },
      {
        name: "a lost pause is decided again from a fresh GET (already paused: nothing more)",
        script: [get("running"), act("pause", lost("burki")), get("paused")],
        run: (c) => converge(c, ID, "paused", LABEL),
        returns: "paused",
      },
      {
        name: "a lost pause that did not arrive is sent again",
        script: [get("running"), act("pause", lost("burki")), get("running"), act("pause"), get("paused")],
        run: (c) => converge(c, ID, "paused", LABEL),
        returns: "paused",
      },
      {
        name: "scheduled → draft: unschedule",
        script: [get("scheduled"), act("unschedule"), get("draft")],
        run: (c) => converge(c, ID, "draft", LABEL),
        returns: "draft",
      },
      {
        name: "404 mid-way: CampaignGoneError",
        script: [get("running"), act("pause"), get(undefined)],
        run: (c) => converge(c, ID, "paused", LABEL),
        throws: {
          type: CampaignGoneError,
          message: /Burki campaign 42 \("renewals"\) no longer exists in Burki/,
        },
      },
      {
        name: "a start that is always refused: 6 rounds, then an error naming the state",
        script: [
          ...Array.from({ length: 6 }, () => [
            get("draft"),
            act("start", refused("Assistant not configured")),
          ]).flat(),
          get("draft"),
        ],
        run: (c) => converge(c, ID, "running", LABEL),
        throws: {
          type: CampaignsError,
          message: /is "draft" and could not be brought to the desired state "running" after 6 attempts/,
        },
      },
      {
        name: "an error other than a refusal or a lost answer is not swallowed",
        script: [get("draft"), act("start", apiError("burki", 422, "invalid"))],
        run: (c) => converge(c, ID, "running", LABEL),
        throws: { type: CampaignsError, message: /HTTP 422/ },
      },
    ]);
  });

  describe("prepareForEdit / restoreAfterEdit", () => {
    const future: BurkiSchedule = {
      schedule_type: "scheduled",
      scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      timezone: "UTC",
    };
    const past: BurkiSchedule = { ...future, scheduled_at: new Date(Date.now() - 60_000).toISOString() };
    runCases<EditClient>([
      {
        name: "running → pause; restore by starting",
        script: [get("running"), act("pause"), get("paused")],
        run: async (c) => {
          const p = await prepareForEdit(c, campaign("running"), LABEL);
          return { status: p.live.status, restore: p.restore };
        },
        returns: { status: "paused", restore: { kind: "start" } },
      },
      {
        name: "a draft needs nothing",
        script: [],
        run: async (c) => (await prepareForEdit(c, campaign("draft"), LABEL)).restore,
        returns: { kind: "none" },
      },
      {
        name: "a future schedule is unscheduled and restored as it was",
        script: [
          { call: "getSchedule", args: [ID], returns: future },
          get("scheduled"),
          act("unschedule"),
          get("draft"),
          { call: "saveSchedule", args: [ID, future] },
          get("scheduled"),
        ],
        run: async (c) => {
          const p = await prepareForEdit(c, campaign("scheduled"), LABEL);
          expect(p.restore).to.deep.equal({ kind: "schedule", schedule: future });
          return restoreAfterEdit(c, ID, p.restore, undefined, LABEL);
        },
        returns: "scheduled",
      },
      {
        name: "a schedule whose time has passed is restored by starting",
        script: [act("start"), get("running")],
        run: (c) =>
          restoreAfterEdit(c, ID, { kind: "schedule", schedule: past }, undefined, LABEL, {
            campaign: campaign("draft"),
            current: false,
          }),
        returns: "running",
      },
      {
        name: "the start hop: scheduled right after a start waits for running, then pauses",
        script: [
          { call: "getSchedule", args: [ID], returns: { schedule_type: "immediate" } },
          get("running"),
          get("running"),
          act("pause"),
          get("paused"),
        ],
        run: async (c) => (await prepareForEdit(c, campaign("scheduled"), LABEL)).restore,
        returns: { kind: "start" },
      },
      {
        name: "a finished campaign cannot be edited: the error says to replace it",
        script: [],
        run: (c) => prepareForEdit(c, campaign("completed"), LABEL),
        throws: {
          type: CampaignsError,
          message: /is completed; Burki does not allow editing .*\(`pulumi up --replace <urn>`\)/,
        },
      },
      {
        name: "after the edit, no declared state: resume what was running",
        script: [act("start"), get("running")],
        run: (c) =>
          restoreAfterEdit(c, ID, { kind: "start" }, undefined, LABEL, {
            campaign: campaign("paused"),
            current: false,
          }),
        returns: "running",
      },
      {
        name: "after the edit, the declared state wins over resuming",
        script: [get("paused")],
        run: (c) =>
          restoreAfterEdit(c, ID, { kind: "start" }, "paused", LABEL, {
            campaign: campaign("paused"),
            current: false,
          }),
        returns: "paused",
      },
      {
        name: "404 after the edit: CampaignGoneError",
        script: [get(undefined)],
        run: (c) => restoreAfterEdit(c, ID, { kind: "none" }, "paused", LABEL),
        throws: { type: CampaignGoneError },
      },
    ]);
  });
  describe("the waits for Burki's hops: at its pace, no fixed first delay", () => {
    const status = (st: string): Step => ({
      call: "getImport",
      args: [ID, 9],
      returns: { id: 9, status: st },
    });
    type ImportClient = Parameters<typeof waitImportDone>[0];
    runCases<ImportClient>([
      {
        name: "an import already done at the first status read: one read",
        script: [status("completed")],
        run: (c) => waitImportDone(c, ID, 9, LABEL, 2),
      },
      {
        name: "an import pending, then processing, then completed: read until done",
        script: [status("pending"), status("processing"), status("completed")],
        run: (c) => waitImportDone(c, ID, 9, LABEL, 2),
      },
      {
        name: "an import Burki reports failed: the error names the campaign",
        script: [status("pending"), { call: "getImport", returns: { status: "failed", error: "bad row 3" } }],
        run: (c) => waitImportDone(c, ID, 9, LABEL, 2),
        throws: { type: Error, message: /could not import the contacts of Burki campaign 42 .*bad row 3/ },
      },
    ]);
    runCases<EditClient>([
      {
        name: "start answering running at once: one read, at once (no wait for a hop)",
        script: [{ call: "action", args: [ID, "start"], returns: "running" }, get("running")],
        run: async (c) => {
          START_HOP_PACE.settle({ role: "scout" }, { firstMs: 0, overMs: 500 }); // a slow hop measured earlier does not delay this read
          const t0 = Date.now();
          const live = await converge(c, ID, "running", LABEL, {
            campaign: campaign("draft"),
            current: true,
          });
          expect(Date.now() - t0).to.be.lessThan(100);
          return live;
        },
        returns: "running",
      },
      {
        name: "start answering scheduled: read until it has left scheduled",
        script: [get("scheduled"), get("scheduled"), get("running")],
        run: (c) => waitStartedOrScheduled(c, ID, LABEL, "scheduled"),
        returns: "running",
      },
    ]);

    it("the first read goes when the measured hop is over, and the measure closes in on the hop", async () => {
      resetPaces();
      // A hop of 60 ms from each wait's start; reads take 5 ms.
      const HOP = 60;
      let reads = 0;
      const hopClient = (began: number): EditClient =>
        ({
          getCampaign: async () => {
            reads++;
            await new Promise((r) => setTimeout(r, 5));
            return campaign(Date.now() - began >= HOP ? "running" : "scheduled");
          },
        }) as unknown as EditClient;
      // Before any measure: the first read goes at once, then the short backoff.
      await waitStartedOrScheduled(hopClient(Date.now()), ID, LABEL, "scheduled");
      // At least the immediate read and one after a backoff. How many backoff reads fit in the hop
      // depends on how late the machine runs timers (2 instead of 3+ once, at load 20), so the
      // backoff's shortness is judged by the measure it leaves, just below.
      expect(reads).to.be.at.least(2);
      const first = START_HOP_PACE.expectedMs!;
      expect(first).to.be.within(HOP - 5, HOP + 60);
      // The next waits read once each at the measure, except a few probes of the bracket.
      reads = 0;
      for (let i = 0; i < 12; i++) {
        const t0 = Date.now();
        await waitStartedOrScheduled(hopClient(t0), ID, LABEL, "scheduled");
      }
      expect(reads).to.be.within(12, 12 + 4);
      const last = START_HOP_PACE.expectedMs!;
      expect(last).to.be.at.most(first);
      expect(last).to.be.within(HOP - 6, HOP + 15);
      // A measured wait's single read goes no earlier than the measure.
      reads = 0;
      const t0 = Date.now();
      await waitStartedOrScheduled(hopClient(t0), ID, LABEL, "scheduled");
      expect(reads).to.equal(1);
      expect(Date.now() - t0).to.be.at.least(HOP - 6);
    });

    it("waits that begin while the first one measures hold their first read for its measure", async () => {
      resetPaces();
      const pace = importPace(2);
      let scoutReads = 0;
      let followerReads = 0;
      // The import is done 40 ms after the waits begin.
      const doneAt = Date.now() + 40;
      const read = (count: () => void) => ({
        getImport: async () => {
          count();
          return { status: Date.now() >= doneAt ? "completed" : "pending" };
        },
      });
      await Promise.all([
        waitImportDone(
          read(() => scoutReads++),
          ID,
          9,
          LABEL,
          2,
        ),
        ...Array.from({ length: 5 }, () =>
          waitImportDone(
            read(() => followerReads++),
            ID,
            9,
            LABEL,
            2,
          ),
        ),
      ]);
      expect(scoutReads).to.be.greaterThan(1);
      expect(followerReads).to.equal(5); // one read each
      expect(pace.expectedMs).to.be.within(35, 120);
      // Imports of another size keep their own pace.
      expect(importPace(100_000).expectedMs).to.equal(undefined);
    });
  });
});
