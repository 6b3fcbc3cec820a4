/**
 * `burki.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (provider.ts) from the installed package, so state
 * never freezes this code. See DESIGN.md "Lifecycle semantics".
 */
import { canonicalJson } from "../core/digest";
import { configureFromStack, numberSetting, type ConfigSource } from "../core/credentials";
import { OutcomeUnknownError, errorMessage } from "../core/errors";
import { logInfo } from "../core/log";
import {
  type CheckResult,
  type CreateResult,
  type DiffResult,
  type Props,
  type ReadResult,
  type UpdateResult,
  guarded,
  partialFailure,
  plain,
} from "../core/provider-kit";
import { UNKNOWN, validate, withoutProvider } from "../core/validation";
import { waitFor } from "../core/waiter";
import { type BurkiCampaign, type BurkiClient, burkiClient } from "./api";
import {
  REPLACE_FIELDS,
  UPDATABLE_FIELDS,
  contactsCsv,
  contactsDigest,
  inputsFromOutputs,
  observedState,
  stateSatisfied,
  toCreateBody,
  toOutputs,
  updateBodyFor,
} from "./mapping";
import { campaignLabel, converge, mustGet, prepareForEdit, restoreAfterEdit } from "./run-state";
import { burkiCampaignSchema } from "./schema";
import { stopThenDelete } from "./stop-then-delete";
import type { BurkiCampaignInputs, BurkiCampaignOutputs, BurkiContact } from "./types";

const IMPORT_TIMEOUT_MS = 10 * 60_000;
/** How far back a campaign found by name may have been created to count as "ours" after a lost create. */
const RECONCILE_WINDOW_MS = 10 * 60_000;
const MAX_CREATE_ATTEMPTS = 3;

export async function configure(req: ConfigSource): Promise<void> {
  configureFromStack(req);
}

export async function check(_olds: Props, news: Props): Promise<CheckResult> {
  return guarded(async () => {
    const result = validate(burkiCampaignSchema(), withoutProvider(news));
    if (!result.ok) return { failures: result.failures };
    return { inputs: result.value as unknown as Props };
  });
}

/** Equal as data: key order of maps does not matter. */
const sameJson = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

export async function diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
  return guarded(async () => {
    const o = olds as unknown as Partial<BurkiCampaignOutputs>;
    const n = news as unknown as Partial<BurkiCampaignInputs>;
    // An unknown replace field (preview) may change: say so rather than understate the plan.
    const replaces: string[] = REPLACE_FIELDS.filter(
      (k) => (n[k] as unknown) === UNKNOWN || !sameJson(n[k], o[k]),
    );
    // Adopting a different existing campaign is a different campaign; dropping the input after the
    // adoption (or setting it to the id already managed) changes nothing.
    if (
      n.existingCampaignId !== undefined &&
      (n.existingCampaignId as unknown) !== UNKNOWN &&
      n.existingCampaignId !== o.campaignId
    ) {
      replaces.push("existingCampaignId");
    }
    if (replaces.length) return { changes: true, replaces, deleteBeforeReplace: true };

    const changed = UPDATABLE_FIELDS.some((k) => !sameJson(n[k], o[k]));
    const contactsChanged =
      (n.contacts as unknown) === UNKNOWN || contactsDigest(n.contacts) !== o.contactsDigest;
    const stateChanged =
      n.state !== o.state || (n.state !== undefined && !stateSatisfied(n.state, o.status ?? "draft"));
    // deleteBeforeReplace also guards replacements the engine decides itself (replaceOnChanges,
    // `pulumi up --replace`): two live copies would contact the same people twice.
    return { changes: changed || contactsChanged || stateChanged, deleteBeforeReplace: true };
  });
}

async function importContacts(
  client: BurkiClient,
  id: number,
  contacts: BurkiContact[],
  label: string,
): Promise<void> {
  logInfo(`${label}: importing ${contacts.length} contact(s)`);
  const importId = await client.importContacts(id, contactsCsv(contacts), "pulumi-contacts.csv");
  if (importId === undefined) return; // an older, synchronous import-data answered
  await waitFor(
    {
      what: `the contact import of ${label}`,
      timeoutMs: IMPORT_TIMEOUT_MS,
      initialDelayMs: 100,
      maxDelayMs: 3_000,
    },
    async () => {
      const s = await client.getImport(id, importId);
      if (!s || s.status === "completed" || s.status === "success") return true;
      if (s.status === "failed" || s.status === "error") {
        throw new Error(`Burki could not import the contacts of ${label}: ${s.error ?? "import failed"}`);
      }
      return undefined;
    },
  );
}

/**
 * A create whose answer was lost may have been applied. Look for a campaign that matches what we
 * sent and was created since just before our attempt; adopt it rather than create a duplicate.
 */
async function findLostCreate(
  client: BurkiClient,
  inputs: BurkiCampaignInputs,
  since: number,
): Promise<BurkiCampaign | undefined> {
  const page = await client.listCampaigns({ search: inputs.name, perPage: 100 });
  const candidates = page.campaigns.filter(
    (c) =>
      c.name === inputs.name &&
      c.campaign_type === inputs.campaignType &&
      c.assistant_id === inputs.assistantId &&
      c.status === "draft" &&
      (c.total_contacts ?? 0) === 0 &&
      (!c.created_at || Date.parse(c.created_at) >= since - RECONCILE_WINDOW_MS),
  );
  if (candidates.length > 1) {
    throw new Error(
      `Burki did not confirm the creation of campaign "${inputs.name}", and ${candidates.length} matching draft ` +
        `campaigns exist (ids ${candidates.map((c) => c.id).join(", ")}). Delete the extra ones in Burki, or adopt ` +
        `one with existingCampaignId, then run again.`,
    );
  }
  return candidates.length === 1
    ? mustGet(client, candidates[0].id, campaignLabel(candidates[0].id, inputs.name))
    : undefined;
}

