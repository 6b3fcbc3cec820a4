import { expect } from "chai";
import { parseWoodpeckerError } from "../../provider/woodpecker/api";
import { WorkflowConflictError, WorkflowReplacementError } from "../../provider/woodpecker/errors";
import {
  flattenChain,
  fromApiStep,
  stateSatisfied,
  toApiChain,
  toCreateBody,
  type InputStep,
} from "../../provider/woodpecker/mapping";
import { type Configuration, planUpdate } from "../../provider/woodpecker/plan";
import { woodpeckerCampaignSchema } from "../../provider/woodpecker/schema";
import type { WoodpeckerCampaignInputs } from "../../provider/woodpecker/types";
import { UNKNOWN, validate } from "../../provider/core/validation";

const raw = (over: Record<string, unknown> = {}) => ({
  name: "q4",
  emailAccountIds: [2, 1],
  settings: { timezone: "Europe/Warsaw" },
  steps: [
    { versions: [{ subject: "Hi", message: "<p>1</p>" }] },
    { delay: { value: 3, unit: "day" }, versions: [{ subject: "", message: "<p>2</p>" }] },
  ],
  ...over,
});

function checked(over: Record<string, unknown> = {}): WoodpeckerCampaignInputs {
  const r = validate(woodpeckerCampaignSchema(), raw(over));
  if (!r.ok || r.hasUnknowns) throw new Error(JSON.stringify(r));
  return r.value;
}

const config = (i: WoodpeckerCampaignInputs): Configuration => ({
  name: i.name,
  emailAccountIds: i.emailAccountIds,
  settings: i.settings,
  steps: i.steps,
  bounceShieldThreshold: i.bounceShieldThreshold,
});

describe("woodpecker schema", () => {
  it("fills Woodpecker's defaults and normalises sets and empty subjects", () => {
    const i = checked();
    expect(i.emailAccountIds).to.deep.equal([1, 2]);
    expect(i.settings).to.deep.equal({
      timezone: "Europe/Warsaw",
      dailyEnroll: 50,
      prospectTimezone: false,
      gdprUnsubscribe: false,
      listUnsubscribe: false,
      openDisabledList: [],
      autoPauseProspectFromDomain: false,
      catchAllVerificationMode: "BALANCED",
    });
    expect(i.steps[0]).to.deep.include({ type: "email", delay: { value: 1, unit: "day" } });
    expect(Object.keys(i.steps[0].deliveryTime)).to.deep.equal([
      "monday",
      "tuesday",
      "wednesday",
      "thursday",
      "friday",
    ]);
    expect(i.steps[1].versions[0]).to.deep.equal({
      message: "<p>2</p>",
      signature: "SENDER",
      trackOpens: true,
    });
  });

  it("reports each limit at its property path", () => {
    const r = validate(
      woodpeckerCampaignSchema(),
      raw({
        emailAccountIds: [],
        bounceShieldThreshold: 100,
        steps: [
          {
            versions: Array.from({ length: 6 }, () => ({ subject: "s", message: "m" })),
            deliveryTime: { monday: [{ from: "18:00", to: "08:00" }] },
          },
          { type: "linkedin", versions: [{ message: "hi" }] },
        ],
      }),
    );
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.failures.map((f) => f.property).sort()).to.deep.equal([
      "bounceShieldThreshold",
      "emailAccountIds",
      "steps[0].deliveryTime.monday[0].to",
      "steps[0].versions",
      "steps[1].actionType",
      "steps[1].linkedinAccountId",
    ]);
  });
});

describe("woodpecker step chain", () => {
  it("maps the step array to START → followup … and back", () => {
    const i = checked();
    const chain = toApiChain(i.steps);
    expect(chain.type).to.equal("START");
    expect(chain.followup!.type).to.equal("EMAIL");
    expect(chain.followup!.followup!.followup_after).to.deep.equal({ range: "DAY", value: 3 });
    expect(chain.followup!.followup!.followup).to.equal(null);
    expect(chain.followup!.delivery_time).to.have.keys([
      "MONDAY",
      "TUESDAY",
      "WEDNESDAY",
      "THURSDAY",
      "FRIDAY",
    ]);
    expect(flattenChain(chain).map(fromApiStep)).to.deep.equal(i.steps);
    expect(toCreateBody(i).settings).to.include({ timezone: "Europe/Warsaw", daily_enroll: 50 });
  });

  it("maps LinkedIn steps with their action and account", () => {
    const i = checked({
      steps: [
        { versions: [{ subject: "Hi", message: "m" }] },
        {
          type: "linkedin",
          actionType: "CONNECTION_REQUEST",
          linkedinAccountId: 9,
          versions: [{ message: "hello" }],
        },
      ],
    });
    const api = flattenChain(toApiChain(i.steps))[1];
    expect(api.body).to.deep.equal({
      versions: [{ message: "hello" }],
      action_type: "CONNECTION_REQUEST",
      linkedin_account_id: 9,
    });
    expect(fromApiStep(api)).to.deep.equal(i.steps[1]);
  });
});

