/**
 * e2e, a real crash during `pulumi destroy`: 20 running Burki and 20 running Woodpecker campaigns;
 * Burki answers each stop but keeps calling for a while (the emulator's `ignoreStop` hook: the
 * provider waits for the stop, bounded by burki:stopTimeoutSeconds), and the CLI with its plugins is
 * killed with SIGKILL once stops were sent whose DELETE was not. Burki then finishes those stops.
 * The recovery of docs/crash-recovery.md: `pulumi cancel` (the lock), `pulumi refresh`, then `pulumi destroy` again. End state:
 * nothing at either vendor, an empty stack, no pending operation, nothing running.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectFor } from "./helpers/engine";
import { processesInSession, readCheckpoint, startPulumi, waitUntil } from "./helpers/crash";
import { endState, runOrphans } from "./helpers/recovery";
import { CRASH_CAMPAIGNS, CRASH_PROGRAM } from "./helpers/crash-program";

const N = CRASH_CAMPAIGNS;

describe("e2e (real CLI): kill -9 during `pulumi destroy` between a stop and its delete", function () {
  this.timeout(20 * 60_000);
  const project = projectFor("crash-destroy", CRASH_PROGRAM);
  afterEach(function () {
    // For docs/crash-recovery.md: every command and what it printed.
    if (process.env.E2E_TRANSCRIPT_DIR) {
      writeFileSync(
        join(process.env.E2E_TRANSCRIPT_DIR, "crash-destroy.txt"),
        project().transcript.join("\n"),
      );
    }
  });

  it("a second destroy after refresh deletes every campaign once; nothing runs, nothing is left", async () => {
    const p = project();
    const up = await p.up();
    expect(up.code, up.output).to.equal(0);
    const deployed = await endState(p);
    expect(deployed.stack.burki.size + deployed.stack.woodpecker.size).to.equal(2 * N);

    for (const id of deployed.live.burki.keys()) {
      await p.burkiCtl.call("POST", `/campaigns/${id}/hooks`, { ignoreStop: true });
    }
    await p.burkiCtl.clearRequests();
    const destroy = startPulumi(p, ["destroy", "--yes", "--non-interactive", "--skip-preview"]);
    const stopped = new Set<number>();
    await waitUntil(
      "stops sent to at least 5 Burki campaigns",
      async () => {
        for (const l of await p.burkiCtl.writeLines()) {
          const m = /^POST \/api\/v1\/campaigns\/(\d+)\/stop 200$/.exec(l);
          if (m) stopped.add(Number(m[1]));
        }
        return stopped.size >= 5;
      },
      4 * 60_000,
    );
    destroy.kill9();
    expect((await destroy.done).code, "the CLI was killed").to.equal(null);
    await waitUntil(
      "no process of the killed CLI's session left (plugins included)",
      () => processesInSession(destroy.pid).length === 0,
      10_000,
    );

    const deletes = (await p.burkiCtl.writeLines()).filter((l) => l.startsWith("DELETE"));
    expect(deletes, "no Burki DELETE was sent (each waits for its stop)").to.deep.equal([]);
    const cp = readCheckpoint(p);
    console.log(
      `    killed after ${stopped.size} Burki stops, 0 Burki deletes; checkpoint: ` +
        `${cp.resources.length} resources, ${cp.pending.length} pending (${[...new Set(cp.pending.map((o) => o.type))].join(", ")})`,
    );

    // Burki finishes the stops it was sent; the others stay running until the next destroy stops them.
    for (const id of deployed.live.burki.keys()) {
      await p.burkiCtl.call("POST", `/campaigns/${id}/hooks`, { ignoreStop: false });
      if (stopped.has(id)) await p.burkiCtl.transition(id, "cancelled");
    }

    const locked = await p.refresh();
    expect(locked.code).to.not.equal(0);
    expect(locked.output).to.include("the stack is currently locked by 1 lock(s)");
    await p.ok(["cancel", "--yes"]);
    const refresh = await p.refresh();
    expect(refresh.code, refresh.output).to.equal(0);
    const again = await p.destroy();
    expect(again.code, again.output).to.equal(0);

    const end = await endState(p);
    expect(end.pendingOperations).to.equal(0);
    expect(end.stack.burki.size + end.stack.woodpecker.size, "campaigns left in the stack").to.equal(0);
    expect(end.live.burki.size, "Burki campaigns left").to.equal(0);
    expect(end.live.woodpecker.size, "Woodpecker campaigns left").to.equal(0);
    const orphans = await runOrphans(p);
    expect(orphans.result.code, orphans.result.output).to.equal(0);
  });
});
