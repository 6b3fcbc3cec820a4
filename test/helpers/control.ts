/**
 * The emulators' control API (`/_emulator/…`), as tests use it: what the emulator holds, its
 * request log, background transitions, edits "outside Pulumi", hooks and faults.
 */
import type { FaultProfile, RequestLogEntry } from "../../provider/emulators/common";

export class EmulatorControl {
  constructor(readonly origin: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.origin}/_emulator${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`control ${method} ${path} → ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async requests(): Promise<RequestLogEntry[]> {
    return (await this.call<{ requests: RequestLogEntry[] }>("GET", "/requests")).requests;
  }
  /** "METHOD /path status" lines of the API requests so far. */
  async requestLines(): Promise<string[]> {
    return (await this.requests()).map((r) => `${r.method} ${r.path} ${r.status}`);
  }
  /** Lines of the API requests that change something (everything but GETs). */
  async writeLines(): Promise<string[]> {
    return (await this.requestLines()).filter((l) => !l.startsWith("GET"));
  }
  clearRequests(): Promise<unknown> {
    return this.call("DELETE", "/requests");
  }
  setFaults(f: FaultProfile): Promise<unknown> {
    return this.call("PUT", "/faults", f);
  }
  clearFaults(): Promise<unknown> {
    return this.call("DELETE", "/faults");
  }
  reset(): Promise<unknown> {
    return this.call("POST", "/reset");
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async campaigns(): Promise<any[]> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (await this.call<{ campaigns: any[] }>("GET", "/campaigns")).campaigns;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async campaign(id: number | string): Promise<any | undefined> {
    const r = await fetch(`${this.origin}/_emulator/campaigns/${id}`);
    return r.status === 404 ? undefined : r.json();
  }
  transition(id: number | string, status: string): Promise<unknown> {
    return this.call("POST", `/campaigns/${id}/transition`, { status });
  }
  editOutside(id: number | string, fields: Record<string, unknown>): Promise<unknown> {
    return this.call("PATCH", `/campaigns/${id}`, fields);
  }
  deleteOutside(id: number | string): Promise<unknown> {
    return this.call("DELETE", `/campaigns/${id}`);
  }
}
