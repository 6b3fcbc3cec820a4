#!/usr/bin/env node
// `npm run demo` (predemo builds and installs the package first): the quickstart program
// (Pulumi.yaml → examples/quickstart/) deployed and destroyed with the real Pulumi CLI against both
// local emulators, started in this process. Nothing leaves this machine and nothing global changes:
//   - state: a local file backend in ./.pulumi-state/ (git-ignored), passed as PULUMI_BACKEND_URL,
//     so the user's own `pulumi login` is untouched; secrets: the passphrase provider, empty passphrase;
//   - stack `demo` (its config file Pulumi.demo.yaml goes away with `pulumi stack rm` at the end).
// The Pulumi CLI: provisioned by scripts/pulumi-cli.mjs (on PATH, cached in .pulumi-cli/, the SDK's
// installer, or built from its Go modules where `go` is on PATH); every phase prints its time.
// Exit codes: 0 = everything below happened and checked out; 1 = a step failed; 2 = no Pulumi CLI
// (and it could not be provisioned); 130 = interrupted.
/* global fetch */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ProvisionError, provisionPulumi, pulumiEnv as offlineEnv, repoRoot as root } from "./pulumi-cli.mjs";

const STACK = "demo";
const STATE_DIR = join(root, ".pulumi-state");

class DemoError extends Error {}

const say = (msg) => console.log(`demo: ${msg}`);
const section = (title) => console.log(`\n=== ${title} ===`);

/** The CLI to run (provisioned now if needed), or undefined when it cannot be had. */
async function provision() {
  try {
    return await provisionPulumi({ log: (m) => say(m) });
  } catch (e) {
    if (!(e instanceof ProvisionError)) throw e;
    console.error(`demo: ${e.message} Nothing was run.`);
    return undefined;
  }
}

/** The CLI in use (set by main()). */
let pulumiCommand = "pulumi";

// The environment of every `pulumi` command (set by main()): offline, the provisioned CLI's folder
// and this Node first on PATH (Pulumi runs the program with the `node` it finds there), the file
// backend in .pulumi-state/, an empty passphrase.
let pulumiEnv;

let interrupted = 0;
let running; // the pulumi child in flight

/**
 * Runs `pulumi <args>` in the repo root, asynchronously (the emulators answer from this process's
 * event loop). stream: output goes to the terminal; otherwise it is captured and returned.
 */
function pulumi(args, { stream = true, check = true } = {}) {
  return new Promise((resolvePromise, reject) => {
    if (stream) console.log(`$ pulumi ${args.join(" ")}`);
    const child = spawn(pulumiCommand, args, {
      cwd: root,
      env: pulumiEnv,
      stdio: stream ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    });
    running = child;
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    child.on("error", (e) => {
      running = undefined;
      reject(new DemoError(`could not run pulumi ${args[0]}: ${e.message}`));
    });
    child.on("close", (code, signal) => {
      running = undefined;
      if (interrupted) return reject(new DemoError("interrupted"));
      if (check && code !== 0) {
        const detail = stream ? "" : `:\n${(stderr || stdout).trim()}`;
        return reject(
          new DemoError(`\`pulumi ${args.join(" ")}\` failed (${signal ?? `exit code ${code}`})${detail}`),
        );
      }
      resolvePromise({ code, stdout, stderr });
    });
  });
}

async function control(origin, path) {
  const r = await fetch(`${origin}/_emulator${path}`);
  if (!r.ok) throw new DemoError(`emulator control GET ${path} → ${r.status} ${await r.text()}`);
  return r.json();
}

/** Number of steps of a Woodpecker campaign (the API nests them: START → followup → followup…). */
function woodpeckerSteps(c) {
  let n = 0;
  for (let s = c.steps?.followup; s; s = s.followup) n++;
  return n;
}

async function holdings(burki, woodpecker) {
  const b = (await control(burki.origin, "/campaigns")).campaigns;
  const w = (await control(woodpecker.origin, "/campaigns")).campaigns;
  return { burki: b, woodpecker: w };
}

