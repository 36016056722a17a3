// What the agent knows about each mirror beyond the state file: the last job sample, the link,
// the rate, why it failed. Lives in memory; a restart starts over (and the job restarts too).
import type { MirrorJob, MirrorJobPhase, MirrorMode } from "@tandem/contracts/replication";
import type { MirrorRecord } from "../state/state-schema";
import type { BlockJob } from "./mirror-qmp";
import { phaseOf } from "./mirror-phase";

/** Rate window: offset deltas over about the last second and a half. */
const RATE_WINDOW_MS = 1_500;

export interface MirrorLive {
  sync: "full" | "top" | "none";
  startedAt: string;
  readyAt: string | null;
  job: BlockJob | null;
  busy: "starting" | "draining" | null;
  error: string | null;
  /** QSD's words when the job ended on its own (BLOCK_JOB_COMPLETED with an error). */
  endError: string | null;
  restartPending: boolean;
  link: "up" | "down" | "unknown";
  linkDownSince: string | null;
  linkWhy: string | null;
  /** Offset when the link went down; the base of bytesCopiedSinceResume once it is back. */
  offsetAtLinkDown: number | null;
  resumedAt: string | null;
  resumeBase: number;
  /** Dirty bytes on the source while the job is paused (QSD's len does not grow then). */
  dirtyBytes: number;
  samples: { t: number; offset: number }[];
  rate: number;
  lastModeChange: MirrorJob["lastModeChange"];
  phase: MirrorJobPhase;
  /** Resume attempts since the link came back without the job recovering (for the backoff). */
  resumeAttempts: number;
  nextResumeAt: number;
}

export type PhaseChange = { name: string; from: MirrorJobPhase; to: MirrorJobPhase; reason: string };

export class MirrorRuntime {
  private readonly live = new Map<string, MirrorLive>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  get(name: string): MirrorLive | undefined {
    return this.live.get(name);
  }

  names(): string[] {
    return [...this.live.keys()];
  }

  /** A job (re)started: counters restart with it. Keeps link knowledge and the last mode change. */
  jobStarted(name: string, sync: MirrorLive["sync"]): MirrorLive {
    const prev = this.live.get(name);
    const entry: MirrorLive = {
      sync,
      startedAt: this.now().toISOString(),
      readyAt: null,
      job: null,
      busy: null,
      error: null,
      endError: null,
      restartPending: false,
      link: prev?.link ?? "unknown",
      linkDownSince: prev?.linkDownSince ?? null,
      linkWhy: prev?.linkWhy ?? null,
      offsetAtLinkDown: null,
      resumedAt: null,
      resumeBase: 0,
      dirtyBytes: 0,
      samples: [],
      rate: 0,
      lastModeChange: prev?.lastModeChange ?? null,
      phase: prev?.phase ?? "starting",
      resumeAttempts: 0,
      nextResumeAt: 0,
    };
    this.live.set(name, entry);
    return entry;
  }

  /** Known mirror without a running job (after a QSD/agent restart, or a failed start). */
  ensure(name: string): MirrorLive {
    const existing = this.live.get(name);
    if (existing) return existing;
    const entry = this.jobStarted(name, "full");
    entry.restartPending = true;
    return entry;
  }

  forget(name: string): void {
    this.live.delete(name);
  }

  /** Applies one query-block-jobs sample (null: the job is not listed). */
  sample(name: string, job: BlockJob | null, dirtyBytes = 0): void {
    const l = this.live.get(name);
    if (!l) return;
    const t = this.now().getTime();
    l.job = job;
    l.dirtyBytes = job?.paused ? dirtyBytes : 0;
    if (!job) {
      l.samples = [];
      l.rate = 0;
      return;
    }
    if (job.ready && !l.readyAt) l.readyAt = new Date(t).toISOString();
    l.samples.push({ t, offset: job.offset });
    while (l.samples.length > 2 && t - l.samples[0]!.t > RATE_WINDOW_MS) l.samples.shift();
    const first = l.samples[0]!;
    l.rate = t > first.t ? Math.max(0, ((job.offset - first.offset) * 1000) / (t - first.t)) : 0;
  }

  /** Recomputes the phase; returns the change, if any, and keeps the link-down bookkeeping. */
  settlePhase(record: MirrorRecord, reason: string): PhaseChange | null {
    const l = this.live.get(record.name);
    if (!l) return null;
    const to = phaseOf({ busy: l.busy, job: l.job, error: l.error, restartPending: l.restartPending, link: l.link, pausedByOperator: record.paused });
    const from = l.phase;
    if (to === from) return null;
    l.phase = to;
    if (to === "link_down" && l.offsetAtLinkDown === null) l.offsetAtLinkDown = l.job?.offset ?? 0;
    if ((to === "copying" || to === "ready") && from === "link_down" && l.offsetAtLinkDown !== null) {
      l.resumedAt = this.now().toISOString();
      l.resumeBase = l.offsetAtLinkDown;
      l.offsetAtLinkDown = null;
    }
    return { name: record.name, from, to, reason };
  }

  view(record: MirrorRecord): MirrorJob {
    const l = this.ensure(record.name);
    const offset = l.job?.offset ?? 0;
    const len = l.job?.len ?? 0;
    return {
      name: record.name,
      volume: record.volume,
      target: record.target,
      mode: record.mode,
      sync: l.sync,
      phase: l.phase,
      link: l.link,
      linkDownSince: l.linkDownSince,
      pausedByOperator: record.paused,
      offset,
      len,
      lagBytes: Math.max(0, len - offset, l.dirtyBytes),
      rateBytesPerSec: Math.round(l.rate),
      bytesCopied: offset,
      resumedAt: l.resumedAt,
      bytesCopiedSinceResume: l.resumedAt ? Math.max(0, offset - l.resumeBase) : 0,
      speedLimitBytesPerSec: record.speedLimitBytesPerSec,
      error: l.error ?? (l.phase === "link_down" ? l.linkWhy : null),
      epoch: record.epoch,
      createdAt: record.createdAt,
      startedAt: l.startedAt,
      readyAt: l.readyAt,
      lastModeChange: l.lastModeChange,
    };
  }

  /** From QSD's events: a job that ended with an error, unless an operation is ending it. */
  noteJobEnd(name: string, error: string): void {
    const l = this.live.get(name);
    if (l && !l.busy) l.endError = error;
  }

  setModeChange(name: string, change: { from: MirrorMode; to: MirrorMode; clientOutageMs: number }): void {
    const l = this.live.get(name);
    if (l) l.lastModeChange = { at: this.now().toISOString(), ...change };
  }
}
