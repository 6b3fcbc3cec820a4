/** Woodpecker emulator contract: steps and versions (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  UUID,
  chain,
  control,
  create,
  emailStep,
  expectBusiness,
  setStatus,
  stepsOf,
  v2,
  useWoodpeckerEmulator,
} from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("steps and versions", function () {
    it("adds a step only at the end, and only in DRAFT/EDITED", async function () {
      const c = await create();
      const [s1, s2] = stepsOf(c);
      const step = emailStep({ followup_after: { range: "HOUR", value: 10 } });

      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: s1.id, step } }),
        400,
        "INVALID_PARENT_STEP",
        "A step can only be added at the end of the campaign",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: c.steps.id, step } }),
        400,
        "INVALID_PARENT_STEP",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, {
          body: { parent_id: "00000000-0000-4000-8000-000000000000", step },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, {
          body: { parent_id: s2.id, step: emailStep({ body: { versions: [] } }) },
        }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );

      const r = await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: s2.id, step } });
      expect(r.status, r.text).to.equal(200);
      const steps = stepsOf(r.json);
      expect(steps.map((s) => s.id).slice(0, 2)).to.deep.equal([s1.id, s2.id]);
      expect(steps).to.have.length(3);
      expect(steps[2].id).to.match(UUID);
      expect(steps[2].followup_after).to.deep.equal({ range: "HOUR", value: 10 });
      expect(steps[2].followup).to.equal(null);

      await setStatus(c.id, "RUNNING");
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: steps[2].id, step } }),
        409,
        "CAMPAIGN_NOT_EDITABLE",
      );
    });

    it("refuses to add after a step that has processed prospects", async function () {
      const c = await create();
      const last = stepsOf(c)[1];
      const marked = await control("PUT", `/campaigns/${c.id}/steps/${last.id}/processed`, { prospects: 3 });
      expect(stepsOf(marked.json)[1].processedProspects).to.equal(3);
      expectBusiness(
        await v2("POST", `/campaigns/${c.id}/steps`, { body: { parent_id: last.id, step: emailStep() } }),
        409,
        "STEP_ALREADY_PROCESSED",
      );
    });

    it("refuses a 17th step", async function () {
      const c = await create({ steps: chain(Array.from({ length: 16 }, () => emailStep())) });
      const last = stepsOf(c)[15];
      const r = await v2("POST", `/campaigns/${c.id}/steps`, {
        body: { parent_id: last.id, step: emailStep() },
      });
      expectBusiness(r, 400, "INPUT_DATA_VALIDATION_FAILURE");
    });

    it("replaces a step's whole delivery_time", async function () {
      const c = await create();
      const s2 = stepsOf(c)[1];
      const dt = {
        WEDNESDAY: [
          { from: "09:00", to: "12:00" },
          { from: "13:00", to: "17:00" },
        ],
        SATURDAY: [{ from: "10:00", to: "11:00" }],
      };
      const r = await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: dt } });
      expect(r.status, r.text).to.equal(200);
      expect(stepsOf(r.json)[1].delivery_time).to.deep.equal(dt);
      expect(stepsOf(r.json)[0].delivery_time).to.deep.equal(stepsOf(c)[0].delivery_time);

      const four = Array.from({ length: 4 }, (_, i) => ({ from: `0${i + 1}:00`, to: `0${i + 1}:30` }));
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: { MONDAY: four } } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: {} } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s2.id}`, { body: { delivery_time: { FUNDAY: [] } } }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000`, {
          body: { delivery_time: dt },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expect(stepsOf((await v2("GET", `/campaigns/${c.id}`)).json)[1].delivery_time).to.deep.equal(dt);
    });

    it("patches a version partially", async function () {
      const c = await create();
      const s1 = stepsOf(c)[0];
      const [a, b] = s1.body.versions;
      const r = await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${b.id}`, {
        body: { subject: "New subject", track_opens: true },
      });
      expect(r.status, r.text).to.equal(200);
      const [a2, b2] = stepsOf(r.json)[0].body.versions;
      expect(a2).to.deep.equal(a);
      expect(b2).to.deep.equal({ ...b, subject: "New subject", track_opens: true });

      const s2 = stepsOf(c)[1];
      const nulled = await v2(
        "PATCH",
        `/campaigns/${c.id}/steps/${s2.id}/versions/${s2.body.versions[0].id}`,
        {
          body: { subject: null, message: "<p>same thread</p>", signature: "NO_SIGNATURE" },
        },
      );
      expect(stepsOf(nulled.json)[1].body.versions[0]).to.include({
        subject: null,
        message: "<p>same thread</p>",
        signature: "NO_SIGNATURE",
      });

      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${"0".repeat(64)}`, {
          body: { subject: "x" },
        }),
        404,
        "VERSION_NOT_EXIST",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000/versions/${a.id}`, {
          body: { subject: "x" },
        }),
        404,
        "STEP_NOT_EXIST",
      );
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${a.id}`, {
          body: { signature: "BOSS" },
        }),
        400,
        "INPUT_DATA_VALIDATION_FAILURE",
      );
      await setStatus(c.id, "PAUSED");
      expectBusiness(
        await v2("PATCH", `/campaigns/${c.id}/steps/${s1.id}/versions/${a.id}`, { body: { subject: "x" } }),
        409,
        "CAMPAIGN_NOT_EDITABLE",
      );
    });

    it("deletes a later EMAIL step and relinks the chain; the first EMAIL step stays", async function () {
      const c = await create({
        steps: chain([
          { type: "LINKEDIN", body: { action_type: "VISIT_PROFILE", linkedin_account_id: 5 } },
          emailStep(),
          emailStep(),
          emailStep(),
        ]),
      });
      const [li, first, middle, last] = stepsOf(c);

      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/${first.id}`),
        400,
        "FIRST_EMAIL_STEP_NOT_DELETABLE",
      );
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${li.id}`), 400, "STEP_NOT_DELETABLE");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${c.steps.id}`), 400, "STEP_NOT_DELETABLE");
      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/00000000-0000-4000-8000-000000000000`),
        404,
        "STEP_NOT_EXIST",
      );

      await control("PUT", `/campaigns/${c.id}/steps/${last.id}/processed`, { prospects: 1 });
      expectBusiness(
        await v2("DELETE", `/campaigns/${c.id}/steps/${last.id}`),
        409,
        "STEP_ALREADY_PROCESSED",
      );

      const r = await v2("DELETE", `/campaigns/${c.id}/steps/${middle.id}`);
      expect(r.status, r.text).to.equal(200);
      expect(stepsOf(r.json).map((s) => s.id)).to.deep.equal([li.id, first.id, last.id]);
      expect(stepsOf(r.json)[1].followup.id).to.equal(last.id);

      await setStatus(c.id, "RUNNING");
      expectBusiness(await v2("DELETE", `/campaigns/${c.id}/steps/${last.id}`), 409, "CAMPAIGN_NOT_EDITABLE");
    });
  });
});
