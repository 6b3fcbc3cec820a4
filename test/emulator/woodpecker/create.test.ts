/** Woodpecker emulator contract: create (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  HEX64,
  UUID,
  chain,
  control,
  create,
  createBody,
  emailStep,
  expectBusiness,
  stepsOf,
  v2,
  useWoodpeckerEmulator,
} from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("create", function () {
    it("returns the full campaign with ids, defaults and DRAFT", async function () {
      const r = await v2("POST", "/campaigns", { body: createBody() });
      expect(r.status).to.equal(200);
      const c = r.json;
      expect(c.id).to.equal(12345001);
      expect(c.name).to.equal("Q3 outreach");
      expect(c.status).to.equal("DRAFT");
      expect(c.email_account_ids).to.deep.equal([101]);
      expect(c.bounce_shield_autopaused_at).to.equal(null);
      expect(c.settings).to.deep.equal({
        timezone: "Europe/Warsaw",
        prospect_timezone: false,
        daily_enroll: 40,
        gdpr_unsubscribe: false,
        list_unsubscribe: false,
        open_disabled_list: [],
        auto_pause_prospect_from_domain: false,
        catch_all_verification_mode: "BALANCED",
      });
      expect(c.steps.type).to.equal("START");
      expect(c.steps.id).to.match(UUID);
      const [s1, s2] = stepsOf(c);
      expect(stepsOf(c)).to.have.length(2);
      expect(s1.id).to.match(UUID);
      expect(s2.id).to.match(UUID);
      expect(s1.type).to.equal("EMAIL");
      expect(s1.followup_after).to.deep.equal({ range: "DAY", value: 1 });
      expect(s1.delivery_time).to.deep.equal({ MONDAY: [{ from: "08:00", to: "17:00" }] });
      const [a, b] = s1.body.versions;
      expect(a.id).to.match(HEX64);
      expect(b.id).to.match(HEX64);
      expect(a.id).to.not.equal(b.id);
      expect([a.version, b.version]).to.deep.equal(["A", "B"]);
      expect(a).to.include({ subject: "Hi {{FIRST_NAME}}", message: "<p>Hello</p>", signature: "SENDER" });
      expect(a.track_opens).to.equal(true);
      expect(b).to.include({ signature: "NO_SIGNATURE", track_opens: false });
      // the second step: the given delay, default Mon–Fri 08:00–18:00, subject null, defaults
      expect(s2.followup_after).to.deep.equal({ range: "DAY", value: 3 });
      expect(Object.keys(s2.delivery_time)).to.deep.equal([
        "MONDAY",
        "TUESDAY",
        "WEDNESDAY",
        "THURSDAY",
        "FRIDAY",
      ]);
      expect(s2.delivery_time.FRIDAY).to.deep.equal([{ from: "08:00", to: "18:00" }]);
      expect(s2.body.versions[0]).to.include({
        subject: null,
        version: "A",
        signature: "SENDER",
        track_opens: true,
      });
      expect(s2.followup).to.equal(null);

      const second = await create({ name: undefined });
      expect(second.id).to.equal(12345002);
      expect(second.name).to.equal("Untitled campaign");
    });

    it("accepts LINKEDIN steps and ignores unknown fields", async function () {
      const c = await create({
        unknown_field: 1,
        steps: chain([
          emailStep(),
          {
            type: "LINKEDIN",
            followup_after: { range: "HOUR", value: 10 },
            body: {
              action_type: "CONNECTION_REQUEST",
              linkedin_account_id: 7,
              versions: [{ message: "Hi" }],
            },
          },
        ]),
      });
      expect(c).to.not.have.property("unknown_field");
      const li = stepsOf(c)[1];
      expect(li.type).to.equal("LINKEDIN");
      expect(li.body.action_type).to.equal("CONNECTION_REQUEST");
      expect(li.body.linkedin_account_id).to.equal(7);
      expect(li.body.versions[0].id).to.match(HEX64);
      expect(li.body.versions[0]).to.include({ version: "A", message: "Hi" });
    });

    it("answers createStatus (201 when configured)", async function () {
      const cfg = await control("PUT", "/config", { createStatus: 201 });
      expect(cfg.json.createStatus).to.equal(201);
      const r = await v2("POST", "/campaigns", { body: createBody() });
      expect(r.status).to.equal(201);
      expect(r.json.status).to.equal("DRAFT");
      await control("PUT", "/config", { createStatus: 200 });
    });

    const invalid: Array<[string, () => Record<string, unknown>, string]> = [
      ["17 steps", () => ({ steps: chain(Array.from({ length: 17 }, () => emailStep())) }), "steps"],
      ["no step after START", () => ({ steps: { type: "START", followup: null } }), "steps"],
      [
        "a root that is not START",
        () => ({ steps: { ...chain([emailStep()]), type: "EMAIL" } }),
        "steps.type",
      ],
      [
        "4 windows a day",
        () => ({
          steps: chain([
            emailStep({
              delivery_time: {
                MONDAY: [
                  { from: "06:00", to: "07:00" },
                  { from: "08:00", to: "09:00" },
                  { from: "10:00", to: "11:00" },
                  { from: "12:00", to: "13:00" },
                ],
              },
            }),
          ]),
        }),
        "MONDAY",
      ],
      [
        "a bad HH:mm",
        () => ({
          steps: chain([emailStep({ delivery_time: { TUESDAY: [{ from: "8:00", to: "25:00" }] } })]),
        }),
        "TUESDAY[0].from",
      ],
      [
        "from after to",
        () => ({
          steps: chain([emailStep({ delivery_time: { TUESDAY: [{ from: "18:00", to: "08:00" }] } })]),
        }),
        "TUESDAY[0]",
      ],
      [
        "an empty delivery_time",
        () => ({ steps: chain([emailStep({ delivery_time: {} })]) }),
        "delivery_time",
      ],
      ["daily_enroll 0", () => ({ settings: { timezone: "UTC", daily_enroll: 0 } }), "daily_enroll"],
      ["daily_enroll 501", () => ({ settings: { timezone: "UTC", daily_enroll: 501 } }), "daily_enroll"],
      ["a missing daily_enroll", () => ({ settings: { timezone: "UTC" } }), "daily_enroll"],
      ["a missing timezone", () => ({ settings: { daily_enroll: 10 } }), "settings.timezone"],
      [
        "an unknown timezone",
        () => ({ settings: { timezone: "Mars/Olympus", daily_enroll: 10 } }),
        "timezone",
      ],
      ["no settings", () => ({ settings: undefined }), "settings"],
      ["empty email_account_ids", () => ({ email_account_ids: [] }), "email_account_ids"],
      ["a non-integer mailbox", () => ({ email_account_ids: ["101"] }), "email_account_ids[0]"],
      [
        "a bad catch_all_verification_mode",
        () => ({ settings: { timezone: "UTC", daily_enroll: 5, catch_all_verification_mode: "STRICT" } }),
        "catch_all_verification_mode",
      ],
      [
        "6 versions",
        () => ({
          steps: chain([
            emailStep({ body: { versions: Array.from({ length: 6 }, () => ({ message: "m" })) } }),
          ]),
        }),
        "versions",
      ],
      [
        "a version without message",
        () => ({ steps: chain([emailStep({ body: { versions: [{ subject: "s" }] } })]) }),
        "message",
      ],
      [
        "a bad signature",
        () => ({ steps: chain([emailStep({ body: { versions: [{ message: "m", signature: "CEO" }] } })]) }),
        "signature",
      ],
      [
        "a bad followup_after",
        () => ({ steps: chain([emailStep({ followup_after: { range: "WEEK", value: 0 } })]) }),
        "followup_after.range",
      ],
      [
        "a LINKEDIN step without action_type",
        () => ({ steps: chain([emailStep(), { type: "LINKEDIN", body: { linkedin_account_id: 7 } }]) }),
        "action_type",
      ],
      ["an unknown step type", () => ({ steps: chain([emailStep({ type: "SMS" })]) }), "type"],
    ];
    for (const [what, overrides, mentions] of invalid) {
      it(`refuses ${what} with 400 INPUT_DATA_VALIDATION_FAILURE`, async function () {
        const r = await v2("POST", "/campaigns", { body: createBody(overrides()) });
        expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure");
        expect(r.json.details).to.be.a("string").and.include(mentions);
        const list = await control("GET", "/campaigns");
        expect(list.json.campaigns).to.have.length(0);
      });
    }

    it("checks mailboxes against the configured SMTP ids and lists them", async function () {
      expect((await v2("GET", "/mailboxes")).json).to.deep.equal([]);
      await control("PUT", "/config", { mailboxes: [101, 102] });
      try {
        const r = await v2("POST", "/campaigns", { body: createBody({ email_account_ids: [101, 999] }) });
        expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
        expect(r.json.details).to.include("999");
        await create({ email_account_ids: [101, 102] });
        const m = await v2("GET", "/mailboxes");
        expect(m.status).to.equal(200);
        expect(m.json).to.deep.equal([
          { id: 101, type: "SMTP", details: { email: "sender101@example.com" } },
          { id: 102, type: "SMTP", details: { email: "sender102@example.com" } },
        ]);
      } finally {
        await control("PUT", "/config", { mailboxes: null });
      }
    });
  });
});
