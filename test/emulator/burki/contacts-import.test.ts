/** Burki emulator contract: contacts import (through HTTP only; setup in ./helpers.ts). */
import { expect } from "chai";
import {
  ISO_Z,
  type Json,
  call,
  campaignWithContacts,
  contactsOf,
  control,
  createCampaign,
  csvForm,
  getCampaign,
  importCsv,
  runningCampaign,
  waitFor,
  useBurkiEmulator,
} from "./helpers";

describe("Burki emulator (contract)", function () {
  this.timeout(10_000);
  useBurkiEmulator();

  describe("contacts import", () => {
    it("accepts a CSV with 202, then processes it asynchronously with E.164 normalisation", async () => {
      const c = await createCampaign();
      const csv =
        "Phone Number,Full Name,Email,Appointment Date,Notes\r\n" +
        '5551234567,"Smith, John",john@example.com,2024-02-15,"He said ""hi"""\r\n' +
        "+44 20 7946 0958,Jane Doe,,2024-02-16,\r\n" +
        "(555) 123-9999,No Email,,,\r\n" +
        "12345,Too Short,,,\r\n" +
        "555-123-4567,Duplicate,,,\r\n";
      const res = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, {
        form: csvForm(csv, "leads.csv"),
      });
      expect(res.status).to.equal(202);
      expect(res.body).to.deep.equal({
        import_id: 1,
        campaign_id: c.id,
        status: "pending",
        message: "Import queued for processing",
      });
      let job: Json;
      await waitFor(async () => {
        job = (await call("GET", `/api/v1/campaigns/${c.id}/imports/1`)).body;
        return job.status === "completed";
      });
      expect(job).to.include({
        id: 1,
        import_id: 1,
        campaign_id: c.id,
        file_name: "leads.csv",
        total_rows: 5,
        imported_count: 3,
        skipped_count: 1,
        invalid_count: 1,
        error: null,
      });
      expect(job.completed_at).to.match(ISO_Z);
      const contacts = await contactsOf(c.id);
      expect(contacts.map((k) => k.phone_number)).to.deep.equal([
        "+15551234567",
        "+442079460958",
        "+15551239999",
      ]);
      expect(contacts[0]).to.include({ status: "pending", attempts: 0, last_attempt_at: null });
      expect(contacts[0].contact_data).to.deep.equal({
        variable_values: {
          name: "Smith, John",
          email: "john@example.com",
          appointment_date: "2024-02-15",
          notes: 'He said "hi"',
        },
        custom_fields: {},
      });
      const after = await getCampaign(c.id);
      expect(after).to.include({
        total_contacts: 3,
        last_import_file_name: "leads.csv",
        last_import_row_count: 5,
      });
      expect(after.last_import_date).to.match(ISO_Z);
    });

    it("applies column_mappings before header auto-detection", async () => {
      const c = await createCampaign();
      await importCsv(c.id, "Tel,Who\n5551230000,Ann\n", { Tel: "phone_number", Who: "name" });
      const [k] = await contactsOf(c.id);
      expect(k.phone_number).to.equal("+15551230000");
      expect(k.contact_data.variable_values).to.deep.equal({ name: "Ann" });
    });

    it("replaces pending contacts on re-import and keeps processed ones", async () => {
      const c = await createCampaign();
      await importCsv(c.id, "phone\n5551110001\n5551110002\n5551110003\n");
      const first = await contactsOf(c.id);
      const done = first[0];
      await control("PATCH", `/_emulator/campaigns/${c.id}/contacts/${done.id}`, { status: "completed" });
      const job = await importCsv(c.id, "phone\n5551110001\n5552220001\n");
      expect(job).to.include({ total_rows: 2, imported_count: 1, skipped_count: 1 });
      const contacts = await contactsOf(c.id);
      expect(contacts.map((k) => [k.phone_number, k.status])).to.deep.equal([
        ["+15551110001", "completed"],
        ["+15552220001", "pending"],
      ]);
      expect((await getCampaign(c.id)).total_contacts).to.equal(2);
      expect((await contactsOf(c.id, "?status=pending")).map((k) => k.phone_number)).to.deep.equal([
        "+15552220001",
      ]);
    });

    it("rejects empty files, files without a phone column, missing files and imports while running", async () => {
      const c = await createCampaign();
      for (const csv of ["", "phone\n", "name,email\nAnn,a@example.com\n"]) {
        const res = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, { form: csvForm(csv) });
        expect(res.status, JSON.stringify(csv)).to.equal(400);
        expect(res.body).to.deep.equal({ detail: "Invalid file format or empty file" });
      }
      const noFile = new FormData();
      noFile.append("column_mappings", "{}");
      const missing = await call("POST", `/api/v1/campaigns/${c.id}/import-data`, { form: noFile });
      expect(missing.status).to.equal(422);
      expect(missing.body.detail[0]).to.include({ type: "missing", msg: "Field required" });
      expect(missing.body.detail[0].loc).to.deep.equal(["body", "file"]);
      const unknown = await call("GET", `/api/v1/campaigns/${c.id}/imports/77`);
      expect(unknown.status).to.equal(404);
      expect(unknown.body).to.deep.equal({ detail: "Import not found" });
      const id = await runningCampaign();
      const running = await call("POST", `/api/v1/campaigns/${id}/import-data`, {
        form: csvForm("phone\n5551234567\n"),
      });
      expect(running.status).to.equal(400);
    });

    it("rejects an invalid contact status filter with 400", async () => {
      const id = await campaignWithContacts();
      const res = await call("GET", `/api/v1/campaigns/${id}/contacts?status=bogus`);
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: "Invalid status value" });
      const page = await call("GET", `/api/v1/campaigns/${id}/contacts?per_page=1&page=2`);
      expect(page.body.contacts).to.have.length(1);
      expect(page.body.pagination).to.include({
        total_items: 2,
        total_pages: 2,
        has_prev: true,
        has_next: false,
      });
    });
  });
});
