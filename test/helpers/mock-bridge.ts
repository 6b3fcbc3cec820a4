/**
 * A small stand-in for the Pulumi engine, for the program layer: runs a real Pulumi program under
 * `pulumi.runtime.setMocks` and sends every dynamic resource (`pulumi-nodejs:dynamic…`) through the
 * SDK's real dynamic-provider host (`ProviderHost`, over gRPC), the way `pulumi up` would. A state
 * map (URN → {type, id, inputs, outs}) plays the part of the stack's checkpoint, so successive runs
 * of one `MockEngine` behave like successive `pulumi up`s of one stack.
 *
 * What one run does, per dynamic resource the program registers (the engine's step order,
 * pulumi/pulumi `pkg/resource/deploy/step_generator.go`):
 *   no prior state  → Check(olds = {}) → Create
 *   prior state     → Check(olds = old INPUTS) → Diff(olds = old OUTPUTS, news = checked inputs)
 *                     → DIFF_NONE: same (no call)
 *                     → replaces ≠ []: replace (below)
 *                     → DIFF_SOME: Update
 *                     → DIFF_UNKNOWN (a provider without diff): the engine compares old and new
 *                       inputs itself, `__provider` included; different → Update
 *   targeted replace (`RunOptions.replace`: `pulumi up --replace`, taint) → Check, and NO Diff
 *                     (`isTargetedReplace`): replace
 *   replace         → Check again with news only ("recompute the default values"), then Delete
 *                     and Create when deleteBeforeReplace, otherwise Create, then Delete. Which one:
 *                     the RESOURCE OPTION when the program set it (`deleteBeforeReplaceDefined`),
 *                     else the DiffResult's — and for a targeted replace, which has no DiffResult,
 *                     the option or false (`continueStepsFromDiff`)
 *   preview         → Check and Diff only, with the unknown sentinel wherever an input is not
 *                     known yet (`allowUnknowns := opts.DryRun`); nothing is written, outputs are
 *                     faked from inputs
 * and after the program: every state entry not registered in this run is deleted (newest first);
 * a run of an empty program is therefore `pulumi destroy`. A resource registered with
 * `retainOnDelete` is dropped from state without the provider's Delete, for a plain delete and for
 * the delete half of a replacement alike (step.go `DeleteStep.Apply`). `refresh()` is `pulumi
 * refresh`: per resource Read, then Diff(olds = the refreshed outputs, news = the inputs in state)
 * (`RefreshStep.Apply`, since pulumi/pulumi#16146), a failing Diff failing the refresh. The options
 * each registration carried are read from the RegisterResourceRequest the SDK's mock monitor
 * receives. Non-dynamic resources get echo mocks.
 *
 * Every registration also proves the serialized-shim contract: the `__provider` the SDK put into the
 * inputs must be the small `require("pulumi-campaigns/dynamic/…")` form (plain string, < 2 KB).
 *
 * Where this differs from the real engine (kept deliberately small):
 *   - no imports (`get`), `protect`, `ignoreChanges`, aliases, parents/components (URNs have no
 *     parent type), `dependsOn` ordering; `replaceOnChanges` is a no-op, as it is in the engine for
 *     dynamic providers (no per-field diff keys);
 *   - deletes run one at a time, newest first, instead of in reverse dependency order;
 *   - outputs are not re-marked secret by `additionalSecretOutputs` (the engine does that by key name),
 *     and a "same" step keeps the old outputs — including their `__provider` (pulumi/pulumi#16826) —
 *     while recording the new inputs, as the engine does;
 *   - a failed step fails the run and skips the deletes (the engine stops too, without
 *     `--continue-on-error`); a create/update that fails with ErrorResourceInitFailed keeps the
 *     resource in state with the id the provider reported, as the engine does for partial failures;
 *   - preview outputs of created/updated/replaced resources are the checked inputs, with every other
 *     output unknown (the provider answers supportsPreview=false, so the engine does the same).
 *
 * Re-running programs under setMocks: `setMocks` calls `resetOptions`, which gives each run a new
 * monitor, a fresh `rpcDone` keep-alive chain, no stack resource and no feature cache, so the SDK
 * side needs no further reset. What it does NOT reset: the program config (`store.config`), which
 * `run` therefore replaces on every run (`setAllConfig`), and Node's module cache, so a program whose
 * resources are declared at module top level (an `index.ts`) must be re-required — see
 * `requireFresh`. A registration still in flight from an earlier run would reach that run's (closed)
 * bridge, never the shared state: each run waits for the SDK's keep-alive chain (`waitForRPCs`) and
 * for its own provider calls before it finishes.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  ProviderRpcError,
  UNKNOWN,
  unsecret,
  type DiffOutcome,
  type ProviderHost,
  type Props,
} from "./provider-host";

/* eslint-disable @typescript-eslint/no-explicit-any */
// Internal SDK helpers (exported at run time, left out of the typings).
const sdkSettings: {
  waitForRPCs(): Promise<void>;
  getMonitor(): unknown;
} = require("@pulumi/pulumi/runtime/settings");
const sdkOutput: { isUnknown(v: unknown): boolean } = require("@pulumi/pulumi/output");

