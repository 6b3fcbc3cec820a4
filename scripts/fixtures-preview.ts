/**
 * `npm run fixtures:preview [-- <scenario>…]`: makes each plan of test/e2e/helpers/preview-scenarios.ts
 * with the provisioned Pulumi CLI against the emulators and writes, per scenario, into
 * test/fixtures/preview/cli/:
 *   <name>.preview.json       pulumi preview --json --show-replacement-steps
 *   <name>.refresh.json       pulumi preview --json --show-replacement-steps --refresh
 *   <name>.plain.json         pulumi preview --json (scenarios marked `plain`: what a pipeline
 *                             without --show-replacement-steps gets)
 *   <name>.stack-export.json  pulumi stack export (the state the previews start from)
 *   <name>.<key>.json         pulumi preview --json <args> (a scenario's extraPreviews)
 * (a scenario's previewArgs, such as `--replace <urn>`, are added to each of its previews)
 * and manifest.json (CLI version, each scenario's title and the previews' exit codes).
 * Nothing is edited after the CLI printed it. Re-runnable: ids, ports, timestamps and ciphertexts
 * change from run to run; the tests read only what the plans mean.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, type Project, workbench } from "../test/e2e/helpers/engine";
import { PREVIEW_SCENARIOS, type PreviewScenario } from "../test/e2e/helpers/preview-scenarios";

const OUT = join(ROOT, "test/fixtures/preview/cli");

interface ManifestEntry {
  name: string;
  title: string;
  preview: { exitCode: number | null };
  refresh: { exitCode: number | null };
  plain?: { exitCode: number | null };
  extra?: Record<string, { args: string[]; exitCode: number | null }>;
}

async function runScenario(p: Project, s: PreviewScenario): Promise<ManifestEntry> {
  const write = (file: string, text: string) => writeFileSync(join(OUT, `${s.name}.${file}`), text);
  await p.init(s.config ?? {});
  const up = async (text: string, expect: "ok" | "fails") => {
    writeFileSync(join(p.dir, "index.ts"), text);
    const r = await p.up();
    if ((r.code === 0) !== (expect === "ok")) {
      throw new Error(`${s.name}: \`pulumi up\` exited ${r.code}, expected it to ${expect}:\n${r.output}`);
    }
  };
  const refreshNow = async () => {
    const r = await p.refresh();
    if (r.code !== 0) throw new Error(`${s.name}: \`pulumi refresh\` exited ${r.code}:\n${r.output}`);
  };
  const saveExport = async (file: string) => write(file, (await p.ok(["stack", "export"])).stdout);
  if (s.before) await up(s.before, "ok");
  await s.between?.(p, { up, refresh: refreshNow, saveExport });
  writeFileSync(join(p.dir, "index.ts"), s.after);
  write("stack-export.json", (await p.ok(["stack", "export"])).stdout);
  const json = ["--json", ...(s.previewArgs?.(p) ?? [])];
  const base = [...json, "--show-replacement-steps"];
  const preview = await p.preview(...base);
  write("preview.json", preview.stdout);
  const refresh = await p.preview(...base, "--refresh");
  write("refresh.json", refresh.stdout);
  const plain = s.plain ? await p.preview(...json) : undefined;
  if (plain) write("plain.json", plain.stdout);
  const extra: NonNullable<ManifestEntry["extra"]> = {};
  const extraResults = [];
  for (const [key, args] of Object.entries(s.extraPreviews ?? {})) {
    const r = await p.preview(...json, ...args);
    write(`${key}.json`, r.stdout);
    extra[key] = { args, exitCode: r.code };
    extraResults.push(r);
  }
  for (const r of [preview, refresh, ...(plain ? [plain] : []), ...extraResults]) {
    if (!r.stdout.trim().startsWith("{")) throw new Error(`${s.name}: no JSON on stdout:\n${r.output}`);
  }
  return {
    name: s.name,
    title: s.title,
    preview: { exitCode: preview.code },
    refresh: { exitCode: refresh.code },
    ...(plain ? { plain: { exitCode: plain.code } } : {}),
    ...(s.extraPreviews ? { extra } : {}),
  };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const scenarios = only.length ? PREVIEW_SCENARIOS.filter((s) => only.includes(s.name)) : PREVIEW_SCENARIOS;
  if (scenarios.length === 0) throw new Error(`no scenario named ${only.join(", ")}`);
  const bench = await workbench();
  if (!bench) throw new Error("no Pulumi CLI (see above)");
  mkdirSync(OUT, { recursive: true });
  const manifestPath = join(OUT, "manifest.json");
  let entries: ManifestEntry[];
  try {
    entries = (JSON.parse(readFileSync(manifestPath, "utf8")) as { scenarios: ManifestEntry[] }).scenarios;
  } catch {
    entries = []; // first run
  }
  for (const s of scenarios) {
    const t0 = Date.now();
    const p = await bench.project(`fx-${s.name}`, s.before ?? s.after);
    try {
      const entry = await runScenario(p, s);
      entries = [...entries.filter((e) => e.name !== entry.name), entry];
      console.log(`${s.name}: written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      console.error(p.transcript.join("\n"));
      throw e;
    } finally {
      await p.cleanUp();
    }
  }
  const order = PREVIEW_SCENARIOS.map((s) => s.name);
  entries.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const manifest = { cli: bench.cli.version, scenarios: entries };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
