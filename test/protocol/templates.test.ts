/**
 * Protocol layer: template mistakes are `check` failures — through the SDK's real dynamic-provider
 * host over gRPC, with the installed package's providers — and no request reaches either emulator.
 * Valid templates still pass check and create.
 */
import { expect } from "chai";
import * as path from "node:path";
import { BurkiEmulator } from "../../provider/emulators/burki";
import { WoodpeckerEmulator } from "../../provider/emulators/woodpecker";
import { checkAndCreate, installedProviderTexts, startCampaignHost } from "../helpers/campaign-host";
import { EmulatorControl } from "../helpers/control";
import { ProviderHost, UNKNOWN, type Props } from "../helpers/provider-host";

const ROOT = path.resolve(__dirname, "../..");
const BURKI = "pulumi-nodejs:dynamic/burki:Campaign";
const WOODPECKER = "pulumi-nodejs:dynamic/woodpecker:Campaign";

const contacts = [
  { phoneNumber: "+15551230001", name: "Ann", variables: { renewal_date: "December 1" } },
  { phoneNumber: "+15551230002", name: "Bob", variables: { renewal_date: "December 3" } },
  { phoneNumber: "+15551230003", name: "Cho", variables: { plan: "gold" } },
];

describe("protocol: templates checked at check, before any API call", function () {
  this.timeout(60_000);
  let burki: BurkiEmulator;
  let woodpecker: WoodpeckerEmulator;
  let burkiControl: EmulatorControl;
  let woodpeckerControl: EmulatorControl;
  let host: ProviderHost;
  let providers: Record<"burki" | "woodpecker", string>;

  const burkiInputs = (over: Props = {}): Props => ({
    name: "renewals",
    campaignType: "call",
    assistantId: 7,
    welcomeMessageTemplate:
      "Hi {{name}}, this is {{assistant_name}} from {{company}}, about {{renewal_date}}.",
    fallbackValues: { renewal_date: "your renewal date" },
    contacts,
    state: "draft",
    ...over,
    __provider: providers.burki,
  });
  const woodpeckerInputs = (subject: string, message = "<p>Hi {{FIRST_NAME}}</p>"): Props => ({
    name: "q4-outreach",
    emailAccountIds: [112233],
    settings: { timezone: "Europe/Warsaw" },
    steps: [{ versions: [{ subject, message }] }],
    state: "draft",
    __provider: providers.woodpecker,
  });

  const noRequests = async () => {
    expect(await burkiControl.requests()).to.deep.equal([]);
    expect(await woodpeckerControl.requests()).to.deep.equal([]);
  };

  before(async () => {
    burki = new BurkiEmulator({ startDelayMs: 20, importDelayMs: 5 });
    woodpecker = new WoodpeckerEmulator({ latencyMs: 1 });
    await burki.start();
    await woodpecker.start();
    burkiControl = new EmulatorControl(burki.origin);
    woodpeckerControl = new EmulatorControl(woodpecker.origin);
    providers = await installedProviderTexts();
    host = await startCampaignHost({
      cwd: ROOT,
      burki: { baseUrl: burki.baseUrl },
      woodpecker: { baseUrl: woodpecker.baseUrl },
    });
  });

  after(async () => {
    await host?.close();
    await burki?.stop();
    await woodpecker?.stop();
  });

  beforeEach(async () => {
    await burkiControl.clearRequests();
    await woodpeckerControl.clearRequests();
  });

  it("burki: a typo, a contact without a variable and an unclosed {{ are failures; nothing is sent", async () => {
    const chk = await host.check(
      host.urnOf(BURKI, "renewals"),
      {},
      burkiInputs({
        welcomeMessageTemplate: "Hi {{nmae}}, about {{renewal_date}}.",
        agendaTemplate: "Confirm {{renewal_date",
        fallbackValues: undefined,
      }),
    );
    expect(chk.failures).to.deep.equal([
      {
        property: "agendaTemplate",
        reason: 'has a "{{" that is never closed, at character 9 ("{{renewal_date"): close it with "}}"',
      },
      {
        property: "welcomeMessageTemplate",
        reason:
          "uses {{nmae}}, which no contact has a value for, and which is neither in fallbackValues nor a Burki system variable (name, company, assistant_name): did you mean {{name}}? Otherwise give the contacts variables.nmae, add nmae to fallbackValues, or write {{nmae|default('…')}}",
      },
      {
        property: "contacts[2].variables",
        reason:
          "has no value for {{renewal_date}}, which welcomeMessageTemplate uses: add variables.renewal_date to this contact, add renewal_date to fallbackValues, or write {{renewal_date|default('…')}}",
      },
    ]);
    const text = JSON.stringify(chk.failures);
    for (const c of contacts) expect(text).to.not.include(c.phoneNumber).and.not.include(c.name);
    await noRequests();
  });

  it("burki: valid templates (system variables, fallbackValues) pass check and create", async () => {
    const c = await checkAndCreate(host, BURKI, "renewals-ok", burkiInputs());
    expect(c.outs.welcomeMessageTemplate).to.equal(burkiInputs().welcomeMessageTemplate);
    const posted = (await burkiControl.requests()).filter(
      (r: { method: string; path: string }) => r.method === "POST" && /\/campaigns\/?$/.test(r.path),
    );
    expect(posted).to.have.length(1);
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });

  it("burki at preview: an unknown template or contact is not a failure", async () => {
    const urn = host.urnOf(BURKI, "renewals-preview");
    expect(
      (await host.check(urn, {}, burkiInputs({ welcomeMessageTemplate: UNKNOWN }))).failures,
    ).to.deep.equal([]);
    expect(
      (
        await host.check(
          urn,
          {},
          burkiInputs({ fallbackValues: undefined, contacts: [...contacts, UNKNOWN] }),
        )
      ).failures,
    ).to.deep.equal([]);
    await noRequests();
  });

  it("woodpecker: an unknown token is a failure with a did-you-mean; nothing is sent", async () => {
    const chk = await host.check(
      host.urnOf(WOODPECKER, "q4-outreach"),
      {},
      woodpeckerInputs("Quick question for {{FRIST_NAME}}", "<p>Hi {{FIRST_NAME | there}}</p>"),
    );
    expect(chk.failures).to.deep.equal([
      {
        property: "steps[0].versions[0].subject",
        reason: "{{FRIST_NAME}} is not a Woodpecker token: did you mean {{FIRST_NAME}}?",
      },
      {
        property: "steps[0].versions[0].message",
        reason:
          '{{FIRST_NAME | there}} has a fallback without quotes: write it in double quotes, e.g. | "there"',
      },
    ]);
    await noRequests();
  });

  it("woodpecker: documented tokens and fallbacks pass check and create", async () => {
    const c = await checkAndCreate(
      host,
      WOODPECKER,
      "q4-ok",
      woodpeckerInputs(
        '{{SPINTAX | "Hi" | "Hello"}} {{FIRST_NAME | "there"}}',
        '<p>{{COMPANY}} {{SNIPPET_2}}</p><a href="{{UNSUBSCRIBE}}">unsubscribe</a>',
      ),
    );
    expect(Number(c.id)).to.be.greaterThan(0);
    await host.delete(c.urn, c.id, c.outs, c.inputs);
  });
});
