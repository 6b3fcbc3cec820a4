/**
 * Scratch projects outside the repository, set up the way a user's project gets the package: the
 * packed tarball (`npm pack`, what the registry would serve) extracted into node_modules as a real
 * directory, next to @pulumi/pulumi, @types/node and typescript linked from the repo's own
 * node_modules (a Pulumi project has those). zod and undici are deliberately not there: if a
 * public declaration imported them, the type-check would fail to resolve it.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** pulumi/templates typescript/tsconfig.json at a3029400 (April 2024 – March 2026), verbatim. */
export const TEMPLATE_2024 = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/** A temporary directory, removed by `cleanup()`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `pulumi-campaigns-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `npm pack` of the built repo (run after `npm run build`), into `dest`; the tarball's path. */
export function packTarball(dest: string): string {
  const out = execFileSync(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", dest], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return join(dest, filename);
}

export interface ScratchProject {
  dir: string;
  /** package.json fields besides name/private (e.g. `{ type: "module" }`). */
  packageJson?: Record<string, unknown>;
  tsconfig: unknown;
  /** file name → contents */
  files: Record<string, string>;
}

/** Writes the project, extracts the tarball into its node_modules and links the toolchain. */
export function makeProject(tarball: string, p: ScratchProject): void {
  mkdirSync(p.dir, { recursive: true });
  writeFileSync(
    join(p.dir, "package.json"),
    JSON.stringify({ name: "scratch", private: true, main: "index.ts", ...p.packageJson }, null, 2),
  );
  writeFileSync(join(p.dir, "tsconfig.json"), JSON.stringify(p.tsconfig, null, 4));
  for (const [name, text] of Object.entries(p.files)) {
    mkdirSync(dirname(join(p.dir, name)), { recursive: true });
    writeFileSync(join(p.dir, name), text);
  }
  const target = join(p.dir, "node_modules", "pulumi-campaigns");
  mkdirSync(target, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  for (const dep of ["@pulumi/pulumi", "@types/node", "typescript"]) {
    const link = join(p.dir, "node_modules", dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", dep), link, "dir");
  }
}

/** Runs the project's `tsc` (no arguments: its tsconfig.json, as `pulumi up` would compile it). */
export function tsc(dir: string): Promise<{ status: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(dir, "node_modules", "typescript", "bin", "tsc")], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 240_000,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => (output += String(e)));
    // `pretty: true` colours the output: strip the escapes so assertions read plain text.
    // eslint-disable-next-line no-control-regex
    child.on("close", (status) => done({ status, output: output.replace(/\u001b\[[0-9;]*m/g, "") }));
  });
}

/** Runs `jobs` with at most `limit` at a time (tsc is CPU-bound: one per core). */
export async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return results;
}

/**
 * The README's quickstart program: the ```ts block of the "## Quickstart" section (the one
 * after "`index.ts`"). Tests compile exactly this text, so the README cannot drift from what works.
 */
export function readmeQuickstart(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Quickstart");
  if (start < 0) throw new Error("README.md has no ## Quickstart section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const from = section.indexOf("`index.ts`");
  const open = from < 0 ? -1 : section.indexOf("\n```ts\n", from);
  const close = open < 0 ? -1 : section.indexOf("\n```\n", open + 7);
  if (close < 0) throw new Error("README.md's Quickstart has no ```ts block after `index.ts`");
  return section.slice(open + 7, close) + "\n";
}
