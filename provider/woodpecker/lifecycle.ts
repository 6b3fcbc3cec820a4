/**
 * `woodpecker.Campaign`'s provider implementation: check, diff, create, read, update, delete.
 *
 * Loaded at call time by the serialized shim (provider.ts) from the installed package.
 */
import { createOnce } from "../core/create-once";
import { sameData } from "../core/digest";
import { CampaignsError, OutcomeUnknownError, errorMessage, isApiError } from "../core/errors";
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
import { type CheckFailure, UNKNOWN, withoutProvider } from "../core/validation";
import { type ApiCampaign, type WoodpeckerClient, woodpeckerClient } from "./api";
import { WorkflowConflictError, WorkflowReplacementError } from "./errors";
import {
  flattenChain,
  fromApiStep,
  fromApiSettings,
  inputsFromOutputs,
  observedState,
  stateSatisfied,
  toApiStep,
  toCreateBody,
  toOutputs,
} from "./mapping";
import {
  ProspectsRejectedError,
  carriedProspects,
  prospectInputs,
  prospectsChanged,
  readProspects,
  syncProspects,
  withProspects,
} from "./prospects";
import { type Configuration, type EditOp, type UpdatePlan, describeEdit, planUpdate } from "./plan";
import { campaignLabel, converge, getForAdoption, makeEditable, mustGet, stateAfterEdit } from "./run-state";
import { woodpeckerCampaignSchema } from "./schema";
import type { WoodpeckerCampaignInputs, WoodpeckerCampaignOutputs } from "./types";

export { configureFromStack as configure } from "../core/credentials";

function configurationOf(v: Partial<WoodpeckerCampaignInputs>): Configuration {
  return {
    name: v.name!,
    emailAccountIds: v.emailAccountIds ?? [],
    settings: v.settings!,
    steps: v.steps ?? [],
    bounceShieldThreshold: v.bounceShieldThreshold,
  };
}

/** What forces a replacement of `current` into `desired`: step structure, or adopting another campaign. */
function replaceReasons(
  current: Partial<WoodpeckerCampaignInputs>,
  currentId: number | undefined,
  desired: Partial<WoodpeckerCampaignInputs>,
): { plan: UpdatePlan; reasons: string[] } {
  const plan = planUpdate(configurationOf(current), configurationOf(desired));
  const reasons = [...plan.replaceReasons];
  if (desired.existingCampaignId !== undefined && desired.existingCampaignId !== currentId) {
    reasons.push("existingCampaignId");
  }
  return { plan, reasons };
}

/**
 * The promise: a campaign in an active workflow is never half-deleted. A change that needs a
 * replacement (which deletes the campaign) of a campaign that declares `workflow` fails `check`,
 * so `pulumi preview` and `pulumi up` stop before the engine deletes or creates anything, without
 * calling Woodpecker. The old inputs stand for the campaign as last applied or refreshed.
 * Replacements the engine decides without Diff or Check of olds (`--replace`, taint) are covered
 * by deleteBeforeReplace: Woodpecker's 409 refuses the delete before anything is created.
 */
function refuseWorkflowReplacement(olds: Props, inputs: WoodpeckerCampaignInputs): CheckFailure | undefined {
  const workflow = inputs.workflow;
  if (workflow === undefined || Object.keys(olds).length === 0) return undefined;
  const current = olds as Partial<WoodpeckerCampaignInputs>;
  if (!Array.isArray(current.steps) || !current.settings) return undefined; // no configuration to compare
  const { reasons } = replaceReasons(current, current.existingCampaignId, inputs);
  if (current.existingCampaignId === undefined) {
    // Created by Pulumi: whether a newly declared existingCampaignId names this very campaign is
    // known only from the outputs; diff decides, and the delete's 409 still protects it.
    const i = reasons.indexOf("existingCampaignId");
    if (i >= 0) reasons.splice(i, 1);
  }
  if (!reasons.length) return undefined;
  const name = typeof inputs.name === "string" && inputs.name !== UNKNOWN ? inputs.name : current.name;
  const error = new WorkflowReplacementError(undefined, name, String(workflow), reasons);
  return { property: "workflow", reason: error.message };
}

export const check = checkWithSchema(woodpeckerCampaignSchema, refuseWorkflowReplacement);

/**
 * Total over partial input (unknowns at preview mean "may change"), and never a throw for a policy
 * reason: the engine calls it after every refresh too, with olds = the refreshed outputs and
 * news = the inputs in state, where a structural edit made in Woodpecker's app is drift to show,
 * not an error. The workflow refusal lives in `check` (refuseWorkflowReplacement).
 */
