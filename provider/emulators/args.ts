/** Command-line options of `pulumi-campaigns-emulators` (bin.ts), parsed strictly. */

export const USAGE = `usage: pulumi-campaigns-emulators [--burki-port N] [--woodpecker-port N] [--latency MS] [--json]

Starts the Burki and Woodpecker emulators on 127.0.0.1 and prints their base URLs and API keys.

  --burki-port N       port of the Burki emulator (0..65535; default 0 = a free port)
  --woodpecker-port N  port of the Woodpecker emulator (0..65535; default 0 = a free port)
  --latency MS         service time added to every API request, in ms (default 0)
  --json               print one JSON line: {"burki":{baseUrl,apiKey,controlUrl},"woodpecker":{…}}
  -h, --help           show this help

Options take their value as the next argument or after "=" (--burki-port=8001).`;

export interface EmulatorArgs {
  help: boolean;
  json: boolean;
  burkiPort: number;
  woodpeckerPort: number;
  latencyMs: number;
}

const VALUE_OPTIONS = {
  "--burki-port": "burkiPort",
  "--woodpecker-port": "woodpeckerPort",
  "--latency": "latencyMs",
} as const;

/** Parse argv (without node and the script); an `error` for anything unknown or invalid. */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorArgs | { error: string } {
  const out: EmulatorArgs = { help: false, json: false, burkiPort: 0, woodpeckerPort: 0, latencyMs: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-h" || arg === "--help") {
      out.help = true;
      continue;
    }
    if (arg === "--json") {
      out.json = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    if (!Object.prototype.hasOwnProperty.call(VALUE_OPTIONS, name)) {
      return { error: arg.startsWith("-") ? `unknown option ${name}` : `unexpected argument "${arg}"` };
    }
    const key = VALUE_OPTIONS[name as keyof typeof VALUE_OPTIONS];
    let raw: string | undefined;
    if (eq > 0 && arg.startsWith("--")) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith("--")) return { error: `${name} needs a value` };
      i++;
    }
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (key === "latencyMs") {
      if (!Number.isSafeInteger(n))
        return { error: `--latency must be a whole number of milliseconds ≥ 0, got "${raw}"` };
    } else if (!Number.isInteger(n) || n > 65535) {
      return { error: `${name} must be a port number from 0 to 65535 (0 picks a free port), got "${raw}"` };
    }
    out[key] = n;
  }
  return out;
}
