// Everything that changes or watches hosts: the operation worker, the host monitor, the storage
// reconciler, the mirror monitor and automatic failover. Runs inside the console (default) or on its own
// (server/worker.ts), any number of times against one database.
import type { Deps } from "@/server/services/deps";
import { startHostMonitor } from "./host-monitor";
import { startStorageReconciler } from "./storage-reconciler";
import { startMirrorMonitor } from "./mirror-monitor";
import { startAutoFailover } from "./auto-failover";
import { startWorker } from "@/server/workflows/engine";
import { definitions } from "@/server/workflows/definitions";

export function startWorkers(deps: Deps, opts: { monitorIntervalMs: number; leaseMs?: number }) {
  const reconciler = startStorageReconciler(deps);
  const mirrors = startMirrorMonitor(deps);
  const autoFailover = startAutoFailover(deps, { intervalMs: opts.monitorIntervalMs });
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
      await worker.stop();
    },
  };
}
