/**
 * Lists of 100,000 (issue 13 target 4): one Burki campaign with N contacts, declared both ways,
 * inline `contacts` and `contactsFile`, through the real provider host against the emulator: the
 * `check` round trip, create (with its one import), a re-import after one contact changes (check
 * + update), the host's live heap after a forced GC against its empty baseline (lib/heap.ts), and
 * the size of the resource's state (inputs + outputs as the host returns them).
 *
 * One host with the inspector for both forms, one resource at a time. `--smoke`: N = 1,000.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { Props } from "../test/helpers/provider-host";
import { HeapInspector, INSPECT_FLAG } from "./lib/heap";
import { startHost, type RunContext } from "./lib/scenario";
import { round } from "./lib/util";

export const CONTACTS_CHECK_BUDGET_MS = 1000;
export const CONTACTS_HEAP_RATIO = 2;
export const CONTACTS_FILE_STATE_BYTES = 2048;
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";

export interface ContactsFormResult {
  form: "contacts" | "contactsFile";
  checkMs: number;
  createMs: number;
  /** Check + update after one contact changed (one re-import). */
  reimportCheckMs: number;
  reimportMs: number;
  /** Live heap after a forced GC, once the campaign exists (after the re-import), MB. */
  liveHeapMb: number;
  heapRatio: number;
  /** JSON of the inputs and outputs the engine would store, without the serialized `__provider`. */
  stateBytes: number;
  /** The serialized `__provider` text, stored in inputs and outputs alike (the same for any resource). */
  providerBytes: number;
  /** Contacts the emulator holds after the re-import. */
  emulatorContacts: number;
}

export interface ContactsResult {
  contacts: number;
  baselineHeapMb: number;
  forms: ContactsFormResult[];
}

const phone = (i: number) => `+1555${String(i).padStart(7, "0")}`;

function people(n: number, changed = false) {
  return Array.from({ length: n }, (_, i) => ({
    phoneNumber: changed && i === n - 1 ? phone(9_999_999) : phone(i),
    name: `Contact ${i}`,
    variables: { city: i % 2 ? "Oslo" : "Paris", plan: i % 3 ? "gold" : "silver" },
  }));
}

function csv(n: number, changed = false): string {
  const rows = people(n, changed).map(
    (c) => `${c.phoneNumber},${c.name},${c.variables.city},${c.variables.plan}`,
  );
  return ["phone_number,name,city,plan", ...rows].join("\n") + "\n";
}

const withoutProvider = (p: Props) =>
  Object.fromEntries(Object.entries(p).filter(([k]) => k !== "__provider"));