function printHoldings({ burki, woodpecker }) {
  say(`Burki holds ${burki.length} campaign(s), Woodpecker holds ${woodpecker.length}`);
  for (const c of burki) {
    const pending = c.contacts.filter((k) => k.status === "pending").length;
    console.log(
      `  burki      #${c.id} "${c.name}" status=${c.status} type=${c.campaign_type} ` +
        `contacts=${c.contacts.length} (pending ${pending})`,
    );
  }
  for (const c of woodpecker) {
    console.log(
      `  woodpecker #${c.id} "${c.name}" status=${c.status} steps=${woodpeckerSteps(c)} ` +
        `mailboxes=${c.email_account_ids.length}`,
    );
  }
}

async function requestsSince(emulator, seq) {
  return (await control(emulator.origin, `/requests?since=${seq}`)).requests;
}

async function lastSeq(emulator) {
  const all = (await control(emulator.origin, "/requests")).requests;
  return all.length ? all[all.length - 1].seq : 0;
}

const line = (r) => `  #${r.seq} ${r.method} ${r.path} ${r.status}`;

async function run(burki, woodpecker, state) {
  section("1. local state backend and stack");
  mkdirSync(STATE_DIR, { recursive: true });
  say(`state backend: ${pulumiEnv.PULUMI_BACKEND_URL} (your own \`pulumi login\` is not touched)`);
  const stacks = JSON.parse((await pulumi(["stack", "ls", "--json"], { stream: false })).stdout || "[]");
  if (stacks.some((s) => s.name === STACK || String(s.name).endsWith(`/${STACK}`))) {
    // A run that failed half-way: its resources lived in emulators that are gone with it.
    say(`removing the stack "${STACK}" left by an earlier run (its emulators are gone)`);
    await pulumi(["stack", "rm", "--yes", "--force", STACK], { stream: false });
  }
  await pulumi(["stack", "select", "--create", STACK]);
  state.stackCreated = true;
  const set = (key, value, secret) =>
    pulumi(["config", "set", "--stack", STACK, ...(secret ? ["--secret"] : []), key, value], {
      stream: false,
    });
  await set("burki:baseUrl", burki.baseUrl, false);
  await set("burki:apiKey", state.keys.burki, true);
  await set("woodpecker:baseUrl", woodpecker.baseUrl, false);
  await set("woodpecker:apiKey", state.keys.woodpecker, true);
  say("config: burki:baseUrl, woodpecker:baseUrl = the emulators; burki:apiKey, woodpecker:apiKey (secrets)");

  section("2. pulumi up (the quickstart)");
  state.deployed = true; // from here on, resources may exist (even if `up` fails half-way)
  await pulumi(["up", "--yes", "--skip-preview=false", "--stack", STACK]);
  const outputs = JSON.parse(
    (await pulumi(["stack", "output", "--json", "--stack", STACK], { stream: false })).stdout,
  );
  say(`stack outputs: ${JSON.stringify(outputs)}`);

  section("3. what the emulators hold now");
  const after = await holdings(burki, woodpecker);
  printHoldings(after);
  const bOut = after.burki.find((c) => c.id === Number(outputs.burkiCampaignId));
  const wOut = after.woodpecker.find((c) => c.id === Number(outputs.woodpeckerCampaignId));
  if (!bOut) throw new DemoError(`Burki holds no campaign #${outputs.burkiCampaignId} (burkiCampaignId)`);
  if (!wOut) throw new DemoError(`Woodpecker holds no campaign #${outputs.woodpeckerCampaignId}`);
  const live = after.burki.filter((c) => c.status === "running" || c.status === "scheduled");
  if (live.length === 0) throw new DemoError("no Burki campaign is running after `pulumi up`");

  section("4. pulumi destroy");
  const bSeq = await lastSeq(burki);
  const wSeq = await lastSeq(woodpecker);
  await pulumi(["destroy", "--yes", "--stack", STACK]);
  state.deployed = false;

  section("5. what destroy did");
  const bLog = await requestsSince(burki, bSeq);
  for (const c of live) {
    const stopPath = `/api/v1/campaigns/${c.id}/stop`;
    const itemPath = `/api/v1/campaigns/${c.id}`;
    const relevant = bLog.filter(
      (r) => (r.method === "POST" && r.path === stopPath) || (r.method === "DELETE" && r.path === itemPath),
    );
    say(`Burki request log for the running campaign #${c.id} (stop, then delete):`);
    for (const r of relevant) console.log(line(r));
    const stop = relevant.findIndex((r) => r.method === "POST" && r.status === 200);
    const del = relevant.findIndex((r) => r.method === "DELETE" && r.status === 200);
    if (stop < 0) throw new DemoError(`Burki campaign #${c.id} was never stopped (no POST ${stopPath} 200)`);
    if (del < 0) throw new DemoError(`Burki campaign #${c.id} was never deleted (no DELETE ${itemPath} 200)`);
    if (del < stop) throw new DemoError(`Burki campaign #${c.id} was deleted before it was stopped`);
  }
  const wDeletes = (await requestsSince(woodpecker, wSeq)).filter((r) => r.method === "DELETE");
  say("Woodpecker request log (deletes):");
  for (const r of wDeletes) console.log(line(r));
  const left = await holdings(burki, woodpecker);
  if (left.burki.length || left.woodpecker.length) {
    printHoldings(left);
    throw new DemoError("campaigns are left on the emulators after `pulumi destroy`");
  }
  say("nothing left: Burki holds 0 campaigns, Woodpecker holds 0");

  section("6. clean up");
  await pulumi(["stack", "rm", "--yes", STACK]);
  state.stackCreated = false;
}

