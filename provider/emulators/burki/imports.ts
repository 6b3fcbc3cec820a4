/**
 * Contact imports: `POST …/import-data` checks the file and answers 202, a background worker
 * processes it after `importDelayMs`, and `GET …/imports/:import_id` is polled for the result.
 */
import { HttpReply } from "../common";
import { columnTargets, normalizePhone, parseColumnMappings, parseCsv } from "./csv";
import type { BurkiState } from "./state";
import type { ApiCall, BurkiImport } from "./types";
import { Validation } from "./validation";
import { importView } from "./views";

export async function importData(s: BurkiState, call: ApiCall): Promise<HttpReply> {
  const v = new Validation();
  const id = v.int(["path", "campaign_id"], call.params.campaign_id);
  const form = call.form ?? new FormData();
  const file = form.get("file");
  if (file === null) v.add("missing", ["body", "file"], "Field required", null);
  else if (typeof file === "string") {
    v.add(
      "value_error",
      ["body", "file"],
      "Value error, Expected UploadFile, received: <class 'str'>",
      file,
      {
        error: {},
      },
    );
  }
  const mappingsEntry = form.get("column_mappings");
  const mappingsRaw = typeof mappingsEntry === "string" ? mappingsEntry : null;
  if (mappingsEntry !== null && typeof mappingsEntry !== "string") {
    v.add("string_type", ["body", "column_mappings"], "Input should be a valid string", {});
  }
  if (v.failed || id === undefined || file === null || typeof file === "string") return v.reply();
  const c = s.lookup(id, call.org);
  if (c instanceof HttpReply) return c;
  // emulator guess: import is refused while the campaign is running (undocumented).
  if (c.status === "running") {
    return new HttpReply(400, { detail: "Cannot import contacts while the campaign is running" });
  }
  const columnMappings = parseColumnMappings(mappingsRaw);
  // emulator guess: wording of the bad column_mappings error.
  if (!columnMappings) return new HttpReply(400, { detail: "Invalid column_mappings JSON" });
  const text = (await file.text()).replace(/^\uFEFF/, "");
  const rows = parseCsv(text).filter((r) => r.some((cell) => cell.trim() !== ""));
  const header = rows.shift();
  const targets = header ? columnTargets(header, columnMappings, c.variable_mappings) : [];
  // emulator guess: the file is checked synchronously; a header-only file counts as empty.
  if (!header || rows.length === 0 || !targets.includes("phone_number")) {
    return new HttpReply(400, { detail: "Invalid file format or empty file" });
  }
  const job: BurkiImport = {
    id: s.nextImportId++,
    campaign_id: c.id,
    status: "pending",
    file_name: file.name || "upload.csv",
    total_rows: rows.length,
    imported_count: 0,
    skipped_count: 0,
    invalid_count: 0,
    error: null,
    created_at: s.now(),
    completed_at: null,
    header,
    rows,
    columnMappings,
  };
  c.imports.push(job);
  const timer = setTimeout(() => {
    s.importTimers.delete(timer);
    processImport(s, job);
  }, s.importDelayMs);
  timer.unref();
  s.importTimers.add(timer);
  // emulator guess: the 202 body is undocumented; this shape is invented.
  return new HttpReply(202, {
    import_id: job.id,
    campaign_id: c.id,
    status: "pending",
    message: "Import queued for processing",
  });
}

/** The background worker: replace pending/skipped contacts with the file's rows. */
export function processImport(s: BurkiState, job: BurkiImport): void {
  const c = s.campaigns.get(job.campaign_id);
  if (!c || !c.imports.includes(job)) return;
  // emulator guess: the import runs in one step, so "processing" is never observed by a poll.
  job.status = "processing";
  // Pending or skipped contacts from earlier imports are deleted first; the others are kept.
  c.contacts = c.contacts.filter((k) => k.status !== "pending" && k.status !== "skipped");
  const seen = new Set(c.contacts.map((k) => k.phone_number));
  const targets = columnTargets(job.header, job.columnMappings, c.variable_mappings);
  const phoneCol = targets.indexOf("phone_number");
  const at = s.now();
  for (const row of job.rows) {
    const phone = normalizePhone(row[phoneCol] ?? "");
    if (!phone) {
      job.invalid_count++;
      continue;
    }
    // emulator guess: a phone repeated inside the same file is skipped like an existing one.
    if (seen.has(phone)) {
      job.skipped_count++;
      continue;
    }
    seen.add(phone);
    const vars: Record<string, string> = {};
    targets.forEach((t, i) => {
      const cell = (row[i] ?? "").trim();
      // emulator guess: empty cells are left out of variable_values.
      if (i !== phoneCol && t !== "phone_number" && cell !== "") vars[t] = cell;
    });
    c.contacts.push({
      id: s.nextContactId++,
      phone_number: phone,
      contact_data: { variable_values: vars, custom_fields: {} },
      status: "pending",
      attempts: 0,
      created_at: at,
      last_attempt_at: null,
    });
    job.imported_count++;
  }
  job.status = "completed";
  job.completed_at = at;
  job.rows = [];
  c.last_import_file_name = job.file_name;
  c.last_import_date = at;
  c.last_import_row_count = job.total_rows;
  // emulator guess: an import does not bump updated_at.
}

export function getImport(s: BurkiState, call: ApiCall): HttpReply {
  const v = new Validation();
  const id = v.int(["path", "campaign_id"], call.params.campaign_id);
  const importId = v.int(["path", "import_id"], call.params.import_id);
  if (v.failed || id === undefined || importId === undefined) return v.reply();
  const c = s.lookup(id, call.org);
  if (c instanceof HttpReply) return c;
  const job = c.imports.find((j) => j.id === importId);
  // emulator guess: the detail of an unknown import (the import-status route is OAS-only).
  if (!job) return new HttpReply(404, { detail: "Import not found" });
  return new HttpReply(200, importView(job));
}
