/**
 * Woodpecker's state machines against a scripted client: each case lists every call the machine
 * must make, in order, with Woodpecker's answer; an unexpected call fails the case. No server.
 */
import { expect } from "chai";
import { CampaignGoneError, CampaignsError } from "../../provider/core/errors";
import type { ApiCampaign } from "../../provider/woodpecker/api";
import {
  type RunStateClient,
  converge,
  prepareForEdit,
  restoreAfterEdit,
  stateAfterEdit,
} from "../../provider/woodpecker/run-state";
import { type Step, apiError, lost, runCases, scriptedClient } from "./scripted-client";

const ID = 7;
const LABEL = `Woodpecker campaign ${ID} ("q4-outreach")`;

function campaign(status: string): ApiCampaign {
  return {
    id: ID,
    name: "q4-outreach",
    status,
    email_account_ids: [1],
    settings: { timezone: "Europe/Warsaw" },
    steps: { type: "START", followup: null },
  };
}

const get = (status: string | undefined): Step => ({
  call: "getCampaign",
  args: [ID],
  returns: status === undefined ? undefined : campaign(status),
});
const act = (action: string, throws?: unknown): Step => ({ call: "action", args: [ID, action], throws });

describe("woodpecker state machines (scripted client)", () => {
  describe("converge", () => {
    runCases<RunStateClient>([
      {
        name: "DRAFT → running: run, then read",
        script: [act("run"), get("RUNNING")],
        run: (c) => converge(c, ID, "running", LABEL, campaign("DRAFT")),
        returns: "RUNNING",
      },
      {
        name: "already satisfied: the known campaign is returned without a call",
        script: [],
        run: (c) => converge(c, ID, "paused", LABEL, campaign("PAUSED")),
        returns: "PAUSED",
      },
      {
        name: "no declared state: one read, nothing sent",
        script: [get("RUNNING")],
        run: (c) => converge(c, ID, undefined, LABEL),
        returns: "RUNNING",
      },
      {
        name: "a lost run is decided again from a fresh GET (it did run: nothing more)",
        script: [get("DRAFT"), act("run", lost("woodpecker")), get("RUNNING")],
        run: (c) => converge(c, ID, "running", LABEL),
        returns: "RUNNING",
      },
      {
        name: "a lost pause that did not arrive is sent again",
        script: [
          get("RUNNING"),
          act("pause", lost("woodpecker")),
          get("RUNNING"),
          act("pause"),
          get("PAUSED"),
        ],
        run: (c) => converge(c, ID, "paused", LABEL),
        returns: "PAUSED",
      },
      {
        name: "the campaign finishes meanwhile: COMPLETED satisfies any state and is not restarted",
        script: [act("run", lost("woodpecker")), get("COMPLETED")],
        run: (c) => converge(c, ID, "running", LABEL, campaign("PAUSED")),
        returns: "COMPLETED",
      },
      {
        name: "a refused run (409) is an error that names the campaign and Woodpecker's reason",
        script: [get("DRAFT"), act("run", apiError("woodpecker", 409, "No mailbox connected", "CONFLICT"))],
        run: (c) => converge(c, ID, "running", LABEL),
        throws: {
          type: CampaignsError,
          message: /^Woodpecker refused to run Woodpecker campaign 7 \("q4-outreach"\): No mailbox connected/,
        },
      },
      {
        name: "404 mid-way: CampaignGoneError",
        script: [get("RUNNING"), act("stop"), get(undefined)],
        run: (c) => converge(c, ID, "stopped", LABEL),
        throws: { type: CampaignGoneError, message: /no longer exists in Woodpecker/ },
      },
      {
        name: "a stop that never takes: 6 rounds, then an error naming the state",
        script: [
          ...Array.from({ length: 6 }, () => [get("RUNNING"), act("stop", lost("woodpecker"))]).flat(),
          get("RUNNING"),
        ],
        run: (c) => converge(c, ID, "stopped", LABEL),
        throws: {
          type: CampaignsError,
          message: /is RUNNING and could not be brought to the declared state "stopped"/,
        },
      },
    ]);
  });

  describe("prepareForEdit / restoreAfterEdit", () => {
    runCases<RunStateClient>([
      {
        name: "DRAFT is editable: no call",
        script: [],
        run: async (c) => (await prepareForEdit(c, campaign("DRAFT"), LABEL)).restore,
        returns: { before: "DRAFT" },
      },
      {
        name: "RUNNING → make_editable → EDITED; remembers it was running",
        script: [act("make_editable"), get("EDITED")],
        run: async (c) => (await prepareForEdit(c, campaign("RUNNING"), LABEL)).restore,
        returns: { before: "RUNNING" },
      },
      {
        name: "a lost make_editable is sent again",
        script: [
          act("make_editable", lost("woodpecker")),
          get("RUNNING"),
          act("make_editable"),
          get("EDITED"),
        ],
        run: async (c) => (await prepareForEdit(c, campaign("RUNNING"), LABEL)).restore,
        returns: { before: "RUNNING" },
      },
      {
        name: "a campaign that never becomes editable: 6 tries, then nothing is changed",
        script: Array.from({ length: 6 }, () => [act("make_editable"), get("PAUSED")]).flat(),
        run: (c) => prepareForEdit(c, campaign("PAUSED"), LABEL),
        throws: {
          type: CampaignsError,
          message: /could not be made editable \(it stays PAUSED\); nothing was changed/,
        },
      },
      {
        name: "404 mid-way: CampaignGoneError",
        script: [act("make_editable"), get(undefined)],
        run: (c) => prepareForEdit(c, campaign("RUNNING"), LABEL),
        throws: { type: CampaignGoneError },
      },
      {
        name: "after the edit, no declared state: a campaign that was running runs again",
        script: [get("EDITED"), act("run"), get("RUNNING")],
        run: (c) => restoreAfterEdit(c, ID, { before: "RUNNING" }, undefined, LABEL),
        returns: "RUNNING",
      },
      {
        name: "after the edit, no declared state: one that was paused stays EDITED",
        script: [get("EDITED")],
        run: (c) => restoreAfterEdit(c, ID, { before: "PAUSED" }, undefined, LABEL),
        returns: "EDITED",
      },
      {
        name: "after the edit, the declared state wins",
        script: [get("EDITED"), act("stop"), get("STOPPED")],
        run: (c) => restoreAfterEdit(c, ID, { before: "RUNNING" }, "stopped", LABEL),
        returns: "STOPPED",
      },
    ]);
  });

  it("stateAfterEdit: the declared state wins, else running again only if it was running", () => {
    const table: Array<[Parameters<typeof stateAfterEdit>[0], string, ReturnType<typeof stateAfterEdit>]> = [
      [undefined, "RUNNING", "running"],
      [undefined, "PAUSED", undefined],
      [undefined, "STOPPED", undefined],
      [undefined, "DRAFT", undefined],
      ["paused", "RUNNING", "paused"],
      ["running", "PAUSED", "running"],
    ];
    for (const [declared, before, expected] of table) {
      expect(stateAfterEdit(declared, { before }), `${declared} after ${before}`).to.equal(expected);
    }
  });
});

describe("the scripted client", () => {
  it("records a call the script does not expect, and the steps never called", async () => {
    const s = scriptedClient<RunStateClient>([get("DRAFT"), act("run")]);
    await s.client.action(ID, "pause").catch(() => undefined);
    expect(s.violations()).to.have.length(1);
    expect(s.violations()[0]).to.match(/action\(\[7,"pause"\]\), but the script expects getCampaign/);
    await s.client.getCampaign(ID);
    await s.client.action(ID, "stop");
    expect(s.violations()[1]).to.match(/expected \[7,"run"\]/);
    expect(s.remaining()).to.deep.equal([]);
    const t = scriptedClient<RunStateClient>([get("DRAFT")]);
    expect(t.remaining()).to.have.length(1);
  });
});