async function createOnce(client: BurkiClient, inputs: BurkiCampaignInputs): Promise<BurkiCampaign> {
  for (let attempt = 1; ; attempt++) {
    const since = Date.now();
    try {
      return await client.createCampaign(toCreateBody(inputs));
    } catch (e) {
      if (!(e instanceof OutcomeUnknownError)) throw e;
      const found = await findLostCreate(client, inputs, since);
      if (found) {
        logInfo(
          `${campaignLabel(found.id, inputs.name)}: the create was applied although its answer was lost; using it`,
        );
        return found;
      }
      if (attempt >= MAX_CREATE_ATTEMPTS) throw e;
      logInfo(`Burki campaign "${inputs.name}": create not applied (${e.message}); trying again`);
    }
  }
}

function stopTimeoutMs(): number {
  return numberSetting("burki:stopTimeoutSeconds", 300) * 1000;
}

export async function create(props: Props): Promise<CreateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(props) as unknown as BurkiCampaignInputs;
    const client = burkiClient();
    let live: BurkiCampaign;
    if (inputs.existingCampaignId !== undefined) {
      const label = campaignLabel(inputs.existingCampaignId, inputs.name);
      live = await mustGet(client, inputs.existingCampaignId, label).catch((e) => {
        throw new Error(`Cannot adopt ${label}: ${errorMessage(e)}`);
      });
      logInfo(`${label}: adopting the existing campaign (status ${live.status})`);
      const outs = await applyChanges(client, live, inputs, { contactsDigest: undefined }, props);
      return { id: String(live.id), outs: plain(outs) };
    }
    live = await createOnce(client, inputs);
    const label = campaignLabel(live.id, inputs.name);
    logInfo(`${label}: created`);
    const outs = await applyChanges(client, live, inputs, { contactsDigest: undefined }, props);
    return { id: String(live.id), outs: plain(outs) };
  });
}

/**
 * Converge a live campaign to `inputs`: PUT what differs and import changed contacts (pausing a
 * running campaign around the edit), then bring the run state to the declared one. A failure after
 * the campaign exists is a partial failure, so the engine keeps it in state.
 */
async function applyChanges(
  client: BurkiClient,
  initial: BurkiCampaign,
  inputs: BurkiCampaignInputs,
  previous: { contacts?: BurkiContact[]; contactsDigest?: string },
  props: Props,
): Promise<BurkiCampaignOutputs> {
  const id = initial.id;
  const label = campaignLabel(id, inputs.name);
  const digest = contactsDigest(inputs.contacts);
  // Contacts are managed only while declared: dropping the input stops tracking them.
  let applied: { contacts?: BurkiContact[]; contactsDigest?: string } =
    inputs.contacts === undefined
      ? {}
      : { contacts: previous.contacts, contactsDigest: previous.contactsDigest };
  let live = initial;
  try {
    const body = updateBodyFor(inputs, live);
    const fieldsChanged = Object.keys(body).length > 0;
    const contactsChanged = inputs.contacts !== undefined && digest !== previous.contactsDigest;
    if (fieldsChanged || contactsChanged) {
      const prepared = await prepareForEdit(client, live, label);
      if (fieldsChanged) {
        logInfo(`${label}: updating ${Object.keys(body).join(", ")}`);
        await client.updateCampaign(id, body);
      }
      if (contactsChanged) {
        await importContacts(client, id, inputs.contacts!, label);
        applied = { contacts: inputs.contacts, contactsDigest: digest };
      }
      live = await restoreAfterEdit(client, id, prepared.restore, inputs.state, label);
    } else {
      live = await converge(client, id, inputs.state, label, live);
    }
    return toOutputs(live, inputs, applied);
  } catch (e) {
    const latest = (await client.getCampaign(id).catch(() => undefined)) ?? live;
    throw partialFailure(
      `${label} exists but was not fully configured`,
      String(id),
      plain(toOutputs(latest, inputs, applied)),
      props,
      e,
    );
  }
}

export async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(news) as unknown as BurkiCampaignInputs;
    const previous = olds as unknown as BurkiCampaignOutputs;
    const client = burkiClient();
    const live = await mustGet(client, Number(id), campaignLabel(Number(id), inputs.name));
    const outs = await applyChanges(
      client,
      live,
      inputs,
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest },
      news,
    );
    return { outs: plain(outs) };
  });
}

export async function read(id: string, props: Props): Promise<ReadResult> {
  return guarded(async () => {
    const previous = props as unknown as BurkiCampaignOutputs;
    const live = await burkiClient().getCampaign(Number(id));
    if (!live) {
      logInfo(`${campaignLabel(Number(id), previous.name)} no longer exists; removing it from the state`);
      return { id: "", props: {} };
    }
    const declared = previous.state;
    const outs = toOutputs(
      live,
      { ...inputsFromOutputs(previous), state: observedState(declared, live.status) },
      { contacts: previous.contacts, contactsDigest: previous.contactsDigest },
    );
    return { id, props: plain(outs), inputs: plain(inputsFromOutputs(outs)) };
  });
}

async function deleteCampaign(id: string, props: Props): Promise<void> {
  return guarded(async () => {
    const previous = props as unknown as Partial<BurkiCampaignOutputs>;
    const label = campaignLabel(Number(id), previous.name);
    const outcome = await stopThenDelete(burkiClient(), Number(id), {
      label,
      stopTimeoutMs: stopTimeoutMs(),
    });
    if (outcome === "already-gone") logInfo(`${label} was already gone`);
  });
}

export { deleteCampaign as delete };
