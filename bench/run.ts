/**
 * `npm run bench`: up/destroy wall time, API calls per campaign, Woodpecker throughput against its
 * one-request-at-a-time limit, `__provider` size, provider-host memory, and the overhead of a
 * provider operation over a bare undici call — through the Pulumi SDK's real dynamic-provider host
 * over gRPC, against the local emulators with a fixed service time. See bench/README.md.
 *
 *   npm run bench                     full run: N = 10, 100, 1000 per platform, 25 ms service
 *                                     time; writes results/latest.json, results/full-run.json,
 *                                     wall-time.svg and the README's results section
 *   npm run bench -- --stress         the same at 5 ms service time; writes results/latest.json,
 *                                     results/stress-5ms.json and the README's stress section
 *   npm run bench -- --smoke          N = 10 only (CI); writes results/latest.json only
 *   npm run bench -- --render         redraw wall-time.svg and the README sections from the files
 *   npm run bench -- --engine real    the real Pulumi CLI and engine, real and no-op stacks
 *                                     (engine/index.ts; results/engine-*.json)
 *
 * Each (platform, N) runs twice: a timing pass (host without the inspector: the reported times,
 * calls and VmHWM) and a heap pass (host with the inspector: its live heap after a forced full GC
 * at each phase end; see lib/heap.ts and lib/scenario.ts for why it is a separate pass).
 *
 * Options: --sizes 10,100  --latency 25  --parallel 10  --iterations 200  --no-heap (no heap pass:
 * faster, no live-heap figures)  --strict (exit 1 when a target is missed; by default only failed
 * operations or leftover campaigns fail the run).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { serializeProvider } from "../test/helpers/provider-host";
import { engineMain } from "./engine";
import { FULL_RUN_MARKERS, STRESS_MARKERS, resultsSection, updateReadme } from "./lib/docs";
import { Emulators } from "./lib/emulators";
import { measureOverhead, type OverheadResult } from "./lib/overhead";
import { PLATFORMS, type PlatformKey } from "./lib/platforms";
import {
  cpuTable,
  burkiCreateFloor,
  evaluateTargets,
  memoryTable,
  overheadLine,
  readOnlyTable,
  runsTable,
  stacksTable,
  summaryLine,
  targetsTable,
  textTable,
  throughputTable,
  type BenchResults,
  type Settings,
} from "./lib/report";
import { runUpDestroy, type RunContext, type RunResult } from "./lib/scenario";
import { runStacksPlan, type StacksRun } from "./lib/stacks";
import { wallTimeSvg } from "./lib/svg";
import { killChildren, round } from "./lib/util";
import {
  PROSPECT_SIZES,
  measureProspects,
  measureProspectLists,
  prospectListsLines,
  prospectListsMissed,
  prospectListsProblems,
  type ProspectListsResult,
  prospectsLine,
  prospectsProblems,
  type ProspectsResult,
} from "./prospects";
import { measureTemplates, templatesLine, templatesProblems } from "./templates";
import {
  type DoNotContactResult,
  doNotContactLine,
  doNotContactMissed,
  doNotContactProblems,
  measureDoNotContact,
} from "./do-not-contact";
import {
  contactsLines,
  contactsMissed,
  contactsProblems,
  measureContacts,
  type ContactsResult,
} from "./contacts";

const BENCH_DIR = __dirname;
const RESULTS_DIR = path.join(BENCH_DIR, "results");
const LATEST = path.join(RESULTS_DIR, "latest.json");
const FULL_RUN = path.join(RESULTS_DIR, "full-run.json");
const STRESS = path.join(RESULTS_DIR, "stress-5ms.json");
const SVG = path.join(BENCH_DIR, "wall-time.svg");
const README = path.join(BENCH_DIR, "README.md");

/** Burki's asynchronous hops, set explicitly (the emulator's defaults) so runs compare. */
const BURKI_START_DELAY_MS = 200;
const BURKI_IMPORT_DELAY_MS = 30;

/** Service time per API request of the documented runs: the full run, and the stress run. */
const DEFAULT_LATENCY_MS = 25;
const STRESS_LATENCY_MS = 5;
/** Overhead samples of a smoke run (unless --iterations says otherwise). */
const SMOKE_ITERATIONS = 60;
/** Woodpecker campaigns per stack in the several-stacks run (lib/stacks.ts), full and smoke. */
const STACK_SIZE = 250;
const SMOKE_STACK_SIZE = 5;

