/**
 * The Burki emulator's control API (no auth, JSON), after the shared routes of common/control.ts:
 *   GET    /_emulator/campaigns                          → {"campaigns":[full campaign + organization + contacts…]}
 *   GET    /_emulator/campaigns/:id                      → one full campaign
 *   POST   /_emulator/campaigns/:id/transition           {"status":…} forces a background transition
 *   PATCH  /_emulator/campaigns/:id                      edits fields "outside Pulumi", any status
 *   DELETE /_emulator/campaigns/:id                      deletes "outside Pulumi", any status
 *   POST   /_emulator/campaigns/:id/hooks                {"startBeforeNextDelete"?, "ignoreStop"?}
 *   PATCH  /_emulator/campaigns/:id/contacts/:contactId  {"status"?, "attempts"?} edits one contact
 *   GET    /_emulator/config                             → {startDelayMs, importDelayMs, crossOrgStatus}
 *   PUT    /_emulator/config                             {"startDelayMs"?, "importDelayMs"?, "crossOrgStatus"?}
 * An unknown campaign is 404 {"error":"no campaign <id>"}; a bad body is 400 {"error": …}.
 */
import { HttpReply, Router, type ControlHandler, type RequestContext } from "../common";
import type { BurkiState } from "./state";
import {
  CAMPAIGN_STATUSES,
  CONTACT_STATUSES,
  type BurkiCampaign,
  type BurkiCampaignStatus,
  type BurkiContactStatus,
} from "./types";
import { TEMPLATE_FIELDS, isPlainObject } from "./validation";
import { contactView, fullView } from "./views";

function body(ctx: RequestContext): Record<string, unknown> {
  const parsed = ctx.rawBody.length ? (JSON.parse(ctx.rawBody.toString("utf8")) as unknown) : {};
  if (!isPlainObject(parsed)) throw new Error("body must be a JSON object");
  return parsed;
}

const missing = (raw: string) => new HttpReply(404, { error: `no campaign ${raw}` });

