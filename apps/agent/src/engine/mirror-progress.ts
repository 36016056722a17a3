// Samples query-block-jobs at 5 Hz while mirrors exist (no QMP event carries progress) and
// streams `mirror.progress`: at most every 250 ms per mirror, and only when something changed.
// Phase changes go out as `mirror.phase` (kept for replay), progress is live only.
import type { MirrorProgressEvent } from "@tandem/contracts/replication";
import { findMirror } from "../state/state-edits";
import type { MirrorRecord } from "../state/state-schema";
import { dirtyBytesByNode, jobIdOf, queryJobs } from "./mirror-qmp";
import type { QmpSession } from "./qsd-access";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

const SAMPLE_MS = 200;
const EMIT_MIN_MS = 250;

export function publishPhase(ctx: StorageContext, record: MirrorRecord, reason: string): void {
  const change = ctx.mirrors.settlePhase(record, reason);
  if (!change) return;
  ctx.publish("mirror.phase", { ...change });
  const log = change.to === "link_down" || change.to === "error" ? ctx.log.warn : ctx.log.info;
  log("mirror phase changed", { name: change.name, from: change.from, to: change.to, reason });
}

/** One query-block-jobs for all mirrors (plus dirty counts when a job is paused), then phases. */
export async function sampleMirrors(ctx: StorageContext, qmp: QmpSession, records: readonly MirrorRecord[]): Promise<void> {
  const jobs = await queryJobs(qmp);
  const anyPaused = records.some((r) => jobs.get(jobIdOf(r.name))?.paused);
  const dirty = anyPaused ? await dirtyBytesByNode(qmp) : new Map<string, number>();
  for (const record of records) {
    if (!findMirror(ctx.store.state, record.name)) continue; // stopped meanwhile
    const live = ctx.mirrors.ensure(record.name);
    const job = jobs.get(jobIdOf(record.name)) ?? null;
    // A job that vanished while nobody was working on it ended on its own: that is an error.
    if (!job && live.job && !live.busy && !live.restartPending && !live.error) {
      live.error = live.endError ?? "the mirror job ended without the agent asking; resume restarts it with a full sync";
    }
    const volume = ctx.store.state.volumes.find((v) => v.name === record.volume);
    ctx.mirrors.sample(record.name, job, volume ? (dirty.get(topNode(volume)) ?? 0) : 0);
    publishPhase(ctx, record, "job sample");
  }
}

/** Brings one mirror's numbers and phase up to date right after an operation changed it. */
export async function refreshMirror(ctx: StorageContext, qmp: QmpSession, name: string): Promise<void> {
  const record = findMirror(ctx.store.state, name);
  if (record) await sampleMirrors(ctx, qmp, [record]).catch(() => {});
}

export class MirrorProgress {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly emitted = new Map<string, { at: number; key: string }>();

  constructor(private readonly ctx: StorageContext) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    const { ctx } = this;
    const records = ctx.store.state.mirrors;
    if (this.running || records.length === 0 || ctx.qsd.problem() !== null) return;
    this.running = true;
    try {
      await sampleMirrors(ctx, ctx.qsd.session(), records);
      for (const record of records) this.emit(record);
    } catch {
      // QSD went away between the check and the query: the rebuild takes over.
    } finally {
      this.running = false;
    }
  }

  private emit(record: MirrorRecord): void {
    const view = this.ctx.mirrors.view(record);
    const key = `${view.phase}|${view.offset}|${view.len}|${view.rateBytesPerSec}`;
    const last = this.emitted.get(record.name);
    const now = Date.now();
    if (last && (last.key === key || now - last.at < EMIT_MIN_MS)) return;
    this.emitted.set(record.name, { at: now, key });
    const event: MirrorProgressEvent = {
      name: view.name,
      phase: view.phase,
      offset: view.offset,
      len: view.len,
      lagBytes: view.lagBytes,
      rateBytesPerSec: view.rateBytesPerSec,
      bytesCopied: view.bytesCopied,
      bytesCopiedSinceResume: view.bytesCopiedSinceResume,
      at: new Date(now).toISOString(),
    };
    this.ctx.publishLive("mirror.progress", event);
  }
}