export async function diff(_id: string, olds: Props, news: Props): Promise<DiffResult> {
  return guarded(async () => {
    const o = olds as unknown as Partial<WoodpeckerCampaignOutputs>;
    const n = news as unknown as Partial<WoodpeckerCampaignInputs>;
    const { plan, reasons } = replaceReasons(o, o.campaignId, n);
    if (reasons.length) {
      const replaces = [...new Set(reasons.map((r) => r.split(/[.[]/)[0]))];
      return { changes: true, replaces, deleteBeforeReplace: true };
    }
    const stateChanged =
      n.state !== o.state || (n.state !== undefined && !stateSatisfied(n.state, o.status ?? "DRAFT"));
    const changes =
      plan.edits.length > 0 ||
      plan.mayChange.length > 0 ||
      plan.bounceShield !== undefined ||
      stateChanged ||
      !sameData(n.workflow, o.workflow) ||
      prospectsChanged(n, o);
    return { changes, deleteBeforeReplace: true };
  });
}

/** The configuration of a live campaign, in input shape. */
function liveConfiguration(live: ApiCampaign, bounceShieldThreshold: number | undefined): Configuration {
  return {
    name: live.name,
    emailAccountIds: [...live.email_account_ids].sort((a, b) => a - b),
    settings: fromApiSettings(live.settings),
    steps: flattenChain(live.steps).map(fromApiStep),
    bounceShieldThreshold,
  };
}

async function applyEdit(client: WoodpeckerClient, id: number, op: EditOp, label: string): Promise<void> {
  const live = () => mustGet(client, id, label);
  switch (op.kind) {
    case "patchCampaign":
      await client.patchCampaign(id, op.body);
      return;
    case "patchDeliveryTime": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      await client.patchStepDeliveryTime(id, step.id!, op.deliveryTime);
      return;
    }
    case "patchVersion": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      const version = step.body?.versions?.[op.versionIndex];
      await client.patchVersion(id, step.id!, version!.id!, op.body);
      return;
    }
    case "deleteStep": {
      const step = flattenChain((await live()).steps)[op.stepIndex];
      try {
        await client.deleteStep(id, step.id!);
      } catch (e) {
        if (isApiError(e) && (e.status === 400 || e.status === 409)) {
          throw new CampaignsError(
            `Woodpecker refused to delete steps[${op.stepIndex}] of ${label}: ${e.vendorMessage}. A step that already ` +
              `emailed prospects cannot be removed; keep it, or replace the campaign.`,
            { cause: e },
          );
        }
        throw e;
      }
      return;
    }
    case "appendStep": {
      const chain = flattenChain((await live()).steps);
      const parent = chain[chain.length - 1];
      try {
        await client.addStep(id, parent.id!, toApiStep(op.step));
      } catch (e) {
        if (e instanceof OutcomeUnknownError) {
          // Look before trying again: the step may have been added.
          const after = flattenChain((await live()).steps);
          if (after.length > chain.length) return;
        }
        throw e;
      }
      return;
    }
  }
}

/**
 * Converge a live campaign to `inputs`: edits that need DRAFT/EDITED are wrapped in
 * make_editable → edit → run; the bounce-shield threshold is set in any status; then the declared
 * run state. A failure once the campaign exists is a partial failure (the engine keeps it).
 */
async function applyChanges(
  client: WoodpeckerClient,
  initial: ApiCampaign,
  inputs: WoodpeckerCampaignInputs,
  currentThreshold: number | undefined,
  props: Props,
  previous: Partial<WoodpeckerCampaignOutputs> = {},
): Promise<WoodpeckerCampaignOutputs> {
  const id = initial.id;
  const label = campaignLabel(id, inputs.name);
  let threshold = currentThreshold;
  let prospects = carriedProspects(inputs, previous);
  try {
    const plan = planUpdate(liveConfiguration(initial, currentThreshold), configurationOf(inputs));
    if (plan.replaceReasons.length) {
      throw new CampaignsError(
        `${label} differs from the program in ways Woodpecker cannot change in place ` +
          `(${plan.replaceReasons.join(", ")}), probably from an edit outside Pulumi. Run \`pulumi refresh\`, ` +
          `then \`pulumi up\` to replace it.`,
      );
    }
    let desiredState = inputs.state;
    if (plan.edits.length) {
      const before = await makeEditable(client, initial, label);
      for (const op of plan.edits) {
        logInfo(`${label}: ${describeEdit(op)}`);
        await applyEdit(client, id, op, label);
      }
      desiredState = stateAfterEdit(inputs.state, before);
    }
    if (plan.bounceShield) {
      await client.setBounceShieldThreshold(id, plan.bounceShield.threshold);
      threshold = plan.bounceShield.threshold;
    }
    const synced = await syncProspects(client, id, inputs, previous, label);
    prospects = synced.state;
    // Nothing changed yet: the campaign as read (or as just created) is still current.
    const untouched = plan.edits.length === 0 && !plan.bounceShield && !synced.wrote;
    const live = await converge(client, id, desiredState, label, untouched ? initial : undefined);
    if (synced.rejections.length) {
      throw new ProspectsRejectedError(label, synced.rejections, inputs.prospects?.length ?? 0);
    }
    return withProspects(toOutputs(live, inputs, threshold), prospects);
  } catch (e) {
    const latest = (await client.getCampaign(id).catch(() => undefined)) ?? initial;
    throw partialFailure(
      `${label} exists but was not fully configured`,
      String(id),
      plain(withProspects(toOutputs(latest, inputs, threshold), prospects)),
      props,
      e,
    );
  }
}

