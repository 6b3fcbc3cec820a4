/**
 * Woodpecker's two error dialects: the framework's "problem" bodies `{title, status, detail,
 * timestamp}` (auth, bad ids, unreadable bodies, unknown routes) and the business bodies `{code,
 * message, details}`; and the v1 quirk, errors inside an HTTP 200.
 */
import { HttpReply } from "../common";
import type { Issues } from "./validation";

/** "YYYY-MM-DD HH:mm:ss" in UTC, as in the documented problem bodies. */
export function problemTimestamp(d = new Date()): string {
  return d.toISOString().replace("T", " ").slice(0, 19);
}

export function problem(
  status: number,
  title: string,
  detail: string,
  headers?: Record<string, string>,
): HttpReply {
  return new HttpReply(status, { title, status, detail, timestamp: problemTimestamp() }, headers);
}

export function business(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
): HttpReply {
  return new HttpReply(status, { code, message, details });
}

export const unauthorized = () => problem(401, "Unauthorized", "Invalid api key");
export const badCampaignId = () => problem(400, "Bad Request", "Value of campaign_id is incorrect.");
export const unreadable = () => problem(400, "Bad Request", "Failed to read request");
export const campaignNotFound = () => business(404, "CAMPAIGN_NOT_EXIST", "Campaign not found");
// emulator guess: the code of the "not editable" 409 is undocumented; the message is the docs' sentence.
export const notEditable = () =>
  business(409, "CAMPAIGN_NOT_EDITABLE", "Only campaigns with a status of DRAFT or EDITED can be updated");
// emulator guess: codes and messages of the step/version 404s.
export const stepNotFound = () => business(404, "STEP_NOT_EXIST", "Step not found");
export const versionNotFound = () => business(404, "VERSION_NOT_EXIST", "Version not found");
export const validationFailure = (issues: Issues) =>
  // emulator guess: the real API sends `details: null`; we put the list of problems there as a string.
  business(400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", issues.list.join("; "));

export function v1Error(code: string, msg: string): HttpReply {
  // The v1 quirk: errors come back inside an HTTP 200.
  return new HttpReply(200, { status: { status: "ERROR", code, msg } });
}
