/**
 * Local emulator of Woodpecker's REST API: the v2 campaign endpoints, `GET /v2/mailboxes` and the v1
 * `campaign_list`, with the documented quirks (two error dialects, empty 200 bodies on run / pause /
 * stop / delete, 204 on the bounce-shield threshold, no v2 list, the hidden "active workflow" flag that
 * only shows up as a 409 on DELETE, v1 errors inside HTTP 200) and the documented rate limit: one
 * request processed at a time per account, up to 6 more queued for at most 15 s each, the rest 429.
 *
 * Reference: /work/shared/reference/woodpecker-api.md. Wherever the docs are silent the choice made
 * here is marked `// emulator guess:`.
 *
 * The files: the route table below (auth → route → handler), routes.ts (campaigns, transitions,
 * mailboxes), step-routes.ts (steps, versions, bounce shield), v1.ts (campaign_list), state.ts
 * (what is stored), validation.ts, errors.ts (the two error dialects), views.ts (rendering),
 * control.ts and control-routes.ts (`/_emulator`). The provider calls every endpoint emulated here.
 */
import {
  ControlError,
  EmulatorBase,
  HttpReply,
  Router,
  runControlRoute,
  type AccountQueueOptions,
  type ControlHandler,
  type RequestContext,
} from "../common";
import * as control from "./control";
import { woodpeckerControlRouter } from "./control-routes";
import { problem, problemTimestamp, unauthorized } from "./errors";
import * as api from "./routes";
import { WoodpeckerState } from "./state";
import * as steps from "./step-routes";
import {
  WOODPECKER_EMULATOR_API_KEY,
  WOODPECKER_EMULATOR_DEFAULT_ACCOUNT,
  type Handler,
  type WoodpeckerCampaignStatus,
  type WoodpeckerEmulatorOptions,
  type WoodpeckerEmulatorStats,
  type WoodpeckerOutsideEdit,
} from "./types";
import type { ProspectStore } from "./prospects";
import { addBlacklistDomains, addBlacklistEmails } from "./blacklist";
import { handleV1 } from "./v1";
import { isObj, isPosInt } from "./validation";

const CAMPAIGN = "/rest/v2/campaigns/:campaign_id";

/** The v2 API (Spring-style matching: a `:param` may be empty; a malformed %-escape is a 400). */
const API = new Router<Handler>(
  [
    { pattern: "/rest/v2/campaigns", methods: { POST: api.createCampaign } },
    {
      pattern: CAMPAIGN,
      methods: { GET: api.getCampaign, PATCH: api.patchCampaign, DELETE: api.deleteCampaign },
    },
    { pattern: `${CAMPAIGN}/run`, methods: { POST: api.run } },
    { pattern: `${CAMPAIGN}/pause`, methods: { POST: api.pause } },
    { pattern: `${CAMPAIGN}/stop`, methods: { POST: api.stopCampaign } },
    { pattern: `${CAMPAIGN}/make_editable`, methods: { POST: api.makeEditable } },
    { pattern: `${CAMPAIGN}/steps`, methods: { POST: steps.addStep } },
    { pattern: `${CAMPAIGN}/steps/:step_id`, methods: { PATCH: steps.patchStep, DELETE: steps.deleteStep } },
    { pattern: `${CAMPAIGN}/steps/:step_id/versions/:version_id`, methods: { PATCH: steps.patchVersion } },
    {
      pattern: `${CAMPAIGN}/bounce_shield/threshold`,
      methods: { GET: steps.getThreshold, PUT: steps.putThreshold, DELETE: steps.deleteThreshold },
    },
    { pattern: "/rest/v2/mailboxes", methods: { GET: api.listMailboxes } },
    { pattern: "/rest/v2/blacklist/emails", methods: { POST: addBlacklistEmails } },
    { pattern: "/rest/v2/blacklist/domains", methods: { POST: addBlacklistDomains } },
  ],
  { badEscape: "error" },
);

export class WoodpeckerEmulator extends EmulatorBase {
  readonly platform = "woodpecker";
  private readonly state = new WoodpeckerState();
  private readonly controlRouter: Router<ControlHandler>;

  constructor(opts: WoodpeckerEmulatorOptions = {}) {
    super(opts);
    const accounts = opts.accounts ?? { [WOODPECKER_EMULATOR_API_KEY]: WOODPECKER_EMULATOR_DEFAULT_ACCOUNT };
    for (const [key, account] of Object.entries(accounts)) this.state.accounts.set(key, account);
    // emulator guess: plain `apiKeys` (from EmulatorOptions) not mapped in `accounts` belong to acct-1.
    for (const key of opts.apiKeys ?? []) {
      if (!this.state.accounts.has(key)) this.state.accounts.set(key, WOODPECKER_EMULATOR_DEFAULT_ACCOUNT);
    }
    this.apiKeys = new Set(this.state.accounts.keys());
    this.accountQueue = { ...(opts.queue ?? { maxQueued: 6, maxWaitMs: 15_000 }) };
    this.state.createStatus = opts.createStatus ?? 200;
    this.state.mailboxes = opts.mailboxes ? [...opts.mailboxes] : undefined;
    this.controlRouter = woodpeckerControlRouter(this, () => this.config());
  }

