/**
 * Steps and versions (add at the end, edit a delivery time, delete an EMAIL step, edit a version;
 * all only in DRAFT / EDITED) and the bounce-shield threshold (any status).
 */
import { HttpReply } from "../common";
import { business, stepNotFound, validationFailure, versionNotFound } from "./errors";
import { findStep, onCampaign } from "./state";
import { MAX_STEPS, type EmailVersion, type LinkedInVersion } from "./types";
import { Issues, given, parseDeliveryTime, parseStep, parseVersionPatch } from "./validation";
import { full } from "./views";

export const addStep = onCampaign({ body: true, editable: true }, (p) => {
  const { c, body } = p;
  const issues = new Issues();
  if (typeof body.parent_id !== "string" || body.parent_id === "") {
    issues.add("parent_id", "is required (the id of the current last step)");
  }
  // emulator guess: a `followup` inside the new step is ignored (steps are added one at a time).
  const step = parseStep(body.step, "step", issues);
  if (!issues.ok || !step) return validationFailure(issues);
  const parentId = body.parent_id as string;
  const last = c.steps[c.steps.length - 1];
  if (parentId !== c.startId && !findStep(c, parentId)) return stepNotFound();
  if (parentId !== last.id) {
    return business(400, "INVALID_PARENT_STEP", "A step can only be added at the end of the campaign");
  }
  if (last.processedProspects > 0) {
    // emulator guess: code and message.
    return business(409, "STEP_ALREADY_PROCESSED", "The parent step has already processed prospects");
  }
  if (c.steps.length >= MAX_STEPS) {
    issues.add("steps", `a campaign can have at most ${MAX_STEPS} EMAIL or LINKEDIN steps`);
    return validationFailure(issues);
  }
  c.steps.push(step);
  // emulator guess: add-step answers 200 with the full campaign (undocumented).
  return full(c);
});

export const patchStep = onCampaign({ body: true, editable: true }, (p, _s, _ctx, params) => {
  const { c, body } = p;
  const issues = new Issues();
  if (params.step_id === c.startId) {
    // emulator guess: the START step has no delivery time.
    issues.add("step_id", "is the START step, which has no delivery_time");
    return validationFailure(issues);
  }
  const found = findStep(c, params.step_id);
  if (!found) return stepNotFound();
  if (!given(body.delivery_time)) {
    issues.add("delivery_time", "is required");
    return validationFailure(issues);
  }
  // emulator guess: only delivery_time is used; followup_after and other fields are ignored.
  const dt = parseDeliveryTime(body.delivery_time, "delivery_time", issues);
  if (!issues.ok || !dt) return validationFailure(issues);
  found.step.delivery_time = dt; // replaces the whole object
  return full(c);
});

export const deleteStep = onCampaign({ editable: true }, (p, _s, _ctx, params) => {
  const { c } = p;
  const found = params.step_id === c.startId ? undefined : findStep(c, params.step_id);
  if (params.step_id === c.startId || (found && found.step.type !== "EMAIL")) {
    // emulator guess: code and message.
    return business(400, "STEP_NOT_DELETABLE", "Only EMAIL steps can be deleted");
  }
  if (!found) return stepNotFound();
  const firstEmail = c.steps.findIndex((s) => s.type === "EMAIL");
  if (found.index === firstEmail) {
    // emulator guess: code and message.
    return business(400, "FIRST_EMAIL_STEP_NOT_DELETABLE", "The first EMAIL step cannot be deleted");
  }
  if (found.step.processedProspects > 0) {
    // emulator guess: code and message.
    return business(409, "STEP_ALREADY_PROCESSED", "The step has already processed prospects");
  }
  // The chain is relinked: the deleted step's parent now points to its followup.
  c.steps.splice(found.index, 1);
  return full(c);
});

export const patchVersion = onCampaign({ body: true, editable: true }, (p, _s, _ctx, params) => {
  const { c, body } = p;
  const found = findStep(c, params.step_id);
  if (!found) return params.step_id === c.startId ? versionNotFound() : stepNotFound();
  const versions: Array<EmailVersion | LinkedInVersion> = found.step.body.versions;
  const version = versions.find((v) => v.id === params.version_id);
  if (!version) return versionNotFound();
  const issues = new Issues();
  const changes = parseVersionPatch(found.step, body, "", issues);
  if (!issues.ok) return validationFailure(issues);
  Object.assign(version, changes);
  return full(c);
});

// -------------------------------------------------------------------------------------------
// Bounce shield. emulator guess: allowed in any status (the docs have no DRAFT/EDITED note).

export const getThreshold = onCampaign((p) => {
  return new HttpReply(200, { bounce_rate_threshold: p.c.bounceRateThreshold });
});

export const putThreshold = onCampaign({ body: true }, (p) => {
  const t = p.body.bounce_rate_threshold;
  if (typeof t !== "number" || !Number.isSafeInteger(t) || t < 1 || t > 99) {
    const issues = new Issues();
    issues.add("bounce_rate_threshold", "is required and must be an integer from 1 to 99");
    return validationFailure(issues);
  }
  p.c.bounceRateThreshold = t;
  return new HttpReply(204);
});

export const deleteThreshold = onCampaign((p) => {
  p.c.bounceRateThreshold = null;
  // emulator guess: 204 like PUT (the DELETE response is undocumented), also when nothing was set.
  return new HttpReply(204);
});
