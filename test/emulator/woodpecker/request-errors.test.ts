/** Woodpecker emulator contract: request-level errors (problem dialect) (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import { KEY, createBody, expectProblem, v2, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("request-level errors (problem dialect)", function () {
    it("answers 401 without or with an unknown x-api-key", async function () {
      expectProblem(
        await v2("GET", "/campaigns/12345001", { key: null }),
        401,
        "Unauthorized",
        "Invalid api key",
      );
      expectProblem(await v2("POST", "/campaigns", { key: "nope", body: createBody() }), 401, "Unauthorized");
      // v2 does not accept the legacy Basic auth
      const basic = "Basic " + Buffer.from(`:${KEY}`).toString("base64");
      expectProblem(
        await v2("GET", "/campaigns/1", { key: null, headers: { authorization: basic } }),
        401,
        "Unauthorized",
      );
    });

    it("answers 400 for a non-integer campaign_id", async function () {
      for (const bad of ["abc", "1.5", "12345001x", "99999999999999999999"]) {
        expectProblem(
          await v2("GET", `/campaigns/${bad}`),
          400,
          "Bad Request",
          "Value of campaign_id is incorrect.",
        );
      }
      expectProblem(
        await v2("POST", "/campaigns/abc/run"),
        400,
        "Bad Request",
        "Value of campaign_id is incorrect.",
      );
    });

    it("answers 400 for a malformed JSON body and 404 for an unknown route", async function () {
      expectProblem(
        await v2("POST", "/campaigns", { raw: "{not json" }),
        400,
        "Bad Request",
        "Failed to read request",
      );
      expectProblem(
        await v2("POST", "/campaigns", { raw: "" }),
        400,
        "Bad Request",
        "Failed to read request",
      );
      expectProblem(await v2("GET", "/nothing/here"), 404, "Not Found");
    });

    it("has no v2 list: GET /rest/v2/campaigns is 405", async function () {
      const r = await v2("GET", "/campaigns");
      expectProblem(r, 405, "Method Not Allowed");
      expect(r.headers.get("allow")).to.equal("POST");
    });
  });
});
