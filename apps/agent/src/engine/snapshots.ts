// Internal qcow2 snapshots (ENGINE-NOTES "Snapshots"): taken and deleted over QMP in
// milliseconds, no data copied; revert and clone use qemu-img.
import { addVolume, allocateNodeId, luOfVolume, mirrorOfVolume, updateVolume } from "../state/state-edits";
import type { SnapshotRecord, VolumeRecord } from "../state/state-schema";
import {
  addClientExport,
  closeVolumeNode,
  createInternalSnapshot,
  deleteInternalSnapshot,
  nodeImage,
  openVolumeNode,
  removeClientExport,
} from "./block-graph";
import { imageFileName, newImagePath, removeImage } from "./image-files";
import { requireFreeVolumeName, requireNotMirrored, requireNotPromoted, requirePool, requireSnapshot, requireVolume } from "./lookups";
import { runOperation } from "./operation";
import { applySnapshot, cloneSnapshot as copySnapshot } from "./qemu-img";
import { engineFailure, StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { checkPoolRoom } from "./volumes";

export function createSnapshot(ctx: StorageContext, volumeName: string, name: string): Promise<SnapshotRecord> {
  return runOperation(ctx, "create snapshot", async (op) => {
    const volume = requireVolume(ctx.store.state, volumeName);
    const mirror = mirrorOfVolume(ctx.store.state, volumeName);
    if (mirror?.role === "source") {
      // QSD refuses it anyway ("Need a root block node"); on the replica it works.
      throw new StorageError("in_use", `volume ${volumeName} is the source of mirror ${mirror.name}; take snapshots on the target (replica) side`);
    }
    requireNotPromoted(volume, "snapshot");
    if (volume.snapshots.some((s) => s.name === name)) {
      throw new StorageError("exists", `volume ${volumeName} already has a snapshot named ${name}`);
    }
    const qmp = ctx.qsd.session();
    await createInternalSnapshot(qmp, volume.nodeId, name);
    op.onUndo("delete the snapshot", () => deleteInternalSnapshot(qmp, volume.nodeId, name));
    const record: SnapshotRecord = { name, createdAt: ctx.now().toISOString(), sizeBytes: volume.sizeBytes };
    const next = updateVolume(ctx.store.state, volumeName, (v) => ({ ...v, snapshots: [...v.snapshots, record] }));
    await op.commit(next, [["snapshot.created", { volume: volumeName, name }]]);
    ctx.log.info("snapshot created", { volume: volumeName, name });
    return record;
  });
}

/**
 * Drop the LU's export (hard), close the node, `qemu-img snapshot -a`, reopen, re-export.
 * The volume takes the snapshot's size back. Clients of an Active LU reconnect.
 */
export function revertSnapshot(ctx: StorageContext, volumeName: string, name: string): Promise<VolumeRecord> {
  return runOperation(ctx, "revert snapshot", async (op) => {
    const { volume } = requireSnapshot(ctx.store.state, volumeName, name);
    requireNotMirrored(ctx.store.state, volumeName, "revert");
    requireNotPromoted(volume, "revert");
    const qmp = ctx.qsd.session();
    const file = ctx.pools.imagePath(volume.pool, volume.file);
    const image = await nodeImage(qmp, volume.nodeId);
    const snapshotId = image.snapshots.find((s) => s.name === name)?.id;
    if (!snapshotId) throw engineFailure("revert", new Error(`the image of ${volumeName} has no snapshot ${name}`));
    const lu = luOfVolume(ctx.store.state, volumeName);

    const exported = lu ? await removeClientExport(qmp, lu.guid) : false;
    if (lu && exported) op.onUndo("re-export the LU", () => addClientExport(qmp, volume.nodeId, lu.guid));
    await closeVolumeNode(qmp, volume.nodeId);
    op.onUndo("reopen the volume", () => openVolumeNode(qmp, volume.nodeId, file));
    await applySnapshot(file, snapshotId);
    // The data is reverted now: reopening and re-exporting is the only way forward.
    await openVolumeNode(qmp, volume.nodeId, file);
    const sizeBytes = (await nodeImage(qmp, volume.nodeId)).virtualSize;
    if (lu && exported) await addClientExport(qmp, volume.nodeId, lu.guid);

    const next = updateVolume(ctx.store.state, volumeName, (v) => ({ ...v, sizeBytes }));
    await op.commit(next, [["snapshot.reverted", { volume: volumeName, name, sizeBytes }]]);
    ctx.log.info("snapshot reverted", { volume: volumeName, name });
    return { ...volume, sizeBytes };
  });
}

/** A new, independent volume holding the snapshot's data (a copy of its allocated clusters). */
export function cloneSnapshot(
  ctx: StorageContext,
  volumeName: string,
  name: string,
  input: { name: string; pool?: string },
): Promise<VolumeRecord> {
  return runOperation(ctx, "clone snapshot", async (op) => {
    const { volume, snapshot } = requireSnapshot(ctx.store.state, volumeName, name);
    requireFreeVolumeName(ctx.store.state, input.name);
    const pool = requirePool(ctx, input.pool ?? volume.pool);
    await checkPoolRoom(ctx, pool, snapshot.sizeBytes);
    const target = await newImagePath(ctx, pool, input.name);
    const qmp = ctx.qsd.session();

    op.onUndo("remove the copy", () => removeImage(target)); // also a partial one
    await copySnapshot(ctx.pools.imagePath(volume.pool, volume.file), name, target);
    const { nodeId, state } = allocateNodeId(ctx.store.state);
    await openVolumeNode(qmp, nodeId, target);
    op.onUndo("close the node", () => closeVolumeNode(qmp, nodeId));
    const sizeBytes = (await nodeImage(qmp, nodeId)).virtualSize;

    const record: VolumeRecord = {
      name: input.name,
      pool,
      file: imageFileName(input.name),
      nodeId,
      sizeBytes,
      createdAt: ctx.now().toISOString(),
      snapshots: [],
    };
    await op.commit(addVolume(state, record), [
      ["volume.created", { name: record.name, pool, sizeBytes, source: { volume: volumeName, snapshot: name } }],
    ]);
    ctx.log.info("snapshot cloned", { volume: volumeName, snapshot: name, clone: record.name, pool });
    return record;
  });
}

/**
 * Deleting a snapshot cannot be undone, so the state file forgets it first; if QSD then fails
 * to delete it, the snapshot is put back in the file.
 */
export function deleteSnapshot(ctx: StorageContext, volumeName: string, name: string): Promise<void> {
  return runOperation(ctx, "delete snapshot", async (op) => {
    const { volume } = requireSnapshot(ctx.store.state, volumeName, name);
    const qmp = ctx.qsd.session();
    const before = ctx.store.state;
    await op.commit(updateVolume(before, volumeName, (v) => ({ ...v, snapshots: v.snapshots.filter((s) => s.name !== name) })));
    try {
      await deleteInternalSnapshot(qmp, volume.nodeId, name);
    } catch (err) {
      await op.commit(updateVolume(ctx.store.state, volumeName, () => requireVolume(before, volumeName)));
      throw err;
    }
    ctx.publish("snapshot.deleted", { volume: volumeName, name });
    ctx.log.info("snapshot deleted", { volume: volumeName, name });
  });
}