export async function measureContacts(ctx: RunContext, n: number): Promise<ContactsResult> {
  const control = ctx.emulators.burkiControl;
  await control.reset();
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-contacts-"));
  const file = path.join(dir, "contacts.csv");
  const host = await startHost(ctx, [INSPECT_FLAG]);
  const inspector = await HeapInspector.connect(host);
  try {
    const provider = ctx.providerText.burki;
    const baseline = (await inspector.measure()).after.usedBytes;
    const forms: ContactsFormResult[] = [];
    for (const form of ["contacts", "contactsFile"] as const) {
      const urn = host.urnOf(BURKI, `bench-list-${form}`);
      const inputs = (changed: boolean): Props => {
        const base: Props = {
          name: `bench-list-${form}`,
          campaignType: "call",
          assistantId: 7,
          welcomeMessageTemplate: "Hi {{name}} in {{city}}, about your {{plan}} plan.",
          state: "draft",
          __provider: provider,
        };
        if (form === "contacts") return { ...base, contacts: people(n, changed) };
        writeFileSync(file, csv(n, changed));
        return { ...base, contactsFile: file };
      };
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
        const t0 = performance.now();
        const v = await fn();
        return [v, round(performance.now() - t0, 1)];
      };
      // The host's first check loads the provider's implementation (~0.3 s): warm it up with a
      // one-contact campaign so that checkMs is the list's own cost (as bench/prospects.ts does).
      const warm = await host.check(
        host.urnOf(BURKI, `bench-list-${form}-warm-up`),
        {},
        {
          name: `bench-list-${form}-warm-up`,
          campaignType: "call",
          assistantId: 7,
          contacts: [{ phoneNumber: "+15550000001", name: "Warm" }],
          __provider: provider,
        },
      );
      if (warm.failures.length)
        throw new Error(`contacts bench: warm-up check failed: ${JSON.stringify(warm.failures[0])}`);
      const first = inputs(false);
      const [chk, checkMs] = await timed(() => host.check(urn, {}, first));
      if (chk.failures.length)
        throw new Error(`contacts bench: check failed: ${JSON.stringify(chk.failures[0])}`);
      const [created, createMs] = await timed(() => host.create(urn, chk.inputs));
      const second = inputs(true);
      const [chk2, reimportCheckMs] = await timed(() => host.check(urn, chk.inputs, second));
      if (chk2.failures.length)
        throw new Error(`contacts bench: check failed: ${JSON.stringify(chk2.failures[0])}`);
      const [updated, reimportMs] = await timed(() =>
        host.update(urn, created.id, created.outs, chk2.inputs, chk.inputs),
      );
      const held = (await control.campaign(created.id)) as { contacts: unknown[] };
      const live = (await inspector.measure()).after.usedBytes;
      const stateBytes = Buffer.byteLength(
        JSON.stringify({ inputs: withoutProvider(chk2.inputs), outputs: withoutProvider(updated.outs) }),
      );
      forms.push({
        form,
        checkMs,
        createMs,
        reimportCheckMs,
        reimportMs,
        liveHeapMb: round(live / 2 ** 20, 1),
        heapRatio: round(live / baseline, 2),
        stateBytes,
        providerBytes: Buffer.byteLength(String(chk2.inputs.__provider ?? "")),
        emulatorContacts: held.contacts.length,
      });
      await host.delete(urn, created.id, updated.outs, chk2.inputs);
    }
    return { contacts: n, baselineHeapMb: round(baseline / 2 ** 20, 1), forms };
  } finally {
    await inspector.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;

export function contactsLines(r: ContactsResult): string[] {
  return r.forms.map(
    (f) =>
      `Burki, ${r.contacts.toLocaleString("en-US")} contacts as ${f.form.padEnd(12)}: check ${f.checkMs} ms ` +
      `(budget ${CONTACTS_CHECK_BUDGET_MS}), create ${f.createMs} ms, re-import: check ${f.reimportCheckMs} ms + ` +
      `update ${f.reimportMs} ms; live heap ${f.liveHeapMb} MB = ${f.heapRatio}× the empty ${r.baselineHeapMb} MB ` +
      `(target ≤ ${CONTACTS_HEAP_RATIO}×); state ${kb(f.stateBytes)} per resource (+ ${kb(f.providerBytes)} ` +
      `__provider in inputs and outputs)`,
  );
}

/** Failures of the measurement itself (not missed targets): the emulator must hold every contact. */
export function contactsProblems(r: ContactsResult): string[] {
  return r.forms
    .filter((f) => f.emulatorContacts !== r.contacts)
    .map((f) => `contacts (${f.form}): the emulator holds ${f.emulatorContacts} contacts, not ${r.contacts}`);
}

/** Missed targets, for the report (not problems: the run still counts). */
export function contactsMissed(r: ContactsResult): string[] {
  const out: string[] = [];
  for (const f of r.forms) {
    if (f.checkMs > CONTACTS_CHECK_BUDGET_MS)
      out.push(`${f.form}: check ${f.checkMs} ms > ${CONTACTS_CHECK_BUDGET_MS} ms`);
    if (f.heapRatio > CONTACTS_HEAP_RATIO)
      out.push(`${f.form}: live heap ${f.heapRatio}× > ${CONTACTS_HEAP_RATIO}×`);
  }
  const file = r.forms.find((f) => f.form === "contactsFile");
  if (file && file.stateBytes > CONTACTS_FILE_STATE_BYTES) {
    out.push(`contactsFile: state ${file.stateBytes} B > ${CONTACTS_FILE_STATE_BYTES} B`);
  }
  return out;
}
