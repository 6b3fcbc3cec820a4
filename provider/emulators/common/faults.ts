/** Injected faults: the profile (`PUT /_emulator/faults`, the `faults` option), its validation, the dice. */

/** Shares are probabilities in [0, 1], drawn independently per API request in this order. */
export interface FaultProfile {
  /** 429 without Retry-After. */
  rate429?: number;
  /** 429 with `Retry-After: retryAfterSeconds`. */
  rate429RetryAfter?: number;
  retryAfterSeconds?: number;
  rate500?: number;
  rate502?: number;
  /** Close the connection without an answer, before handling the request. */
  rateReset?: number;
  /** Handle the request, then answer only after `slowMs` (longer than the client's timeout). */
  rateSlow?: number;
  slowMs?: number;
  /** POST only: handle the request (the change is applied), then lose the answer (reset or 500). */
  rateAppliedLost?: number;
  /** Added to every API request. */
  latencyMs?: number;
  /** Only requests whose "METHOD /path" matches this regular expression get faults. */
  match?: string;
  /** Seed for the fault dice (same seed, same sequence). */
  seed?: number;
}

const RATE_KEYS = [
  "rate429",
  "rate429RetryAfter",
  "rate500",
  "rate502",
  "rateReset",
  "rateSlow",
  "rateAppliedLost",
] as const;
const DURATION_KEYS = ["retryAfterSeconds", "slowMs", "latencyMs"] as const;

/**
 * Validate a FaultProfile (the body of `PUT /_emulator/faults`, or the `faults` option): an object
 * of known keys, shares in [0, 1], durations ≥ 0, `match` a valid regular expression, `seed` an
 * integer. Throws an Error that says which field is wrong and what it must be.
 */
export function parseFaultProfile(value: unknown): FaultProfile {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(
      `the fault profile must be a JSON object, got ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`,
    );
  }
  const known = new Set<string>([...RATE_KEYS, ...DURATION_KEYS, "match", "seed"]);
  const out: FaultProfile = {};
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k)) {
      throw new Error(`unknown fault "${k}"; known: ${[...known].join(", ")}`);
    }
    if ((RATE_KEYS as readonly string[]).includes(k)) {
      if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
        throw new Error(`${k} must be a probability from 0 to 1, got ${JSON.stringify(v)}`);
      }
    } else if ((DURATION_KEYS as readonly string[]).includes(k)) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new Error(`${k} must be a number ≥ 0, got ${JSON.stringify(v)}`);
      }
    } else if (k === "match") {
      if (typeof v !== "string")
        throw new Error(`match must be a regular expression (a string), got ${JSON.stringify(v)}`);
      try {
        new RegExp(v);
      } catch (e) {
        throw new Error(`match is not a valid regular expression: ${(e as Error).message}`, { cause: e });
      }
    } else if (k === "seed") {
      if (!Number.isInteger(v)) throw new Error(`seed must be an integer, got ${JSON.stringify(v)}`);
    }
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** mulberry32: a tiny seeded PRNG so fault runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