export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";
/** How an output the engine would not know until apply is shown in resolved run outputs. */
export const UNKNOWN_OUTPUT = "<unknown until apply>";
/** The serialized shim must stay this small (DESIGN.md, "The serialized shim"). */
export const MAX_PROVIDER_TEXT = 2048;
export const PROVIDER_REQUIRE = 'require("pulumi-campaigns/dynamic/';

export interface StateEntry {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** The checked inputs (`__provider` included), as the engine records them. */
  inputs: Props;
  /** The provider's outputs (`__provider` included). */
  outs: Props;
  /** The resource option, as the engine records it in state: Delete is skipped for it. */
  retainOnDelete?: boolean;
}

/** The resource options of one registration, as the RegisterResourceRequest carried them. */
export interface RegisteredOptions {
  /** `deleteBeforeReplace`, or undefined when the program left it unset. */
  deleteBeforeReplace: boolean | undefined;
  retainOnDelete: boolean;
  replaceOnChanges: string[];
  additionalSecretOutputs: string[];
}

export interface RunOptions {
  /** `pulumi preview`: Check and Diff only. */
  preview?: boolean;
  /** Heading of the run in the transcript. */
  label?: string;
  /** The program's stack config (namespaced keys, `project:key`), as `pulumi config` would give it. */
  config?: Record<string, string>;
  /** Keys of `config` that are secrets. */
  secretKeys?: string[];
  /**
   * Resource names to replace as `pulumi up --replace <urn>` (or `pulumi state taint`) does:
   * without calling Diff.
   */
  replace?: string[];
}

export interface RunResult<T> {
  /** The program's return value with every Output resolved (unknowns as UNKNOWN_OUTPUT). */
  outputs: Resolved<T>;
  /** This run's steps, e.g. `renewals: create`. */
  steps: string[];
}

export type Resolved<T> =
  T extends pulumi.Output<infer U>
    ? U
    : T extends readonly (infer E)[]
      ? Resolved<E>[]
      : T extends object
        ? { [K in keyof T]: Resolved<T[K]> }
        : T;

/** A run whose program or steps failed; `steps` holds what the run did before it stopped. */
export class RunFailedError extends Error {
  constructor(
    readonly errors: Error[],
    readonly steps: string[],
  ) {
    super(
      `the run failed (${errors.length} error${errors.length === 1 ? "" : "s"}):\n` +
        errors.map((e) => `  - ${e.message}`).join("\n"),
    );
  }
}

const isDynamic = (type: string) => type.startsWith(DYNAMIC_PREFIX);
const withoutProvider = (o: Props | undefined): Props => {
  const { __provider: _p, ...rest } = o ?? {};
  return rest;
};
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x as object)
            .sort()
            .map((k) => [k, (x as Props)[k]]),
        )
      : x,
  );
