/**
 * Woodpecker's checked inputs are stored without the defaults of each step and version
 * (provider-kit.ts `storedWithoutItemDefaults`) and filled back before use (`completeInputs`). The
 * round trip must give back exactly what the schema gives, or diff would see a change that is not
 * there; defaults outside the steps stay, so the engine's display still shows `10 => 50`.
 */
import { expect } from "chai";
import fc from "fast-check";
import { UNKNOWN, withDefaults, withoutItemDefaults } from "../../provider/core/validation";
import * as woodpecker from "../../provider/woodpecker/lifecycle";
import {
  DEFAULT_DELIVERY_TIME,
  DEFAULT_SETTINGS,
  woodpeckerCampaignSchema,
} from "../../provider/woodpecker/schema";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Woodpecker inputs whose defaulted fields are left out, spelled as their default, or set otherwise. */
const woodpeckerInputs = fc
  .record({
    dailyEnroll: maybe(fc.constantFrom(50, 20)),
    prospectTimezone: maybe(fc.boolean()),
    openDisabledList: maybe(fc.constantFrom([], ["b.example", "a.example"])),
    catchAll: maybe(fc.constantFrom("BALANCED", "NONE")),
    steps: fc.array(
      fc.record({
        type: maybe(fc.constant("email")),
        delay: maybe(fc.constantFrom({ value: 1, unit: "day" }, { value: 2, unit: "hour" })),
        deliveryTime: maybe(
          fc.constantFrom(DEFAULT_DELIVERY_TIME, { monday: [{ from: "09:00", to: "10:00" }] }),
        ),
        signature: maybe(fc.constantFrom("SENDER", "NO_SIGNATURE")),
        trackOpens: maybe(fc.boolean()),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    onMatch: maybe(fc.constantFrom("exclude", "fail")),
    prospects: fc.boolean(),
  })
  .map((g) => ({
    name: "Q4 outreach",
    emailAccountIds: [3, 1],
    settings: strip({
      timezone: "Europe/Warsaw",
      dailyEnroll: g.dailyEnroll,
      prospectTimezone: g.prospectTimezone,
      openDisabledList: g.openDisabledList,
      catchAllVerificationMode: g.catchAll,
    }),
    steps: g.steps.map((s, i) =>
      strip({
        type: s.type,
        delay: s.delay,
        deliveryTime: s.deliveryTime,
        versions: [
          strip({
            subject: i === 0 ? "Hi" : "",
            message: `<p>${i}</p>`,
            signature: s.signature,
            trackOpens: s.trackOpens,
          }),
        ],
      }),
    ),
    ...(g.onMatch === undefined
      ? {}
      : { doNotContact: strip({ entries: ["@blocked.example"], onMatch: g.onMatch }) }),
    ...(g.prospects
      ? { prospects: [{ email: "ana@example.com", tags: [] }, { email: "bo@example.com" }] }
      : {}),
  }));

function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const contains = (value: unknown, part: unknown): boolean =>
  JSON.stringify(value).includes(JSON.stringify(part));

describe("stored inputs: Woodpecker steps without their defaults", () => {
  it("Woodpecker: filling the defaults back gives exactly what the schema gives", () => {
    const schema = woodpeckerCampaignSchema();
    fc.assert(
      fc.property(woodpeckerInputs, (raw) => {
        const parsed = schema.parse(raw);
        const stored = withoutItemDefaults(schema, parsed);
        expect(withDefaults(schema, stored)).to.deep.equal(parsed);
        expect(JSON.stringify(stored).length).to.be.at.most(JSON.stringify(parsed).length);
        // Never stored: a step's or a version's default spelled out.
        expect(contains(stored, DEFAULT_DELIVERY_TIME)).to.equal(false);
        const steps = (stored as { steps: Array<Record<string, unknown>> }).steps;
        for (const step of steps) {
          expect(step.type).to.equal(undefined);
          expect(step.delay).to.not.deep.equal({ value: 1, unit: "day" });
          for (const v of step.versions as Array<Record<string, unknown>>) {
            expect(v.signature).to.not.equal("SENDER");
            expect(v.trackOpens).to.not.equal(true);
          }
        }
        // Kept: the campaign's own settings, each once, as the schema gives them.
        const settings = (stored as { settings: Record<string, unknown> }).settings;
        for (const k of Object.keys(DEFAULT_SETTINGS)) expect(settings).to.have.property(k);
      }),
      { numRuns: 200 },
    );
  });

  it("unknown values stay where they are, both ways", () => {
    const schema = woodpeckerCampaignSchema();
    const raw = {
      name: UNKNOWN,
      emailAccountIds: [1],
      settings: { timezone: "UTC", dailyEnroll: UNKNOWN },
      steps: [{ deliveryTime: UNKNOWN, versions: [{ subject: "Hi", message: UNKNOWN }] }],
    };
    const stored = withoutItemDefaults(schema, withDefaults(schema, raw)) as typeof raw;
    expect(stored.name).to.equal(UNKNOWN);
    expect(stored.settings.dailyEnroll).to.equal(UNKNOWN);
    expect(stored.steps[0].deliveryTime).to.equal(UNKNOWN);
    expect(stored.steps[0]).to.not.have.any.keys("type", "delay");
    expect(stored.steps[0].versions[0]).to.deep.equal({ subject: "Hi", message: UNKNOWN });
  });

  it("check stores the steps without their defaults, and diff of that against the outputs of the full campaign sees nothing", async () => {
    const raw = {
      name: "Q4 outreach",
      emailAccountIds: [1],
      settings: { timezone: "UTC", dailyEnroll: 50 },
      steps: [
        {
          delay: { value: 1, unit: "day" },
          versions: [{ subject: "Hi", message: "<p>1</p>", trackOpens: true }],
        },
      ],
    };
    const checked = await woodpecker.check({}, { ...raw, __provider: "p" });
    expect(checked.failures ?? []).to.deep.equal([]);
    expect(checked.inputs).to.deep.equal({
      name: "Q4 outreach",
      emailAccountIds: [1],
      settings: { timezone: "UTC", ...DEFAULT_SETTINGS },
      steps: [{ versions: [{ subject: "Hi", message: "<p>1</p>" }] }],
    });
    const full = woodpeckerCampaignSchema().parse(raw) as unknown as Record<string, unknown>;
    const outputs = { ...full, id: 7, status: "DRAFT" };
    const diff = await woodpecker.diff("7", outputs, { ...checked.inputs, __provider: "p" });
    expect(diff.changes ?? false).to.equal(false);
    expect(diff.replaces ?? []).to.deep.equal([]);
  });
});
