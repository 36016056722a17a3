// Records of the state file → what the API returns (contract shapes; no file paths, no tokens).
import { stat } from "node:fs/promises";
import type { VolumePromotion } from "@tandem/contracts/failover";
import type { AluaConfig, Lu, Snapshot, Volume } from "@tandem/contracts/storage";
import { formatHostPort } from "../config/host-port";
import { fenceOfVolume, luOfVolume, mirrorOfVolume } from "../state/state-edits";
import type { AgentState, AluaRecord, LuRecord, SnapshotRecord, VolumeRecord } from "../state/state-schema";
import { stateCode } from "./lu-state";
import type { StorageContext } from "./storage-context";
import { baseExportId } from "./volume-nodes";

/** Bytes the image occupies on disk (what QSD reports as actual-size: st_blocks × 512). */
async function allocatedBytes(ctx: Pick<StorageContext, "pools">, v: VolumeRecord, file = v.file): Promise<number> {
  try {
    return (await stat(ctx.pools.imagePath(v.pool, file))).blocks * 512;
  } catch {
    return 0; // a missing image is reported by the rebuild; the listing stays readable
  }
}

export const nbdExportUri = (ctx: Pick<StorageContext, "nbd">, name: string) => `nbd://${formatHostPort(ctx.nbd)}/${name}`;

async function toPromotion(ctx: Pick<StorageContext, "pools" | "nbd">, v: VolumeRecord): Promise<VolumePromotion | null> {
  const p = v.promotion;
  if (!p) return null;
  const exportName = baseExportId(p.mirror);
  return {
    mirror: p.mirror,
    epoch: p.epoch,
    at: p.at,
    overlay: { file: p.overlay.file, allocatedBytes: await allocatedBytes(ctx, v, p.overlay.file) },
    baseExport: p.baseExport ? { exportName, uri: nbdExportUri(ctx, exportName), createdAt: p.baseExport.createdAt } : null,
  };
}

export async function toVolume(ctx: Pick<StorageContext, "pools" | "nbd">, state: AgentState, v: VolumeRecord): Promise<Volume> {
  const lu = luOfVolume(state, v.name);
  const mirror = mirrorOfVolume(state, v.name);
  const usedBy: Volume["usedBy"] = [];
  if (lu) usedBy.push({ kind: "lu", id: lu.guid });
  if (mirror) usedBy.push({ kind: "mirror", id: mirror.name });
  return {
    name: v.name,
    pool: v.pool,
    sizeBytes: v.sizeBytes,
    allocatedBytes: await allocatedBytes(ctx, v),
    format: "qcow2",
    createdAt: v.createdAt,
    usedBy,
    promotion: await toPromotion(ctx, v),
  };
}

export function toSnapshot(volume: string, s: SnapshotRecord): Snapshot {
  return { name: s.name, volume, createdAt: s.createdAt, sizeBytes: s.sizeBytes };
}

export function toLu(ctx: Pick<StorageContext, "nbd" | "store">, lu: LuRecord): Lu {
  const fence = fenceOfVolume(ctx.store.state, lu.volume);
  return {
    guid: lu.guid,
    alias: lu.alias,
    volume: lu.volume,
    exportName: lu.guid,
    uri: lu.state === "active" ? nbdExportUri(ctx, lu.guid) : null,
    state: lu.state,
    stateCode: stateCode(lu.state),
    stateChangedAt: lu.stateChangedAt,
    held: fence ? { mirror: fence.mirror, epoch: fence.epoch, reason: fence.reason, since: fence.at } : null,
    exportAddedAt: lu.exportAddedAt ?? null,
    exportRemovedAt: lu.exportRemovedAt ?? null,
  };
}

export function toAluaConfig(alua: AluaRecord): AluaConfig {
  return {
    enabled: alua.enabled,
    nodeId: alua.nodeId,
    peer: alua.peer ? { name: alua.peer.name, url: alua.peer.url } : null,
  };
}
