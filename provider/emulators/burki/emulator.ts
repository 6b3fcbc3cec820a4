/**
 * Local emulator of the Burki campaigns API (`/api/v1/campaigns…`), built from
 * /work/shared/reference/burki-api.md. It copies the documented behaviour, quirks included:
 * FastAPI/Pydantic-v2 error bodies, the 307 trailing-slash redirect, 200 (not 201) on create,
 * 202 + polling on import-data, and the asynchronous `scheduled` → `running` hop after `start`.
 * Where the documentation is silent the choice is marked `// emulator guess:`.
 *
 * The files: the route table below (request pipeline: route → body → auth → handler), routes.ts
 * (the endpoints the provider calls), imports.ts (contact imports), extra-routes.ts (endpoints the
 * provider does not call), state.ts (what is stored, status changes), validation.ts (Pydantic-style
 * 422s, body decoding), views.ts (response shapes), csv.ts, template.ts, control.ts (`/_emulator`).
 */
import {
  EmulatorBase,
  HttpReply,
  Router,
  runControlRoute,
  type ControlHandler,
  type RequestContext,
} from "../common";
import { burkiControlRouter } from "./control";
import * as extra from "./extra-routes";
import { getImport, importData } from "./imports";
import * as api from "./routes";
import { BurkiState } from "./state";
import { AUTH_REQUIRED, DEFAULT_ORG, type BurkiEmulatorOptions, type RouteSpec } from "./types";
import { readBody } from "./validation";

const CAMPAIGNS = "/api/v1/campaigns";

/**
 * The API: one entry per path, in Starlette's order (a literal path before the `:param` path it
 * would otherwise match). A `:param` needs at least one character; a malformed %-escape matches
 * nothing.
 */
const API = new Router<RouteSpec>(
  [
    {
      pattern: `${CAMPAIGNS}/`,
      methods: { GET: { handler: api.listCampaigns }, POST: { body: "json", handler: api.createCampaign } },
    },
    {
      pattern: `${CAMPAIGNS}/template-preview`,
      methods: { POST: { body: "json", handler: extra.templatePreview } },
    },
    {
      pattern: `${CAMPAIGNS}/:campaign_id`,
      methods: {
        GET: { handler: api.getCampaign },
        PUT: { body: "json", handler: api.updateCampaign },
        DELETE: { handler: api.deleteCampaign },
      },
    },
    { pattern: `${CAMPAIGNS}/:campaign_id/contacts`, methods: { GET: { handler: extra.listContacts } } },
    {
      pattern: `${CAMPAIGNS}/:campaign_id/import-data`,
      methods: { POST: { body: "form", handler: importData } },
    },
    { pattern: `${CAMPAIGNS}/:campaign_id/imports/:import_id`, methods: { GET: { handler: getImport } } },
    {
      pattern: `${CAMPAIGNS}/:campaign_id/schedule`,
      methods: { GET: { handler: api.getSchedule }, POST: { body: "json", handler: api.saveSchedule } },
    },
    { pattern: `${CAMPAIGNS}/:campaign_id/start`, methods: { POST: { handler: api.startCampaign } } },
    {
      pattern: `${CAMPAIGNS}/:campaign_id/unschedule`,
      methods: { POST: { handler: api.unscheduleCampaign } },
    },
    { pattern: `${CAMPAIGNS}/:campaign_id/pause`, methods: { POST: { handler: api.pauseCampaign } } },
    { pattern: `${CAMPAIGNS}/:campaign_id/stop`, methods: { POST: { handler: api.stopCampaign } } },
    {
      pattern: `${CAMPAIGNS}/:campaign_id/re-execute`,
      methods: { POST: { body: "json", handler: extra.reExecute } },
    },
    { pattern: `${CAMPAIGNS}/:campaign_id/progress`, methods: { GET: { handler: extra.getProgress } } },
    { pattern: `${CAMPAIGNS}/:campaign_id/executions`, methods: { GET: { handler: extra.listExecutions } } },
  ],
  { nonEmptyParams: true, badEscape: "no-match" },
);

