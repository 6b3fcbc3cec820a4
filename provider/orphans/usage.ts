/** The `orphans` block of the command line's help (no imports: provider/cli.ts loads it eagerly). */
export const ORPHANS_USAGE = `  orphans  List each vendor's campaigns that no resource of the stack manages (what a crash between a
           create and Pulumi saving its state leaves behind), by id, name, status and creation time.
           Reads \`pulumi stack export\` from the file, or from standard input when no file is given or
           the file is \`-\`. Read only (GET requests). Checks each platform whose API key is set in the
           environment (BURKI_API_KEY, WOODPECKER_API_KEY; keys are never taken from flags) and says
           which it skipped. Campaigns of other stacks sharing the account are listed too.
           --burki-base-url URL       Burki endpoint (default: BURKI_BASE_URL, else https://api.burki.dev)
           --woodpecker-base-url URL  Woodpecker endpoint (default: WOODPECKER_BASE_URL, else
                                      https://api.woodpecker.co/rest)
           Exit codes: 0 no orphans, 1 orphans found, 2 usage error, invalid input, or no platform
           could be listed (and none had orphans).
`;
