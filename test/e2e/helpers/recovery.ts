/**
 * The README's recovery after a crash, step by step as a person runs it (docs/crash-recovery.md):
 * `pulumi stack export | npx pulumi-campaigns orphans` with the keys in the environment, then
 * `pulumi refresh --clear-pending-creates`, then adoption by `existingCampaignId` (the programs of
 * the crash tests read it from adopt.json), and the end state as the emulators and the stack see it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BURKI_EMULATOR_API_KEY } from "../../../provider/emulators/burki";
import { WOODPECKER_EMULATOR_API_KEY } from "../../../provider/emulators/woodpecker";
import { type CliResult, type Project, exec } from "./engine";

export interface OrphanLine {
  platform: "burki" | "woodpecker";
  id: number;
  name: string;
  status: string;
  /** The pending create the command pairs it with ("likely left by an interrupted create"). */
  urn?: string;
}

/** `pulumi stack export | npx pulumi-campaigns orphans --burki-base-url … --woodpecker-base-url …`. */
export async function runOrphans(p: Project): Promise<{ result: CliResult; orphans: OrphanLine[] }> {
  const exported = await p.ok(["stack", "export"]);
  const bin = join(p.bench.dir, "node_modules", ".bin", "pulumi-campaigns");
  const result = await exec(
    bin,
    ["orphans", "--burki-base-url", p.burki.baseUrl, "--woodpecker-base-url", p.woodpecker.baseUrl],
    {
      cwd: p.dir,
      input: exported.stdout,
      env: {
        ...process.env,
        BURKI_API_KEY: BURKI_EMULATOR_API_KEY,
        WOODPECKER_API_KEY: WOODPECKER_EMULATOR_API_KEY,
      },
    },
  );
  p.transcript.push(
    `$ pulumi stack export | npx pulumi-campaigns orphans  → exit ${result.code}\n${result.output}`,
  );
  return { result, orphans: parseOrphans(result.stdout) };
}

/** The orphans the command lists (its text report: provider/orphans/index.ts formatReport). */
export function parseOrphans(report: string): OrphanLine[] {
  const out: OrphanLine[] = [];
  let platform: "burki" | "woodpecker" | undefined;
  for (const line of report.split("\n")) {
    if (/^Burki\b/.test(line)) platform = "burki";
    else if (/^Woodpecker\b/.test(line)) platform = "woodpecker";
    const m = /^ {2}id (\d+) {2}name ("(?:[^"\\]|\\.)*") {2}status (\S+)/.exec(line);
    if (m && platform) {
      out.push({ platform, id: Number(m[1]), name: JSON.parse(m[2]) as string, status: m[3] });
      continue;
    }
    const pending = /^ {4}\((urn:pulumi:[^)]+)\); to keep it, adopt it with existingCampaignId: (\d+)/.exec(
      line,
    );
    const last = out[out.length - 1];
    if (pending && last && last.id === Number(pending[2])) last.urn = pending[1];
  }
  return out;
}

/** Writes adopt.json (resource name → campaign id), which the crash programs pass as existingCampaignId. */
export function writeAdoptions(p: Project, adopt: Record<string, number>): void {
  writeFileSync(join(p.dir, "adopt.json"), JSON.stringify(adopt, null, 2) + "\n");
}

/** A program statement: `adopt`, the contents of adopt.json (or {}), for `existingCampaignId: adopt[name]`. */
export const READ_ADOPTIONS = `import * as fs from "fs";
const adopt: Record<string, number> = fs.existsSync("adopt.json")
  ? JSON.parse(fs.readFileSync("adopt.json", "utf8"))
  : {};
const adopted = (name: string) => (adopt[name] === undefined ? {} : { existingCampaignId: adopt[name] });`;

export interface EndState {
  /** Campaign resources in the stack, by platform: resource name → campaign id. */
  stack: Record<"burki" | "woodpecker", Map<string, number>>;
  pendingOperations: number;
  /** Campaigns on each emulator: id → { name, status }. */
  live: Record<"burki" | "woodpecker", Map<number, { name: string; status: string }>>;
}

export async function endState(p: Project): Promise<EndState> {
  const { deployment } = await p.exportStack();
  const stack = { burki: new Map<string, number>(), woodpecker: new Map<string, number>() };
  for (const r of (deployment.resources ?? []) as Array<{
    type: string;
    urn: string;
    id?: string;
    delete?: boolean;
  }>) {
    const m = /:dynamic\/(burki|woodpecker):Campaign$/.exec(r.type);
    if (!m || r.delete) continue;
    stack[m[1] as "burki" | "woodpecker"].set(r.urn.slice(r.urn.lastIndexOf("::") + 2), Number(r.id));
  }
  const live = { burki: new Map(), woodpecker: new Map() } as EndState["live"];
  for (const c of (await p.burkiCtl.campaigns()) as Array<{ id: number; name: string; status: string }>) {
    live.burki.set(c.id, { name: c.name, status: c.status });
  }
  for (const c of (await p.woodpeckerCtl.campaigns()) as Array<{
    id: number;
    name: string;
    status: string;
  }>) {
    live.woodpecker.set(c.id, { name: c.name, status: c.status });
  }
  return { stack, pendingOperations: (deployment.pending_operations ?? []).length, live };
}
