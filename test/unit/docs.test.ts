/**
 * The documentation as a reader meets it: the README starts with the two commands (and they are
 * scripts this package has), stays short, and every relative link in README.md, ARCHITECTURE.md and
 * docs/ leads to a file that exists and, with a `#fragment`, to a heading in it. The README's
 * quickstart is compiled by test/package/types.test.ts (readmeQuickstart in test/package/scratch.ts).
 */
import { expect } from "chai";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
const README = join(ROOT, "README.md");

/** The Markdown pages people read: README, ARCHITECTURE and docs/ (not the generated docs/api/). */
function pages(): string[] {
  const docs = join(ROOT, "docs");
  return [
    README,
    join(ROOT, "ARCHITECTURE.md"),
    ...readdirSync(docs)
      .filter((f) => f.endsWith(".md"))
      .map((f) => join(docs, f)),
  ];
}

/** The text outside fenced code blocks and inline code spans (links there are examples, not links). */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "``");
}

/** Inline links `[text](target)` and reference definitions `[label]: target`. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
  const references = [...text.matchAll(/^\s*\[[^\]]+\]:\s+(\S+)/gm)].map((m) => m[1]);
  return [...inline, ...references];
}

/** GitHub's anchor for each heading of a page (lower case, punctuation dropped, spaces to dashes). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, "");
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .trim()
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe("documentation", () => {
  it("the README opens with the two commands, and they are scripts of this package", () => {
    const readme = readFileSync(README, "utf8");
    const firstSection = readme.indexOf("\n## ");
    expect(readme.slice(firstSection + 1, readme.indexOf("\n", firstSection + 1))).to.equal(
      "## The two commands",
    );
    const block = /```bash\n([\s\S]*?)\n```/.exec(readme.slice(firstSection))![1];
    const commands = block.split("\n").map((line) => line.replace(/#.*$/, "").trim());
    expect(commands).to.deep.equal(["npm ci && npm run demo", "npm test"]);
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    expect(scripts).to.include.keys("demo", "test", "docs");
  });

  it("the README is short (at most 250 lines): the rest is in docs/", () => {
    const lines = readFileSync(README, "utf8").trimEnd().split("\n").length;
    expect(lines).to.be.at.most(250);
  });

  it("every relative link in README.md, ARCHITECTURE.md and docs/ resolves, anchors included", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages()) {
      for (const target of linkTargets(readFileSync(page, "utf8"))) {
        if (isExternal(target)) continue;
        checked++;
        const [path, fragment] = target.split("#", 2);
        const file = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
        const where = `${relative(ROOT, page)}: ${target}`;
        if (!existsSync(file)) {
          broken.push(`${where} (no such file)`);
          continue;
        }
        if (fragment && statSync(file).isFile() && file.endsWith(".md")) {
          if (!anchors(readFileSync(file, "utf8")).has(fragment)) broken.push(`${where} (no such heading)`);
        }
      }
    }
    expect(broken).to.deep.equal([]);
    expect(checked, "relative links checked").to.be.greaterThan(20);
  });

  it("finds the anchors GitHub makes", () => {
    const page =
      "# `burki.Campaign`\n## Inputs\n### What the demo does\n## Inputs\n```\n# not a heading\n```\n";
    expect([...anchors(page)]).to.deep.equal(["burkicampaign", "inputs", "what-the-demo-does", "inputs-1"]);
  });
});
