/** Burki emulator contract: template preview (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { type Json, call, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("template preview", () => {
    it("renders variables with the system defaults", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", {
        json: {
          template: "Hi {{ name }}, {{assistant_name}} from {{company}} on {{ day | upper }}",
          variables: { day: "mon" },
        },
      });
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({
        success: true,
        rendered_template: "Hi there, your assistant from our company on MON",
      });
      const named = await call("POST", "/api/v1/campaigns/template-preview", {
        json: { template: "Hi {{name}}", variables: { name: "John" } },
      });
      expect(named.body.rendered_template).to.equal("Hi John");
    });

    it("reports a syntax error with 200 and success false", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", {
        json: { template: "Hi {{ name", variables: {} },
      });
      expect(res.status).to.equal(200);
      expect(res.body.success).to.equal(false);
      expect(res.body.rendered_template).to.match(/^\[Template Error: .+\] Hi \{\{ name$/);
    });

    it("requires both template and variables", async () => {
      const res = await call("POST", "/api/v1/campaigns/template-preview", { json: { template: "x" } });
      expect(res.status).to.equal(422);
      expect(res.body.detail.map((d: Json) => d.loc)).to.deep.equal([["body", "variables"]]);
    });
  });
});
