/**
 * Drives the Pulumi SDK's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over
 * gRPC, the way the engine does: spawn it with cwd = the program directory and the PULUMI_* env,
 * read its port from the first stdout line, then Configure → Check → Diff → Create → Read →
 * Update → Delete with `__provider` carried in the property structs.
 *
 * Providers are serialized with the SDK's own closure serializer (exactly what
 * `pulumi.dynamic.Resource` stores in state).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";

const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// The same grpc-js and protobuf copies as the SDK's generated stubs.
const fromPulumi = (m: string) => require(require.resolve(m, { paths: [PULUMI_DIR] }));
/* eslint-disable @typescript-eslint/no-explicit-any */
const grpc: any = fromPulumi("@grpc/grpc-js");
const structpb: any = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptypb: any = fromPulumi("google-protobuf/google/protobuf/empty_pb");
const provrpc: any = require("@pulumi/pulumi/proto/provider_grpc_pb");
const provpb: any = require("@pulumi/pulumi/proto/provider_pb");
const statuspb: any = require("@pulumi/pulumi/proto/status_pb");

/** Wire sentinels (sdk/nodejs/runtime/rpc.ts). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
export const secret = (v: unknown) => ({ [SECRET_SIG]: SECRET_VALUE, value: v });

export type Props = Record<string, any>;

/** Serialize a provider exactly like `pulumi.dynamic.Resource` does. */
export async function serializeProvider(
  provider: unknown,
): Promise<{ text: string; containsSecrets: boolean }> {
  const sc = require("@pulumi/pulumi/runtime/closure/serializeClosure");
  const sf = await sc.serializeFunction(() => provider, { allowSecrets: true });
  return { text: sf.text, containsSecrets: sf.containsSecrets };
}

/** Strip secret wrappers (the engine does this for providers that do not accept secrets). */
export function unsecret(v: unknown): any {
  if (Array.isArray(v)) return v.map(unsecret);
  if (v && typeof v === "object") {
    if ((v as Props)[SECRET_SIG] === SECRET_VALUE) return unsecret((v as Props).value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsecret(x)]));
  }
  return v;
}

const toStruct = (o: unknown) => structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(o ?? {})));
const fromStruct = (s: any) => (s ? s.toJavaScript() : undefined);

export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

export class ProviderRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly codeName: string,
    readonly details: string,
    readonly initFailed?: InitFailure,
  ) {
    super(`${method}: ${codeName} ${details}`);
  }
}

function decodeError(method: string, err: any): ProviderRpcError {
  const codeName = Object.keys(grpc.status).find((k) => grpc.status[k] === err.code) ?? String(err.code);
  let initFailed: InitFailure | undefined;
  const bin = err.metadata?.get("grpc-status-details-bin");
  if (bin?.length) {
    const st = statuspb.Status.deserializeBinary(bin[0]);
    for (const any of st.getDetailsList()) {
      if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
        const d = provpb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
        initFailed = {
          id: d.getId(),
          properties: fromStruct(d.getProperties()),
          reasons: d.getReasonsList(),
        };
      }
    }
  }
  return new ProviderRpcError(method, err.code, codeName, err.details ?? err.message, initFailed);
}

export type DiffChanges = "DIFF_UNKNOWN" | "DIFF_NONE" | "DIFF_SOME";
const DIFF: DiffChanges[] = ["DIFF_UNKNOWN", "DIFF_NONE", "DIFF_SOME"];

export interface DiffOutcome {
  changes: DiffChanges;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ProviderHostOptions {
  /** Program directory: the serialized provider's `require`s resolve from here. */
  cwd: string;
  project?: string;
  stack?: string;
  /** PULUMI_CONFIG (namespaced keys). */
  config?: Record<string, string>;
  env?: Record<string, string | undefined>;
  /** Extra node flags for the host process, before its entry script (e.g. `--inspect=127.0.0.1:0`). */
  nodeArgs?: string[];
}

export class ProviderHost {
  private stdoutText = "";
  private stderrText = "";
  private client: any;
  readonly project: string;
  readonly stack: string;

