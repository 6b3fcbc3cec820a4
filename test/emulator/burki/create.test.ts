/** Burki emulator contract: create (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { ISO_Z, type Json, call, createCampaign, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("create", () => {
    it("answers 200 with a draft campaign, defaults applied, unknown keys dropped, no assistant_name", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: {
          name: "Spring outreach",
          campaign_type: "call",
          assistant_id: 12,
          contacts: [{ phone: "+15551234567" }],
          phone_number_id: 7,
        },
      });
      expect(res.status).to.equal(200);
      const c = res.body;
      expect(c).to.include({
        id: 1,
        name: "Spring outreach",
        description: null,
        campaign_type: "call",
        status: "draft",
        assistant_id: 12,
        max_attempts: 3,
        retry_delay_minutes: 30,
        total_contacts: 0,
        completed_contacts: 0,
        failed_contacts: 0,
        welcome_message_template: null,
        sms_message_template: null,
      });
      expect(c).not.to.have.property("assistant_name");
      expect(c).not.to.have.property("contacts");
      expect(c).not.to.have.property("phone_number_id");
      expect(c.created_at).to.match(ISO_Z);
      expect(c.updated_at).to.match(ISO_Z);
      expect((await createCampaign()).id).to.equal(2);
    });

    it("coerces a numeric string assistant_id and accepts any campaign_type", async () => {
      const c = await createCampaign({ assistant_id: "12", campaign_type: "carrier-pigeon" });
      expect(c.assistant_id).to.equal(12);
      expect(c.campaign_type).to.equal("carrier-pigeon");
    });

    it("rejects max_attempts 11 and retry_delay_minutes 4 with bounded-integer errors", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1, max_attempts: 11, retry_delay_minutes: 4 },
      });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        {
          type: "less_than_equal",
          loc: ["body", "max_attempts"],
          msg: "Input should be less than or equal to 10",
          input: 11,
          ctx: { le: 10 },
        },
        {
          type: "greater_than_equal",
          loc: ["body", "retry_delay_minutes"],
          msg: "Input should be greater than or equal to 5",
          input: 4,
          ctx: { ge: 5 },
        },
      ]);
      const zero = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1, max_attempts: 0 },
      });
      expect(zero.body.detail[0]).to.include({
        type: "greater_than_equal",
        msg: "Input should be greater than or equal to 1",
      });
      expect(zero.body.detail[0].ctx).to.deep.equal({ ge: 1 });
    });

    it("rejects an empty or too long name", async () => {
      const empty = await call("POST", "/api/v1/campaigns/", {
        json: { name: "", campaign_type: "call", assistant_id: 1 },
      });
      expect(empty.status).to.equal(422);
      expect(empty.body.detail).to.deep.equal([
        {
          type: "string_too_short",
          loc: ["body", "name"],
          msg: "String should have at least 1 character",
          input: "",
          ctx: { min_length: 1 },
        },
      ]);
      const long = await call("POST", "/api/v1/campaigns/", {
        json: { name: "n".repeat(201), campaign_type: "call", assistant_id: 1 },
      });
      expect(long.body.detail[0]).to.include({
        type: "string_too_long",
        msg: "String should have at most 200 characters",
      });
    });

    it("lists every missing required field in one 422, in schema order", async () => {
      const res = await call("POST", "/api/v1/campaigns/", { json: { description: "d" } });
      expect(res.status).to.equal(422);
      expect(res.body.detail.map((d: Json) => [d.type, d.loc.join("."), d.msg])).to.deep.equal([
        ["missing", "body.name", "Field required"],
        ["missing", "body.campaign_type", "Field required"],
        ["missing", "body.assistant_id", "Field required"],
      ]);
    });

    it("rejects bad assistant_id values and non-string fallback values", async () => {
      const res = await call("POST", "/api/v1/campaigns/", {
        json: {
          name: "x",
          campaign_type: "call",
          assistant_id: "abc",
          fallback_values: { name: "there", key: 5 },
        },
      });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        {
          type: "int_parsing",
          loc: ["body", "assistant_id"],
          msg: "Input should be a valid integer, unable to parse string as an integer",
          input: "abc",
        },
        {
          type: "string_type",
          loc: ["body", "fallback_values", "key"],
          msg: "Input should be a valid string",
          input: 5,
        },
      ]);
      const float = await call("POST", "/api/v1/campaigns/", {
        json: { name: "x", campaign_type: "call", assistant_id: 1.5 },
      });
      expect(float.body.detail[0]).to.include({ type: "int_from_float" });
    });

    it("answers a missing body with loc [body]", async () => {
      const res = await call("POST", "/api/v1/campaigns/");
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.deep.equal([
        { type: "missing", loc: ["body"], msg: "Field required", input: null },
      ]);
    });
  });
});
