// Failover, on the old source (when it answers): it must never serve the mirror's volume again,
// nor restart the mirror job, until the console says otherwise with a newer epoch. The fence is
// written to the state file before anything else, so a crash halfway comes back held.
import type { FenceMirrorResult } from "@tandem/contracts/failover";
import { fenceOfVolume, findMirror, findReplicationExport, luOfVolume, putFence, removeMirror } from "../state/state-edits";
import type { FenceRecord } from "../state/state-schema";
import { heldReason } from "./holds";
import { requireVolume } from "./lookups";
import { standbyWithin } from "./lus";
import { checkEpoch } from "./mirror-job";
import { endMirrorJob } from "./mirror-stop";
import { runOperation } from "./operation";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

/** The peer is gone or fenced us: a drain can only hang; give it this long, then abandon. */
const FENCE_DRAIN_MS = 10_000;

/** `reason` says why when the agent fences itself (the console's fence says "fenced: …"). */
export function fenceMirror(ctx: StorageContext, name: string, input: { epoch: number; volume?: string }, reason?: string): Promise<FenceMirrorResult> {
  return runOperation(ctx, "fence mirror", async (op) => {
    const state = ctx.store.state;
    checkEpoch(state, name, input.epoch);
    if (findReplicationExport(state, name)) {
      throw new StorageError(
        "wrong_state",
        `this host is the target of mirror ${name}; a target is fenced by removing its replication export (DELETE /v1/replication/exports/${name}?epoch=${input.epoch})`,
      );
    }
    const mirror = findMirror(state, name);
    if (mirror && input.volume !== undefined && input.volume !== mirror.volume) {
      throw new StorageError("wrong_state", `mirror ${name} runs from volume ${mirror.volume} here, not ${input.volume}`);
    }
    const volumeName = mirror?.volume ?? input.volume ?? state.fences.find((f) => f.mirror === name)?.volume;
    if (!volumeName) {
      throw new StorageError("wrong_state", `mirror ${name} does not run here and nothing here is fenced for it; name the volume to fence`);
    }
    const volume = requireVolume(state, volumeName);
    const existing = fenceOfVolume(state, volume.name);
    if (existing && existing.mirror !== name) {
      throw new StorageError("wrong_state", `volume ${volume.name} is already fenced for mirror ${existing.mirror} (${existing.reason})`);
    }

    let fence: FenceRecord = existing ?? { mirror: name, volume: volume.name, epoch: input.epoch, at: "", reason: "" };
    if (!existing || existing.epoch < input.epoch) {
      fence = { mirror: name, volume: volume.name, epoch: input.epoch, at: ctx.now().toISOString(), reason: reason ?? `fenced: mirror ${name} at epoch ${input.epoch}` };
      await op.commit(putFence(ctx.store.state, fence), [["mirror.fenced", { ...fence }]]);
      ctx.log.warn("fenced: this host no longer serves the volume of the mirror", { mirror: name, volume: volume.name, epoch: input.epoch });
    }

    // No client writes after the fence: the LU goes first, then the job.
    let luStandby: string | null = null;
    const lu = luOfVolume(ctx.store.state, volume.name);
    if (lu && lu.state !== "standby") {
      await standbyWithin(ctx, op, lu.guid, heldReason(fence));
      luStandby = lu.guid;
    }
    let stopped: FenceMirrorResult["stopped"] = null;
    if (mirror) {
      const end = await endMirrorJob(ctx, ctx.qsd.session(), mirror, FENCE_DRAIN_MS);
      await op.commit(removeMirror(ctx.store.state, name), [["mirror.stopped", { name, volume: mirror.volume, ...end, fenced: true }]]);
      ctx.mirrors.forget(name);
      stopped = { name, ...end };
    }
    return { fence: { ...fence }, luStandby, stopped };
  });
}
