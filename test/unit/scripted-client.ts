/**
 * A scripted client for the state-machine tests (after Genesys' stubbed proxy): the script lists
 * each call the machine is expected to make, in order, with its answer. A call the script does not
 * expect next (another method, other arguments, or one call too many) is recorded as a violation
 * and answered with an error; `violations()` lists them, `remaining()` what was never called.
 */
import { expect } from "chai";
import { ApiError, NotFoundError, OutcomeUnknownError, type Platform } from "../../provider/core/errors";

export interface Step {
  call: string;
  /** When given, the call's arguments must equal these (deep, JSON). */
  args?: unknown[];
  /** The resolved value. */
  returns?: unknown;
  /** Thrown instead of returning. */
  throws?: unknown;
  /** Answer this step for every consecutive call of the same method (at least one). */
  repeats?: boolean;
}

export interface Scripted<C> {
  client: C;
  /** Method names in the order they were called. */
  calls: string[];
  violations(): string[];
  remaining(): Step[];
}

export function scriptedClient<C>(steps: readonly Step[]): Scripted<C> {
  const queue = [...steps];
  const calls: string[] = [];
  const violations: string[] = [];
  let repeating: Step | undefined;
  const answer = (name: string, args: unknown[]): Promise<unknown> => {
    calls.push(name);
    let step: Step | undefined;
    if (repeating && repeating.call === name && (queue.length === 0 || queue[0].call !== name)) {
      step = repeating;
    } else {
      repeating = undefined;
      step = queue.shift();
    }
    if (!step || step.call !== name) {
      const expected = step ? `${step.call}` : "no more calls";
      violations.push(
        `call ${calls.length}: ${name}(${JSON.stringify(args)}), but the script expects ${expected}`,
      );
      if (step) queue.unshift(step);
      return Promise.reject(new Error(`unexpected call ${name}`));
    }
    if (step.args && JSON.stringify(step.args) !== JSON.stringify(args)) {
      violations.push(
        `call ${calls.length}: ${name}(${JSON.stringify(args)}), expected ${JSON.stringify(step.args)}`,
      );
    }
    if (step.repeats) repeating = step;
    return step.throws !== undefined ? Promise.reject(step.throws) : Promise.resolve(step.returns);
  };
  const client = new Proxy(
    {},
    {
      get: (_t, prop) => (typeof prop === "string" ? (...args: unknown[]) => answer(prop, args) : undefined),
    },
  ) as C;
  return { client, calls, violations: () => violations, remaining: () => queue };
}

/** An HTTP error answer of the vendor. */
export function apiError(
  platform: Platform,
  status: number,
  vendorMessage: string,
  vendorCode?: string,
): ApiError {
  return new ApiError({ platform, status, method: "POST", path: "/scripted", vendorMessage, vendorCode });
}

/** The vendor's own not-found answer, as the HTTP client raises it (api.ts dialects decide what it is). */
export function notFoundError(platform: Platform, vendorMessage: string): NotFoundError {
  return new NotFoundError(
    { platform, status: 404, method: "POST", path: "/scripted", vendorMessage },
    "campaign",
  );
}

/** A request whose answer was lost. */
export function lost(platform: Platform): OutcomeUnknownError {
  return new OutcomeUnknownError(platform, "POST", "/scripted", "connection reset");
}

/** One table row: a script of answers, the machine to run against it, and what it must do. */
export interface Case<C> {
  name: string;
  script: Step[];
  run: (client: C) => Promise<unknown>;
  /** The machine's result (compared deeply; a campaign by its status). */
  returns?: unknown;
  throws?: { type: new (...a: never[]) => Error; message?: RegExp };
}

/**
 * One `it` per row: the machine must make exactly the scripted calls, in order, and return (or
 * throw) what the row says.
 */
export function runCases<C>(cases: Case<C>[]): void {
  for (const c of cases) {
    it(c.name, async () => {
      const s = scriptedClient<C>(c.script);
      let result: unknown;
      let error: unknown;
      try {
        result = await c.run(s.client);
      } catch (e) {
        error = e;
      }
      expect(s.violations(), "calls the script does not expect").to.deep.equal([]);
      expect(
        s.remaining().map((r) => r.call),
        "calls the script expects but were not made",
      ).to.deep.equal([]);
      if (c.throws) {
        expect(error, "the machine should fail").to.be.instanceOf(c.throws.type);
        if (c.throws.message) expect((error as Error).message).to.match(c.throws.message);
      } else {
        if (error) throw error;
        const isCampaign =
          typeof result === "object" && result !== null && "id" in result && "status" in result;
        expect(isCampaign ? (result as { status: unknown }).status : result).to.deep.equal(c.returns);
      }
    });
  }
}
