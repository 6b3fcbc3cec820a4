/**
 * A long wait says it is still waiting (core/waiter.ts `onProgress`): at most once per
 * `progressEveryMs`, only after a check that found the wait not over, never for a quick one.
 */
import { expect } from "chai";
import { waitFor } from "../../provider/core/waiter";

describe("waiter: progress of a long wait", () => {
  it("reports about once per interval while the wait goes on", async () => {
    const seen: number[] = [];
    let checks = 0;
    const t0 = Date.now();
    await waitFor(
      {
        what: "the thing",
        timeoutMs: 5_000,
        initialDelayMs: 20,
        maxDelayMs: 20,
        progressEveryMs: 100,
        onProgress: (ms) => seen.push(ms),
      },
      async () => (Date.now() - t0 >= 450 ? "done" : (checks++, undefined)),
    );
    expect(checks).to.be.greaterThan(10);
    expect(seen.length).to.be.within(3, 5);
    for (let i = 1; i < seen.length; i++) expect(seen[i] - seen[i - 1]).to.be.at.least(100);
  });

  it("says nothing when the wait ends before the first interval", async () => {
    const seen: number[] = [];
    await waitFor(
      { what: "the thing", timeoutMs: 1_000, initialDelayMs: 5, onProgress: (ms) => seen.push(ms) },
      async () => "at once",
    );
    expect(seen).to.deep.equal([]);
  });
});