interface Options {
  mode: BenchResults["mode"];
  sizes: number[];
  latencyMs: number;
  parallel: number;
  iterations: number;
  strict: boolean;
  render: boolean;
  platforms: PlatformKey[];
  hostNodeOptions?: string;
  heapPass: boolean;
  iterationsSet?: boolean;
  /** Campaigns per stack of the several-stacks run; 0 skips it. */
  stackSize: number;
}

const USAGE =
  "usage: npm run bench [-- --smoke | --stress | --render] [--sizes 10,100,1000] [--latency MS] " +
  "[--parallel P] [--iterations I] [--platforms burki,woodpecker] [--host-node-options OPTS] " +
  "[--no-heap] [--stack-size S] [--strict]";

function parseArgs(argv: string[]): Options {
  const o: Options = {
    mode: "full",
    sizes: [10, 100, 1000],
    latencyMs: DEFAULT_LATENCY_MS,
    parallel: 10,
    iterations: 200,
    strict: false,
    render: false,
    platforms: PLATFORMS.map((p) => p.key),
    heapPass: true,
    stackSize: STACK_SIZE,
  };
  let stress = false;
  let latencySet = false;
  const positiveInt = (name: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got "${v ?? ""}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const eq = argv[i].indexOf("=");
    const flag = eq < 0 ? argv[i] : argv[i].slice(0, eq);
    const inline = eq < 0 ? undefined : argv[i].slice(eq + 1);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--smoke":
        o.mode = "smoke";
        o.sizes = [10];
        o.stackSize = SMOKE_STACK_SIZE;
        break;
      case "--sizes":
        o.mode = "custom";
        o.sizes = value()
          .split(",")
          .map((s) => positiveInt("--sizes", s))
          .sort((a, b) => a - b);
        break;
      case "--latency":
        o.latencyMs = positiveInt("--latency", value());
        latencySet = true;
        break;
      case "--stress":
        stress = true;
        break;
      case "--no-heap":
        o.mode = "custom";
        o.heapPass = false;
        break;
      case "--stack-size":
        o.mode = "custom";
        o.stackSize = Number(value());
        if (!Number.isInteger(o.stackSize) || o.stackSize < 0)
          throw new Error(`--stack-size needs an integer ≥ 0 (0 skips the several-stacks run)`);
        break;
      case "--parallel":
        o.parallel = positiveInt("--parallel", value());
        break;
      case "--iterations":
        o.iterations = positiveInt("--iterations", value());
        o.iterationsSet = true;
        break;
      case "--platforms": {
        o.mode = "custom";
        const keys = value().split(",");
        const bad = keys.filter((k) => !PLATFORMS.some((p) => p.key === k));
        if (bad.length) throw new Error(`--platforms: unknown ${bad.join(", ")} (burki, woodpecker)`);
        o.platforms = keys as PlatformKey[];
        break;
      }
      case "--host-node-options":
        o.mode = "custom";
        o.hostNodeOptions = value();
        break;
      case "--strict":
        o.strict = true;
        break;
      case "--render":
        o.render = true;
        break;
      case "--help":
      case "-h":
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    }
  }
  if (stress) {
    if (o.mode === "smoke") throw new Error("--stress and --smoke exclude each other");
    if (latencySet && o.latencyMs !== STRESS_LATENCY_MS)
      throw new Error(`--stress runs at ${STRESS_LATENCY_MS} ms; leave out --latency`);
    o.latencyMs = STRESS_LATENCY_MS;
    if (o.mode === "full") o.mode = "stress";
  }
  // A documented run must keep the documented settings to be comparable with the committed one.
  const documented = o.parallel === 10 && o.iterations === 200;
  if (o.mode === "full" && (o.latencyMs !== DEFAULT_LATENCY_MS || !documented)) o.mode = "custom";
  if (o.mode === "stress" && !documented) o.mode = "custom";
  return o;
}

/** Failed operations, campaigns not created or not in their declared state, campaigns left behind. */
function runProblems(title: string, n: number, r: RunResult, pass: string): string[] {
  const out: string[] = [];
  for (const [phase, p] of [
    ["up", r.up],
    ["destroy", r.destroy],
  ] as const) {
    if (p.errors.length) {
      out.push(
        `${title} N=${n}${pass} ${phase}: ${p.errors.length}+ failed operation(s), e.g. ${p.errors[0].message}`,
      );
    }
  }
  if (r.created !== n || r.inDeclaredState !== n) {
    out.push(
      `${title} N=${n}${pass}: ${r.created} campaigns after up, ${r.inDeclaredState} in the declared state`,
    );
  }
  if (r.leftOver) out.push(`${title} N=${n}${pass}: ${r.leftOver} campaign(s) left after destroy`);
  return out;
}

