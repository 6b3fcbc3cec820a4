/**
 * Program sources for the end-to-end projects: TypeScript as a user writes it in `index.ts`
 * (`import { burki, woodpecker } from "pulumi-campaigns"`), parameterised by the test.
 */

/** A Burki calling campaign's arguments (TypeScript object literal), running by default. */
export function burkiArgs(name: string, extra = ""): string {
  return `{
    name: ${JSON.stringify(name)},
    campaignType: "call",
    assistantId: 1,
    welcomeMessageTemplate: "Hi {{name}}, this is Ava from Acme.",
    agendaTemplate: "Confirm the renewal date.",
    maxAttempts: 3,
    retryDelayMinutes: 60,
    contacts: [
      { phoneNumber: "+15555550101", name: "John" },
      { phoneNumber: "+15555550102", name: "Maria" },
    ],
    state: "running",
    ${extra}
  }`;
}

/** A two-step Woodpecker campaign's arguments, running by default. */
export function woodpeckerArgs(name: string, extra = "", followUpDays = 3): string {
  return `{
    name: ${JSON.stringify(name)},
    emailAccountIds: [1],
    settings: { timezone: "Europe/Warsaw", dailyEnroll: 50 },
    steps: [
      { versions: [{ subject: "Quick question about {{COMPANY}}", message: "<p>Hi {{FIRST_NAME}}</p>" }] },
      { delay: { value: ${followUpDays}, unit: "day" }, versions: [{ message: "<p>Following up, {{FIRST_NAME}}</p>" }] },
    ],
    prospects: [
      { email: "ana@example.com", firstName: "Ana", company: "Acme" },
      { email: "li@example.org", firstName: "Li", company: "Globex" },
    ],
    state: "running",
    ${extra}
  }`;
}

/** index.ts with the given statements after the import. */
export function program(body: string): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { burki, woodpecker } from "pulumi-campaigns";
void pulumi;
void burki;
void woodpecker;

${body}
`;
}