/** The control routes (Starlette-style matching, like the API: a `:param` is never empty). */
export function burkiControlRouter(s: BurkiState): Router<ControlHandler> {
  const find = (raw: string): BurkiCampaign | undefined => s.campaigns.get(Number(raw));
  const config = () =>
    new HttpReply(200, {
      startDelayMs: s.startDelayMs,
      importDelayMs: s.importDelayMs,
      crossOrgStatus: s.crossOrgStatus,
    });
  return new Router<ControlHandler>(
    [
      {
        pattern: "/_emulator/config",
        methods: {
          GET: config,
          PUT: (ctx) => {
            applyConfig(s, body(ctx));
            return config();
          },
        },
      },
      {
        pattern: "/_emulator/campaigns",
        methods: {
          GET: () => new HttpReply(200, { campaigns: [...s.campaigns.values()].map((c) => fullView(c)) }),
        },
      },
      {
        pattern: "/_emulator/campaigns/:id",
        methods: {
          GET: (_ctx, p) => {
            const c = find(p.id);
            return c ? new HttpReply(200, fullView(c)) : missing(p.id);
          },
          DELETE: (_ctx, p) => {
            const c = find(p.id);
            if (!c) return missing(p.id);
            s.removeCampaign(c);
            return new HttpReply(200, { ok: true });
          },
          PATCH: (ctx, p) => {
            const c = find(p.id);
            if (!c) return missing(p.id);
            patchCampaign(s, c, body(ctx));
            return new HttpReply(200, fullView(c));
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/transition",
        methods: {
          POST: (ctx, p) => {
            const c = find(p.id);
            if (!c) return missing(p.id);
            const status = body(ctx).status;
            if (!CAMPAIGN_STATUSES.includes(status as BurkiCampaignStatus)) {
              return new HttpReply(400, { error: `status must be one of ${CAMPAIGN_STATUSES.join(", ")}` });
            }
            forceTransition(s, c, status as BurkiCampaignStatus);
            return new HttpReply(200, fullView(c));
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/hooks",
        methods: {
          POST: (ctx, p) => {
            const c = find(p.id);
            if (!c) return missing(p.id);
            const b = body(ctx);
            for (const k of ["startBeforeNextDelete", "ignoreStop"] as const) {
              if (b[k] === undefined) continue;
              if (typeof b[k] !== "boolean") return new HttpReply(400, { error: `${k} must be a boolean` });
              c.hooks[k] = b[k];
            }
            return new HttpReply(200, { hooks: { ...c.hooks } });
          },
        },
      },
      {
        pattern: "/_emulator/campaigns/:id/contacts/:contactId",
        methods: {
          PATCH: (ctx, p) => {
            const c = find(p.id);
            if (!c) return missing(p.id);
            const k = c.contacts.find((x) => x.id === Number(p.contactId));
            if (!k) return new HttpReply(404, { error: `no contact ${p.contactId}` });
            const b = body(ctx);
            if (b.status !== undefined) {
              if (!CONTACT_STATUSES.includes(b.status as BurkiContactStatus)) {
                return new HttpReply(400, { error: `status must be one of ${CONTACT_STATUSES.join(", ")}` });
              }
              k.status = b.status as BurkiContactStatus;
              if (k.status !== "pending") k.last_attempt_at = s.now();
            }
            if (b.attempts !== undefined) k.attempts = Number(b.attempts);
            return new HttpReply(200, contactView(k));
          },
        },
      },
    ],
    { nonEmptyParams: true, badEscape: "no-match", methodFirst: true },
  );
}

export function applyConfig(s: BurkiState, b: Record<string, unknown>): void {
  if (b.startDelayMs !== undefined) s.startDelayMs = nonNegative(b.startDelayMs, "startDelayMs");
  if (b.importDelayMs !== undefined) s.importDelayMs = nonNegative(b.importDelayMs, "importDelayMs");
  if (b.crossOrgStatus !== undefined) {
    if (b.crossOrgStatus !== 403 && b.crossOrgStatus !== 404)
      throw new Error("crossOrgStatus must be 403 or 404");
    s.crossOrgStatus = b.crossOrgStatus;
  }
}

/** Edit "outside Pulumi": any status, any subset of the fields below. */
export function patchCampaign(s: BurkiState, c: BurkiCampaign, b: Record<string, unknown>): void {
  const strOrNull = ["description", ...TEMPLATE_FIELDS];
  const target = c as unknown as Record<string, unknown>;
  const next: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(b)) {
    const bad = (what: string) => new Error(`${k} must be ${what}`);
    if (k === "name" || k === "campaign_type") {
      if (typeof val !== "string") throw bad("a string");
    } else if (strOrNull.includes(k)) {
      if (val !== null && typeof val !== "string") throw bad("a string or null");
    } else if (k === "max_attempts" || k === "retry_delay_minutes" || k === "assistant_id") {
      if (!Number.isInteger(val)) throw bad("an integer");
    } else if (k === "fallback_values" || k === "variable_mappings") {
      if (!isPlainObject(val) || Object.values(val).some((x) => typeof x !== "string")) {
        throw bad("an object of strings");
      }
    } else if (k === "available_variables") {
      if (!Array.isArray(val) || val.some((x) => typeof x !== "string")) throw bad("an array of strings");
    } else throw new Error(`unknown or read-only field ${k}`);
    next[k] = structuredClone(val);
  }
  Object.assign(target, next);
  c.updated_at = s.now();
}

export function forceTransition(s: BurkiState, c: BurkiCampaign, status: BurkiCampaignStatus): void {
  switch (status) {
    case "completed":
      s.complete(c);
      break;
    case "cancelled":
      s.cancel(c); // emulator guess: same effects as a stop
      break;
    case "failed":
      s.setStatus(c, "failed");
      c.completed_at = s.now(); // emulator guess: a failed run records its end time
      break;
    default:
      s.setStatus(c, status); // running also sets started_at
  }
}

function nonNegative(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number ≥ 0`);
  return v;
}
