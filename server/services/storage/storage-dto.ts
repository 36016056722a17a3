// What clients see of volumes and LUs. Sizes are plain numbers of bytes (exact up to 8 PiB).
import { ACCESS_STATES, type AccessStateName } from "@tandem/contracts/storage";

export type VolumeDto = {
  id: string;
  host: string;
  hostId: string;
  name: string;
  ref: string;
  pool: string;
  sizeBytes: number;
  allocatedBytes: number;
  missing: boolean;
  lu: { guid: string; accessState: string } | null;
  snapshotCount: number;
  createdAt: string;
};

export function toVolumeDto(v: {
  id: string;
  name: string;
  pool: string;
  sizeBytes: bigint;
  allocatedBytes: bigint;
  missingSince: Date | null;
  createdAt: Date;
  host: { id: string; name: string };
  lu: { guid: string; accessState: string } | null;
  _count: { snapshots: number };
}): VolumeDto {
  return {
    id: v.id,
    host: v.host.name,
    hostId: v.host.id,
    name: v.name,
    ref: `${v.host.name}/${v.name}`,
    pool: v.pool,
    sizeBytes: Number(v.sizeBytes),
    allocatedBytes: Number(v.allocatedBytes),
    missing: v.missingSince !== null,
    lu: v.lu ? { guid: v.lu.guid, accessState: v.lu.accessState } : null,
    snapshotCount: v._count.snapshots,
    createdAt: v.createdAt.toISOString(),
  };
}

export type LuNodeDto = {
  host: string;
  hostId: string;
  nodeId: number | null;
  volume: string;
  uri: string | null;
  accessState: AccessStateName;
  stateCode: number;
  stateChangedAt: string;
  missing: boolean;
};

export type LuDto = { guid: string; alias: string | null; sizeBytes: number; nodes: LuNodeDto[] };

export function stateCode(s: string): number {
  return ACCESS_STATES[s as AccessStateName] ?? -1;
}
