/**
 * `burki.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (dynamic.ts) from the installed package, so state
 * never freezes this code. See DESIGN.md "Lifecycle semantics".
 */
import { createOnce } from "../core/create-once";
import { numberSetting } from "../core/credentials";
import { sameData } from "../core/digest";
import { errorMessage } from "../core/errors";
import { logInfo } from "../core/log";
import {
  type CreateResult,
  type DiffResult,
  type Props,
  type ReadResult,
  type UpdateResult,
  checkWithSchema,
  guarded,
  partialFailure,
  plain,
} from "../core/provider-kit";
import { UNKNOWN, withoutProvider } from "../core/validation";
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

export { configureFromStack as configure } from "../core/credentials";

export const check = checkWithSchema(burkiCampaignSchema);

/**
 * Total over partial input: at preview the engine sends the unknown sentinel wherever an input
 * depends on a resource not created yet, and `check` has filled the defaults around it. An unknown
 * value "may change": an unknown replace field is a replacement (say so rather than understate the
 * plan), any other unknown an update. The engine also calls this after every refresh (olds = the
 * refreshed outputs, news = the inputs in state), so nothing here may throw for a policy reason.
 */
export async function diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
  return guarded(async () => {
    const o = olds as unknown as Partial<BurkiCampaignOutputs>;
    const n = news as unknown as Partial<BurkiCampaignInputs>;
    const replaces: string[] = REPLACE_FIELDS.filter((k) => !sameData(n[k], o[k]));
    // Adopting a different existing campaign is a different campaign; dropping the input after the
    // adoption (or setting it to the id already managed) changes nothing.
    if (n.existingCampaignId !== undefined && n.existingCampaignId !== o.campaignId) {
      replaces.push("existingCampaignId");
    }
    // deleteBeforeReplace here covers the replacements this diff asks for. Those the engine decides
    // without calling Diff (`--replace`, taint, replacementTrigger, replaceWith, deletedWith) read only
    // the resource option, which the Campaign class defaults to true (step_generator.go).
    if (replaces.length) return { changes: true, replaces, deleteBeforeReplace: true };

    const changed = UPDATABLE_FIELDS.some((k) => !sameData(n[k], o[k]));
    const contactsChanged =
      (n.contacts as unknown) === UNKNOWN || contactsDigest(n.contacts) !== o.contactsDigest;
    const stateChanged =
      n.state !== o.state || (n.state !== undefined && !stateSatisfied(n.state, o.status ?? "draft"));
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
      // Burki imports in a background task: the first check waits a little.
      firstCheckAfterMs: 100,
      initialDelayMs: 200,
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

/** Lost creates: a draft of the same name, type and assistant, without contacts, created since. */
async function findLostCreates(
  client: BurkiClient,
  inputs: BurkiCampaignInputs,
  since: number,
): Promise<BurkiCampaign[]> {
  const page = await client.listCampaigns({ search: inputs.name, perPage: 100 });
  const ids = page.campaigns
    .filter(
      (c) =>
        c.name === inputs.name &&
        c.campaign_type === inputs.campaignType &&
        c.assistant_id === inputs.assistantId &&
        c.status === "draft" &&
        (c.total_contacts ?? 0) === 0 &&
        !(Date.parse(c.created_at ?? "") < since),
    )
    .map((c) => c.id);
  const found = await Promise.all(ids.map((id) => client.getCampaign(id)));
  return found.filter((c): c is BurkiCampaign => c !== undefined);
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
    live = await createOnce({
      platform: "burki",
      name: inputs.name,
      create: () => client.createCampaign(toCreateBody(inputs)),
      findMatches: (since) => findLostCreates(client, inputs, since),
      lookupBudgetMs: Math.min(120_000, 3 * client.http.requestBudgetMs),
    });
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
      // Only the status of the pre-edit read is still current: the edit changed fields and counters.
      const known = { campaign: prepared.live, current: false };
      live = await restoreAfterEdit(client, id, prepared.restore, inputs.state, label, known);
    } else {
      live = await converge(client, id, inputs.state, label, { campaign: live, current: true });
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