/** Mock inputs → wire values: secret wrappers off (acceptSecrets=false), SDK unknowns → the sentinel. */
function toWire(v: unknown): any {
  if (sdkOutput.isUnknown(v)) return UNKNOWN;
  const plain = unsecret(v);
  if (Array.isArray(plain)) return plain.map(toWire);
  if (plain && typeof plain === "object") {
    return Object.fromEntries(Object.entries(plain).map(([k, x]) => [k, toWire(x)]));
  }
  return plain;
}
const reasonOf = (e: unknown): string =>
  e instanceof ProviderRpcError ? e.details : e instanceof Error ? e.message : String(e);

/** One run's resource monitor: what the engine does for each registration of this run. */
class RunBridge implements pulumi.runtime.Mocks {
  readonly seen = new Set<string>();
  readonly steps: string[] = [];
  readonly errors: Error[] = [];
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly engine: MockEngine,
    private readonly preview: boolean,
    private readonly targetedReplace: ReadonlySet<string> = new Set(),
  ) {}

  newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string | undefined; state: Props }> {
    if (this.closed) {
      return Promise.reject(new Error(`${args.name}: registered after its run had finished`));
    }
    if (!isDynamic(args.type)) {
      return Promise.resolve({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs });
    }
    const p = this.dynamic(args).catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      this.errors.push(err);
      throw err;
    });
    this.inflight.add(p);
    void p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return args.inputs;
  }

  /** Every provider call this run started has settled. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  close(): void {
    this.closed = true;
  }

  private step(line: string): void {
    this.steps.push(line);
  }

  private async dynamic(
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<{ id: string | undefined; state: Props }> {
    const { host, state } = this.engine;
    const { name, type } = args;
    if (args.id) throw new Error(`${name}: imports and reads (\`get\`) are not modelled by the mock engine`);
    const urn = host.urnOf(type, name);
    if (this.seen.has(urn)) throw new Error(`${name}: duplicate resource URN ${urn}`);
    this.seen.add(urn);
    this.engine.verifyProvider(name, type, args.inputs.__provider);

    const options = this.engine.optionsOf(name);
    const news = toWire(args.inputs);
    const old = state.get(urn);
    const checked = async (olds: Props): Promise<Props> => {
      const chk = await host.check(urn, olds, news);
      if (chk.failures.length) {
        this.step(`${name}: check failed`);
        throw new Error(
          `${name}: invalid inputs: ${chk.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
        );
      }
      return chk.inputs;
    };
    let inputs = await checked(old ? old.inputs : {});

    let diff: DiffOutcome | undefined;
    const targeted = old !== undefined && this.targetedReplace.has(name);
    if (targeted) {
      // What the engine answers itself for `--replace` / taint, without asking the provider.
      diff = { changes: "DIFF_SOME", replaces: ["id"], deleteBeforeReplace: false };
    } else if (old) {
      try {
        diff = await host.diff(urn, old.id, old.outs, inputs, old.inputs);
      } catch (e) {
        this.step(`${name}: diff failed`);
        throw new Error(`${name}: ${reasonOf(e)}`, { cause: e });
      }
    }
    const replaces = diff?.replaces ?? [];
    const changed =
      diff === undefined ||
      diff.changes === "DIFF_SOME" ||
      // The engine's own diff compares every input, `__provider` included (pulumi/pulumi#12401).
      (diff.changes === "DIFF_UNKNOWN" && canonical(old!.inputs) !== canonical(inputs));
    // The resource option, when set, wins over the provider's answer (continueStepsFromDiff).
    const deleteBeforeReplace = options.deleteBeforeReplace ?? diff?.deleteBeforeReplace ?? false;
    const order = deleteBeforeReplace ? "deleteBeforeReplace" : "createBeforeDelete";
    // Once the plan is a replacement, the engine checks the new inputs again, as for a create.
    if (replaces.length) inputs = await checked({});

    if (this.preview) {
      if (!old) this.step(`${name}: would create`);
      else if (replaces.length) this.step(`${name}: would replace (${replaces.join(", ")}, ${order})`);
      else if (changed) this.step(`${name}: would update`);
      else this.step(`${name}: same`);
      // Unchanged: the old outputs. Otherwise the engine fakes outputs = checked inputs.
      return { id: old?.id, state: withoutProvider(!old || changed || replaces.length ? inputs : old.outs) };
    }

    const retainOnDelete = options.retainOnDelete || undefined;
    if (!old) {
      const created = await this.write(name, "create", () => host.create(urn, inputs), urn, type, inputs);
      this.engine.record({ urn, type, name, id: created.id, inputs, outs: created.outs, retainOnDelete });
      this.step(`${name}: create`);
      return { id: created.id, state: withoutProvider(created.outs) };
    }
    if (replaces.length) {
      const label = `replace (${replaces.join(", ")}, ${order})`;
      // The engine deletes the old copy as it was recorded, retainOnDelete included.
      const deleteOld = () =>
        old.retainOnDelete
          ? Promise.resolve(this.step(`${name}: ${label}: delete skipped (retainOnDelete)`))
          : this.write(name, `${label}: delete`, () => host.delete(urn, old.id, old.outs, old.inputs));
      if (deleteBeforeReplace) {
        await deleteOld();
        // The old campaign is gone; until the new one exists the stack holds nothing for this URN.
        state.delete(urn);
      }
      const created = await this.write(
        name,
        `${label}: create`,
        () => host.create(urn, inputs),
        urn,
        type,
        inputs,
      );
      this.engine.record({ urn, type, name, id: created.id, inputs, outs: created.outs, retainOnDelete });
      if (!deleteBeforeReplace) {
        // (Were this delete to fail, the engine would keep the old copy as "pending delete"; the
        // bridge only reports it.)
        await deleteOld();
      }
      this.step(`${name}: ${label}`);
      return { id: created.id, state: withoutProvider(created.outs) };
    }
    if (changed) {
      const updated = await this.write(
        name,
        "update",
        () => host.update(urn, old.id, old.outs, inputs, old.inputs),
        urn,
        type,
        inputs,
      );
      this.engine.record({ urn, type, name, id: old.id, inputs, outs: updated.outs, retainOnDelete });
      this.step(`${name}: update`);
      return { id: old.id, state: withoutProvider(updated.outs) };
    }
    this.engine.record({ ...old, inputs, retainOnDelete });
    this.step(`${name}: same`);
    return { id: old.id, state: withoutProvider(old.outs) };
  }

  /**
   * One provider write. A failure fails the step; when the provider reports a partial failure
   * (ErrorResourceInitFailed: the resource exists but did not finish), the engine keeps it in state.
   */
  private async write<T>(
    name: string,
    what: string,
    call: () => Promise<T>,
    urn?: string,
    type?: string,
    inputs?: Props,
  ): Promise<T> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof ProviderRpcError && e.initFailed && urn && type && inputs) {
        const f = e.initFailed;
        this.engine.record({ urn, type, name, id: f.id, inputs, outs: f.properties ?? {} });
      }
      this.step(`${name}: ${what} failed`);
      throw new Error(`${name}: ${what}: ${reasonOf(e)}`, { cause: e });
    }
  }

  /** After the program: delete what the stack holds but this run did not register (newest first). */
  async deleteUnregistered(): Promise<void> {
    const gone = [...this.engine.state.values()].filter((e) => !this.seen.has(e.urn)).reverse();
    for (const e of gone) {
      if (this.preview) {
        this.step(`${e.name}: would delete`);
        continue;
      }
      if (e.retainOnDelete) {
        // The engine drops it from state and leaves the campaign as it is.
        this.engine.state.delete(e.urn);
        this.step(`${e.name}: delete skipped (retainOnDelete)`);
        continue;
      }
      try {
        await this.engine.host.delete(e.urn, e.id, e.outs, e.inputs);
      } catch (err) {
        this.step(`${e.name}: delete failed`);
        this.errors.push(new Error(`${e.name}: delete: ${reasonOf(err)}`, { cause: err }));
        return; // the engine stops at the first failed step; the rest stays in state
      }
      this.engine.state.delete(e.urn);
      this.step(`${e.name}: delete`);
    }
  }
}

