/**
 * What both local emulators share: an HTTP server on loopback, the request log, injected latency and
 * faults, an optional per-account one-at-a-time queue (Woodpecker's rate limit), and the control API
 * under `/_emulator/…` (control.ts). Each emulator routes its API with router.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dispatchControl, sharedControlRouter, runControlRoute, type ControlHandler } from "./control";
import { parseFaultProfile, seededRandom, type FaultProfile } from "./faults";
import { HttpReply, type RequestContext, type RequestLogEntry } from "./http";
import type { Router } from "./router";

export interface AccountQueueOptions {
  /** How many requests may wait behind the one being processed (Woodpecker: 6). */
  maxQueued: number;
  /** A request that waited this long is answered 429 (Woodpecker: 15 s). */
  maxWaitMs: number;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Accepted API keys. */
  apiKeys?: string[];
  /** Base latency of every API request, in ms (service time). */
  latencyMs?: number;
  faults?: FaultProfile;
  seed?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface QueueState {
  busy: boolean;
  waiting: Array<{ resolve: (ok: boolean) => void; timer: NodeJS.Timeout }>;
}

export abstract class EmulatorBase {
  abstract readonly platform: string;
  readonly requests: RequestLogEntry[] = [];
  faults: FaultProfile = {};
  latencyMs: number;
  apiKeys: Set<string>;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  private random: () => number;
  private readonly queues = new Map<string, QueueState>();
  /** Requests of each account being processed right now (see onAdmitted). */
  private readonly processing = new Map<string, number>();
  protected accountQueue?: AccountQueueOptions;
  private readonly port: number;
  private stopped = false;
  private sharedControl?: Router<ControlHandler>;

  constructor(opts: EmulatorOptions = {}) {
    this.port = opts.port ?? 0;
    this.apiKeys = new Set(opts.apiKeys ?? []);
    this.latencyMs = opts.latencyMs ?? 0;
    this.faults = parseFaultProfile(opts.faults ?? {});
    this.random = seededRandom(opts.seed ?? this.faults.seed ?? 1);
  }

  /** Base URL clients use (what the user sets as `<platform>:baseUrl`). */
  abstract get baseUrl(): string;

  /** The platform's API; returns the reply, or undefined for "no such route". */
  protected abstract handleApi(ctx: RequestContext): Promise<HttpReply>;

  /**
   * Platform-specific control routes under /_emulator/ (after the shared ones); undefined = not
   * handled. Emulators answer it with `runControlRoute(theirControlRouter, ctx)`.
   */
  protected abstract handleControl(ctx: RequestContext): Promise<HttpReply | undefined>;

  /** Delete all platform data (POST /_emulator/reset). */
  protected abstract resetData(): void;

  /** The account a request belongs to, for the per-account queue (undefined: not authenticated). */
  protected accountOf(_ctx: RequestContext): string | undefined {
    return undefined;
  }