function environment(loadAtStart: number): Record<string, string | number> {
  let commit = "";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: BENCH_DIR,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "../provider"], {
      cwd: BENCH_DIR,
      encoding: "utf8",
    }).trim();
    if (dirty) commit += "+uncommitted provider changes";
  } catch {
    // not a git checkout
  }
  return {
    node: process.versions.node,
    os: `${os.type()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    pulumiSdk: require("@pulumi/pulumi/package.json").version,
    package: require("pulumi-campaigns/package.json").version,
    commit,
    // Other work on the machine skews every figure: the 1-minute load average when the run began.
    loadAverage: round(loadAtStart, 2),
  };
}

async function writeDocs(results: BenchResults): Promise<void> {
  writeFileSync(SVG, wallTimeSvg(results));
  const section = resultsSection(results, FULL_RUN_MARKERS, path.basename(SVG));
  const updated = await updateReadme(README, FULL_RUN_MARKERS, section);
  console.log(
    `wrote ${path.relative(process.cwd(), SVG)}${updated ? " and the results section of README.md" : ""}`,
  );
}

async function writeStressDocs(results: BenchResults): Promise<void> {
  const updated = await updateReadme(README, STRESS_MARKERS, resultsSection(results, STRESS_MARKERS));
  if (updated) console.log("wrote the stress section of README.md");
}

function printReport(results: BenchResults): void {
  console.log("");
  console.log(textTable(runsTable(results)));
  const tp = throughputTable(results);
  if (tp.rows.length) console.log(`\nWoodpecker against its one-request-at-a-time limit:\n${textTable(tp)}`);
  console.log(`\nBurki create path floor: ${burkiCreateFloor(results.settings).text}`);
  console.log(`\nPreview and refresh (between up and destroy):\n${textTable(readOnlyTable(results))}`);
  if (results.stacks?.length)
    console.log(`\nSeveral stacks on one Woodpecker account:\n${textTable(stacksTable(results))}`);
  console.log(`\nCPU time over each phase:\n${textTable(cpuTable(results))}`);
  console.log(`\nProvider host memory:\n${textTable(memoryTable(results))}`);
  if (results.overhead) console.log(`\nOverhead: ${overheadLine(results.overhead)}`);
  console.log("");
  console.log(textTable(targetsTable(results.targets), true));
  for (const p of results.problems) console.log(`PROBLEM: ${p}`);
  console.log(`\n${summaryLine(results)}`);
}

async function main(): Promise<number> {
  // The real Pulumi CLI and engine (engine/index.ts): options of its own.
  if (process.argv.includes("--engine")) return engineMain(process.argv.slice(2));
  const opts = parseArgs(process.argv.slice(2));
  // The smoke run checks that everything works: fewer overhead samples keep it quick.
  if (opts.mode === "smoke" && !opts.iterationsSet) opts.iterations = SMOKE_ITERATIONS;
  if (opts.render) {
    // The measurements are the files'; the verdicts follow the current target definitions.
    const load = (file: string) => {
      const r = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
      r.targets = evaluateTargets(r.runs, r.overhead, r.settings, r.stacks);
      return r;
    };
    const results = load(FULL_RUN);
    await writeDocs(results);
    if (existsSync(STRESS)) await writeStressDocs(load(STRESS));
    printReport(results);
    return 0;
  }

  // The run bounds itself: past this, everything it started is killed and it fails.
  // The smoke run takes about 40 s on a quiet 2-core machine; the bound is a guard against a hang,
  // with room for a slow machine (a CI failure from a busy host would say nothing about the code).
  // The full run's lists of 100,000 (contacts.ts) take about 5 minutes, nearly all of it the inline form.
  const budgetMs = opts.mode === "smoke" ? 120_000 : 32 * 60_000;
  const deadline = setTimeout(() => {
    console.error(`bench: not finished within ${budgetMs / 1000} s; stopping`);
    killChildren();
    process.exit(2);
  }, budgetMs);
  deadline.unref();

  const started = Date.now();
  const loadAtStart = os.loadavg()[0];
  // Read before the run: the package measured is the one `prebench` built from the tree as it is now.
  const environmentAtStart = environment(loadAtStart);
  console.log(
    `bench (${opts.mode}): N = ${opts.sizes.join(", ")} per platform, ${opts.latencyMs} ms service time, ` +
      `${opts.parallel} operations in parallel` +
      `${opts.heapPass ? ", a timing pass and a heap pass each" : "; no heap pass (no live-heap figures)"}`,
  );
  const providerText = {} as Record<PlatformKey, string>;
  for (const spec of PLATFORMS) {
    const { text } = await serializeProvider(require(spec.providerModule));
    if (!text.includes(`require("${spec.providerModule}")`)) {
      throw new Error(
        `${spec.providerModule} was not serialized as a plain require: is the package installed in ` +
          `node_modules (npm run build && npm run install-self)?`,
      );
    }
    providerText[spec.key] = text;
  }

  // Templates checked at `check`: offline, pure CPU, so measured in every mode (see templates.ts).
  const templates = measureTemplates(opts.mode === "smoke" ? 1 : 3);
  console.log(`  templates: ${templatesLine(templates)}`);

  const emulators = await Emulators.start(opts.latencyMs);
  const runs: RunResult[] = [];
  const problems: string[] = [...templatesProblems(templates)];
  let overhead: OverheadResult | undefined;
  let settings: Settings;
  let stacks: StacksRun[] | undefined;
  let prospects: ProspectsResult[] | undefined;
  let prospectLists: ProspectListsResult | undefined;
  let contactLists: ContactsResult | undefined;
  let doNotContact: DoNotContactResult | undefined;
  try {
    await emulators.burkiControl.call("PUT", "/config", {
      startDelayMs: BURKI_START_DELAY_MS,
      importDelayMs: BURKI_IMPORT_DELAY_MS,
    });
    const wpConfig = await emulators.woodpeckerControl.call<{
      queue: { maxQueued: number; maxWaitMs: number };
    }>("GET", "/config");
    settings = {
      sizes: opts.sizes,
      latencyMs: opts.latencyMs,
      parallel: opts.parallel,
      overheadIterations: opts.iterations,
      heapPass: opts.heapPass,
      burki: { startDelayMs: BURKI_START_DELAY_MS, importDelayMs: BURKI_IMPORT_DELAY_MS },
      woodpecker: wpConfig.queue,
    };
    console.log(`  Burki create path floor: ${burkiCreateFloor(settings).text}`);
    const ctx: RunContext = {
      emulators,
      cwd: BENCH_DIR,
      latencyMs: opts.latencyMs,
      parallel: opts.parallel,
      providerText,
      hostEnv: opts.hostNodeOptions ? { NODE_OPTIONS: opts.hostNodeOptions } : undefined,
    };
    for (const n of opts.sizes) {
      for (const spec of PLATFORMS.filter((p) => opts.platforms.includes(p.key))) {
        const t0 = Date.now();
        // Timing pass: a host without the inspector; the reported times, calls and VmHWM.
        const r = await runUpDestroy(spec, n, ctx);
        problems.push(...runProblems(spec.title, n, r, ""));
        const timed = (Date.now() - t0) / 1000;
        // Heap pass: a fresh host with the inspector, the same work, a forced GC at each phase end.
        if (opts.heapPass) {
          const h = await runUpDestroy(spec, n, ctx, true);
          problems.push(...runProblems(spec.title, n, h, " (heap pass)"));
          r.memory.heap = h.memory.heap;
          r.heapPass = { upWallMs: h.up.wallMs, destroyWallMs: h.destroy.wallMs, hwmKb: h.memory.hwmKb };
        }
        runs.push(r);
        console.log(
          `  ${spec.title.padEnd(10)} N=${String(n).padEnd(5)} up ${(r.up.wallMs / 1000).toFixed(3)} s, ` +
            `destroy ${(r.destroy.wallMs / 1000).toFixed(3)} s, ` +
            `${r.up.callsPerCampaign} + ${r.destroy.callsPerCampaign} calls/campaign, ` +
            `VmHWM ${(r.memory.hwmKb / 1024).toFixed(1)} MB (${timed.toFixed(1)} s with host start)` +
            (r.memory.heap && r.heapPass
              ? `; heap pass: live heap ${(r.memory.heap.liveBytes / 2 ** 20).toFixed(1)} MB, ` +
                `up ${(r.heapPass.upWallMs / 1000).toFixed(3)} s, destroy ${(r.heapPass.destroyWallMs / 1000).toFixed(3)} s ` +
                `(${((Date.now() - t0) / 1000 - timed).toFixed(1)} s)`
              : ""),
        );
      }
    }
    // Lists of 100,000 contacts, inline and as contactsFile (see contacts.ts); smoke: 1,000.
    contactLists = await measureContacts(ctx, opts.mode === "smoke" ? 1_000 : 100_000);
    for (const line of contactsLines(contactLists)) console.log(`  ${line}`);
    problems.push(...contactsProblems(contactLists));
    // 100,000 contacts checked against a do-not-contact list of 100,000 (do-not-contact.ts); smoke: 1,000.
    doNotContact = await measureDoNotContact(ctx, opts.mode === "smoke" ? 1_000 : 100_000);
    console.log(`  ${doNotContactLine(doNotContact)}`);
    problems.push(...doNotContactProblems(doNotContact));
    const shared = await runStacksPlan(ctx, opts.stackSize, opts.mode !== "smoke");
    stacks = shared.runs;
    problems.push(...shared.problems);
    overhead = await measureOverhead(ctx, opts.iterations);
    if (overhead.callsPerProviderRead !== 1) {
      problems.push(`overhead: a provider read made ${overhead.callsPerProviderRead} API calls, not 1`);
    }
    // One Woodpecker campaign with many prospects (prospects.ts): small in a smoke run.
    prospects = await measureProspects(ctx, PROSPECT_SIZES[opts.mode === "smoke" ? "smoke" : "full"]);
    for (const r of prospects) console.log(`  prospects: ${prospectsLine(r)}`);
    problems.push(...prospectsProblems(prospects));
    // Lists of 100,000 prospects, inline and as prospectsFile (prospects.ts); smoke: 1,000.
    prospectLists = await measureProspectLists(ctx, opts.mode === "smoke" ? 1_000 : 100_000);
    for (const line of prospectListsLines(prospectLists)) console.log(`  ${line}`);
    problems.push(...prospectListsProblems(prospectLists));
  } finally {
    await emulators.stop();
  }

  const results: BenchResults = {
    schema: 1,
    mode: opts.mode,
    startedAt: new Date(started).toISOString(),
    durationSeconds: round((Date.now() - started) / 1000, 1),
    environment: environmentAtStart,
    settings,
    minimums: Object.fromEntries(PLATFORMS.map((p) => [p.key, p.minimum])),
    runs,
    stacks,
    overhead,
    prospects,
    targets: evaluateTargets(runs, overhead, settings, stacks),
    problems,
  };
  // Lists of 100,000 (contacts.ts): kept beside the other figures, judged in contactsMissed.
  if (contactLists) (results as BenchResults & { contactLists?: ContactsResult }).contactLists = contactLists;
  if (prospectLists) {
    (results as BenchResults & { prospectLists?: ProspectListsResult }).prospectLists = prospectLists;
  }
  // The do-not-contact target (do-not-contact.ts), judged in doNotContactMissed.
  if (doNotContact)
    (results as BenchResults & { doNotContact?: DoNotContactResult }).doNotContact = doNotContact;

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = JSON.stringify(results, null, 2) + "\n";
  writeFileSync(LATEST, json);
  console.log(`\nwrote ${path.relative(process.cwd(), LATEST)}`);
  // A run with failed operations or leftovers does not replace the committed results.
  if (problems.length && (opts.mode === "full" || opts.mode === "stress")) {
    console.log(`not replacing the committed ${opts.mode} results: the run had problems`);
  } else if (opts.mode === "full") {
    writeFileSync(FULL_RUN, json);
    console.log(`wrote ${path.relative(process.cwd(), FULL_RUN)}`);
    await writeDocs(results);
  } else if (opts.mode === "stress") {
    writeFileSync(STRESS, json);
    console.log(`wrote ${path.relative(process.cwd(), STRESS)}`);
    await writeStressDocs(results);
  }
  printReport(results);
  console.log(`Templates: ${templatesLine(templates)}`);
  for (const r of prospects ?? []) console.log(`Prospects: ${prospectsLine(r)}`);
  if (prospectLists) {
    for (const line of prospectListsLines(prospectLists)) console.log(line);
    const missed = prospectListsMissed(prospectLists);
    console.log(
      missed.length
        ? `Lists of ${prospectLists.prospects} prospects: missed ${missed.join("; ")}`
        : `Lists of ${prospectLists.prospects} prospects: every target met`,
    );
  }
  if (contactLists) {
    for (const line of contactsLines(contactLists)) console.log(line);
    const missed = contactsMissed(contactLists);
    console.log(
      missed.length
        ? `Lists of ${contactLists.contacts}: missed ${missed.join("; ")}`
        : `Lists of ${contactLists.contacts}: every target met`,
    );
  }
  if (doNotContact) {
    const missed = doNotContactMissed(doNotContact);
    console.log(doNotContactLine(doNotContact));
    console.log(
      missed.length ? `Do-not-contact: missed ${missed.join("; ")}` : "Do-not-contact: every target met",
    );
  }
  clearTimeout(deadline);
  if (problems.length) return 1;
  if (opts.strict && results.targets.some((t) => t.met === false)) return 1;
  return 0;
}

process.on("exit", killChildren);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });
}

// Exit explicitly: keep-alive sockets of the in-process HTTP clients would hold the loop open.
main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
