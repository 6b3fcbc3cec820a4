import { expect } from "chai";
import { z } from "zod";
import {
  configureFromStack,
  endpointFor,
  numberSetting,
  resetStackConfig,
  setting,
} from "../../provider/core/credentials";
import { canonicalJson, digestOf, sameData } from "../../provider/core/digest";
import { ConfigurationError } from "../../provider/core/errors";
import fc from "fast-check";
import { ConcurrencyLimiter, RECOVER_AFTER } from "../../provider/core/limiter";
import { REDACTED, redact, registerSecret } from "../../provider/core/redact";
import { UNKNOWN, formatPath, validate } from "../../provider/core/validation";
import { WaitTimeoutError } from "../../provider/core/errors";
import { waitFor } from "../../provider/core/waiter";

const config = (values: Record<string, string>) => ({ config: { get: (k: string) => values[k] } });

describe("credentials", () => {
  afterEach(() => resetStackConfig());

  it("prefers stack config over the environment", () => {
    const env = { BURKI_API_KEY: "env-key-1234", BURKI_BASE_URL: "http://env.example" };
    expect(setting("burki:apiKey", env)).to.equal("env-key-1234");
    configureFromStack(config({ "burki:apiKey": "stack-key-1234" }));
    expect(setting("burki:apiKey", env)).to.equal("stack-key-1234");
    expect(setting("burki:baseUrl", env)).to.equal("http://env.example");
  });

  it("falls back to the default base URLs", () => {
    const env = { BURKI_API_KEY: "k-123456", WOODPECKER_API_KEY: "w-123456" };
    expect(endpointFor("burki", env).baseUrl).to.equal("https://api.burki.dev");
    expect(endpointFor("woodpecker", env).baseUrl).to.equal("https://api.woodpecker.co/rest");
  });

  it("names the config command when the key is missing", () => {
    expect(() => endpointFor("burki", {}))
      .to.throw(ConfigurationError)
      .with.property("message")
      .that.includes("pulumi config set --secret burki:apiKey");
    expect(() => endpointFor("woodpecker", {})).to.throw(/WOODPECKER_API_KEY/);
  });

  it("rejects a base URL that is not http(s)", () => {
    expect(() => endpointFor("burki", { BURKI_API_KEY: "k-123456", BURKI_BASE_URL: "ftp://x" })).to.throw(
      /must be an http\(s\) URL/,
    );
  });

  it("bounds numeric settings and names the key when one is off", () => {
    const range = { min: 1, max: 7, integer: true };
    expect(numberSetting("woodpecker:maxInFlight", 2, {}, range)).to.equal(2);
    expect(numberSetting("woodpecker:maxInFlight", 2, { WOODPECKER_MAX_IN_FLIGHT: "1" }, range)).to.equal(1);
    expect(() =>
      numberSetting("woodpecker:maxInFlight", 2, { WOODPECKER_MAX_IN_FLIGHT: "9" }, range),
    ).to.throw('woodpecker:maxInFlight must be an integer from 1 to 7, got "9".');
    expect(() =>
      numberSetting("burki:stopTimeoutSeconds", 300, { BURKI_STOP_TIMEOUT_SECONDS: "soon" }),
    ).to.throw(/burki:stopTimeoutSeconds must be a positive number/);
  });

  it("tolerates a host that never received Configure", () => {
    configureFromStack({
      config: {
        get: () => {
          throw new TypeError("Cannot read properties of undefined");
        },
      },
    });
    expect(setting("burki:apiKey", {})).to.equal(undefined);
  });
});

describe("redaction", () => {
  it("scrubs registered keys, bearer tokens and x-api-key values", () => {
    registerSecret("burki_supersecretvalue0000000000000000");
    const text =
      "failed with burki_supersecretvalue0000000000000000 and Bearer abcdefghijklmnop; x-api-key: wp-123456789";
    const out = redact(text);
    expect(out).to.not.include("supersecret");
    expect(out).to.not.include("abcdefghijklmnop");
    expect(out).to.not.include("wp-123456789");
    expect(out.split(REDACTED).length - 1).to.equal(3);
  });
});

describe("validation", () => {
  const schema = z.strictObject({
    name: z.string().min(1),
    items: z.array(z.strictObject({ phone: z.string().regex(/^\+\d+$/) })),
  });

  it("formats property paths the way users write them", () => {
    expect(formatPath(["contacts", 2, "phoneNumber"])).to.equal("contacts[2].phoneNumber");
    expect(formatPath(["steps", 1, "versions", 0, "subject"])).to.equal("steps[1].versions[0].subject");
  });

  it("reports every failure with its path", () => {
    const r = validate(schema, { name: "", items: [{ phone: "+1" }, { phone: "x" }], extra: 1 });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.failures.map((f) => f.property).sort()).to.deep.equal(["(inputs)", "items[1].phone", "name"]);
  });

  it("does not fail on values unknown during preview", () => {
    const r = validate(schema, { name: UNKNOWN, items: [{ phone: UNKNOWN }] });
    expect(r.ok).to.equal(true);
    expect(r.ok && r.hasUnknowns).to.equal(true);
    const partly = validate(schema, { name: UNKNOWN, items: [{ phone: "bad" }] });
    expect(partly.ok).to.equal(false);
  });
});