/** Resolve every Output in `v` (deeply). Unknown outputs (preview) become UNKNOWN_OUTPUT. */
async function resolveDeep(v: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) {
    const o = v as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
    return (await o.isKnown) ? resolveDeep(await o.promise()) : UNKNOWN_OUTPUT;
  }
  if (v instanceof Promise) return resolveDeep(await v);
  if (Array.isArray(v)) return Promise.all(v.map(resolveDeep));
  if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await resolveDeep(x)]));
    return Object.fromEntries(entries);
  }
  return v;
}

/**
 * A stack, its state, and the engine that runs programs against it. One ProviderHost (the
 * `pulumi-nodejs` plugin process) serves all runs, as one would across `pulumi up`s of a session.
 */
export class MockEngine {
  /** The stack's checkpoint: URN → resource, in registration order. */
  readonly state = new Map<string, StateEntry>();
  /** Every run's steps, under a heading per run. */
  readonly transcript: string[] = [];
  /** The `__provider` text seen per resource type. */
  readonly providerTexts = new Map<string, string>();
  /** The resource options of each resource's latest registration, by resource name. */
  readonly registeredOptions = new Map<string, RegisteredOptions>();
  private runs = 0;

  constructor(readonly host: ProviderHost) {}

  /** The stack's resources as `name → id`. */
  ids(): Record<string, string> {
    return Object.fromEntries([...this.state.values()].map((e) => [e.name, e.id]));
  }

