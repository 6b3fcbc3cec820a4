/**
 * The guard and the do-not-contact list (provider/guard/do-not-contact.ts): people the list leaves
 * out are not counted as contacted, each row says how many it leaves out, and taking someone off the
 * list counts them among the people the plan starts contacting.
 */
import { expect } from "chai";
import { type PreviewDigest, evaluatePlan, formatSummary } from "../../provider/guard";

const TYPE = "pulumi-nodejs:dynamic/burki:Campaign";
const URN = `urn:pulumi:prod::campaigns::${TYPE}::renewals`;

function plan(oldExcluded: number | undefined, newExcluded: number | undefined): PreviewDigest {
  const counts = (excluded: number | undefined) => ({
    contacts: "[secret]",
    contactCount: 100,
    doNotContact: "[secret]",
    ...(excluded === undefined ? {} : { excludedByDoNotContact: excluded }),
  });
  return {
    steps: [
      { op: "refresh", urn: URN, oldState: { type: TYPE, id: "42", outputs: { status: "running" } } },
      {
        op: "update",
        urn: URN,
        oldState: {
          type: TYPE,
          id: "42",
          inputs: { name: "Renewals", ...counts(oldExcluded) },
          outputs: {
            name: "Renewals",
            campaignId: 42,
            status: "running",
            state: "running",
            ...counts(oldExcluded),
          },
        },
        newState: {
          type: TYPE,
          id: "42",
          inputs: { name: "Renewals", state: "running", ...counts(newExcluded) },
        },
      },
    ],
  };
}

describe("guard: the do-not-contact list", () => {
  it("says per campaign how many people the list leaves out, and adds nobody when it grows", () => {
    const report = evaluatePlan(plan(0, 14));
    expect(report.changes).to.have.length(1);
    expect(report.changes[0].effect).to.equal(
      "edits a running campaign, removes 14 contacts; nobody new is contacted; leaves out 14 people on the do-not-contact list",
    );
    expect(report.changes[0].starts).to.equal(false);
    expect(formatSummary(report)).to.include("leaves out 14 people on the do-not-contact list");
  });

  it("counts people taken off the list among those the plan starts contacting", () => {
    const report = evaluatePlan(plan(14, 10));
    expect(report.changes[0].starts).to.equal(true);
    expect(report.changes[0].startCount).to.equal(4);
    expect(formatSummary(report)).to.include("starts contacting 4 people in 1 campaign");
  });
});
