/**
 * pulumi-campaigns: outbound campaigns as infrastructure-as-code.
 *
 *   import { burki, woodpecker } from "pulumi-campaigns";
 *
 * Only resource classes and types are exported here: nothing that starts a server or holds a
 * client (emulators live in "pulumi-campaigns/emulators").
 */
export * as burki from "./burki";
export * as woodpecker from "./woodpecker";
export {
  ApiError,
  AuthenticationError,
  CampaignsError,
  ConfigurationError,
  OutcomeUnknownError,
  PartialFailureError,
  TransportError,
  WaitTimeoutError,
  type ApiErrorDetails,
  type Platform,
} from "./core/errors";
export type { CheckFailure, InputsCheck, RuleViolation } from "./core/check-types";
export type {
  CheckedDoNotContact,
  DoNotContact,
  DoNotContactCounts,
  DoNotContactOnMatch,
} from "./core/do-not-contact-types";
