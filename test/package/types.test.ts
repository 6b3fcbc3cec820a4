/**
 * The package's types in users' projects: the README's quickstart (and the repo's
 * examples/quickstart) compiled with `tsc` against the packed tarball, in scratch projects with
 * `pulumi new typescript`'s tsconfig exactly (no `skipLibCheck`, no `esModuleInterop`), in both of
 * its forms (pulumi/templates typescript/tsconfig.json: `module: commonjs` + `moduleResolution:
 * node` from April 2024, `nodenext` since March 2026), with `moduleResolution` node16 and bundler,
 * and as an ES module program (`"type": "module"`). The subpaths (`/emulators`, `/guard`) type-check
 * under `moduleResolution: node` too (`typesVersions`).
 *
 * One compile per tsconfig (each checks all of @pulumi/pulumi's and Node's declarations: no
 * skipLibCheck, so compiles are the cost here), all started in `before`, one per core. Each holds
 * several root files: the README's quickstart as `index.ts` (the template's `files`), the subpaths
 * file, examples/quickstart, and in the first one a copy of the quickstart with a wrong input type
 * (it must fail: the types are real, not `any`). Errors are attributed to files by tsc's output.
 */
import { expect } from "chai";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ROOT,
  TEMPLATE_2024,
  makeProject,
  packTarball,
  pool,
  readmeQuickstart,
  tempDir,
  tsc,
} from "./scratch";

/** The same file since 81e65225 ("Use moduleResolution: nodenext", March 2026): only these two differ. */
const TEMPLATE_CURRENT = withModule("nodenext", "nodenext");

function withModule(module: string, moduleResolution: string) {
  return {
    compilerOptions: { ...TEMPLATE_2024.compilerOptions, module, moduleResolution },
    files: ["index.ts"],
  };
}

/** Uses both subpaths and the root's check types for real (an error if any resolved to nothing or `any`). */
const SUBPATHS = `import { BurkiEmulator, WoodpeckerEmulator, BURKI_EMULATOR_API_KEY } from "pulumi-campaigns/emulators";
import { CAMPAIGN_TYPES, type GuardFinding } from "pulumi-campaigns/guard";
import type { CheckFailure, InputsCheck } from "pulumi-campaigns";
import { burki } from "pulumi-campaigns";

const b: BurkiEmulator = new BurkiEmulator();
const w: WoodpeckerEmulator = new WoodpeckerEmulator();
const start: () => Promise<string> = b.start.bind(b);
const key: string = BURKI_EMULATOR_API_KEY;
const token: string = CAMPAIGN_TYPES.burki;
const finding: GuardFinding["level"] = "block";
const checked: InputsCheck<burki.CampaignInputs> = burki.checkCampaignInputs({});
const failures: CheckFailure[] = checked.ok ? [] : checked.failures;
export { w, start, key, token, finding, failures };
`;

const example = (f: string) => readFileSync(join(ROOT, "examples/quickstart", f), "utf8");
/** The README quickstart with one wrong input type (a string for a number). */
const wrongQuickstart = () =>
  readmeQuickstart().replace('campaignType: "call",', 'campaignType: "call",\n  maxAttempts: "3",');

interface Case {
  title: string;
  tsconfig: { compilerOptions: Record<string, unknown>; files: string[] };
  packageJson?: Record<string, unknown>;
  /** examples/quickstart uses extensionless relative imports: not in an ES module program. */
  example: boolean;
}

const CASES: Case[] = [
  {
    title: "pulumi new typescript's tsconfig (module commonjs, moduleResolution node)",
    tsconfig: TEMPLATE_2024,
    example: true,
  },
  {
    title: "pulumi new typescript's current tsconfig (module and moduleResolution nodenext)",
    tsconfig: TEMPLATE_CURRENT,
    example: true,
  },
  { title: "moduleResolution node16", tsconfig: withModule("node16", "node16"), example: true },
  { title: "moduleResolution bundler", tsconfig: withModule("esnext", "bundler"), example: true },
  {
    title: 'an ES module program ("type": "module", nodenext)',
    tsconfig: TEMPLATE_CURRENT,
    packageJson: { type: "module" },
    example: false,
  },
];
const WITH_WRONG = CASES[0];

interface Compiled {
  status: number | null;
  output: string;
  roots: string[];
  /** file → its error lines */
  errors: Map<string, string[]>;
}

/** tsc's `pretty` lines: `file.ts:12:3 - error TS2322: …`. */
function errorsByFile(output: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const line of output.split("\n")) {
    const e = /^(\S+?):\d+:\d+ - error (TS\d+: .*)$/.exec(line.trim());
    if (e) m.set(e[1], [...(m.get(e[1]) ?? []), e[2]]);
  }
  return m;
}

describe("package: the quickstart type-checks against the packed package in users' tsconfigs", function () {
  this.timeout(8 * 60_000);
  let tmp: ReturnType<typeof tempDir> | undefined;
  const results = new Map<Case, Compiled>();

  before(async () => {
    tmp = tempDir("types");
    const tarball = packTarball(tmp.dir);
    const jobs = CASES.map((c, i) => {
      const files: Record<string, string> = { "index.ts": readmeQuickstart(), "subpaths.ts": SUBPATHS };
      if (c.example) {
        files["example/index.ts"] = example("index.ts");
        files["example/program.ts"] = example("program.ts");
      }
      if (c === WITH_WRONG) files["wrong.ts"] = wrongQuickstart();
      const roots = Object.keys(files).filter((f) => f !== "example/program.ts");
      const dir = join(tmp!.dir, `p${i}`);
      // The template's compiler options exactly; its `files` (index.ts) plus the other roots.
      const tsconfig = { ...c.tsconfig, files: roots };
      makeProject(tarball, { dir, tsconfig, packageJson: c.packageJson, files });
      return async () => {
        const r = await tsc(dir);
        results.set(c, { ...r, roots, errors: errorsByFile(r.output) });
      };
    });
    await pool(jobs, availableParallelism());
  });
  after(() => tmp?.cleanup());

  for (const c of CASES) {
    it(`${c.title}: the README quickstart${c.example ? ", examples/quickstart" : ""} and the /emulators, /guard subpaths compile`, () => {
      const r = results.get(c)!;
      const unexpected = [...r.errors].filter(([file]) => file !== "wrong.ts");
      expect(unexpected, r.output).to.deep.equal([]);
      expect(r.roots).to.include.members(["index.ts", "subpaths.ts"]);
      if (c !== WITH_WRONG) {
        expect(r.output.trim(), "tsc output").to.equal("");
        expect(r.status, "tsc exit code").to.equal(0);
      }
    });
  }

  it("the types are real: a wrong input type in the quickstart fails, naming the property", () => {
    expect(wrongQuickstart(), 'the README quickstart has a `campaignType: "call",` line').to.contain(
      'maxAttempts: "3"',
    );
    const r = results.get(WITH_WRONG)!;
    expect(r.status).to.not.equal(0);
    const errors = r.errors.get("wrong.ts") ?? [];
    // Exactly that one error: the rest of the program, and the package's declarations, are fine.
    expect(errors, r.output).to.have.length(1);
    expect(errors[0]).to.match(/^TS2322: /);
    expect(r.output).to.contain("maxAttempts");
  });
});
