// Everything that changes or watches hosts: the operation worker, the host monitor, the storage
// reconciler and the mirror monitor. Runs inside the console (default) or on its own
// (server/worker.ts), any number of times against one database.
import type { Deps } from "@/server/services/deps";
import { startHostMonitor } from "./host-monitor";
import { startStorageReconciler } from "./storage-reconciler";
import { startMirrorMonitor } from "./mirror-monitor";
import { startWorker } from "@/server/workflows/engine";
import { definitions } from "@/server/workflows/definitions";

export function startWorkers(deps: Deps, opts: { monitorIntervalMs: number; leaseMs?: number }) {
  const reconciler = startStorageReconciler(deps);
  const mirrors = startMirrorMonitor(deps);
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
      await worker.stop();
    },
  };
}
