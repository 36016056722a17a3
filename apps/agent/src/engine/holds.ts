// Holds: a volume this host was fenced on (or found behind its peer's epoch) must not serve
// clients here. The fence is recorded in the state file, so restarts keep it (DESIGN §3: "an
// agent that returns with an older epoch is held in Standby").
import { fenceOfVolume } from "../state/state-edits";
import type { AgentState, FenceRecord } from "../state/state-schema";
import { StorageError } from "./storage-error";

/** This host's epoch of a mirror: the record's own, or a newer one recorded here since. */
export const ourEpoch = (s: AgentState, mirror: string, epoch: number) => Math.max(epoch, s.mirrorEpochs[mirror] ?? 0);

/** Why a volume is held when the peer records a newer epoch for its mirror than this host. */
export const staleEpochReason = (ours: number, theirs: number, peer: string) => `held: stale epoch ${ours} < ${theirs} (peer ${peer})`;

/** The LU's Standby reason for a fence: "held: …", whether or not the fence says so itself. */
export const heldReason = (fence: Pick<FenceRecord, "reason">) => (fence.reason.startsWith("held") ? fence.reason : `held: ${fence.reason}`);

/** The epoch that lifts a fence: the fence's own, or a newer one recorded here since. */
export const liftEpoch = (s: AgentState, f: FenceRecord) => ourEpoch(s, f.mirror, f.epoch);

/**
 * Refuses `action` on a held volume unless `epoch` is the current one; returns the fence that
 * the action lifts (null when the volume is not held).
 */
export function requireCurrentEpoch(s: AgentState, volume: string, epoch: number | undefined, action: string): FenceRecord | null {
  const fence = fenceOfVolume(s, volume);
  if (!fence) return null;
  const current = liftEpoch(s, fence);
  if (epoch === undefined) {
    throw new StorageError(
      "stale_epoch",
      `volume ${volume} is held (${fence.reason}); to ${action} pass the current epoch of mirror ${fence.mirror} (${current} here)`,
    );
  }
  if (epoch < current) {
    throw new StorageError("stale_epoch", `volume ${volume} is held (${fence.reason}); epoch ${epoch} is stale: mirror ${fence.mirror} is at epoch ${current} here`);
  }
  return fence;
}

/** A held volume serves no clients, whatever the caller says (LU creation has no epoch to give). */
export function requireNotHeld(s: AgentState, volume: string, action: string): void {
  const fence = fenceOfVolume(s, volume);
  if (!fence) return;
  throw new StorageError(
    "stale_epoch",
    `volume ${volume} is held (${fence.reason}); cannot ${action}: create the LU in standby and import it with the current epoch`,
  );
}
