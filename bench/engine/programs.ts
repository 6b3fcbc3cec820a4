/**
 * The Pulumi projects of the real-engine bench: one program that declares N campaigns of one
 * platform, either with the package (`kind: real`) or with a no-op dynamic resource (`kind: noop`)
 * whose provider methods return at once, given the same inputs (the same sizes, the same secrets),
 * so that `pulumi up` of the no-op stack is what the engine itself costs for N such resources.
 *
 * The program is JavaScript (index.js): TypeScript's compile time would be in both figures and
 * says nothing about either. The stack config says what to declare: bench:platform, bench:kind,
 * bench:n, bench:edit (the `up` that edits every campaign) and bench:contactsFile (one Burki
 * campaign's contacts from a CSV file instead of inline).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BURKI, WOODPECKER } from "../lib/platforms";

export type Kind = "real" | "noop";

/** The no-op provider: a module of its own under node_modules, so the SDK serializes a `require` of it (as ours). */
const NOOP_PROVIDER = `"use strict";
// A dynamic provider whose methods return at once: what the engine costs without an API behind it.
const { randomUUID } = require("node:crypto");
const canon = (v) =>
  Array.isArray(v) ? v.map(canon) : v && typeof v === "object"
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v;
const same = (a, b) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
const OUTPUTS = ["__provider", "campaignId", "status"];
module.exports = {
  async check(olds, news) { return { inputs: news }; },
  async diff(id, olds, news) {
    return { changes: Object.keys(news).some((k) => !OUTPUTS.includes(k) && !same(news[k], olds[k])) };
  },
  async create(inputs) {
    const id = randomUUID();
    return { id, outs: { ...inputs, campaignId: id, status: "running" } };
  },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) { return { outs: { ...news, campaignId: olds.campaignId, status: olds.status } }; },
  async delete() {},
};
`;

const NOOP_INDEX = `"use strict";
const pulumi = require("@pulumi/pulumi");
const provider = require("./provider");
// Secret inputs as the package's classes make them (contacts / prospects), so encryption is in the floor too.
class Campaign extends pulumi.dynamic.Resource {
  constructor(name, args, secretKey) {
    super(
      provider,
      name,
      { ...args, [secretKey]: args[secretKey] === undefined ? undefined : pulumi.secret(args[secretKey]),
        campaignId: undefined, status: undefined },
      { deleteBeforeReplace: true, additionalSecretOutputs: [secretKey] },
      "bench-noop",
      "Campaign",
    );
  }
}
module.exports = { Campaign };
`;

/** The program. Inputs are bench/lib/platforms.ts's, written out here as data. */
function programText(): string {
  return `"use strict";
const pulumi = require("@pulumi/pulumi");
const cfg = new pulumi.Config("bench");
const n = cfg.requireNumber("n");
const platform = cfg.require("platform");
const kind = cfg.require("kind");
const edit = cfg.getBoolean("edit") ?? false;
const contactsFile = cfg.get("contactsFile");
const { inputs } = require("./inputs.json");
const secretKey = platform === "burki" ? "contacts" : "prospects";
const make =
  kind === "real"
    ? (name, args) => new (require("pulumi-campaigns")[platform].Campaign)(name, args)
    : (name, args) => new (require("bench-noop-campaign").Campaign)(name, args, secretKey);
for (let i = 0; i < n; i++) {
  const args = JSON.parse(JSON.stringify(inputs[platform]).split("{{i}}").join(String(i)));
  args.name = "bench-" + i;
  if (platform === "burki") {
    args.contacts[0].phoneNumber = "+1555" + String(i * 2).padStart(7, "0");
    args.contacts[1].phoneNumber = "+1555" + String(i * 2 + 1).padStart(7, "0");
    if (edit) args.welcomeMessageTemplate += " (edited)";
    if (contactsFile && i === 0) {
      delete args.contacts;
      args.contactsFile = contactsFile;
    }
  } else if (edit) {
    args.steps[1].versions[0].message += "<p>(edited)</p>";
  }
  make("c" + i, args);
}
`;
}

/** Writes the project (Pulumi.yaml, package.json, index.js, inputs.json, the no-op package). */
export function writeProject(dir: string, name: string): void {
  mkdirSync(join(dir, "node_modules", "bench-noop-campaign"), { recursive: true });
  writeFileSync(
    join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\n    typescript: false\ndescription: real-engine bench\n`,
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name, private: true, main: "index.js" }, null, 2),
  );
  writeFileSync(join(dir, "index.js"), programText());
  writeFileSync(
    join(dir, "inputs.json"),
    JSON.stringify({ inputs: { burki: BURKI.inputs(0), woodpecker: WOODPECKER.inputs(0) } }, null, 2),
  );
  const noop = join(dir, "node_modules", "bench-noop-campaign");
  writeFileSync(
    join(noop, "package.json"),
    JSON.stringify({ name: "bench-noop-campaign", main: "index.js" }),
  );
  writeFileSync(join(noop, "index.js"), NOOP_INDEX);
  writeFileSync(join(noop, "provider.js"), NOOP_PROVIDER);
}

/** A CSV of `rows` contacts for contactsFile (the columns the package reads). */
export function writeContactsCsv(file: string, rows: number): void {
  const lines = ["phone_number,name"];
  for (let i = 0; i < rows; i++) lines.push(`+1666${String(i).padStart(7, "0")},Person ${i}`);
  writeFileSync(file, lines.join("\n") + "\n");
}
