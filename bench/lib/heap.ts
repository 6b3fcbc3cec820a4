/**
 * The provider host's live heap: what it actually retains, as opposed to its resident set.
 *
 * The host is started with the inspector on a free loopback port (`--inspect=127.0.0.1:0`); the
 * benchmark reads the `ws://` URL the host prints on stderr ("Debugger listening on ws://…") and
 * connects with Node's global WebSocket. No inspector domain is enabled (no Debugger, no Runtime
 * events), so between measurements the session is silent. At a phase end, when no operation is in
 * flight, `measure()` asks V8 for its heap usage (`Runtime.getHeapUsage`), forces a full garbage
 * collection (`HeapProfiler.collectGarbage`) and asks again: `usedSize` after the collection is the
 * live heap, everything still reachable.
 */
import type { ProviderHost } from "../../test/helpers/provider-host";
import { procMemory } from "./util";

/** The host's node flag: the inspector on a free loopback port, without waiting for a debugger. */
export const INSPECT_FLAG = "--inspect=127.0.0.1:0";

export interface HeapUsage {
  /** V8's `usedSize`: bytes in objects (live or not yet collected). */
  usedBytes: number;
  /** V8's `totalSize`: bytes V8 has reserved for its heap. */
  totalBytes: number;
}

export interface HeapPoint {
  /** Heap usage as V8 had it at the phase end: live objects plus garbage not collected yet. */
  before: HeapUsage;
  /** After a forced full GC: `usedBytes` is the live heap. */
  after: HeapUsage;
  /** VmRSS of the host just before and just after the forced GC, KiB. */
  rssBeforeKb: number;
  rssAfterKb: number;
  /** How long the forced GC took (the host was otherwise idle). */
  gcMs: number;
}

interface CdpReply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class HeapInspector {
  private nextId = 0;
  private readonly pending = new Map<number, (r: CdpReply) => void>();

  private constructor(
    private readonly ws: WebSocket,
    private readonly pid: number | undefined,
  ) {
    ws.addEventListener("message", (e) => {
      const msg = JSON.parse(String(e.data)) as CdpReply;
      if (msg.id === undefined) return; // no domain is enabled: there should be no events
      this.pending.get(msg.id)?.(msg);
      this.pending.delete(msg.id);
    });
    ws.addEventListener("close", () => {
      for (const [, resolve] of this.pending) resolve({ error: { message: "inspector connection closed" } });
      this.pending.clear();
    });
  }

  /** Connect to a host started with INSPECT_FLAG (bounded: 10 s for the URL and the handshake). */
  static async connect(host: ProviderHost, timeoutMs = 10_000): Promise<HeapInspector> {
    const until = Date.now() + timeoutMs;
    let url: string | undefined;
    for (;;) {
      url = /Debugger listening on (ws:\/\/\S+)/.exec(host.stderr())?.[1];
      if (url) break;
      if (Date.now() > until || host.child.exitCode !== null) {
        throw new Error(`no inspector URL on the provider host's stderr:\n${host.stderr()}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`inspector ${url}: no handshake`)), until - Date.now());
      ws.addEventListener("open", () => (clearTimeout(timer), resolve()), { once: true });
      ws.addEventListener(
        "error",
        () => (clearTimeout(timer), reject(new Error(`inspector ${url}: error`))),
        {
          once: true,
        },
      );
    });
    return new HeapInspector(ws, host.child.pid);
  }

  private send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector ${method}: no answer within 60 s`));
      }, 60_000);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        if (r.error) reject(new Error(`inspector ${method}: ${r.error.message}`));
        else resolve(r.result ?? {});
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async usage(): Promise<HeapUsage> {
    const r = (await this.send("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    return { usedBytes: r.usedSize, totalBytes: r.totalSize };
  }

  /** Heap usage, a forced full GC, heap usage again — call it only when nothing is in flight. */
  async measure(): Promise<HeapPoint> {
    const before = await this.usage();
    const rssBeforeKb = procMemory(this.pid)?.rssKb ?? NaN;
    const t0 = performance.now();
    await this.send("HeapProfiler.collectGarbage");
    const gcMs = performance.now() - t0;
    const after = await this.usage();
    const rssAfterKb = procMemory(this.pid)?.rssKb ?? NaN;
    return { before, after, rssBeforeKb, rssAfterKb, gcMs: Math.round(gcMs * 10) / 10 };
  }

  /** Close the session (before the host is stopped, so it never waits for a debugger). */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => this.ws.addEventListener("close", r, { once: true }));
    this.ws.close();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
  }
}
