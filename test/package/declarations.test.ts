/**
 * The public declaration graph: every .d.ts reachable from the package's entry points (".",
 * "./emulators", "./guard", through package.json "exports" and "typesVersions") in the packed copy
 * installed in node_modules (`npm test` installs it first), walked through every import, export,
 * `import x = require()`, `import("…")` type and `/// <reference>`. Third-party types other than
 * @pulumi/pulumi's and Node's break projects without `skipLibCheck`/`esModuleInterop`
 * (`pulumi new typescript`): zod's declarations alone gave 63 errors there.
 */
import { expect } from "chai";
import { builtinModules } from "node:module";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { ROOT, tempDir } from "./scratch";

const PKG = join(ROOT, "node_modules", "pulumi-campaigns");
const PUBLIC_ENTRIES = [".", "./emulators", "./guard"];
const ALLOWED_PACKAGES = new Set(["@pulumi/pulumi"]);

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Every module specifier a declaration file refers to. */
function specifiersOf(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: string[] = [
    ...sf.referencedFiles.map((r) => (r.fileName.startsWith(".") ? r.fileName : `./${r.fileName}`)),
    ...sf.typeReferenceDirectives.map((r) => r.fileName),
  ];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      out.push(node.moduleReference.expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      out.push(node.argument.literal.text);
    } else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) {
      out.push(node.name.text); // `declare module "x"` augments x
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or "node" for builtins. */
function packageOf(spec: string): string {
  if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0]) || spec === "node")
    return "node";
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

interface Graph {
  files: string[];
  /** bare package → the files (relative to the package) that import it */
  external: Map<string, string[]>;
  unresolved: string[];
}

/** Walks the declaration graph of `pkgDir` from the given .d.ts entry files. */
function walk(pkgDir: string, entries: string[]): Graph {
  const seen = new Set<string>();
  const external = new Map<string, string[]>();
  const unresolved: string[] = [];
  const own = (f: string) => relative(pkgDir, f);
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of specifiersOf(file)) {
      if (spec.startsWith(".")) {
        const base = resolve(dirname(file), spec);
        const hit = [base.replace(/\.js$/, ".d.ts"), `${base}.d.ts`, join(base, "index.d.ts"), base]
          .filter((p) => p.endsWith(".d.ts"))
          .find(isFile);
        if (hit) visit(hit);
        else unresolved.push(`${spec} (in ${own(file)})`);
      } else {
        const name = packageOf(spec);
        external.set(name, [...(external.get(name) ?? []), own(file)]);
      }
    }
  };
  entries.forEach(visit);
  return { files: [...seen].map(own).sort(), external, unresolved };
}

describe("package: the public declarations import no third-party types but @pulumi/pulumi's and Node's", () => {
  const pkg = () => JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));

  /** The .d.ts of each public entry, from "exports" (and the root "types"). */
  const entryFiles = () => {
    const p = pkg();
    const files = PUBLIC_ENTRIES.map((e) => join(PKG, p.exports[e].types));
    return [...new Set([join(PKG, p.types), ...files])];
  };

  it("every public entry point has its declarations in the packed package", () => {
    for (const f of entryFiles()) expect(isFile(f), relative(PKG, f)).to.equal(true);
  });

  it("the declaration graph from ., /emulators and /guard reaches no zod, undici or other package", () => {
    const g = walk(PKG, entryFiles());
    expect(g.unresolved, "relative imports that resolve to no .d.ts").to.deep.equal([]);
    // Sanity: the walk really went through the graph (the resource classes, the check types, the emulators).
    expect(g.files).to.include.members([
      "dist/index.d.ts",
      "dist/burki/campaign.d.ts",
      "dist/woodpecker/types.d.ts",
      "dist/core/check-types.d.ts",
      "dist/emulators/common/index.d.ts",
      "dist/guard/preview.d.ts",
    ]);
    const offending = [...g.external].filter(([name]) => name !== "node" && !ALLOWED_PACKAGES.has(name));
    expect(Object.fromEntries(offending), "third-party packages the public .d.ts import").to.deep.equal({});
    expect(g.external.has("@pulumi/pulumi"), "the resource classes' @pulumi/pulumi types").to.equal(true);
  });

  it('typesVersions maps /emulators and /guard to the same declarations as "exports" (moduleResolution node)', () => {
    const p = pkg();
    for (const sub of ["emulators", "guard"]) {
      expect(p.typesVersions?.["*"]?.[sub], `typesVersions["*"].${sub}`).to.deep.equal([
        p.exports[`./${sub}`].types,
      ]);
    }
  });

  it("the walk finds a third-party import however it is written (control)", () => {
    const tmp = tempDir("dts-walk");
    try {
      const forms: Record<string, string> = {
        "index.d.ts": 'export * as a from "./a";\nexport { b } from "./b";\nimport c = require("./c");\n',
        "a.d.ts": 'import type { z } from "zod";\nexport type A = z.ZodType;\n',
        "b.d.ts": 'export declare const b: import("undici").Agent;\n',
        "c.d.ts": '/// <reference types="yaml" />\nexport {};\n',
      };
      for (const [f, text] of Object.entries(forms)) writeFileSync(join(tmp.dir, f), text);
      const g = walk(tmp.dir, [join(tmp.dir, "index.d.ts")]);
      expect([...g.external.keys()].sort()).to.deep.equal(["undici", "yaml", "zod"]);
      expect(g.files).to.deep.equal(["a.d.ts", "b.d.ts", "c.d.ts", "index.d.ts"]);
    } finally {
      tmp.cleanup();
    }
  });
});

