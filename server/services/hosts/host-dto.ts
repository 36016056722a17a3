// What clients may see of a host: never its agent token.
import type { HostRow } from "@/server/db/host-store";

export type HostDto = {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  statusChangedAt: string;
  lastSeenAt: string | null;
  agentUrl: string;
  nbdAddress: string | null;
  qsdVersion: string | null;
  agentVersion: string | null;
  capacityBytes: string;
  freeBytes: string;
  pair: { id: string; name: string; aluaEnabled: boolean } | null;
  aluaNodeId: number | null;
};

export function toHostDto(h: HostRow & { pair: { id: string; name: string; aluaEnabled: boolean } | null }): HostDto {
  return {
    id: h.id,
    name: h.name,
    status: h.status,
    statusReason: h.statusReason,
    statusChangedAt: h.statusChangedAt.toISOString(),
    lastSeenAt: h.lastSeenAt?.toISOString() ?? null,
    agentUrl: h.agentUrl,
    nbdAddress: h.nbdAddress,
    qsdVersion: h.qsdVersion,
    agentVersion: h.agentVersion,
    capacityBytes: h.capacityBytes.toString(),
    freeBytes: h.freeBytes.toString(),
    pair: h.pair ? { id: h.pair.id, name: h.pair.name, aluaEnabled: h.pair.aluaEnabled } : null,
    aluaNodeId: h.aluaNodeId,
  };
}
