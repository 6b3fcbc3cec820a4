/**
 * Log lines of the provider host. They go to stderr (the engine shows plugin output in verbose
 * logs; our tests read it), always redacted, never with contact data.
 */
import { redact } from "./redact";

export type LogSink = (line: string) => void;

let sink: LogSink = (line) => process.stderr.write(`${line}\n`);

export function setLogSink(s: LogSink): LogSink {
  const previous = sink;
  sink = s;
  return previous;
}

export function logInfo(message: string): void {
  sink(`[pulumi-campaigns] ${redact(message)}`);
}