describe("woodpecker update plan", () => {
  const base = checked();

  it("is empty when nothing differs", () => {
    expect(planUpdate(config(base), config(base))).to.deep.equal({
      replaceReasons: [],
      mayChange: [],
      edits: [],
    });
  });

  it("edits settings, delivery times and version text in place", () => {
    const steps: InputStep[] = structuredClone(base.steps);
    steps[0].versions[0].subject = "Hello";
    steps[1].deliveryTime = { saturday: [{ from: "10:00", to: "12:00" }] };
    const plan = planUpdate(config(base), {
      ...config(base),
      steps,
      settings: { ...base.settings, dailyEnroll: 80 },
    });
    expect(plan.replaceReasons).to.deep.equal([]);
    expect(plan.edits.map((e) => e.kind)).to.deep.equal([
      "patchCampaign",
      "patchVersion",
      "patchDeliveryTime",
    ]);
    expect(plan.edits[0]).to.deep.include({
      body: { settings: { daily_enroll: 80 } },
      fields: ["settings.daily_enroll"],
    });
    expect(plan.edits[1]).to.deep.include({ stepIndex: 0, versionIndex: 0, body: { subject: "Hello" } });
  });

  it("appends and deletes later steps in place", () => {
    const extra = { ...base.steps[1], delay: { value: 1, unit: "hour" as const } };
    const grown = planUpdate(config(base), { ...config(base), steps: [...base.steps, extra] });
    expect(grown.edits).to.deep.equal([{ kind: "appendStep", step: extra }]);
    const shrunk = planUpdate({ ...config(base), steps: [...base.steps, extra] }, config(base));
    expect(shrunk.edits).to.deep.equal([{ kind: "deleteStep", stepIndex: 2 }]);
  });

  it("replaces for what the API cannot change in place", () => {
    const steps: InputStep[] = structuredClone(base.steps);
    steps[1].delay = { value: 4, unit: "day" };
    steps[0].versions.push({ subject: "B", message: "b", signature: "SENDER", trackOpens: true });
    expect(planUpdate(config(base), { ...config(base), steps }).replaceReasons).to.deep.equal([
      "steps[0].versions",
      "steps[1].delay",
    ]);
    // The first email step cannot be deleted.
    expect(planUpdate(config(base), { ...config(base), steps: [] }).replaceReasons).to.deep.equal([
      "steps[0]",
    ]);
  });

  it("treats unknown step structure (preview) as a possible replacement", () => {
    const plan = planUpdate(config(base), { ...config(base), steps: UNKNOWN as unknown as InputStep[] });
    expect(plan.replaceReasons).to.deep.equal(["steps"]);
  });

  it("changes the bounce-shield threshold in any status", () => {
    expect(planUpdate(config(base), { ...config(base), bounceShieldThreshold: 5 })).to.deep.equal({
      replaceReasons: [],
      mayChange: [],
      edits: [],
      bounceShield: { threshold: 5 },
    });
  });
});

describe("woodpecker states and errors", () => {
  it("does not run a campaign just to pause it, and leaves COMPLETED alone", () => {
    expect(stateSatisfied("paused", "DRAFT")).to.equal(true);
    expect(stateSatisfied("paused", "EDITED")).to.equal(true);
    expect(stateSatisfied("paused", "RUNNING")).to.equal(false);
    expect(stateSatisfied("running", "COMPLETED")).to.equal(true);
    expect(stateSatisfied("running", "EDITED")).to.equal(false);
    expect(stateSatisfied("stopped", "PAUSED")).to.equal(false);
  });

  it("reads both error dialects", () => {
    expect(
      parseWoodpeckerError(
        409,
        {
          code: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW",
          message: "Campaign related to active workflow",
          details: null,
        },
        "",
      ),
    ).to.deep.equal({
      code: "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW",
      message: "Campaign related to active workflow",
    });
    expect(
      parseWoodpeckerError(401, { title: "Unauthorized", status: 401, detail: "Invalid api key" }, ""),
    ).to.deep.equal({
      message: "Invalid api key",
    });
    expect(
      parseWoodpeckerError(500, { type: "UNKNOWN", message: "Unknown error", details: null }, ""),
    ).to.deep.equal({
      code: "UNKNOWN",
      message: "Unknown error",
    });
  });

  it("says what to do when a workflow blocks a delete or a replacement", () => {
    const del = new WorkflowConflictError(12, "q4", "Q4 nurture").message;
    expect(del).to.match(/Woodpecker campaign 12 \("q4"\)/);
    expect(del).to.match(/Remove the campaign from the workflow "Q4 nurture" in Woodpecker/);
    const rep = new WorkflowReplacementError(12, "q4", "Q4 nurture", ["steps[1].delay"]).message;
    expect(rep).to.match(/steps\[1\]\.delay cannot change in place/);
    expect(rep).to.match(/drop `workflow` from this resource/);
  });
});