  get origin(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error("emulator is not listening");
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 60_000;
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const q of this.queues.values()) for (const w of q.waiting) clearTimeout(w.timer);
    this.onStop();
    const server = this.server;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    this.server = undefined;
  }

  /** Subclasses stop their background timers here. */
  protected onStop(): void {}

  // Hooks around the per-account processing. They fire only for API requests that have an account
  // (see accountOf) and passed the fault dice; they must be quick and must not throw.

  /** A request started waiting in the account's queue; `depth` = requests waiting, this one included. */
  protected onQueued(_account: string, _depth: number): void {}

  /**
   * A request starts being processed (before the latency and handleApi); with the queue on, it holds
   * the account's slot. `processing` = requests of the account being processed now, this one included
   * (1 under the queue; without the queue, every concurrent request counts).
   */
  protected onAdmitted(_account: string, _processing: number): void {}

  /** An admitted request was answered (or lost); with the queue on, its slot passes on right after. */
  protected onReleased(_account: string): void {}

  /** The queue turned a request away (queue full, or it waited longer than maxWaitMs): it gets a 429. */
  protected onRateLimited(_account: string): void {}

  /** Replace the fault profile; throws (and keeps the old one) when it is invalid. */
  setFaults(f: FaultProfile): void {
    this.faults = parseFaultProfile(f);
    if (f.seed !== undefined) this.random = seededRandom(f.seed);
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  reset(): void {
    this.resetData();
    this.clearLog();
    this.faults = {};
  }

  private roll(share: number | undefined): boolean {
    return share !== undefined && share > 0 && this.random() < share;
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 20 * 1024 * 1024) throw new Error("body too large");
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private write(res: ServerResponse, reply: HttpReply): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | Buffer = "";
    if (reply.body !== undefined) {
      if (Buffer.isBuffer(reply.body) || typeof reply.body === "string") {
        payload = reply.body;
      } else {
        payload = JSON.stringify(reply.body);
        headers["content-type"] ??= "application/json";
      }
    }
    headers["content-length"] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const entry: RequestLogEntry = {
      seq: ++this.seq,
      at: new Date(started).toISOString(),
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      status: 0,
      durationMs: 0,
    };
    let rawBody: Buffer;
    try {
      rawBody = await this.readBody(req);
    } catch {
      res.destroy();
      return;
    }
    const ctx: RequestContext = {
      method: entry.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
    };
    const finish = (reply: HttpReply | "reset", fault?: string) => {
      entry.status = reply === "reset" ? 0 : reply.status;
      entry.durationMs = Date.now() - started;
      if (fault) entry.fault = fault;
      if (reply === "reset") res.destroy();
      else this.write(res, reply);
    };

    if (url.pathname.startsWith("/_emulator/")) {
      // Control requests are not logged and never get faults.
      this.seq--;
      const shared = (this.sharedControl ??= sharedControlRouter(this));
      const reply = await dispatchControl(ctx, [
        (c) => runControlRoute(shared, c),
        (c) => this.handleControl(c),
      ]);
      this.write(res, reply);
      return;
    }

    this.requests.push(entry);
    const f = this.faults;
    const eligible = !f.match || new RegExp(f.match).test(`${ctx.method} ${ctx.path}`);
    const latency = this.latencyMs + (f.latencyMs ?? 0);

    if (eligible) {
      let fault: HttpReply | "reset" | undefined;
      let name: string | undefined;
      if (this.roll(f.rate429))
        [fault, name] = [new HttpReply(429, this.tooManyRequestsBody("fault")), "429"];
      else if (this.roll(f.rate429RetryAfter)) {
        const ra = String(f.retryAfterSeconds ?? 1);
        [fault, name] = [
          new HttpReply(429, this.tooManyRequestsBody("fault"), { "retry-after": ra }),
          "429-retry-after",
        ];
      } else if (this.roll(f.rate500)) [fault, name] = [new HttpReply(500, this.serverErrorBody(500)), "500"];
      else if (this.roll(f.rate502))
        [fault, name] = [
          new HttpReply(502, "<html>502 Bad Gateway</html>", { "content-type": "text/html" }),
          "502",
        ];
      else if (this.roll(f.rateReset)) [fault, name] = ["reset", "reset"];
      if (fault) {
        if (latency) await sleep(latency);
        finish(fault, name);
        return;
      }
    }

    const account = this.accountOf(ctx);
    ctx.account = account;
    let release: (() => void) | undefined;
    if (this.accountQueue && account !== undefined) {
      const t0 = Date.now();
      const admitted = await this.enterQueue(account);
      entry.queuedMs = Date.now() - t0;
      if (!admitted) {
        this.onRateLimited(account);
        finish(new HttpReply(429, this.tooManyRequestsBody("rate-limit")), "rate-limit");
        return;
      }
      release = () => this.leaveQueue(account);
    }
    if (account !== undefined) {
      const processing = (this.processing.get(account) ?? 0) + 1;
      this.processing.set(account, processing);
      this.onAdmitted(account, processing);
      const leave = release;
      release = () => {
        const left = (this.processing.get(account) ?? 1) - 1;
        if (left > 0) this.processing.set(account, left);
        else this.processing.delete(account);
        this.onReleased(account);
        leave?.();
      };
    }
    try {
      if (latency) await sleep(latency);
      let reply: HttpReply;
      try {
        reply = await this.handleApi(ctx);
      } catch (e) {
        reply = new HttpReply(500, this.serverErrorBody(500, (e as Error).message));
      }
      if (eligible && ctx.method === "POST" && reply.status < 300 && this.roll(f.rateAppliedLost)) {
        finish(this.random() < 0.5 ? "reset" : new HttpReply(500, this.serverErrorBody(500)), "applied-lost");
        return;
      }
      if (eligible && this.roll(f.rateSlow)) {
        entry.fault = "slow";
        await sleep(f.slowMs ?? 60_000);
        if (this.stopped) return;
      }
      finish(reply, entry.fault);
    } finally {
      release?.();
    }
  }

  /** The body of a 429 (platform dialect): from the per-account queue, or an injected fault. */
  protected tooManyRequestsBody(_reason: "rate-limit" | "fault"): unknown {
    return { detail: "Too Many Requests" };
  }

  /** The body of a 5xx (platform dialect). */
  protected serverErrorBody(_status: number, _message?: string): unknown {
    return { detail: "Internal Server Error" };
  }

  private enterQueue(account: string): Promise<boolean> {
    let q = this.queues.get(account);
    if (!q) {
      q = { busy: false, waiting: [] };
      this.queues.set(account, q);
    }
    if (!q.busy) {
      q.busy = true;
      return Promise.resolve(true);
    }
    const opts = this.accountQueue!;
    if (q.waiting.length >= opts.maxQueued) return Promise.resolve(false);
    const queue = q;
    return new Promise<boolean>((resolve) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = queue.waiting.indexOf(waiter);
          if (i >= 0) queue.waiting.splice(i, 1);
          resolve(false);
        }, opts.maxWaitMs),
      };
      queue.waiting.push(waiter);
      this.onQueued(account, queue.waiting.length);
    });
  }

  private leaveQueue(account: string): void {
    const q = this.queues.get(account);
    if (!q) return;
    const next = q.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(true); // the slot passes straight to the next request
    } else {
      q.busy = false;
    }
  }
}
