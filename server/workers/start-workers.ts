// Everything that changes or watches hosts: the operation worker, the host monitor, the storage
// reconciler, the mirror monitor, automatic failover and the fencing of a failed-over mirror's old
// source when it returns. Runs inside the console (default) or on its own
// (server/worker.ts), any number of times against one database.
import type { Deps } from "@/server/services/deps";
import { startHostMonitor } from "./host-monitor";
import { startStorageReconciler } from "./storage-reconciler";
import { startMirrorMonitor } from "./mirror-monitor";
import { startAutoFailover } from "./auto-failover";
import { startReturnedSourceFencer } from "./fence-returned-source";
import { startWorker } from "@/server/workflows/engine";
import { definitions } from "@/server/workflows/definitions";

export function startWorkers(deps: Deps, opts: { monitorIntervalMs: number; leaseMs?: number }) {
  const reconciler = startStorageReconciler(deps);
  const mirrors = startMirrorMonitor(deps);
  const autoFailover = startAutoFailover(deps, { intervalMs: opts.monitorIntervalMs });
  const fencer = startReturnedSourceFencer(deps);
  const monitor = startHostMonitor(deps, {
    intervalMs: opts.monitorIntervalMs,
    onStorageHint: (id) => reconciler.hint(id),
    onMirrorProgress: (id, data) => mirrors.onProgress(id, data),
  });
  const worker = startWorker(deps, definitions, { leaseMs: opts.leaseMs });
  return {
    owner: worker.owner,
    async stop() {
      monitor.stop();
      reconciler.stop();
      mirrors.stop();
      autoFailover.stop();
      fencer.stop();
      await worker.stop();
    },
  };
}