describe("limiter", () => {
  it("runs one task at a time and keeps order", async () => {
    const l = new ConcurrencyLimiter(1);
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        l.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          order.push(n);
          active--;
        }),
      ),
    );
    expect(peak).to.equal(1);
    expect(l.peak).to.equal(1);
    expect(order).to.deep.equal([1, 2, 3, 4, 5]);
  });

  it("halves what it keeps in flight on a 429 and gives one slot back after a run of answers", async () => {
    const l = new ConcurrencyLimiter(4);
    let active = 0;
    let peak = 0;
    const task = () =>
      l.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 2));
        active--;
      });
    await Promise.all(Array.from({ length: 8 }, task));
    expect(peak).to.equal(4);
    l.rateLimited();
    expect(l.limit).to.equal(2);
    l.rateLimited();
    l.rateLimited();
    expect(l.limit, "never below one").to.equal(1);
    expect(l.backoffs).to.equal(2);
    peak = 0;
    await Promise.all(Array.from({ length: 8 }, task));
    expect(peak, "after the 429s, one at a time").to.equal(1);
    for (let i = 0; i < RECOVER_AFTER - 1; i++) l.answered();
    expect(l.limit).to.equal(1);
    l.answered();
    expect(l.limit).to.equal(2);
    for (let i = 0; i < 10 * RECOVER_AFTER; i++) l.answered();
    expect(l.limit, "never above the configured maximum").to.equal(4);
  });

  it("lowers the limit while tasks run: their slots go away as they finish", async () => {
    const l = new ConcurrencyLimiter(2);
    let active = 0;
    let peakAfter = 0;
    let lowered = false;
    const task = (n: number) =>
      l.run(async () => {
        active++;
        if (lowered) peakAfter = Math.max(peakAfter, active);
        if (n === 0) {
          l.rateLimited();
          lowered = true;
        }
        await new Promise((r) => setTimeout(r, 5));
        active--;
      });
    await Promise.all([0, 1, 2, 3, 4, 5].map(task));
    expect(l.limit).to.equal(1);
    // Task 1 was already running when the limit dropped; every task started after ran alone.
    expect(peakAfter).to.be.at.most(2);
    const solo: number[] = [];
    await Promise.all([0, 1, 2].map(() => l.run(async () => solo.push(active))));
    expect(solo).to.deep.equal([0, 0, 0]);
  });

  it("releases the slot when a task fails", async () => {
    const l = new ConcurrencyLimiter(1);
    await l.run(async () => Promise.reject(new Error("x"))).catch(() => undefined);
    expect(await l.run(async () => 42)).to.equal(42);
  });
});

describe("waiter", () => {
  it("returns the first defined value", async () => {
    let n = 0;
    expect(
      await waitFor({ what: "x", timeoutMs: 1_000, initialDelayMs: 1 }, async () =>
        ++n >= 3 ? n : undefined,
      ),
    ).to.equal(3);
  });

  it("times out with the description and the hint", async () => {
    const e = await waitFor(
      { what: "campaign 7 to stop", timeoutMs: 30, initialDelayMs: 5, hint: "Do X." },
      async () => undefined,
    ).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(WaitTimeoutError);
    expect((e as Error).message).to.match(/waiting for campaign 7 to stop\. Do X\./);
  });
});

describe("digest", () => {
  it("ignores object key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).to.equal('{"a":{"c":3,"d":2},"b":1}');
    expect(digestOf({ a: 1, b: 2 })).to.equal(digestOf({ b: 2, a: 1 }));
  });

  it("sameData answers as comparing canonical JSON would, for any data", () => {
    const json = (v: unknown) => canonicalJson(v ?? null);
    // Values with undefined keys, nulls, nested arrays and maps; pairs built to be equal often.
    const leaf = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom("a", "b"),
    );
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        leaf,
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom("x", "y", "z"), tie("value"), { maxKeys: 3 }),
      ),
    }));
    const reorder = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reorder)
        : v && typeof v === "object"
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reorder(x)]),
            )
          : v;
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(sameData(a, b), `${json(a)} vs ${json(b)}`).to.equal(json(a) === json(b));
        expect(sameData(a, reorder(a))).to.equal(true);
        if (a && typeof a === "object" && !Array.isArray(a))
          expect(sameData(a, { ...a, extra: undefined })).to.equal(true);
      }),
      { numRuns: 2000 },
    );
  });
});
