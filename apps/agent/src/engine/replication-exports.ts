// Target side: a writable NBD export of a volume that the mirror's source writes into. Removing
// it (hard) is also the fence at failover: afterwards the old source can never write here.
import type { ReplicationExport } from "@tandem/contracts/replication";
import {
  findReplicationExport,
  luOfVolume,
  mirrorOfVolume,
  putReplicationExport,
  recordEpoch,
  removeReplicationExport,
} from "../state/state-edits";
import type { ReplicationExportRecord } from "../state/state-schema";
import { requireVolume } from "./lookups";
import { checkEpoch } from "./mirror-job";
import { addNbdExport, listExports, removeNbdExport } from "./nbd-exports";
import { runOperation } from "./operation";
import { replExportId } from "./replication-names";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

export function toReplicationExport(ctx: Pick<StorageContext, "nbd">, e: ReplicationExportRecord): ReplicationExport {
  return { volume: e.volume, mirror: e.mirror, exportName: replExportId(e.mirror), host: ctx.nbd.host, port: ctx.nbd.port, epoch: e.epoch, createdAt: e.createdAt };
}

/** A target must not serve clients: only a volume without an LU, or with a Standby one, qualifies. */
function requireNoClients(ctx: StorageContext, volume: string): void {
  const lu = luOfVolume(ctx.store.state, volume);
  if (lu && lu.state !== "standby") {
    throw new StorageError(
      "wrong_state",
      `LU ${lu.guid} of volume ${volume} is ${lu.state} on this host; a mirror target must not serve clients (put the LU in standby first)`,
    );
  }
}

export function createReplicationExport(
  ctx: StorageContext,
  input: { volume: string; mirror: string; epoch: number },
): Promise<{ record: ReplicationExportRecord; created: boolean }> {
  return runOperation(ctx, "create replication export", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, input.volume);
    checkEpoch(state, input.mirror, input.epoch);
    const qmp = ctx.qsd.session();
    const id = replExportId(input.mirror);
    const existing = findReplicationExport(state, input.mirror);
    if (existing && existing.volume !== volume.name) {
      throw new StorageError("exists", `mirror ${input.mirror} already has a replication export here, of volume ${existing.volume}`);
    }
    if (!existing) {
      const holder = mirrorOfVolume(state, volume.name);
      if (holder) throw new StorageError("in_use", `volume ${volume.name} is already the ${holder.role} of mirror ${holder.name}`);
    }
    requireNoClients(ctx, volume.name);
    if (!(await listExports(qmp)).has(id)) {
      await addNbdExport(qmp, { id, nodeId: topNode(volume), name: id, writable: true });
      op.onUndo("remove the export", () => removeNbdExport(qmp, id));
    }
    const record: ReplicationExportRecord = existing
      ? { ...existing, epoch: Math.max(existing.epoch, input.epoch) }
      : { mirror: input.mirror, volume: volume.name, epoch: input.epoch, createdAt: ctx.now().toISOString() };
    const next = putReplicationExport(recordEpoch(state, input.mirror, input.epoch), record);
    await op.commit(next, existing ? [] : [["replication.export_created", { mirror: record.mirror, volume: record.volume, exportName: id, epoch: record.epoch }]]);
    if (!existing) ctx.log.info("replication export created", { mirror: record.mirror, volume: record.volume, epoch: record.epoch });
    return { record, created: !existing };
  });
}

/**
 * Drops the export and its client (hard). Idempotent, so a fence can be retried; `epoch`, when
 * given, is recorded at the same time so the old side's epoch stays refused.
 */
export function deleteReplicationExport(ctx: StorageContext, mirror: string, epoch?: number): Promise<boolean> {
  return runOperation(ctx, "delete replication export", async (op) => {
    const state = ctx.store.state;
    if (epoch !== undefined) checkEpoch(state, mirror, epoch);
    const existing = findReplicationExport(state, mirror);
    const qmp = ctx.qsd.session();
    // Whatever the file says: an export left by an interrupted operation goes too.
    const removed = await removeNbdExport(qmp, replExportId(mirror));
    let next = removeReplicationExport(state, mirror);
    if (epoch !== undefined) next = recordEpoch(next, mirror, epoch);
    if (next !== state) {
      await op.commit(next, existing || removed ? [["replication.export_deleted", { mirror, volume: existing?.volume ?? null, epoch: next.mirrorEpochs[mirror] ?? null }]] : []);
    }
    if (existing || removed) ctx.log.info("replication export removed (fenced)", { mirror, volume: existing?.volume });
    return Boolean(existing || removed);
  });
}
