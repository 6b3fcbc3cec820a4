/**
 * e2e, a real crash: `pulumi up` of 20 running Burki and 20 running Woodpecker campaigns is killed
 * with SIGKILL (the CLI, its language host and its plugins: the whole process group) once some
 * creates were answered and saved and others are in flight (the vendor made the campaign, the
 * answer is delayed by the emulator's `rateSlow` fault). Then the recovery of docs/crash-recovery.md,
 * exactly: `pulumi-campaigns orphans`, `pulumi cancel` (the lock the kill left), `pulumi refresh --clear-pending-creates`, adopt each orphan
 * with `existingCampaignId`, `pulumi up`. End state from the emulators and the stack: one live
 * campaign per resource, no orphan, no duplicate, nothing running that the stack does not own.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectFor } from "./helpers/engine";
import { campaignsWithId, processesInSession, readCheckpoint, startPulumi, waitUntil } from "./helpers/crash";
import { CRASH_CAMPAIGNS, CRASH_PROGRAM } from "./helpers/crash-program";
import { endState, runOrphans, writeAdoptions } from "./helpers/recovery";

const N = CRASH_CAMPAIGNS;
const pad = (i: number) => String(i).padStart(2, "0");

describe("e2e (real CLI): kill -9 during `pulumi up` of 40 campaigns, then the documented recovery", function () {
  this.timeout(20 * 60_000);
  const project = projectFor("crash-up", CRASH_PROGRAM);
  afterEach(function () {
    // For docs/crash-recovery.md: every command and what it printed.
    if (process.env.E2E_TRANSCRIPT_DIR) {
      writeFileSync(join(process.env.E2E_TRANSCRIPT_DIR, "crash-up.txt"), project().transcript.join("\n"));
    }
  });

  it("ends with exactly one live campaign per resource, 0 orphans, 0 duplicates", async () => {
    const p = project();
    // Some creates are applied by the vendor but answered only after 25 s (under the provider's
    // 30 s headers timeout): those are in flight when the kill comes.
    const slow = { rateSlow: 0.35, slowMs: 25_000, seed: 7 };
    await p.burkiCtl.setFaults({ ...slow, match: "^POST /api/v1/campaigns/$" });
    await p.woodpeckerCtl.setFaults({ ...slow, match: "^POST (/rest)?/v2/campaigns$" });

    const up = startPulumi(p, ["up", "--yes", "--non-interactive", "--skip-preview"]);
    const seen = { burki: 0, woodpecker: 0, burkiLive: 0, woodpeckerLive: 0 };
    await waitUntil(
      "some creates saved in the checkpoint and others made but not saved, on both platforms",
      async () => {
        const cp = readCheckpoint(p);
        seen.burki = campaignsWithId(cp, "burki").length;
        seen.woodpecker = campaignsWithId(cp, "woodpecker").length;
        seen.burkiLive = (await p.burkiCtl.campaigns()).length;
        seen.woodpeckerLive = (await p.woodpeckerCtl.campaigns()).length;
        return (
          seen.burki >= 3 &&
          seen.burkiLive > seen.burki &&
          seen.woodpecker >= 1 &&
          seen.woodpeckerLive > seen.woodpecker
        );
      },
      4 * 60_000,
    );
    up.kill9();
    const killed = await up.done;
    expect(killed.code, "the CLI was killed, not finished").to.equal(null);
    await waitUntil(
      "no process of the killed CLI's session left (plugins included)",
      () => processesInSession(up.pid).length === 0,
      10_000,
    );
    console.log(`    killed with ${JSON.stringify(seen)} (saved in the checkpoint / live at the vendor)`);
    await p.burkiCtl.clearFaults();
    await p.woodpeckerCtl.clearFaults();
    // A request sent before the kill may still be applied after it: a Woodpecker create queued
    // behind a slow one (one request at a time per account) is handled when its turn comes, with
    // nobody left to read the answer. A person recovers minutes later; the test waits as long.
    const atKill = [(await p.burkiCtl.campaigns()).length, (await p.woodpeckerCtl.campaigns()).length];
    await new Promise((r) => setTimeout(r, slow.slowMs + 5_000));
    const settled = [(await p.burkiCtl.campaigns()).length, (await p.woodpeckerCtl.campaigns()).length];
    console.log(
      `    campaigns at the vendors (Burki, Woodpecker): ${atKill} at the kill, ${settled} 30 s later`,
    );

    // What the crash left: pending creates in the state, campaigns the state does not know.
    const before = await endState(p);
    expect(before.pendingOperations, "pending creates left by the kill").to.be.greaterThan(0);
    const burkiUnknown = [...before.live.burki.keys()].filter(
      (id) => ![...before.stack.burki.values()].includes(id),
    );
    const wpUnknown = [...before.live.woodpecker.keys()].filter(
      (id) => ![...before.stack.woodpecker.values()].includes(id),
    );
    expect(burkiUnknown.length + wpUnknown.length, "campaigns made but not saved").to.be.greaterThan(0);

    // 1. Find them.
    const found = await runOrphans(p);
    expect(found.result.code, found.result.output).to.equal(1);
    expect(found.orphans.map((o) => o.id).sort()).to.have.members([...burkiUnknown, ...wpUnknown].sort());
    expect(
      found.orphans.every((o) => o.urn !== undefined),
      "each orphan paired with its pending create",
    ).to.equal(true);

    // 2. The killed CLI left its lock (file backend: .pulumi/locks/…): remove it, then drop the pending creates.
    const locked = await p.refresh("--clear-pending-creates");
    expect(locked.code).to.not.equal(0);
    expect(locked.output).to.include("the stack is currently locked by 1 lock(s)");
    await p.ok(["cancel", "--yes"]);
    const refresh = await p.refresh("--clear-pending-creates");
    expect(refresh.code, refresh.output).to.equal(0);
    expect((await endState(p)).pendingOperations).to.equal(0);

    // 3. Adopt each orphan into the resource whose create it was, and run up.
    const adopt: Record<string, number> = {};
    for (const o of found.orphans) adopt[o.urn!.slice(o.urn!.lastIndexOf("::") + 2)] = o.id;
    writeAdoptions(p, adopt);
    const again = await p.up();
    expect(again.code, again.output).to.equal(0);

    const after = await endState(p);
    expect(after.pendingOperations).to.equal(0);
    for (const platform of ["burki", "woodpecker"] as const) {
      const owned = after.stack[platform];
      const live = after.live[platform];
      expect(owned.size, `${platform} resources`).to.equal(N);
      expect(new Set(owned.values()).size, `${platform}: distinct ids`).to.equal(N);
      expect(live.size, `${platform}: campaigns at the vendor (no duplicate, no orphan)`).to.equal(N);
      expect([...live.keys()].sort()).to.deep.equal([...owned.values()].sort());
      const names = [...live.values()].map((c) => c.name);
      expect(new Set(names).size, `${platform}: one campaign per name`).to.equal(N);
      const prefix = platform === "burki" ? "Renewals" : "Outreach";
      expect(names.sort()).to.deep.equal(Array.from({ length: N }, (_, i) => `${prefix} ${pad(i)}`));
      const running = [...live.values()].filter((c) => c.status.toLowerCase() === "running").length;
      expect(running, `${platform}: all running, all owned`).to.equal(N);
    }
    const none = await runOrphans(p);
    expect(none.result.code, none.result.output).to.equal(0);
    expect(none.orphans).to.deep.equal([]);
    const noDrift = await p.preview("--expect-no-changes", "--refresh");
    expect(noDrift.code, noDrift.output).to.equal(0);
  });
});
