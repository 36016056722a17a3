// Volume operations: thin qcow2 images in a pool directory, each open as one QSD node.
import { luOfVolume, addVolume, allocateNodeId, removeVolume, updateVolume } from "../state/state-edits";
import type { VolumeRecord } from "../state/state-schema";
import {
  addClientExport,
  closeVolumeNode,
  openVolumeNode,
  queryVolumeNodes,
  removeClientExport,
  resizeNode,
} from "./block-graph";
import { imageFileName, newImagePath, removeImage } from "./image-files";
import { requireFreeVolumeName, requireNotMirrored, requireNotPromoted, requirePool, requireVolume } from "./lookups";
import { removeNbdExport } from "./nbd-exports";
import { openOverlayNode } from "./overlay-qmp";
import { baseExportId } from "./volume-nodes";
import { runOperation } from "./operation";
import { checkProvisioning, provisionedBytes } from "./overcommit";
import { createImage } from "./qemu-img";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

/** Refuses when `askedBytes` more would take the pool over capacity × ratio. */
export async function checkPoolRoom(ctx: StorageContext, pool: string, askedBytes: number): Promise<void> {
  const { capacityBytes } = await ctx.pools.info(pool);
  checkProvisioning({
    pool,
    capacityBytes,
    ratio: ctx.overcommitRatio,
    provisionedBytes: provisionedBytes(ctx.store.state, pool),
    askedBytes,
  });
}

export function createVolume(ctx: StorageContext, input: { name: string; pool?: string; size: number }): Promise<VolumeRecord> {
  return runOperation(ctx, "create volume", async (op) => {
    const pool = requirePool(ctx, input.pool ?? ctx.pools.defaultPool());
    requireFreeVolumeName(ctx.store.state, input.name);
    await checkPoolRoom(ctx, pool, input.size);
    const file = await newImagePath(ctx, pool, input.name);
    const qmp = ctx.qsd.session();

    await createImage(file, input.size);
    op.onUndo("remove the image", () => removeImage(file));
    const { nodeId, state } = allocateNodeId(ctx.store.state);
    await openVolumeNode(qmp, nodeId, file);
    op.onUndo("close the node", () => closeVolumeNode(qmp, nodeId));

    const record: VolumeRecord = {
      name: input.name,
      pool,
      file: imageFileName(input.name),
      nodeId,
      sizeBytes: input.size,
      createdAt: ctx.now().toISOString(),
      snapshots: [],
    };
    await op.commit(addVolume(state, record), [["volume.created", { name: record.name, pool, sizeBytes: record.sizeBytes }]]);
    ctx.log.info("volume created", { name: record.name, pool, sizeBytes: record.sizeBytes, node: nodeId });
    return record;
  });
}

/**
 * Grows a volume online. QSD refuses block_resize while an export holds the node, so an Active
 * LU's export is dropped (hard) and re-added around it: its clients reconnect.
 */
export function resizeVolume(ctx: StorageContext, name: string, sizeBytes: number): Promise<VolumeRecord> {
  return runOperation(ctx, "resize volume", async (op) => {
    const volume = requireVolume(ctx.store.state, name);
    if (sizeBytes === volume.sizeBytes) return volume;
    requireNotMirrored(ctx.store.state, name, "resize");
    requireNotPromoted(volume, "resize");
    if (sizeBytes < volume.sizeBytes) {
      throw new StorageError("shrink_refused", `volume ${name} is ${volume.sizeBytes} bytes; it can only grow (asked ${sizeBytes})`);
    }
    await checkPoolRoom(ctx, volume.pool, sizeBytes - volume.sizeBytes);
    const qmp = ctx.qsd.session();
    const lu = luOfVolume(ctx.store.state, name);

    const exported = lu ? await removeClientExport(qmp, lu.guid) : false;
    if (lu && exported) op.onUndo("re-export the LU", () => addClientExport(qmp, volume.nodeId, lu.guid));
    await resizeNode(qmp, volume.nodeId, sizeBytes);
    // Shrinking back only cuts what the grow added: nothing can have been written there yet.
    op.onUndo("shrink back", () => resizeNode(qmp, volume.nodeId, volume.sizeBytes));
    if (lu && exported) await addClientExport(qmp, volume.nodeId, lu.guid);

    const next = updateVolume(ctx.store.state, name, (v) => ({ ...v, sizeBytes }));
    await op.commit(next, [["volume.resized", { name, fromBytes: volume.sizeBytes, toBytes: sizeBytes }]]);
    ctx.log.info("volume resized", { name, fromBytes: volume.sizeBytes, toBytes: sizeBytes });
    return { ...volume, sizeBytes };
  });
}

export function deleteVolume(ctx: StorageContext, name: string): Promise<void> {
  return runOperation(ctx, "delete volume", async (op) => {
    const volume = requireVolume(ctx.store.state, name);
    requireNotMirrored(ctx.store.state, name, "delete");
    ctx.busy.require(name, "delete");
    const lu = luOfVolume(ctx.store.state, name);
    if (lu) {
      const alias = lu.alias ? ` (${lu.alias})` : "";
      throw new StorageError("in_use", `volume ${name} is used by LU ${lu.guid}${alias}; delete the LU first`);
    }
    const file = ctx.pools.imagePath(volume.pool, volume.file);
    const qmp = ctx.qsd.session();

    // A promoted volume: the base export and the overlay go first (the overlay holds the base).
    const promotion = volume.promotion;
    const overlayFile = promotion ? ctx.pools.imagePath(volume.pool, promotion.overlay.file) : null;
    if (promotion) {
      await removeNbdExport(qmp, baseExportId(promotion.mirror));
      if ((await queryVolumeNodes(qmp)).has(promotion.overlay.nodeId)) {
        await closeVolumeNode(qmp, promotion.overlay.nodeId);
        op.onUndo("reopen the overlay", () => openOverlayNode(qmp, promotion.overlay.nodeId, overlayFile!, volume.nodeId));
      }
    }
    // A volume whose image could not be reopened after a QSD start has no node: it can still go.
    if ((await queryVolumeNodes(qmp)).has(volume.nodeId)) {
      await closeVolumeNode(qmp, volume.nodeId);
      op.onUndo("reopen the volume", () => openVolumeNode(qmp, volume.nodeId, file));
    }
    await op.commit(removeVolume(ctx.store.state, name), [["volume.deleted", { name, pool: volume.pool }]]);
    // After the commit: a file left by a failure here is only reported, never mistaken for a volume.
    for (const f of overlayFile ? [overlayFile, file] : [file]) {
      await removeImage(f).catch((err: Error) =>
        ctx.log.warn("volume deleted but its image could not be removed", { name, file: f, error: err.message }),
      );
    }
    ctx.log.info("volume deleted", { name, pool: volume.pool });
  });
}
