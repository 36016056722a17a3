// Realtime storage events → query cache. `lu.state` is patched in place at once (the badge must
// flip without waiting for a round trip) and then refetched; `storage.changed` only says what
// kind of thing changed on a host, so those queries are invalidated.
import type { QueryClient } from "@tanstack/react-query";
import type { useTRPC } from "@/lib/trpc";
import type { RealtimeEvent } from "@/server/realtime/events";
import type { LuDto } from "@/server/services/storage/storage-dto";
import { ACCESS_STATE_INFO } from "@/components/ui/access-state-badge";

type TRPC = ReturnType<typeof useTRPC>;
type StorageEvent = Extract<RealtimeEvent, { type: "storage.changed" | "lu.state" }>;

export function applyStorageEvent(qc: QueryClient, trpc: TRPC, e: StorageEvent) {
  const inval = (filter: { queryKey: readonly unknown[] }) => void qc.invalidateQueries(filter);

  if (e.type === "lu.state") {
    qc.setQueryData<LuDto[]>(trpc.lu.list.queryKey(), (lus) =>
      lus?.map((l) =>
        l.guid !== e.guid
          ? l
          : {
              ...l,
              nodes: l.nodes.map((n) =>
                n.hostId === e.hostId ? { ...n, accessState: e.to as LuDto["nodes"][number]["accessState"], stateCode: ACCESS_STATE_INFO[e.to]?.code ?? -1, stateChangedAt: e.at } : n,
              ),
            },
      ),
    );
    inval(trpc.lu.list.pathFilter());
    inval(trpc.lu.history.queryFilter({ guid: e.guid }));
    inval(trpc.volume.list.pathFilter());
    inval(trpc.volume.get.pathFilter());
    return;
  }

  const what = new Set(e.what);
  if (what.has("volumes") || what.has("snapshots") || what.has("lus")) {
    inval(trpc.volume.list.pathFilter());
    inval(trpc.volume.get.pathFilter());
  }
  if (what.has("lus") || what.has("alua")) {
    inval(trpc.lu.list.pathFilter());
    inval(trpc.lu.history.pathFilter());
  }
  if (what.has("drift")) {
    inval(trpc.operation.drift.pathFilter());
    inval(trpc.volume.get.pathFilter());
  }
  if (what.has("alua")) {
    inval(trpc.alua.get.pathFilter());
    inval(trpc.host.list.pathFilter());
  }
}