export class BurkiEmulator extends EmulatorBase {
  readonly platform = "burki";
  private readonly state: BurkiState;
  private readonly controlRouter: Router<ControlHandler>;

  constructor(opts: BurkiEmulatorOptions = {}) {
    super(opts);
    this.state = new BurkiState(opts);
    this.controlRouter = burkiControlRouter(this.state);
  }

  /** Delay of the `scheduled` → `running` hop after `start`, in ms. */
  get startDelayMs(): number {
    return this.state.startDelayMs;
  }
  set startDelayMs(ms: number) {
    this.state.startDelayMs = ms;
  }

  /** Delay before an accepted import is processed, in ms. */
  get importDelayMs(): number {
    return this.state.importDelayMs;
  }
  set importDelayMs(ms: number) {
    this.state.importDelayMs = ms;
  }

  /** Status for another organisation's campaign. */
  get crossOrgStatus(): 403 | 404 {
    return this.state.crossOrgStatus;
  }
  set crossOrgStatus(status: 403 | 404) {
    this.state.crossOrgStatus = status;
  }

  /** API key → organisation id. */
  get organizations(): Record<string, string> {
    return this.state.organizations;
  }

  get baseUrl(): string {
    return this.origin;
  }

  protected override tooManyRequestsBody(): unknown {
    return { detail: "Too Many Requests" };
  }

  protected override serverErrorBody(): unknown {
    return { detail: "Internal Server Error" };
  }

  protected override onStop(): void {
    this.state.clearTimers();
  }

  protected resetData(): void {
    this.state.reset();
  }

  protected handleControl(ctx: RequestContext): Promise<HttpReply | undefined> {
    return runControlRoute(this.controlRouter, ctx);
  }

  // -------------------------------------------------------------------------------------------
  // Request pipeline: route (404/405/307) → body parse (422 json_invalid) → auth (401) → handler

  protected async handleApi(ctx: RequestContext): Promise<HttpReply> {
    const found = API.match(ctx.method, ctx.path);
    if (found.kind === "none" || found.kind === "malformed") {
      // FastAPI's redirect_slashes: the other spelling of a known path answers 307 (any method).
      if (ctx.path !== "/") {
        const alt = ctx.path.endsWith("/") ? ctx.path.slice(0, -1) : ctx.path + "/";
        const other = API.match(ctx.method, alt).kind;
        if (other !== "none" && other !== "malformed") {
          const qs = ctx.query.toString();
          return new HttpReply(307, undefined, { location: `${this.origin}${alt}${qs ? `?${qs}` : ""}` });
        }
      }
      // FastAPI/Starlette: a path with no route is 404 {"detail":"Not Found"}, before any dependency
      // (auth included) runs. Clients must not read it as "campaign not found" ({"detail":
      // "Campaign not found"}, from the handlers): it means a wrong base URL.
      return new HttpReply(404, { detail: "Not Found" });
    }
    if (found.kind === "method") {
      return new HttpReply(405, { detail: "Method Not Allowed" }, { allow: found.allow.join(", ") });
    }
    const { handler: spec, params } = found;

    // The body is read and decoded before any dependency (auth included) runs.
    const decoded = await readBody(spec, ctx);
    if (decoded instanceof HttpReply) return decoded;

    const org = this.authenticate(ctx);
    if (org === undefined) return new HttpReply(401, AUTH_REQUIRED, { "www-authenticate": "Bearer" });
    return spec.handler(this.state, { ctx, params, org, body: decoded.body, form: decoded.form });
  }

  private authenticate(ctx: RequestContext): string | undefined {
    const header = ctx.headers.authorization;
    if (!header) return undefined;
    const m = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return undefined;
    const key = m[1];
    if (Object.prototype.hasOwnProperty.call(this.state.organizations, key))
      return this.state.organizations[key];
    return this.apiKeys.has(key) ? DEFAULT_ORG : undefined;
  }
}
