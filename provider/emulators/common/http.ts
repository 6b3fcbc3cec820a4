/** The request and reply types every emulator handler sees, and the request log entry. */
import type { IncomingMessage } from "node:http";

export interface RequestLogEntry {
  seq: number;
  /** ISO time the request arrived. */
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  status: number;
  durationMs: number;
  /** Time spent waiting in the per-account queue (Woodpecker). */
  queuedMs?: number;
  /** The injected fault, if one was applied. */
  fault?: string;
}

export type Query = URLSearchParams;

export class HttpReply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export interface RequestContext {
  method: string;
  path: string;
  query: Query;
  headers: IncomingMessage["headers"];
  rawBody: Buffer;
  /** Per-request scratch space for the platform handler. */
  account?: string;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; position: number; message: string };

export function parseJson(raw: Buffer): JsonParse {
  const text = raw.toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    return { ok: false, position: m ? Number(m[1]) : 0, message: (e as Error).message };
  }
}