  private constructor(
    readonly child: ChildProcess,
    port: number,
    opts: ProviderHostOptions,
    out: { stdout: string; stderr: string },
  ) {
    this.project = opts.project ?? "campaigns-test";
    this.stack = opts.stack ?? "test";
    this.stdoutText = out.stdout;
    this.stderrText = out.stderr;
    child.stdout!.on("data", (d) => (this.stdoutText += String(d)));
    child.stderr!.on("data", (d) => (this.stderrText += String(d)));
    // The engine's limit (Pulumi's maxRPCMessageSize, 400 MB), not grpc-js's 4 MB default: a campaign
    // with 100,000 inline contacts answers check with about 11 MB.
    this.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
    });
  }

  /** Spawn the host like the engine does and wait for its port. */
  static async start(opts: ProviderHostOptions): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [opts.cwd, __dirname] });
    const project = opts.project ?? "campaigns-test";
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...opts.env })) if (v !== undefined) env[k] = v;
    env.PULUMI_NODEJS_PROJECT = project;
    env.PULUMI_PROJECT = project;
    env.PULUMI_CONFIG = JSON.stringify(opts.config ?? {});
    const args = [...(opts.nodeArgs ?? []), entry, "127.0.0.1:1" /* engine address: required, unused */];
    const child = spawn(process.execPath, args, {
      cwd: opts.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out = { stdout: "", stderr: "" };
    const port = await new Promise<number>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out.stdout += String(d);
        const nl = out.stdout.indexOf("\n");
        if (nl >= 0) {
          child.stdout!.off("data", onData);
          resolve(Number(out.stdout.slice(0, nl).trim()));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", (d) => (out.stderr += String(d)));
      child.once("exit", (code) =>
        reject(new Error(`provider host exited (${code}) before its port:\n${out.stderr}`)),
      );
    });
    out.stdout = out.stdout.slice(out.stdout.indexOf("\n") + 1);
    return new ProviderHost(child, port, opts, out);
  }

  urnOf(type: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  /** What the host printed after its port line. */
  stdout(): string {
    return this.stdoutText;
  }
  stderr(): string {
    return this.stderrText;
  }

  private call(method: string, req: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
      this.client[method](req, (err: any, resp: any) =>
        err ? reject(decodeError(method, err)) : resolve(resp),
      ),
    );
  }

  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once("exit", r));
      this.child.kill();
      await exited;
    }
  }

  async getPluginInfo(): Promise<string> {
    return (await this.call("getPluginInfo", new emptypb.Empty())).getVersion();
  }

  /**
   * `args`: the whole stack config, namespaced keys, secrets wrapped (as the engine sends it).
   * Which config: for `up` and `preview` the engine sends the current stack config; for `refresh`
   * and `destroy` (no program run) the config recorded in state by the last `up`, as the default
   * provider's inputs (pkg/resource/deploy/target.go `GetPackageConfig`; measured in
   * test/e2e/wrong-base-url.test.ts). A test of a refresh or destroy after a config change must pass
   * the recorded config here, not the new one.
   */
  async configure(args: Props = {}): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const r = new provpb.ConfigureRequest();
    r.setArgs(toStruct(args));
    r.setAcceptsecrets(true);
    r.setAcceptresources(true);
    const resp = await this.call("configure", r);
    return { acceptSecrets: resp.getAcceptsecrets(), supportsPreview: resp.getSupportspreview() };
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const r = new provpb.CheckRequest();
    r.setUrn(urn);
    r.setOlds(toStruct(unsecret(olds)));
    r.setNews(toStruct(unsecret(news)));
    r.setRandomseed(Buffer.from("0123456789abcdef0123456789abcdef"));
    const resp = await this.call("check", r);
    return {
      inputs: fromStruct(resp.getInputs()),
      failures: resp
        .getFailuresList()
        .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `olds` are the OLD OUTPUTS (state), `news` the new checked inputs. */
  async diff(urn: string, id: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffOutcome> {
    const r = new provpb.DiffRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(toStruct(unsecret(olds)));
    r.setNews(toStruct(unsecret(news)));
    if (oldInputs) r.setOldInputs(toStruct(unsecret(oldInputs)));
    const resp = await this.call("diff", r);
    return {
      changes: DIFF[resp.getChanges()],
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: Props, preview = false): Promise<{ id: string; outs: Props }> {
    const r = new provpb.CreateRequest();
    r.setUrn(urn);
    r.setProperties(toStruct(unsecret(properties)));
    r.setPreview(preview);
    const resp = await this.call("create", r);
    return { id: resp.getId(), outs: fromStruct(resp.getProperties()) };
  }

  async read(
    urn: string,
    id: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; outs: Props; inputs?: Props }> {
    const r = new provpb.ReadRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(toStruct(unsecret(properties)));
    if (inputs) r.setInputs(toStruct(unsecret(inputs)));
    const resp = await this.call("read", r);
    return { id: resp.getId(), outs: fromStruct(resp.getProperties()), inputs: fromStruct(resp.getInputs()) };
  }

  async update(
    urn: string,
    id: string,
    olds: Props,
    news: Props,
    oldInputs?: Props,
  ): Promise<{ outs: Props }> {
    const r = new provpb.UpdateRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setOlds(toStruct(unsecret(olds)));
    r.setNews(toStruct(unsecret(news)));
    if (oldInputs) r.setOldInputs(toStruct(unsecret(oldInputs)));
    const resp = await this.call("update", r);
    return { outs: fromStruct(resp.getProperties()) };
  }

  async delete(urn: string, id: string, properties: Props, oldInputs?: Props): Promise<void> {
    const r = new provpb.DeleteRequest();
    r.setUrn(urn);
    r.setId(id);
    r.setProperties(toStruct(unsecret(properties)));
    if (oldInputs) r.setOldInputs(toStruct(unsecret(oldInputs)));
    await this.call("delete", r);
  }
}

/** Expect a promise to fail with a provider RPC error; returns it. */
export async function rpcFailure(p: Promise<unknown>): Promise<ProviderRpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderRpcError) return e;
    throw e;
  }
  throw new Error("expected the provider call to fail, but it succeeded");
}
