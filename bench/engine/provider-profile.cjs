// Preloaded (NODE_OPTIONS --require) into the Node processes of a profiled `pulumi preview`.
// The dynamic-provider host is SIGKILLed by the engine when the deployment ends, so Node's own
// --cpu-prof never writes its profile; this starts the V8 profiler in-process and writes the
// profile when the engine sends its Cancel RPC, which it does right before the kill
// (sdk/go/common/resource/plugin/provider_plugin.go: Close → SignalCancellation).
"use strict";
const script = process.argv[1] || "";
if (/dynamic-provider/.test(script) && process.env.BENCH_PROFILE_DIR) {
  const inspector = require("node:inspector");
  const fs = require("node:fs");
  const path = require("node:path");
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let written = false;
  const dump = () => {
    if (written) return;
    written = true;
    session.post("Profiler.stop", (err, res) => {
      if (err || !res) return;
      const file = path.join(process.env.BENCH_PROFILE_DIR, `provider-host.${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(res.profile));
    });
  };
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(script)] }));
  const addService = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, impl) {
    if (impl && typeof impl.cancel === "function") {
      const cancel = impl.cancel;
      impl.cancel = function (call, callback) {
        dump();
        return cancel.call(this, call, callback);
      };
    }
    return addService.call(this, service, impl);
  };
}
