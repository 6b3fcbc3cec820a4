/**
 * Log lines of the provider host. They go to stderr (the engine shows plugin output in verbose
 * logs; our tests read it), always redacted, never with contact data.
 */
import { redact } from "./redact";

export function logInfo(message: string): void {
  process.stderr.write(`[pulumi-campaigns] ${redact(message)}\n`);
}
