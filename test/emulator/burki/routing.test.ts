/** Burki emulator contract: routing quirks (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { baseUrl, call, useBurkiEmulator } from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("routing quirks", () => {
    it("redirects the slash-less collection path with 307, keeping the query, for any method", async () => {
      for (const method of ["GET", "POST"]) {
        const res = await call(method, "/api/v1/campaigns?page=2&per_page=5", { key: null });
        expect(res.status).to.equal(307);
        expect(res.headers.get("location")).to.equal(`${baseUrl()}/api/v1/campaigns/?page=2&per_page=5`);
        expect(res.text).to.equal("");
      }
    });

    it("redirects a trailing slash on an item path to the slash-less spelling", async () => {
      const res = await call("DELETE", "/api/v1/campaigns/42/");
      expect(res.status).to.equal(307);
      expect(res.headers.get("location")).to.equal(`${baseUrl()}/api/v1/campaigns/42`);
    });

    it("answers 404 for unknown paths and 405 for known paths with the wrong method, before auth", async () => {
      for (const path of ["/api/v1/nothing", "/api/v1/campaigns/42/resume", "/api/v1/campaigns/42/cancel"]) {
        const res = await call("POST", path, { key: null });
        expect(res.status, path).to.equal(404);
        expect(res.body).to.deep.equal({ detail: "Not Found" });
      }
      const patch = await call("PATCH", "/api/v1/campaigns/42", { json: { name: "x" }, key: null });
      expect(patch.status).to.equal(405);
      expect(patch.body).to.deep.equal({ detail: "Method Not Allowed" });
      const addContacts = await call("POST", "/api/v1/campaigns/42/contacts", { json: { contacts: [] } });
      expect(addContacts.status).to.equal(405);
      expect(addContacts.body).to.deep.equal({ detail: "Method Not Allowed" });
    });

    it("rejects a non-integer campaign id with a Pydantic int_parsing 422, after auth", async () => {
      expect((await call("GET", "/api/v1/campaigns/abc", { key: null })).status).to.equal(401);
      const res = await call("GET", "/api/v1/campaigns/abc");
      expect(res.status).to.equal(422);
      expect(res.body).to.deep.equal({
        detail: [
          {
            type: "int_parsing",
            loc: ["path", "campaign_id"],
            msg: "Input should be a valid integer, unable to parse string as an integer",
            input: "abc",
          },
        ],
      });
    });

    it("reports malformed JSON as json_invalid before checking auth", async () => {
      const res = await call("POST", "/api/v1/campaigns/", { raw: '{"name": ', key: null });
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.have.length(1);
      const [issue] = res.body.detail;
      expect(issue.type).to.equal("json_invalid");
      expect(issue.msg).to.equal("JSON decode error");
      expect(issue.loc[0]).to.equal("body");
      expect(issue.loc[1]).to.be.a("number");
      expect(issue.input).to.deep.equal({});
      expect(issue.ctx.error).to.be.a("string");
      const token = await call("POST", "/api/v1/campaigns/", { raw: '{"name": x}' });
      expect(token.body.detail[0].loc).to.deep.equal(["body", 9]);
      expect(token.body.detail[0].ctx).to.deep.equal({ error: "Expecting value" });
    });
  });
});
