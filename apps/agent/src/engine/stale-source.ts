// A source that cannot reach its target may have been failed over without it: the console
// promoted the peer while this host was cut off, and its clients may still be writing here.
// The console fences such a host as soon as it reaches it, and a QSD start checks the peer's
// epochs; neither helps while only the peer is reachable again. So while a mirror's link is
// down, the agent asks its ALUA peer for its epochs now and then, and when the peer records a
// newer epoch for the mirror, it holds the volume at once: the same fence the console would send.
import { findMirror } from "../state/state-edits";
import type { AluaRecord, MirrorRecord } from "../state/state-schema";
import { fenceMirror } from "./fence";
import { ourEpoch, staleEpochReason } from "./holds";
import { errorText } from "./storage-error";
import type { StorageContext } from "./storage-context";

/**
 * The link must have been down this long before the peer is asked: a console fencing this host
 * right after the target (a forced failover) gets there first, with its own reason.
 */
const ASK_AFTER_MS = 1_000;
/** How often, per mirror whose link is down, the peer is asked. */
const ASK_EVERY_MS = 1_000;

export class StaleSourceCheck {
  private readonly lastAsked = new Map<string, number>();
  private readonly asking = new Set<string>();

  constructor(private readonly ctx: StorageContext) {}

  linkUp(mirror: string): void {
    this.lastAsked.delete(mirror);
  }

  /** Called on a failed probe; never waits for the peer (a silent peer takes seconds to time out). */
  linkDown(record: MirrorRecord, downSinceMs: number, now = Date.now()): void {
    const peer = this.ctx.store.state.alua.peer;
    if (!peer || now - downSinceMs < ASK_AFTER_MS || this.asking.has(record.name) || now - (this.lastAsked.get(record.name) ?? 0) < ASK_EVERY_MS) return;
    this.lastAsked.set(record.name, now);
    this.asking.add(record.name);
    void this.check(record.name, peer)
      .catch((err: unknown) => this.ctx.log.warn("holding a stale source failed; will retry", { name: record.name, error: errorText(err) }))
      .finally(() => this.asking.delete(record.name));
  }

  private async check(name: string, peer: NonNullable<AluaRecord["peer"]>): Promise<void> {
    const { ctx } = this;
    const answer = await ctx.peer.epochs(peer);
    if (answer.kind !== "ok") return;
    // Re-read: the mirror may have been stopped or fenced while the peer answered.
    const record = findMirror(ctx.store.state, name);
    if (!record) return;
    const ours = ourEpoch(ctx.store.state, name, record.epoch);
    const theirs = answer.epochs[name];
    if (theirs === undefined || theirs <= ours) return;
    const reason = staleEpochReason(ours, theirs, peer.name);
    ctx.log.warn("the peer moved on without this host: holding the mirror's volume", { name, volume: record.volume, ours, theirs });
    await fenceMirror(ctx, name, { epoch: theirs, volume: record.volume }, reason);
  }
}
