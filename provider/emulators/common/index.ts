/**
 * What both local emulators share (see each file's header):
 *   server.ts   EmulatorBase: the loopback HTTP server, request log, latency, faults, per-account queue
 *   router.ts   the one router: route tables (pattern → handler per method), 404/405/malformed answers
 *   control.ts  the control API under `/_emulator/…`: the shared routes and the dispatch
 *   faults.ts   the fault profile and its seeded dice
 *   http.ts     HttpReply, RequestContext, the request log entry, parseJson
 */
export { EmulatorBase, type AccountQueueOptions, type EmulatorOptions } from "./server";
export { Router, matchRoute, type Route, type RouteMatch, type RouterOptions } from "./router";
export {
  ControlError,
  dispatchControl,
  runControlRoute,
  sharedControlRouter,
  type ControlHandler,
  type ControlRoute,
  type ControlTarget,
} from "./control";
export { parseFaultProfile, seededRandom, type FaultProfile } from "./faults";
export {
  HttpReply,
  parseJson,
  type JsonParse,
  type Query,
  type RequestContext,
  type RequestLogEntry,
} from "./http";
