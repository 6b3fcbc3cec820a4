/**
 * Where the real-engine bench runs `pulumi`: the CLI provisioned by scripts/pulumi-cli.mjs (the
 * same provisioning as `npm run pulumi` and the end-to-end harness, test/e2e/helpers/engine.ts),
 * one project folder under bench/.engine/ (git-ignored) and a file backend beside it. The project
 * resolves `pulumi-campaigns` and `@pulumi/pulumi` from the repo's node_modules, where
 * `npm run install-self` (prebench) extracted the packed tarball as a real directory — so the SDK
 * serializes `require("pulumi-campaigns/dynamic/…")` into state, as it does for users.
 *
 * Each command runs under GNU time when /usr/bin/time exists (the tree's exact CPU time) and is
 * watched through /proc (procs.ts) for the split between the CLI, the language host and the
 * provider host.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseGnuTime, ROLES, type Role, type RoleUse, TreeWatch } from "./procs";
import { writeProject } from "./programs";
import { type ProvisionedCli, type PulumiCliModule, loadPulumiCli } from "../../test/helpers/pulumi-cli";

const GNU_TIME = "/usr/bin/time";

/** Process groups of the pulumi commands running now: killed when the bench exits, whatever the reason. */
const groups = new Set<number>();
process.on("exit", () => {
  for (const g of groups) {
    try {
      process.kill(-g, "SIGKILL");
    } catch {
      // already gone
    }
  }
});
export const PROJECT = "bench-engine";

export interface CommandResult {
  code: number | null;
  output: string;
  wallMs: number;
  /** CPU seconds of the whole tree (GNU time), or the sum of the roles when GNU time is absent. */
  cpuS: number;
  cpuExact: boolean;
  roles: Record<Role, RoleUse>;
}

export interface CheckpointSize {
  fileBytes: number;
  resources: number;
  /** Mean bytes of one resource's entry, and of its parts. */
  bytesPerResource: number;
  inputsBytes: number;
  outputsBytes: number;
  /** Ciphertext of secret values (inputs and outputs). */
  secretBytes: number;
  /** `__provider`, which is stored twice (inputs and outputs). */
  providerBytes: number;
  /** Mean bytes of each top-level field of a resource's entry (key included). */
  parts: Record<string, number>;
}

/** Bytes of the ciphertext of every secret (`{"4dabf18193072939515e22adb298388d": …, "ciphertext": …}`) in a value. */
function secretBytes(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + secretBytes(x), 0);
  if (!v || typeof v !== "object") return 0;
  const o = v as Record<string, unknown>;
  if (typeof o.ciphertext === "string") return o.ciphertext.length;
  return Object.values(o).reduce((s: number, x) => s + secretBytes(x), 0);
}

