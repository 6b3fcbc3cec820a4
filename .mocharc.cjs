// Tests are TypeScript run through tsx; protocol and program tests spawn the SDK's real
// dynamic-provider host, so they get generous per-test timeouts (each test bounds its own waits).
module.exports = {
  require: ["tsx/cjs"],
  extension: ["ts"],
  timeout: 60_000,
  exit: true,
};
