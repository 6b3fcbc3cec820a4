/**
 * The end-to-end harness: the real Pulumi CLI (provisioned by scripts/pulumi-cli.mjs: on PATH,
 * cached, PulumiCommand.install, or built from its Go modules), a file backend, both emulators in
 * this process, and projects made like `pulumi new typescript` with the package installed from the
 * packed tarball (`npm pack`) by a real `npm install`.
 *
 * One scratch folder per test run: <tmp>/node_modules holds the install, each test's project is a
 * folder below it (Node and the CLI's plugins resolve packages up the tree), so the install is
 * made once and every project still gets exactly what a user's does. Each project has its own
 * stack, file backend and pair of emulators, so what one test leaves cannot blur another's counts.
 *
 * Skips: only where the CLI cannot be provisioned AND there is no Go toolchain (no way to build
 * it) — then the suite prints why. Where `go` is on PATH, a CLI that cannot be provisioned fails.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BURKI_EMULATOR_API_KEY, BurkiEmulator } from "../../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY, WoodpeckerEmulator } from "../../../provider/emulators/woodpecker";
import { EmulatorControl } from "../../helpers/control";
import { TEMPLATE_2024, packTarball } from "../../package/scratch";
import { type ProvisionedCli, type PulumiCliModule, loadPulumiCli } from "../../helpers/pulumi-cli";

export const ROOT = resolve(__dirname, "../../..");

/** `pulumi new typescript`'s tsconfig.json (moduleResolution node, no esModuleInterop, no skipLibCheck). */
export const NEW_TYPESCRIPT_TSCONFIG = TEMPLATE_2024;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for messages. */
  output: string;
}

let shared: Promise<Workbench | undefined> | undefined;

/**
 * The run's workbench (CLI, scratch install, emulators), made once; undefined where the suite must
 * skip (it has printed why). Call from a `before` hook with a generous timeout (a cold Go build).
 */
export function workbench(): Promise<Workbench | undefined> {
  shared ??= Workbench.make();
  return shared;
}

export class Workbench {
  private constructor(
    readonly cli: ProvisionedCli,
    readonly scripts: PulumiCliModule,
    readonly dir: string,
  ) {}

  static async make(): Promise<Workbench | undefined> {
    const scripts = await loadPulumiCli();
    let cli: ProvisionedCli;
    try {
      cli = await scripts.provisionPulumi({ log: (m) => console.log(`    e2e: ${m}`) });
    } catch (e) {
      const go = spawnSync("go", ["version"], { encoding: "utf8" });
      if (e instanceof scripts.ProvisionError && (go.error || go.status !== 0)) {
        console.log(`    e2e: SKIPPED — no Pulumi CLI and no Go toolchain to build one: ${e.message}`);
        return undefined;
      }
      throw e;
    }
    console.log(`    e2e: Pulumi CLI ${cli.version} (${cli.where})`);
    const dir = mkdtempSync(join(tmpdir(), "pulumi-campaigns-e2e-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const t0 = Date.now();
    await installScratch(dir);
    console.log(
      `    e2e: scratch project installed from the packed tarball in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return new Workbench(cli, scripts, dir);
  }

  /**
   * A project folder of its own (Pulumi.yaml, package.json, tsconfig.json, index.ts + files) with
   * its own pair of emulators, started here.
   */
  async project(name: string, program: string, files: Record<string, string> = {}): Promise<Project> {
    const dir = join(this.dir, "projects", name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\ndescription: e2e ${name}\n`,
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name, main: "index.ts" }, null, 2));
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(NEW_TYPESCRIPT_TSCONFIG, null, 4));
    writeFileSync(join(dir, "index.ts"), program);
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    const burki = new BurkiEmulator();
    const woodpecker = new WoodpeckerEmulator();
    await burki.start();
    await woodpecker.start();
    return new Project(this, name, dir, burki, woodpecker);
  }
}

/**
 * The hooks every e2e suite needs, registered in the calling `describe`: the workbench (a cold Go
 * build of the CLI may take minutes, once per run), this suite's project and stack pointed at its
 * emulators, its CLI transcript printed when a test fails, and at the end `beforeCleanUp` (e.g. a
 * workflow flag cleared) then everything destroyed and removed. Returns the project's getter.
 */
export function projectFor(
  name: string,
  program: string,
  options: {
    files?: Record<string, string>;
    beforeCleanUp?: (project: Project) => Promise<unknown>;
  } = {},
): () => Project {
  let project: Project | undefined;
  before(async function () {
    this.timeout(45 * 60_000);
    const bench = await workbench();
    if (!bench) return this.skip();
    project = await bench.project(name, program, options.files);
    await project.init();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed" && project) console.log(project.transcript.join("\n"));
  });
  after(async () => {
    if (!project) return;
    await options.beforeCleanUp?.(project).catch(() => undefined);
    await project.cleanUp();
  });
  return () => {
    if (!project) throw new Error(`e2e project ${name}: its before hook did not finish`);
    return project;
  };
}

/** `npm pack` of the built repo, installed with @pulumi/pulumi, typescript and @types/node by npm. */
async function installScratch(dir: string): Promise<void> {
  const tarball = packTarball(dir);
  const pkg = JSON.parse(
    spawnSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: ROOT, encoding: "utf8" })
      .stdout,
  ) as { devDependencies: Record<string, string> };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      {
        name: "e2e-scratch",
        private: true,
        dependencies: {
          "@pulumi/pulumi": pkg.devDependencies["@pulumi/pulumi"],
          "pulumi-campaigns": `file:${tarball}`,
          yaml: pkg.devDependencies.yaml,
        },
        devDependencies: {
          "@types/node": pkg.devDependencies["@types/node"],
          typescript: pkg.devDependencies.typescript,
        },
      },
      null,
      2,
    ),
  );
  const r = await exec("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir });
  if (r.code !== 0) throw new Error(`npm install in the e2e scratch project failed:\n${r.output}`);
}

