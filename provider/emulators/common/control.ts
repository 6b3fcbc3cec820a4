/**
 * The control API under `/_emulator/…` (no auth, JSON bodies, never logged, never faulted): the
 * routes both emulators share, and the dispatch that runs them before the platform's own table.
 *
 *   GET    /_emulator/health             → {"ok":true,"platform":…}
 *   GET    /_emulator/requests           → {"requests":[RequestLogEntry…]} (`?since=<seq>` filters)
 *   DELETE /_emulator/requests           clears the log
 *   GET    /_emulator/faults             → the active FaultProfile
 *   PUT    /_emulator/faults             sets the FaultProfile (replaces it); an invalid one is refused
 *                                        with 400 {"error": "<which field, and what it must be>"}
 *   DELETE /_emulator/faults             clears it
 *   PUT    /_emulator/latency            {"latencyMs": n} sets the base latency
 *   POST   /_emulator/reset              deletes all data, clears the log and faults
 * Each emulator adds its own routes (see burki/control.ts, woodpecker/control.ts).
 *
 * A path no table has answers 404 {"error":"no control route M P"}; a handler that throws answers
 * {"error": message} with 400, or with the status of a ControlError.
 */
import type { FaultProfile } from "./faults";
import { HttpReply, parseJson, type RequestContext, type RequestLogEntry } from "./http";
import { Router, type Route } from "./router";

/** A control-API refusal with its own status (any other thrown Error answers 400). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ControlHandler = (
  ctx: RequestContext,
  params: Record<string, string>,
) => HttpReply | Promise<HttpReply>;
export type ControlRoute = Route<ControlHandler>;

/** Run the control route of `router` that matches; undefined when none does. */
export async function runControlRoute(
  router: Router<ControlHandler>,
  ctx: RequestContext,
): Promise<HttpReply | undefined> {
  const m = router.match(ctx.method, ctx.path);
  if (m.kind === "malformed") throw m.error;
  return m.kind === "ok" ? await m.handler(ctx, m.params) : undefined;
}

/** Try each control handler in turn (shared routes first); the first answer wins. */
export async function dispatchControl(
  ctx: RequestContext,
  handlers: ReadonlyArray<(ctx: RequestContext) => Promise<HttpReply | undefined>>,
): Promise<HttpReply> {
  try {
    for (const handle of handlers) {
      const reply = await handle(ctx);
      if (reply) return reply;
    }
    return new HttpReply(404, { error: `no control route ${ctx.method} ${ctx.path}` });
  } catch (e) {
    return new HttpReply(e instanceof ControlError ? e.status : 400, { error: (e as Error).message });
  }
}

/** What the shared control routes read and change on an emulator. */
export interface ControlTarget {
  readonly platform: string;
  readonly requests: RequestLogEntry[];
  faults: FaultProfile;
  latencyMs: number;
  setFaults(f: FaultProfile): void;
  clearLog(): void;
  reset(): void;
}

/** The shared routes (exact paths, no params). */
export function sharedControlRouter(emu: ControlTarget): Router<ControlHandler> {
  const body = (ctx: RequestContext): unknown => {
    if (!ctx.rawBody.length) return {};
    const parsed = parseJson(ctx.rawBody);
    if (!parsed.ok) throw new Error(`the body is not valid JSON: ${parsed.message}`);
    return parsed.value;
  };
  const ok = () => new HttpReply(200, { ok: true });
  return new Router<ControlHandler>([
    {
      pattern: "/_emulator/health",
      methods: { GET: () => new HttpReply(200, { ok: true, platform: emu.platform }) },
    },
    {
      pattern: "/_emulator/requests",
      methods: {
        GET: (ctx) => {
          const since = Number(ctx.query.get("since") ?? 0);
          return new HttpReply(200, { requests: emu.requests.filter((r) => r.seq > since) });
        },
        DELETE: () => {
          emu.clearLog();
          return ok();
        },
      },
    },
    {
      pattern: "/_emulator/faults",
      methods: {
        GET: () => new HttpReply(200, emu.faults),
        PUT: (ctx) => {
          emu.setFaults(body(ctx) as FaultProfile); // validated: a bad profile is a 400 with the reason
          return new HttpReply(200, emu.faults);
        },
        DELETE: () => {
          emu.setFaults({});
          return ok();
        },
      },
    },
    {
      pattern: "/_emulator/latency",
      methods: {
        PUT: (ctx) => {
          const b = body(ctx) as { latencyMs?: unknown };
          const ms = b?.latencyMs ?? 0;
          if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
            throw new Error(`latencyMs must be a number ≥ 0, got ${JSON.stringify(ms)}`);
          }
          emu.latencyMs = ms;
          return new HttpReply(200, { latencyMs: emu.latencyMs });
        },
      },
    },
    {
      pattern: "/_emulator/reset",
      methods: {
        POST: () => {
          emu.reset();
          return ok();
        },
      },
    },
  ]);
}
