/** Woodpecker emulator contract: v1 campaign_list (through HTTP only; setup in ./helpers.ts). */
/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers are inspected loosely, as a client would. */
import { expect } from "chai";
import { OTHER_KEY, api, create, setStatus, useWoodpeckerEmulator } from "./helpers";

describe("Woodpecker emulator (contract)", function () {
  useWoodpeckerEmulator();

  describe("v1 campaign_list", function () {
    it("lists the account's campaigns, filtered by status and id", async function () {
      const a = await create({
        name: "A",
        settings: { timezone: "UTC", daily_enroll: 77, gdpr_unsubscribe: true },
      });
      const b = await create({ name: "B" });
      await create({ name: "other account" }, OTHER_KEY);
      await setStatus(b.id, "RUNNING");

      const all = await api("GET", "/rest/v1/campaign_list");
      expect(all.status).to.equal(200);
      expect(all.json.map((x: any) => x.name)).to.deep.equal(["A", "B"]);
      const item = all.json[0];
      expect(item).to.have.keys([
        "id",
        "name",
        "status",
        "created",
        "from_name",
        "from_names",
        "gdpr_unsubscribe",
        "folder_name",
        "folder_id",
        "from_email",
        "from_emails",
        "per_day",
        "bcc",
        "cc",
        "error",
      ]);
      expect(item).to.include({ id: a.id, status: "DRAFT", per_day: 77, gdpr_unsubscribe: true });
      expect(item.created).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
      expect(item.from_emails).to.deep.equal(["sender101@example.com"]);

      const running = await api("GET", "/rest/v1/campaign_list?status=RUNNING,PAUSED");
      expect(running.json.map((x: any) => x.id)).to.deep.equal([b.id]);
      const byId = await api("GET", `/rest/v1/campaign_list?id=${a.id},${b.id}`);
      expect(byId.json.map((x: any) => x.id)).to.deep.equal([a.id, b.id]);

      // Basic auth with ":<key>" works on v1
      const basic = "Basic " + Buffer.from(`:${OTHER_KEY}`).toString("base64");
      const other = await api("GET", "/rest/v1/campaign_list", {
        key: null,
        headers: { authorization: basic },
      });
      expect(other.json.map((x: any) => x.name)).to.deep.equal(["other account"]);
    });

    it("answers its errors inside HTTP 200", async function () {
      const none = await api("GET", "/rest/v1/campaign_list");
      expect(none.status).to.equal(200);
      expect(none.json).to.deep.equal({
        status: { status: "ERROR", code: "E_NO_CAMPAIGNS", msg: "No campaigns found" },
      });
      await create();
      const filtered = await api("GET", "/rest/v1/campaign_list?status=COMPLETED");
      expect(filtered.status).to.equal(200);
      expect(filtered.json.status.code).to.equal("E_NO_CAMPAIGNS");

      const expected = { status: { status: "ERROR", code: "E_SESSION", msg: "Invalid or expired API key" } };
      const bad = await api("GET", "/rest/v1/campaign_list", { key: "wrong" });
      expect(bad.status).to.equal(200);
      expect(bad.json).to.deep.equal(expected);
      const noKey = await api("GET", "/rest/v1/campaign_list", { key: null });
      expect(noKey.status).to.equal(200);
      expect(noKey.json).to.deep.equal(expected);
      const badBasic = "Basic " + Buffer.from(":wrong").toString("base64");
      const r = await api("GET", "/rest/v1/campaign_list", {
        key: null,
        headers: { authorization: badBasic },
      });
      expect(r.json).to.deep.equal(expected);
    });
  });
});