/** Runs a command asynchronously (the emulators answer from this process's event loop). */
export function exec(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.stdin.end(options.input ?? "");
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 5 * 60_000);
    child.on("error", fail);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, output: stdout + stderr });
    });
  });
}

/** A project with one stack of its own in its own file backend. */
export class Project {
  readonly stack = "e2e";
  readonly backendDir: string;
  /** Every CLI command's output, printed when a test fails. */
  readonly transcript: string[] = [];
  private readonly env: NodeJS.ProcessEnv;

  readonly burkiCtl: EmulatorControl;
  readonly woodpeckerCtl: EmulatorControl;

  constructor(
    readonly bench: Workbench,
    readonly name: string,
    readonly dir: string,
    readonly burki: BurkiEmulator,
    readonly woodpecker: WoodpeckerEmulator,
  ) {
    this.burkiCtl = new EmulatorControl(burki.origin);
    this.woodpeckerCtl = new EmulatorControl(woodpecker.origin);
    this.backendDir = join(bench.dir, "state", name);
    rmSync(this.backendDir, { recursive: true, force: true });
    mkdirSync(this.backendDir, { recursive: true });
    this.env = bench.scripts.pulumiEnv(bench.cli, {
      backendDir: this.backendDir,
      home: join(bench.dir, "pulumi-home"),
      extra: { NO_COLOR: "1" },
    });
  }

  /** Rewrites a file of the project (the program, between two commands). */
  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  /** `pulumi <args>` in the project's folder; never throws on a non-zero exit. */
  async pulumi(args: readonly string[], options: { input?: string } = {}): Promise<CliResult> {
    const r = await exec(this.bench.cli.command, args, {
      cwd: this.dir,
      env: this.env,
      input: options.input,
    });
    this.transcript.push(`$ pulumi ${args.join(" ")}  → exit ${r.code}\n${r.output}`);
    return r;
  }

  /** Like pulumi(), but a non-zero exit is an error carrying the output. */
  async ok(args: readonly string[]): Promise<CliResult> {
    const r = await this.pulumi(args);
    if (r.code !== 0) throw new Error(`\`pulumi ${args.join(" ")}\` exited ${r.code}:\n${r.output}`);
    return r;
  }

  /** Creates the stack and points it at the emulators (keys as secrets). */
  async init(config: Record<string, string> = {}): Promise<void> {
    await this.ok(["stack", "init", this.stack, "--non-interactive"]);
    const { burki, woodpecker } = this;
    await this.config({
      "burki:baseUrl": burki.baseUrl,
      "woodpecker:baseUrl": woodpecker.baseUrl,
      ...config,
    });
    await this.ok(["config", "set", "--secret", "burki:apiKey", BURKI_EMULATOR_API_KEY]);
    await this.ok(["config", "set", "--secret", "woodpecker:apiKey", WOODPECKER_EMULATOR_API_KEY]);
  }

  /** Points both platforms' baseUrl back at this project's emulators. */
  async pointAtEmulators(): Promise<void> {
    await this.config({ "burki:baseUrl": this.burki.baseUrl, "woodpecker:baseUrl": this.woodpecker.baseUrl });
  }

  async config(values: Record<string, string>): Promise<void> {
    for (const [k, v] of Object.entries(values)) await this.ok(["config", "set", k, v]);
  }

  up(...extra: string[]): Promise<CliResult> {
    return this.pulumi(["up", "--yes", "--non-interactive", "--skip-preview", ...extra]);
  }
  preview(...extra: string[]): Promise<CliResult> {
    return this.pulumi(["preview", "--non-interactive", ...extra]);
  }
  refresh(...extra: string[]): Promise<CliResult> {
    return this.pulumi(["refresh", "--yes", "--non-interactive", "--skip-preview", ...extra]);
  }
  destroy(...extra: string[]): Promise<CliResult> {
    return this.pulumi(["destroy", "--yes", "--non-interactive", "--skip-preview", ...extra]);
  }

  /** `pulumi stack export` (optionally --show-secrets), parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async exportStack(showSecrets = false): Promise<{ text: string; deployment: any }> {
    const r = await this.ok(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { text: r.stdout, deployment: (JSON.parse(r.stdout) as any).deployment };
  }

  /** The campaign resources in state: urn, id, inputs, outputs. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async campaignsInState(): Promise<any[]> {
    const { deployment } = await this.exportStack();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return ((deployment.resources ?? []) as any[]).filter((r) =>
      /:dynamic\/(burki|woodpecker):Campaign$/.test(r.type),
    );
  }

  /** `pulumi stack output --json`. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.ok(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
  }

  /**
   * Destroys what is left, removes the stack and stops the emulators, whatever state the test
   * left (for after()).
   */
  async cleanUp(): Promise<void> {
    await this.woodpeckerCtl.clearFaults().catch(() => undefined);
    await this.burkiCtl.clearFaults().catch(() => undefined);
    await this.destroy("--continue-on-error").catch(() => undefined);
    await this.pulumi(["stack", "rm", "--yes", "--force", this.stack]).catch(() => undefined);
    await Promise.all([this.burki.stop(), this.woodpecker.stop()]);
  }
}
