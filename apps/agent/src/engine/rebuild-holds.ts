// At every QSD start, before anything is exported: a stale source never serves. A volume this
// host mirrors (or promoted) is held when the peer agent records a newer epoch for its mirror
// (a failover or reversal happened without us), and a fenced volume stays held. Held: the LU
// goes to Standby with the reason, the mirror job is not restarted (its record becomes a fence).
import { fenceOfVolume, putFence, removeMirror } from "../state/state-edits";
import { heldReason, ourEpoch, staleEpochReason } from "./holds";
import { toStandby, type Draft } from "./rebuild-draft";
import type { StorageContext } from "./storage-context";

/** Mirrors whose epoch the peer must confirm: sourced here, or promoted here. */
function askedMirrors(draft: Draft): Map<string, { volume: string; epoch: number }> {
  const s = draft.state;
  const asked = new Map<string, { volume: string; epoch: number }>();
  const ours = (mirror: string, epoch: number) => ourEpoch(s, mirror, epoch);
  for (const m of s.mirrors) asked.set(m.name, { volume: m.volume, epoch: ours(m.name, m.epoch) });
  for (const v of s.volumes) {
    if (v.promotion && !fenceOfVolume(s, v.name)) asked.set(v.promotion.mirror, { volume: v.name, epoch: ours(v.promotion.mirror, v.promotion.epoch) });
  }
  return asked;
}

function hold(ctx: StorageContext, draft: Draft, mirror: string, volume: string, epoch: number, reason: string): void {
  draft.state = putFence(draft.state, { mirror, volume, epoch, at: ctx.now().toISOString(), reason });
  if (draft.state.mirrors.some((m) => m.name === mirror && m.volume === volume)) {
    draft.state = removeMirror(draft.state, mirror);
    ctx.mirrors.forget(mirror);
    draft.adjustments.push(`mirror ${mirror}: not restarted (${reason}); the mirror is fenced on this host`);
  }
}

export async function settleHolds(ctx: StorageContext, draft: Draft): Promise<void> {
  const asked = askedMirrors(draft);
  const peer = draft.state.alua.peer;
  if (asked.size > 0) {
    const names = [...asked.keys()].join(", ");
    const answer = peer ? await ctx.peer.epochs(peer) : null;
    if (!peer || !answer) {
      draft.adjustments.push(`epochs of mirror ${names} not checked: no ALUA peer is configured; exported as before`);
    } else if (answer.kind !== "ok") {
      draft.adjustments.push(`epochs of mirror ${names} not checked: peer ${peer.name} ${answer.why}; exported as before`);
    } else {
      for (const [mirror, ours] of asked) {
        const theirs = answer.epochs[mirror];
        if (theirs !== undefined && theirs > ours.epoch) {
          hold(ctx, draft, mirror, ours.volume, theirs, staleEpochReason(ours.epoch, theirs, peer.name));
        } else {
          draft.adjustments.push(`mirror ${mirror}: epoch ${ours.epoch} confirmed by peer ${peer.name} (${theirs ?? "none recorded there"})`);
        }
      }
    }
  }
  // Every fenced volume: no Active LU, no mirror job.
  for (const fence of draft.state.fences) {
    const lu = draft.state.lus.find((l) => l.volume === fence.volume);
    if (lu && lu.state !== "standby") {
      toStandby(ctx, draft, lu.guid, heldReason(fence));
      draft.adjustments.push(`LU ${lu.guid} of volume ${fence.volume} held in standby (${fence.reason})`);
    }
    const stale = draft.state.mirrors.find((m) => m.volume === fence.volume);
    if (stale) {
      draft.state = removeMirror(draft.state, stale.name);
      ctx.mirrors.forget(stale.name);
      draft.adjustments.push(`mirror ${stale.name}: not restarted, volume ${fence.volume} is fenced (${fence.reason})`);
    }
  }
}