async function main() {
  const cli = await provision();
  if (!cli) return 2;
  pulumiCommand = cli.command;
  pulumiEnv = offlineEnv(cli, { backendDir: STATE_DIR });
  if (!existsSync(join(root, "Pulumi.yaml"))) {
    console.error("demo: no Pulumi.yaml at the repository root (the quickstart project) — nothing was run.");
    return 1;
  }
  let emulators;
  try {
    emulators = createRequire(import.meta.url)("../dist/emulators/index.js");
  } catch (e) {
    console.error(
      `demo: cannot load the built emulators (run \`npm run build\`; \`npm run demo\` does): ${e.message}`,
    );
    return 1;
  }
  say(`Pulumi CLI ${cli.version} (${cli.where})`);
  const burki = new emulators.BurkiEmulator();
  const woodpecker = new emulators.WoodpeckerEmulator();
  await burki.start();
  await woodpecker.start();
  say(`Burki emulator:      ${burki.baseUrl}   (control API ${burki.origin}/_emulator/…)`);
  say(`Woodpecker emulator: ${woodpecker.baseUrl}   (control API ${woodpecker.origin}/_emulator/…)`);

  process.on("SIGINT", () => {
    if (++interrupted > 1 || !running) process.exit(130);
    console.error("\ndemo: interrupted — waiting for pulumi to stop (Ctrl-C again to quit now)");
  });

  const state = {
    keys: { burki: emulators.BURKI_EMULATOR_API_KEY, woodpecker: emulators.WOODPECKER_EMULATOR_API_KEY },
    stackCreated: false,
    deployed: false,
  };
  const started = Date.now();
  let failure;
  try {
    await run(burki, woodpecker, state);
  } catch (e) {
    failure = e instanceof DemoError ? e.message : (e?.stack ?? String(e));
  }
  if (failure && !interrupted && state.stackCreated) {
    // Leave nothing behind that points at emulators about to disappear.
    say("cleaning up after the failure (pulumi destroy, pulumi stack rm)…");
    const quietly = (args) => pulumi(args, { stream: false, check: false }).catch(() => {});
    if (state.deployed) await quietly(["destroy", "--yes", "--stack", STACK]);
    await quietly(["stack", "rm", "--yes", "--force", STACK]);
  }
  await Promise.all([burki.stop(), woodpecker.stop()]);
  say("emulators stopped");
  if (interrupted) {
    console.error("demo: interrupted");
    return 130;
  }
  if (failure) {
    console.error(`demo: FAILED — ${failure}`);
    return 1;
  }
  say(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: up → running campaigns → destroy (stop before delete) → nothing left`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`demo: FAILED — ${e?.stack ?? e}`);
    process.exit(1);
  },
);