/** Parse v1's `created` ("2025-02-10T13:14:57+0100"). */
function parseCreated(s: string | undefined): number {
  if (!s) return NaN;
  return Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

/**
 * Lost creates. Woodpecker has no v2 list: v1's campaign_list gives DRAFTs of the same name created
 * since; each is read and compared with what we sent before it counts as a match.
 */
async function findLostCreates(
  client: WoodpeckerClient,
  inputs: WoodpeckerCampaignInputs,
  since: number,
): Promise<ApiCampaign[]> {
  const recent = (await client.listCampaigns()).filter(
    (c) => c.name === inputs.name && c.status === "DRAFT" && !(parseCreated(c.created) < since),
  );
  const matches: ApiCampaign[] = [];
  for (const c of recent) {
    const live = await client.getCampaign(c.id);
    if (!live) continue;
    const plan = planUpdate(liveConfiguration(live, inputs.bounceShieldThreshold), configurationOf(inputs));
    if (plan.replaceReasons.length === 0 && plan.edits.length === 0) matches.push(live);
  }
  return matches;
}

export async function create(props: Props): Promise<CreateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(props) as unknown as WoodpeckerCampaignInputs;
    const client = woodpeckerClient();
    let live: ApiCampaign;
    let threshold: number | undefined;
    if (inputs.existingCampaignId !== undefined) {
      const label = campaignLabel(inputs.existingCampaignId, inputs.name);
      live = await getForAdoption(client, inputs.existingCampaignId, label).catch((e) => {
        throw new CampaignsError(`Cannot adopt ${label}: ${errorMessage(e)}`);
      });
      threshold = await client.getBounceShieldThreshold(live.id);
      logInfo(`${label}: adopting the existing campaign (status ${live.status})`);
    } else {
      live = await createOnce({
        platform: "woodpecker",
        name: inputs.name,
        create: () => client.createCampaign(toCreateBody(inputs)),
        findMatches: (since) => findLostCreates(client, inputs, since),
        lookupBudgetMs: Math.min(120_000, 3 * client.http.requestBudgetMs),
      });
      logInfo(`${campaignLabel(live.id, inputs.name)}: created`);
    }
    const outs = await applyChanges(client, live, inputs, threshold, props);
    return { id: String(live.id), outs: plain(outs) };
  });
}

export async function update(id: string, olds: Props, news: Props): Promise<UpdateResult> {
  return guarded(async () => {
    const inputs = withoutProvider(news) as unknown as WoodpeckerCampaignInputs;
    const previous = olds as unknown as Partial<WoodpeckerCampaignOutputs>;
    const client = woodpeckerClient();
    const live = await mustGet(client, Number(id), campaignLabel(Number(id), inputs.name));
    const outs = await applyChanges(client, live, inputs, previous.bounceShieldThreshold, news, previous);
    return { outs: plain(outs) };
  });
}

export async function read(id: string, props: Props): Promise<ReadResult> {
  return guarded(async () => {
    const previous = props as unknown as WoodpeckerCampaignOutputs;
    const client = woodpeckerClient();
    const live = await client.getCampaign(Number(id));
    if (!live) {
      logInfo(`${campaignLabel(Number(id), previous.name)} no longer exists; removing it from the state`);
      return { id: "", props: {} };
    }
    const threshold = await client.getBounceShieldThreshold(live.id);
    const prospects = await readProspects(client, live.id, previous, campaignLabel(live.id, live.name));
    const outs = toOutputs(
      live,
      {
        state: observedState(previous.state, live.status),
        workflow: previous.workflow,
        existingCampaignId: previous.existingCampaignId,
      },
      threshold,
    );
    return {
      id,
      props: plain(withProspects(outs, prospects)),
      inputs: plain(withProspects(inputsFromOutputs(outs), prospectInputs(prospects))),
    };
  });
}

async function deleteCampaign(id: string, props: Props): Promise<void> {
  return guarded(async () => {
    const previous = props as unknown as Partial<WoodpeckerCampaignOutputs>;
    const label = campaignLabel(Number(id), previous.name);
    try {
      const outcome = await woodpeckerClient().deleteCampaign(Number(id));
      logInfo(outcome === "gone" ? `${label} was already gone` : `${label} deleted`);
    } catch (e) {
      if (isApiError(e, 409) && e.vendorCode === "CAMPAIGN_RELATED_TO_ACTIVE_WORKFLOW") {
        throw new WorkflowConflictError(Number(id), previous.name, previous.workflow);
      }
      throw e;
    }
  });
}

export { deleteCampaign as delete };
