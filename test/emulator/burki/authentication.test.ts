/** Burki emulator contract: authentication (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  BURKI_EMULATOR_API_KEY,
  ORG2_KEY,
  PLAIN_KEY,
  call,
  createCampaign,
  useBurkiEmulator,
} from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("authentication", () => {
    it("answers 401 with the FastAPI body and WWW-Authenticate when the key is missing or unknown", async () => {
      for (const key of [null, "burki_unknownunknownunknownunknown000"]) {
        const res = await call("GET", "/api/v1/campaigns/", { key });
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({
          detail: "Authentication required. Provide a valid API key or login session.",
        });
        expect(res.headers.get("www-authenticate")).to.equal("Bearer");
      }
      const basic = await call("GET", "/api/v1/campaigns/", {
        key: null,
        headers: { authorization: "Basic abc" },
      });
      expect(basic.status).to.equal(401);
    });

    it("accepts the default key, organisation keys and plain apiKeys", async () => {
      expect(BURKI_EMULATOR_API_KEY).to.match(/^burki_[a-z0-9]{32}$/);
      for (const key of [BURKI_EMULATOR_API_KEY, ORG2_KEY, PLAIN_KEY]) {
        expect((await call("GET", "/api/v1/campaigns/", { key })).status).to.equal(200);
      }
      const c = await createCampaign({}, PLAIN_KEY);
      expect((await call("GET", `/api/v1/campaigns/${c.id}`)).status, "plain key → org-1").to.equal(200);
    });
  });
});
