import type { QueryClient, QueryKey } from "@tanstack/react-query";
import type { HostDto } from "@/server/services/hosts/host-dto";
import type { RealtimeEvent } from "@/server/realtime/events";

/** Patches one host in the cached host list with a realtime delta. */
export function applyHostEvent(qc: QueryClient, key: QueryKey, e: Extract<RealtimeEvent, { type: "host.status" | "host.facts" }>) {
  qc.setQueryData<HostDto[]>(key, (hosts) => {
    if (!hosts) return hosts;
    if (!hosts.some((h) => h.id === e.hostId)) {
      void qc.invalidateQueries({ queryKey: key }); // a host we do not know yet
      return hosts;
    }
    return hosts.map((h) => {
      if (h.id !== e.hostId) return h;
      if (e.type === "host.status") return { ...h, status: e.status, statusReason: e.reason, statusChangedAt: e.at };
      return { ...h, lastSeenAt: e.lastSeenAt, qsdVersion: e.qsdVersion, capacityBytes: e.capacityBytes, freeBytes: e.freeBytes };
    });
  });
}