  /** HTTP status of a successful create (undocumented: 200 or 201). */
  get createStatus(): 200 | 201 {
    return this.state.createStatus;
  }
  set createStatus(status: 200 | 201) {
    this.state.createStatus = status;
  }

  /** Valid SMTP ids; undefined = any positive integer is accepted. */
  get mailboxes(): number[] | undefined {
    return this.state.mailboxes;
  }
  set mailboxes(ids: number[] | undefined) {
    this.state.mailboxes = ids;
  }

  get baseUrl(): string {
    return `${this.origin}/rest`;
  }

  /** Current per-account queue limits. */
  get queue(): AccountQueueOptions {
    return { ...this.accountQueue! };
  }

  // -------------------------------------------------------------------------------------------
  // Auth, queue and stats

  /** The API key of a request: `x-api-key`, or (v1 only) `Authorization: Basic base64(":<key>")`. */
  private apiKeyOf(ctx: RequestContext): string | undefined {
    const header = ctx.headers["x-api-key"];
    const key = Array.isArray(header) ? header[0] : header;
    if (key) return key.trim();
    if (!ctx.path.startsWith("/rest/v1/")) return undefined;
    const auth = ctx.headers.authorization;
    const m = auth ? /^Basic\s+(\S+)$/i.exec(auth) : null;
    if (!m) return undefined;
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i < 0) return decoded;
    // emulator guess: the key may be the password (documented ":<key>") or the user name ("<key>:").
    return decoded.slice(i + 1) || decoded.slice(0, i);
  }

  private authenticate(ctx: RequestContext): string | undefined {
    const key = this.apiKeyOf(ctx);
    return key === undefined ? undefined : this.state.accounts.get(key);
  }

  protected override accountOf(ctx: RequestContext): string | undefined {
    return this.authenticate(ctx);
  }

  // The stats come from the base class's queue hooks (common/server.ts).

  protected override onQueued(account: string, depth: number): void {
    const s = this.state.statsFor(account);
    s.maxQueueDepth = Math.max(s.maxQueueDepth, depth);
  }

  protected override onAdmitted(account: string, processing: number): void {
    const s = this.state.statsFor(account);
    s.maxConcurrent = Math.max(s.maxConcurrent, processing);
  }

  protected override onRateLimited(account: string): void {
    this.state.statsFor(account).rateLimited++;
  }

  get stats(): WoodpeckerEmulatorStats {
    return this.state.stats;
  }

  /** The v1 prospects (prospects.ts), for tests in process: list, set a global status, remove outside Pulumi. */
  get prospects(): ProspectStore {
    return this.state.prospects;
  }

  resetStats(): void {
    this.state.resetStats();
  }

  protected override tooManyRequestsBody(_reason: "rate-limit" | "fault"): unknown {
    // emulator guess: the 429 body is undocumented; it uses the v2 "problem" dialect.
    return {
      title: "Too Many Requests",
      status: 429,
      detail: "Too many requests",
      timestamp: problemTimestamp(),
    };
  }

  protected override serverErrorBody(): unknown {
    return { type: "UNKNOWN", message: "Unknown error during request", details: null };
  }

  protected async handleApi(ctx: RequestContext): Promise<HttpReply> {
    if (ctx.path.startsWith("/rest/v1/")) return handleV1(this.state, ctx, this.authenticate(ctx));
    // emulator guess: authentication is checked before routing, so unknown routes without a key get 401.
    const account = this.authenticate(ctx);
    if (account === undefined) return unauthorized();
    const found = API.match(ctx.method, ctx.path);
    if (found.kind === "malformed") return problem(400, "Bad Request", "Malformed request path");
    if (found.kind === "method") {
      // There is no v2 list: GET /rest/v2/campaigns is 405 (as a third-party client observed).
      // emulator guess: any other known path with a wrong method is 405 too (detail in Spring's words).
      return problem(405, "Method Not Allowed", `Request method '${ctx.method}' is not supported`, {
        allow: found.allow.join(", "),
      });
    }
    if (found.kind === "none") {
      // emulator guess: an unknown route (a wrong base URL: no /rest, a doubled /v2) answers 404 in the
      // framework's "problem" dialect, never with CAMPAIGN_NOT_EXIST; only a known campaign route with an
      // unknown id says CAMPAIGN_NOT_EXIST (documented).
      return problem(404, "Not Found", `No endpoint ${ctx.method} ${ctx.path}.`);
    }
    return found.handler(this.state, ctx, found.params, account);
  }

  protected resetData(): void {
    this.state.reset();
  }

  protected handleControl(ctx: RequestContext): Promise<HttpReply | undefined> {
    return runControlRoute(this.controlRouter, ctx);
  }

  // -------------------------------------------------------------------------------------------
  // In-process control (the same operations as the control routes; see control.ts)

  /** Every campaign with its hidden state (optionally of one account). */
  listCampaigns(account?: string): Record<string, unknown>[] {
    return control.listCampaigns(this.state, account);
  }

  /** One campaign with its hidden state, or undefined. */
  inspectCampaign(id: number): Record<string, unknown> | undefined {
    return control.inspectCampaign(this.state, id);
  }

  /** Set or clear the hidden "part of an active workflow" flag (DELETE then answers 409). */
  setInActiveWorkflow(id: number, active: boolean): Record<string, unknown> {
    return control.setInActiveWorkflow(this.state, id, active);
  }

  /**
   * A background status change (bounce-shield auto-pause, completion, stop on mailbox disconnect…).
   * With `bounceShield`, a PAUSED campaign gets `bounce_shield_autopaused_at`.
   */
  transition(
    id: number,
    status: WoodpeckerCampaignStatus,
    opts: { bounceShield?: boolean } = {},
  ): Record<string, unknown> {
    return control.transition(this.state, id, status, opts);
  }

  /** An edit made in the Woodpecker app, allowed in any status; validated like the API. */
  editOutside(id: number, edit: WoodpeckerOutsideEdit): Record<string, unknown> {
    return control.editOutside(this.state, id, edit);
  }

  /** Delete a campaign in the app (ignores the workflow flag). */
  deleteOutside(id: number): void {
    control.deleteOutside(this.state, id);
  }

  /** Mark a step as having processed `prospects` prospects. */
  setProcessedProspects(id: number, stepId: string, prospects: number): Record<string, unknown> {
    return control.setProcessedProspects(this.state, id, stepId, prospects);
  }

  /** The prospects of a campaign, with their global and campaign-local status. */
  campaignProspects(id: number): Record<string, unknown>[] {
    return control.campaignProspects(this.state, id);
  }

  /** An outside change of a prospect's global status and/or its status in one campaign. */
  setProspectStatus(prospectId: number, change: control.ProspectStatusChange): Record<string, unknown> {
    return control.setProspectStatus(this.state, prospectId, change);
  }

  /** The same by email: `{email, status, account?, campaignId?}`. */
  setProspectStatusByEmail(req: Record<string, unknown>): Record<string, unknown> {
    return control.setProspectStatusByEmail(this.state, req);
  }

  /** An account's blacklist: its addresses and domains (default account unless named). */
  blacklist(account = WOODPECKER_EMULATOR_DEFAULT_ACCOUNT): { emails: string[]; domains: string[] } {
    return this.state.prospects.blacklist.list(account);
  }

  /** A prospect removed from a campaign in Woodpecker's app (it stays in the account's database). */
  removeProspectOutside(campaignId: number, prospectId: number): void {
    control.removeProspectOutside(this.state, campaignId, prospectId);
  }

  /** Change createStatus, the queue limits or the mailboxes at run time. */
  configure(cfg: { createStatus?: unknown; queue?: unknown; mailboxes?: unknown }): void {
    if (cfg.createStatus !== undefined && cfg.createStatus !== 200 && cfg.createStatus !== 201) {
      throw new ControlError(400, "createStatus must be 200 or 201");
    }
    if (cfg.queue !== undefined) {
      const q = cfg.queue;
      const okNum = (n: unknown) => typeof n === "number" && Number.isFinite(n) && n >= 0;
      if (!isObj(q) || !okNum(q.maxQueued) || !okNum(q.maxWaitMs)) {
        throw new ControlError(400, "queue must be {maxQueued: number >= 0, maxWaitMs: number >= 0}");
      }
    }
    if (cfg.mailboxes !== undefined && cfg.mailboxes !== null) {
      if (!Array.isArray(cfg.mailboxes) || !cfg.mailboxes.every(isPosInt)) {
        throw new ControlError(400, "mailboxes must be an array of positive integers or null");
      }
    }
    if (cfg.createStatus !== undefined) this.state.createStatus = cfg.createStatus as 200 | 201;
    if (isObj(cfg.queue)) {
      this.accountQueue = { maxQueued: Number(cfg.queue.maxQueued), maxWaitMs: Number(cfg.queue.maxWaitMs) };
    }
    if (cfg.mailboxes !== undefined)
      this.state.mailboxes = Array.isArray(cfg.mailboxes) ? [...cfg.mailboxes] : undefined;
  }

  private config(): Record<string, unknown> {
    return {
      createStatus: this.state.createStatus,
      queue: this.queue,
      mailboxes: this.state.mailboxes ?? null,
      accounts: [...new Set(this.state.accounts.values())].sort(),
    };
  }
}