describe("package: every input and output of both resources has TSDoc, nested fields included", () => {
  /** The declaration files users' editors read for the two resources. */
  const FILES = [
    "burki/campaign.d.ts",
    "burki/types.d.ts",
    "woodpecker/campaign.d.ts",
    "woodpecker/types.d.ts",
  ];

  /** `Owner.member` for every property of an interface, object type literal or class without a doc comment. */
  function undocumented(file: string): { documented: string[]; missing: string[] } {
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const documented: string[] = [];
    const missing: string[] = [];
    const hasDoc = (n: ts.Node) =>
      ts
        .getJSDocCommentsAndTags(n)
        .some((d) => ts.isJSDoc(d) && !!ts.getTextOfJSDocComment(d.comment)?.trim());
    const members = (owner: string, ms: ts.NodeArray<ts.TypeElement | ts.ClassElement>) => {
      for (const m of ms) {
        if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || !m.name) continue;
        const id = `${owner}.${m.name.getText(sf)}`;
        (hasDoc(m) ? documented : missing).push(id);
        if (m.type && ts.isTypeLiteralNode(m.type)) members(id, m.type.members);
      }
    };
    const visit = (n: ts.Node) => {
      if (ts.isInterfaceDeclaration(n) || ts.isClassDeclaration(n))
        members(n.name?.text ?? "(class)", n.members);
      else if (ts.isTypeAliasDeclaration(n) && ts.isTypeLiteralNode(n.type))
        members(n.name.text, n.type.members);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return { documented, missing };
  }

  it("no property of CampaignArgs, ContactArgs, StepArgs, the settings/step/version/delay types or the resource classes lacks a doc comment", () => {
    const all = FILES.map((f) => undocumented(join(PKG, "dist", f)));
    const documented = all.flatMap((r) => r.documented);
    // The walk sees the nested types users fill in (settings.*, versions[].signature, contacts[].variables …).
    expect(documented).to.include.members([
      "CampaignArgs.contacts",
      "ContactArgs.variables",
      "CampaignSettings.dailyEnroll",
      "StepVersion.signature",
      "StepDelay.unit",
      "TimeWindow.to",
      "Campaign.campaignId",
      "Campaign.status",
    ]);
    expect(all.flatMap((r) => r.missing)).to.deep.equal([]);
  });

  it("finds an undocumented property (control)", () => {
    const tmp = tempDir("tsdoc");
    try {
      const f = join(tmp.dir, "x.d.ts");
      writeFileSync(f, "export interface A {\n  /** documented */\n  a: string;\n  b: number;\n}\n");
      expect(undocumented(f)).to.deep.equal({ documented: ["A.a"], missing: ["A.b"] });
    } finally {
      tmp.cleanup();
    }
  });
});
