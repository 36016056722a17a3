// Watches every registered agent: the event stream is only a hint ("look now"), the periodic
// health poll is the truth. One watcher per host; hosts added later are picked up.
import { listHosts } from "@/server/db/host-store";
import { observeHost } from "@/server/services/hosts/observe-host";
import type { Deps } from "@/server/services/deps";

type Watcher = { stop: () => void; url: string; token: string };

const STORAGE_EVENT = /^(volume|snapshot|lu|alua|qsd\.rebuilt|qsd\.restarted|hello)/;

export function startHostMonitor(
  deps: Deps,
  opts: {
    intervalMs: number;
    rescanMs?: number;
    onStorageHint?: (hostId: string) => void;
    onMirrorProgress?: (hostId: string, data: Record<string, unknown>) => void;
  },
) {
  const watchers = new Map<string, Watcher>();
  let stopped = false;

  function watch(hostId: string, url: string, token: string): Watcher {
    const client = deps.agentFor({ url, token });
    const abort = new AbortController();
    let timer: NodeJS.Timeout | null = null;
    let polling = false;
    let again = false;

    const poll = async () => {
      if (abort.signal.aborted) return;
      if (polling) {
        again = true; // a hint arrived mid-poll: look once more right after
        return;
      }
      polling = true;
      if (timer) clearTimeout(timer);
      try {
        const health = await client.health({ timeoutMs: Math.max(500, Math.min(1500, opts.intervalMs)) }).catch((e: Error) => e);
        if (abort.signal.aborted) return;
        if (health instanceof Error) await observeHost(deps, hostId, null, health.message);
        else await observeHost(deps, hostId, health, null);
      } catch (err) {
        console.error(`[monitor] host ${hostId}:`, (err as Error).message);
      } finally {
        polling = false;
        if (!abort.signal.aborted) {
          if (again) {
            again = false;
            setImmediate(poll);
          } else timer = setTimeout(poll, opts.intervalMs);
        }
      }
    };

    const stream = async () => {
      let backoff = 250;
      while (!abort.signal.aborted) {
        try {
          await client.streamEvents(
            (e) => {
              if (e.type === "mirror.progress") return opts.onMirrorProgress?.(hostId, e.data);
              void poll();
              if (STORAGE_EVENT.test(e.type)) opts.onStorageHint?.(hostId);
            },
            { signal: abort.signal },
          );
          backoff = 250;
        } catch {
          /* the poll reports why */
        }
        if (abort.signal.aborted) return;
        void poll(); // the stream ended: the agent may be gone; find out now, not at the next tick
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    };

    void poll();
    void stream();
    return {
      url,
      token,
      stop: () => {
        abort.abort();
        if (timer) clearTimeout(timer);
      },
    };
  }

  async function rescan() {
    if (stopped) return;
    const hosts = await listHosts(deps.db);
    const seen = new Set<string>();
    for (const h of hosts) {
      seen.add(h.id);
      const w = watchers.get(h.id);
      if (w && w.url === h.agentUrl && w.token === h.agentToken) continue;
      w?.stop();
      watchers.set(h.id, watch(h.id, h.agentUrl, h.agentToken));
    }
    for (const [id, w] of watchers) {
      if (seen.has(id)) continue;
      w.stop();
      watchers.delete(id);
    }
  }

  const rescanTimer = setInterval(() => void rescan().catch(() => {}), opts.rescanMs ?? 5000);
  const ready = rescan();

  return {
    ready,
    rescan,
    stop() {
      stopped = true;
      clearInterval(rescanTimer);
      for (const w of watchers.values()) w.stop();
      watchers.clear();
    },
  };
}
