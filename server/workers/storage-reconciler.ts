// Keeps every online host's volumes, snapshots and LUs in step with the database: a full pass
// every few seconds, and at once (debounced) when an agent event hints that something changed.
import { listHosts } from "@/server/db/host-store";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import type { Deps } from "@/server/services/deps";

export function startStorageReconciler(deps: Deps, opts: { intervalMs?: number; debounceMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 5000;
  const debounceMs = opts.debounceMs ?? 100;
  const pending = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<string>();
  let stopped = false;

  async function syncOne(hostId: string) {
    if (stopped || inFlight.has(hostId)) return;
    inFlight.add(hostId);
    try {
      const host = await deps.db.host.findUnique({ where: { id: hostId } });
      if (host && host.status !== "offline") await syncHostStorage(deps, host);
    } catch (err) {
      // An unreachable agent is the monitor's news, not ours.
      if (!/unreachable/.test((err as Error).message)) console.error(`[reconciler] host ${hostId}:`, (err as Error).message);
    } finally {
      inFlight.delete(hostId);
    }
  }

  function hint(hostId: string) {
    if (stopped) return;
    clearTimeout(pending.get(hostId));
    pending.set(hostId, setTimeout(() => (pending.delete(hostId), void syncOne(hostId)), debounceMs));
  }

  const timer = setInterval(() => {
    void listHosts(deps.db)
      .then((hosts) => hosts.filter((h) => h.status !== "offline").forEach((h) => void syncOne(h.id)))
      .catch(() => {});
  }, intervalMs);

  return {
    hint,
    syncNow: syncOne,
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const t of pending.values()) clearTimeout(t);
    },
  };
}