export class Workspace {
  readonly projectDir: string;
  readonly backendDir: string;
  private readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly cli: ProvisionedCli,
    scripts: PulumiCliModule,
    readonly dir: string,
    extraEnv: Record<string, string>,
  ) {
    this.projectDir = join(dir, "project");
    this.backendDir = join(dir, "state");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(this.backendDir, { recursive: true });
    writeProject(this.projectDir, PROJECT);
    this.env = scripts.pulumiEnv(cli, {
      backendDir: this.backendDir,
      home: join(dir, "pulumi-home"),
      extra: { NO_COLOR: "1", ...extraEnv },
    });
  }

  static async make(dir: string, extraEnv: Record<string, string> = {}): Promise<Workspace> {
    const scripts = await loadPulumiCli();
    const t0 = Date.now();
    const cli = await scripts.provisionPulumi({ log: (m) => console.log(`  engine: ${m}`) });
    console.log(
      `  engine: Pulumi CLI ${cli.version} (${cli.where}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
    return new Workspace(cli, scripts, dir, extraEnv);
  }

  /** `pulumi <args>` in the project, timed and watched; never throws on a non-zero exit. */
  run(
    args: readonly string[],
    opts: { env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    const timeFile = join(this.dir, "time.txt");
    rmSync(timeFile, { force: true });
    const gnu = existsSync(GNU_TIME);
    const [cmd, argv] = gnu
      ? [GNU_TIME, ["-f", "%e %U %S %M", "-o", timeFile, this.cli.command, ...args]]
      : [this.cli.command, [...args]];
    return new Promise((done, fail) => {
      const t0 = performance.now();
      // A process group of its own, so that stopping the bench ends the CLI and its plugins too.
      const child = spawn(cmd, argv, {
        cwd: this.projectDir,
        env: { ...this.env, ...opts.env },
        detached: true,
      });
      groups.add(child.pid!);
      const watch = new TreeWatch(child.pid!).start();
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 20 * 60_000);
      child.on("error", fail);
      child.on("close", (code) => {
        const wallMs = performance.now() - t0;
        clearTimeout(timer);
        groups.delete(child.pid!);
        const roles = watch.stop();
        const timed = gnu && existsSync(timeFile) ? parseGnuTime(readFileSync(timeFile, "utf8")) : undefined;
        const sampled = ROLES.reduce((s, r) => s + roles[r].cpuS, 0);
        if (timed) {
          // The CLI's own CPU: the exact total minus what the sampled hosts used.
          const hosts = roles.languageHost.cpuS + roles.providerHost.cpuS + roles.other.cpuS;
          roles.cli.cpuS = Math.max(0, timed.cpuS - hosts);
        }
        done({ code, output, wallMs, cpuS: timed?.cpuS ?? sampled, cpuExact: !!timed, roles });
      });
    });
  }

  /** Like run(), but a non-zero exit is an error carrying the output's tail. */
  async ok(args: readonly string[], opts: { env?: Record<string, string> } = {}): Promise<CommandResult> {
    const r = await this.run(args, opts);
    if (r.code !== 0) {
      throw new Error(`\`pulumi ${args.join(" ")}\` exited ${r.code}:\n${r.output.slice(-4000)}`);
    }
    return r;
  }

  /** A new stack whose config is written into Pulumi.<stack>.yaml (plain values; one CLI call). */
  async initStack(stack: string, config: Record<string, string | number | boolean>): Promise<void> {
    await this.ok(["stack", "init", stack, "--non-interactive"]);
    this.setConfig(stack, config);
  }

  /** Rewrites the stack's config (keeps `encryptionsalt`, which `stack init` wrote). */
  setConfig(stack: string, config: Record<string, string | number | boolean>): void {
    const file = join(this.projectDir, `Pulumi.${stack}.yaml`);
    const salt = existsSync(file) ? (/^encryptionsalt:.*$/m.exec(readFileSync(file, "utf8"))?.[0] ?? "") : "";
    const lines = Object.entries(config).map(([k, v]) => `  ${k}: ${JSON.stringify(String(v))}`);
    writeFileSync(file, `${salt}\nconfig:\n${lines.join("\n")}\n`);
  }

  /** The stack's checkpoint file (file backend, project-scoped stacks). */
  checkpointFile(stack: string): string {
    return join(this.backendDir, ".pulumi", "stacks", PROJECT, `${stack}.json`);
  }

  /**
   * Size of the checkpoint and of each resource of `type` in it (compact JSON, as the file backend writes it),
   * split into inputs, outputs, the rest (urn, type, provider reference, dependencies…) and the
   * secrets' ciphertext within inputs and outputs.
   */
  checkpoint(stack: string, type: string): CheckpointSize {
    const file = this.checkpointFile(stack);
    const fileBytes = statSync(file).size;
    const doc = JSON.parse(readFileSync(file, "utf8")) as {
      checkpoint: { latest?: { resources?: Array<{ type: string; inputs?: unknown; outputs?: unknown }> } };
    };
    const rs = (doc.checkpoint.latest?.resources ?? []).filter((r) => r.type === type);
    const size = (v: unknown) => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));
    const per = (f: (r: (typeof rs)[number]) => number) =>
      rs.length ? Math.round(rs.reduce((s, r) => s + f(r), 0) / rs.length) : 0;
    return {
      fileBytes,
      resources: rs.length,
      bytesPerResource: per(size),
      inputsBytes: per((r) => size(r.inputs)),
      outputsBytes: per((r) => size(r.outputs)),
      secretBytes: per((r) => secretBytes(r.inputs) + secretBytes(r.outputs)),
      providerBytes: per((r) => size((r.outputs as Record<string, unknown> | undefined)?.__provider) * 2),
      parts: Object.fromEntries(
        [...new Set(rs.flatMap((r) => Object.keys(r)))].map((k) => [
          k,
          per((r) => size((r as Record<string, unknown>)[k]) + k.length + 4),
        ]),
      ),
    };
  }

  async removeStack(stack: string): Promise<void> {
    await this.run(["stack", "rm", "--yes", "--force", stack]);
    rmSync(join(this.projectDir, `Pulumi.${stack}.yaml`), { force: true });
  }

  cleanUp(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
