# workerd config for the runtime matrix: one worker, the esbuild bundle of worker.mjs, which
# test/matrix.test.ts writes as worker.js next to a copy of this file. The socket's port is
# given on the command line (--socket-addr http=127.0.0.1:0) and reported on --control-fd.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2026-11-01",
);