  /** @internal (RunBridge) */
  record(entry: StateEntry): void {
    if (entry.retainOnDelete === undefined) delete entry.retainOnDelete;
    this.state.set(entry.urn, entry);
  }

  /** @internal (RunBridge) The options `name` was registered with in this run. */
  optionsOf(name: string): RegisteredOptions {
    const o = this.registeredOptions.get(name);
    if (!o) throw new Error(`${name}: no RegisterResourceRequest was seen for it`);
    return o;
  }

  /**
   * Read the options of every registration off the RegisterResourceRequest, before the SDK's mock
   * monitor turns it into `newResource` arguments (which carry no options).
   */
  private captureOptions(): void {
    const monitor = sdkSettings.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: unknown) => {
      this.registeredOptions.set(req.getName(), {
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        retainOnDelete: req.getRetainondelete(),
        replaceOnChanges: req.getReplaceonchangesList(),
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      });
      return register(req, callback);
    };
  }

  /** @internal (RunBridge) The serialized shim contract, checked on every registration. */
  verifyProvider(name: string, type: string, raw: unknown): void {
    if (typeof raw !== "string") {
      throw new Error(
        `${name}: __provider is ${raw === undefined ? "missing" : "not a plain string (it captured a secret?)"}`,
      );
    }
    if (raw.length >= MAX_PROVIDER_TEXT || !raw.includes(PROVIDER_REQUIRE)) {
      throw new Error(
        `${name}: __provider is not the small require form of the installed package (${raw.length} chars): ` +
          "was pulumi-campaigns imported from node_modules (npm run install-self)?",
      );
    }
    this.providerTexts.set(type, raw);
  }

  /**
   * Run `program` as one `pulumi up` (or `pulumi preview`) of this stack. Throws RunFailedError
   * when the program or a step failed; the state then holds what the engine would have recorded.
   */
  async run<T>(program: () => T | Promise<T>, opts: RunOptions = {}): Promise<RunResult<T>> {
    const preview = opts.preview ?? false;
    const label = opts.label ?? `run ${this.runs + 1}`;
    this.runs++;
    pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys ?? []);
    const bridge = new RunBridge(this, preview, new Set(opts.replace ?? []));
    await pulumi.runtime.setMocks(bridge, this.host.project, this.host.stack, preview);
    this.captureOptions();

    let programError: Error | undefined;
    let resolving: Promise<{ value?: unknown; error?: Error }> | undefined;
    try {
      const result = await program();
      // Start resolving the program's outputs now: a failed registration rejects its outputs, and a
      // handler attached only after that would leave Node warning about late-handled rejections.
      resolving = resolveDeep(result).then(
        (value) => ({ value }),
        (e: unknown) => ({ error: e instanceof Error ? e : new Error(String(e)) }),
      );
    } catch (e) {
      programError = e instanceof Error ? e : new Error(String(e));
    }
    // Every registration the program started: the SDK's keep-alive chain, then our provider calls.
    await sdkSettings.waitForRPCs();
    await bridge.idle();

    let outputs: unknown;
    if (resolving) {
      const r = await resolving;
      outputs = r.value;
      // A failed registration rejects its outputs; the bridge has that error already.
      if (r.error && !bridge.errors.length) bridge.errors.push(r.error);
    }
    if (!programError && !bridge.errors.length) await bridge.deleteUnregistered();
    bridge.close();

    this.transcript.push(`--- ${preview ? `preview: ${label}` : label} ---`, ...bridge.steps);
    const errors = programError ? [programError, ...bridge.errors] : bridge.errors;
    if (errors.length) throw new RunFailedError(errors, bridge.steps);
    return { outputs: outputs as Resolved<T>, steps: bridge.steps };
  }

  /**
   * `pulumi refresh`: for each resource in state, Read(id, outputs, inputs); an empty id drops it,
   * otherwise state takes the read outputs (and inputs, when Read returned them). Then, as
   * RefreshStep.Apply does, Diff(olds = the refreshed outputs, news = the inputs in state before the
   * read): a difference is drift (`refresh: drift`), and a Diff that throws fails the refresh.
   */
  async refresh(label = "refresh"): Promise<RunResult<Record<string, never>>> {
    this.runs++;
    const steps: string[] = [];
    const errors: Error[] = [];
    for (const e of [...this.state.values()]) {
      let read: { id: string; outs: Props; inputs?: Props };
      try {
        read = await this.host.read(e.urn, e.id, e.outs, e.inputs);
      } catch (err) {
        steps.push(`${e.name}: refresh failed`);
        errors.push(new Error(`${e.name}: read: ${reasonOf(err)}`, { cause: err }));
        continue;
      }
      if (!read.id) {
        this.state.delete(e.urn);
        steps.push(`${e.name}: refresh: deleted`);
        continue;
      }
      // The host adds `__provider` to both (resultIncludingProvider); without returned inputs the
      // engine keeps the recorded ones.
      const outs = read.outs;
      const inputs = read.inputs ?? e.inputs;
      let diff: DiffOutcome;
      try {
        diff = await this.host.diff(e.urn, read.id, outs, e.inputs, inputs);
      } catch (err) {
        steps.push(`${e.name}: refresh failed`);
        errors.push(new Error(`${e.name}: diff after read: ${reasonOf(err)}`, { cause: err }));
        continue;
      }
      this.record({ ...e, id: read.id, outs, inputs });
      const drift = diff.changes === "DIFF_SOME" || diff.replaces.length > 0;
      steps.push(
        `${e.name}: refresh: ${drift ? `drift${diff.replaces.length ? ` (${diff.replaces.join(", ")})` : ""}` : "same"}`,
      );
    }
    this.transcript.push(`--- ${label} ---`, ...steps);
    if (errors.length) throw new RunFailedError(errors, steps);
    return { outputs: {} as Resolved<Record<string, never>>, steps };
  }

  /** `pulumi destroy`: a run of an empty program. */
  destroy(label = "destroy"): Promise<RunResult<Record<string, never>>> {
    return this.run(() => ({}), { label });
  }
}

/**
 * `require` a module anew (a Pulumi entry point declares its resources when it loads, so each
 * run must load it again). Only that module is evicted; what it imports stays cached.
 */
export function requireFresh<T = any>(modulePath: string): T {
  const resolved = require.resolve(modulePath);
  delete require.cache[resolved];
  return require(resolved) as T;
}

/** Expect a run to fail; returns the failure (its steps and message). */
export async function runFailure(p: Promise<unknown>): Promise<RunFailedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RunFailedError) return e;
    throw e;
  }
  throw new Error("expected the run to fail, but it succeeded");
}
