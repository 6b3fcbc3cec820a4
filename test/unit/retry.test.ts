import { expect } from "chai";
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  fullJitterDelay,
  isRetryableFailure,
  parseRetryAfter,
} from "../../provider/core/retry";

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000, maxRateLimitedAttempts: 12 };
const far = Date.now() + 3_600_000;

describe("retry policy", () => {
  it("retries 429 for every method, a create included", () => {
    expect(isRetryableFailure({ statusCode: 429 }, false)).to.equal(true);
    expect(isRetryableFailure({ statusCode: 429 }, true)).to.equal(true);
  });

  it("retries 5xx and mid-request connection failures only when the request is idempotent", () => {
    for (const statusCode of [500, 502, 503, 504]) {
      expect(isRetryableFailure({ statusCode }, true), `${statusCode} idempotent`).to.equal(true);
      expect(isRetryableFailure({ statusCode }, false), `${statusCode} create`).to.equal(false);
    }
    expect(isRetryableFailure({ code: "ECONNRESET" }, true)).to.equal(true);
    expect(isRetryableFailure({ code: "ECONNRESET" }, false)).to.equal(false);
    expect(isRetryableFailure({ code: "UND_ERR_HEADERS_TIMEOUT" }, false)).to.equal(false);
  });

  it("retries failures before any connection existed for every method", () => {
    expect(isRetryableFailure({ code: "ECONNREFUSED" }, false)).to.equal(true);
    expect(isRetryableFailure({ code: "UND_ERR_CONNECT_TIMEOUT" }, false)).to.equal(true);
  });

  it("never retries client errors", () => {
    for (const statusCode of [400, 401, 403, 404, 409, 422]) {
      expect(isRetryableFailure({ statusCode }, true), String(statusCode)).to.equal(false);
    }
  });

  it("full jitter stays within [0, min(cap, base·2^n))", () => {
    expect(fullJitterDelay(1, policy, () => 0)).to.equal(0);
    expect(fullJitterDelay(1, policy, () => 0.999)).to.equal(199);
    expect(fullJitterDelay(3, policy, () => 0.5)).to.equal(400);
    expect(fullJitterDelay(10, policy, () => 0.999)).to.equal(1_998); // capped at maxDelayMs
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("3", now)).to.equal(3_000);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:05 GMT", now)).to.equal(5_000);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
  });

  it("waits at least Retry-After", () => {
    const d = decideRetry(
      { statusCode: 429, retryAfter: "2" },
      { attempt: 1, idempotent: false, policy, deadline: far, random: () => 0.5 },
    );
    expect(d).to.deep.equal({ retry: true, delayMs: 2_000 + 100 });
  });

  it("stops after maxAttempts and before the deadline passes", () => {
    const exhausted = decideRetry(
      { statusCode: 503 },
      { attempt: 5, idempotent: true, policy, deadline: far },
    );
    expect(exhausted.retry).to.equal(false);
    const now = Date.now();
    const late = decideRetry(
      { statusCode: 429, retryAfter: "30" },
      { attempt: 1, idempotent: true, policy, deadline: now + 5_000, now },
    );
    expect(late).to.deep.equal({ retry: false, reason: "the operation deadline would pass" });
  });

  it("keeps retrying a 429 (the request was not processed) past maxAttempts, up to maxRateLimitedAttempts", () => {
    const ctx = (attempt: number) => ({ attempt, idempotent: false, policy, deadline: far, random: () => 0 });
    expect(decideRetry({ statusCode: 429 }, ctx(5)).retry, "a busy account is not a broken one").to.equal(
      true,
    );
    expect(decideRetry({ statusCode: 429 }, ctx(11)).retry).to.equal(true);
    expect(decideRetry({ statusCode: 429 }, ctx(12))).to.deep.equal({
      retry: false,
      reason: "gave up after 12 attempts",
    });
    // Other failures keep the shorter budget.
    expect(decideRetry({ code: "ECONNREFUSED" }, ctx(5)).retry).to.equal(false);
  });

  it("has sane defaults", () => {
    expect(DEFAULT_RETRY_POLICY.maxRateLimitedAttempts).to.be.greaterThan(DEFAULT_RETRY_POLICY.maxAttempts);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).to.be.greaterThan(1);
    expect(DEFAULT_RETRY_POLICY.maxDelayMs).to.be.greaterThan(DEFAULT_RETRY_POLICY.baseDelayMs);
  });
});
