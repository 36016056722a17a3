// Failover, on the target: promote the volume with a qcow2 overlay (ENGINE-NOTES "Unplanned
// failover and failback"), so every write after promotion is known exactly and the base below is
// frozen = this host at promotion. Failback compares the old source with that base and then
// mirrors only the overlay (sync=top).
import { lstat } from "node:fs/promises";
import { allocateNodeNumber, fenceOfVolume, luOfVolume, mirrorOfVolume, recordEpoch, updateVolume } from "../state/state-edits";
import type { PromotionRecord, VolumeRecord } from "../state/state-schema";
import { closeVolumeNode, nodeImage } from "./block-graph";
import { removeImage } from "./image-files";
import { requireVolume } from "./lookups";
import { checkEpoch } from "./mirror-job";
import { runOperation } from "./operation";
import { commitOverlay, openOverlayNode, snapshotOnto } from "./overlay-qmp";
import { createOverlayImage } from "./qemu-img";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { overlayFileName } from "./volume-nodes";

export function promoteVolume(ctx: StorageContext, name: string, input: { mirror: string; epoch: number }): Promise<VolumeRecord> {
  return runOperation(ctx, "promote volume", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, name);
    checkEpoch(state, input.mirror, input.epoch);
    if (volume.promotion) {
      if (volume.promotion.mirror !== input.mirror) {
        throw new StorageError("wrong_state", `volume ${name} is already promoted for mirror ${volume.promotion.mirror}`);
      }
      return volume; // asked again: the same promotion
    }
    const holder = mirrorOfVolume(state, name);
    if (holder?.role === "source") {
      throw new StorageError("in_use", `volume ${name} is the source of mirror ${holder.name}; only a mirror's target is promoted`);
    }
    if (holder?.role === "target") {
      throw new StorageError(
        "wrong_state",
        `volume ${name} is still the target of mirror ${holder.name}; fence it first (DELETE /v1/replication/exports/${holder.name}?epoch=${input.epoch})`,
      );
    }
    const fence = fenceOfVolume(state, name);
    if (fence) throw new StorageError("stale_epoch", `volume ${name} is held (${fence.reason}); a held copy is not promoted`);
    const lu = luOfVolume(state, name);
    if (lu && lu.state !== "standby") {
      throw new StorageError("wrong_state", `LU ${lu.guid} of volume ${name} is ${lu.state}; promote before importing it`);
    }
    ctx.busy.require(name, "promote");

    const t0 = performance.now();
    const qmp = ctx.qsd.session();
    const overlay = overlayFileName(volume.file);
    const file = ctx.pools.imagePath(volume.pool, overlay);
    // Not in the state file, so not in use: a leftover of a promotion interrupted before its commit.
    if (await lstat(file).catch(() => null)) await removeImage(file);
    const size = (await nodeImage(qmp, volume.nodeId)).virtualSize;
    await createOverlayImage(file, volume.file, size);
    op.onUndo("remove the overlay file", () => removeImage(file));
    const { nodeNumber, state: allocated } = allocateNodeNumber(state);
    const nodeId = `ovl${nodeNumber}`;
    await openOverlayNode(qmp, nodeId, file, null);
    op.onUndo("close the overlay", () => closeVolumeNode(qmp, nodeId));
    await snapshotOnto(qmp, volume.nodeId, nodeId);
    op.onUndo("merge the overlay back", () => commitOverlay(qmp, `undo-${nodeId}`, nodeId, 60_000));

    const promotion: PromotionRecord = {
      mirror: input.mirror,
      epoch: input.epoch,
      at: new Date().toISOString(),
      overlay: { file: overlay, nodeId },
      baseExport: null,
    };
    const next = recordEpoch(updateVolume(allocated, name, (v) => ({ ...v, promotion })), input.mirror, input.epoch);
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    await op.commit(next, [["volume.promoted", { name, mirror: input.mirror, epoch: input.epoch, overlay, ms }]]);
    ctx.log.info("volume promoted: writes go to an overlay, the base is frozen", { name, mirror: input.mirror, epoch: input.epoch, overlay, ms });
    return requireVolume(ctx.store.state, name);
  });
}
