import { expect } from "chai";
import type { BurkiCampaign } from "../../provider/burki/api";
import { parseBurkiError } from "../../provider/burki/api";
import {
  contactsCsv,
  contactsDigest,
  inputsFromOutputs,
  observedState,
  stateSatisfied,
  toOutputs,
  updateBodyFor,
} from "../../provider/burki/mapping";
import { burkiCampaignSchema } from "../../provider/burki/schema";
import type { BurkiCampaignInputs } from "../../provider/burki/types";
import { validate } from "../../provider/core/validation";

const base = { name: "renewals", campaignType: "call", assistantId: 7 };

function failuresOf(input: Record<string, unknown>) {
  const r = validate(burkiCampaignSchema(), input);
  return r.ok ? [] : r.failures;
}

describe("burki schema", () => {
  it("fills the documented defaults", () => {
    const r = validate(burkiCampaignSchema(), { ...base });
    expect(r.ok && r.value).to.deep.equal({ ...base, maxAttempts: 3, retryDelayMinutes: 30 });
  });

  it("names the property of each invalid input", () => {
    const f = failuresOf({
      ...base,
      name: "",
      maxAttempts: 11,
      retryDelayMinutes: 4,
      contacts: [
        { phoneNumber: "+15551230001" },
        { phoneNumber: "+15551230002" },
        { phoneNumber: "555-1234" },
      ],
    });
    const byPath = Object.fromEntries(f.map((x) => [x.property, x.reason]));
    expect(Object.keys(byPath).sort()).to.deep.equal([
      "contacts[2].phoneNumber",
      "maxAttempts",
      "name",
      "retryDelayMinutes",
    ]);
    expect(byPath.maxAttempts).to.match(/between 1 and 10/);
    expect(byPath["contacts[2].phoneNumber"]).to.match(/E\.164/);
  });

  it("rejects unknown properties, a bad campaign type and a fractional assistant id", () => {
    const f = failuresOf({ ...base, campaignType: "fax", assistantId: 1.5, maxAtempts: 2 });
    expect(f.map((x) => x.property).sort()).to.deep.equal(["(inputs)", "assistantId", "campaignType"]);
    expect(f.find((x) => x.property === "(inputs)")!.reason).to.match(/maxAtempts/);
  });

  it("rejects reserved variable names and duplicate phone numbers", () => {
    const reserved = failuresOf({
      ...base,
      contacts: [{ phoneNumber: "+15551230001", variables: { name: "x" } }],
    });
    expect(reserved.map((x) => x.property)).to.deep.equal(["contacts[0].variables.name"]);
    const dup = failuresOf({
      ...base,
      contacts: [{ phoneNumber: "+15551230001" }, { phoneNumber: "+15551230001" }],
    });
    expect(dup).to.deep.equal([
      {
        property: "contacts[1].phoneNumber",
        reason: "duplicates contacts[0].phoneNumber (Burki would skip it)",
      },
    ]);
  });

  it("requires contacts for state running (Burki cannot start without them)", () => {
    expect(failuresOf({ ...base, state: "running" }).map((x) => x.property)).to.deep.equal(["contacts"]);
    expect(failuresOf({ ...base, state: "running", existingCampaignId: 4 })).to.deep.equal([]);
  });

  it("normalises empty maps and strings away", () => {
    const r = validate(burkiCampaignSchema(), { ...base, fallbackValues: {}, description: "" });
    expect(r.ok && r.value).to.deep.equal({ ...base, maxAttempts: 3, retryDelayMinutes: 30 });
  });
});

const live = (over: Partial<BurkiCampaign> = {}): BurkiCampaign => ({
  id: 42,
  name: "renewals",
  description: null,
  campaign_type: "call",
  status: "draft",
  assistant_id: 7,
  assistant_name: "Ava",
  welcome_message_template: "Hi {{name}}",
  agenda_template: null,
  end_call_message_template: null,
  sms_message_template: null,
  fallback_values: {},
  variable_mappings: {},
  max_attempts: 3,
  retry_delay_minutes: 30,
  total_contacts: 2,
  completed_contacts: 0,
  failed_contacts: 0,
  created_at: "2026-11-23T10:00:00Z",
  updated_at: "2026-11-23T10:00:00Z",
  ...over,
});

describe("burki mapping", () => {
  const desired: BurkiCampaignInputs = {
    name: "renewals",
    campaignType: "call",
    assistantId: 7,
    maxAttempts: 3,
    retryDelayMinutes: 30,
    welcomeMessageTemplate: "Hi {{name}}",
  };

  it("sends nothing when the live campaign already matches", () => {
    expect(updateBodyFor(desired, live())).to.deep.equal({});
  });

  it("sends only what differs, and clears removed fields", () => {
    const body = updateBodyFor(
      { ...desired, maxAttempts: 5, welcomeMessageTemplate: undefined },
      live({ description: "old" }),
    );
    expect(body).to.deep.equal({ max_attempts: 5, welcome_message_template: "", description: "" });
  });

  it("round-trips outputs to inputs without spurious differences", () => {
    const outs = toOutputs(live(), desired, {});
    expect(inputsFromOutputs(outs)).to.deep.equal(desired);
    expect(outs).to.include({
      campaignId: 42,
      status: "draft",
      assistantName: "Ava",
      totalContacts: 2,
      schemaVersion: 1,
    });
  });

  it("digests contacts independently of their order", () => {
    const a = { phoneNumber: "+15551230001", name: "A" };
    const b = { phoneNumber: "+15551230002" };
    expect(contactsDigest([a, b])).to.equal(contactsDigest([b, a]));
    expect(contactsDigest([a])).to.not.equal(contactsDigest([a, b]));
    expect(contactsDigest(undefined)).to.equal(undefined);
  });

  it("writes RFC 4180 CSV with one column per variable", () => {
    const csv = contactsCsv([
      { phoneNumber: "+15551230001", name: 'Smith, "Jo"', variables: { plan: "gold" } },
      { phoneNumber: "+15551230002", variables: { due: "2026-12-01" } },
    ]);
    expect(csv).to.equal(
      'phone_number,name,due,plan\r\n+15551230001,"Smith, ""Jo""",,gold\r\n+15551230002,,2026-12-01,\r\n',
    );
  });

  it("does not restart a campaign Burki finished", () => {
    expect(stateSatisfied("running", "completed")).to.equal(true);
    expect(stateSatisfied("running", "cancelled")).to.equal(true);
    expect(stateSatisfied("running", "scheduled")).to.equal(true);
    expect(stateSatisfied("running", "paused")).to.equal(false);
    expect(stateSatisfied("paused", "running")).to.equal(false);
    expect(stateSatisfied(undefined, "running")).to.equal(true);
  });

  it("reports drift in the run state on refresh", () => {
    expect(observedState("running", "paused")).to.equal("paused");
    expect(observedState("running", "completed")).to.equal("running");
    expect(observedState("paused", "running")).to.equal("running");
    expect(observedState(undefined, "running")).to.equal(undefined);
  });

  it("reads FastAPI error bodies", () => {
    expect(
      parseBurkiError(400, { detail: "Cannot delete running campaign - stop it first" }, ""),
    ).to.deep.equal({
      message: "Cannot delete running campaign - stop it first",
    });
    const v = parseBurkiError(
      422,
      {
        detail: [
          {
            loc: ["body", "max_attempts"],
            msg: "Input should be less than or equal to 10",
            type: "less_than_equal",
          },
        ],
      },
      "",
    );
    expect(v).to.deep.equal({
      code: "less_than_equal",
      message: "max_attempts: Input should be less than or equal to 10",
    });
  });
});
