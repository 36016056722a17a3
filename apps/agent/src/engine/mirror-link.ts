// Once a second per mirror: probe the target's export, resume a job that a target error paused
// once the target answers again (block-job-resume; several tries are normal while QSD's NBD
// client reconnects), and start jobs that a restart left pending. Never touches an operator pause.
// While the target does not answer: free a job stuck on a dead connection (dead-link.ts) and ask
// the peer whether it moved on without us (stale-source.ts).
import { findMirror } from "../state/state-edits";
import { DeadLinkBreaker } from "./dead-link";
import { StaleSourceCheck } from "./stale-source";
import type { MirrorRecord } from "../state/state-schema";
import { jobIdOf, resumeJob } from "./mirror-qmp";
import { restartMirror } from "./mirror-job";
import { publishPhase } from "./mirror-progress";
import { probeNbdExport } from "./nbd-probe";
import { errorText } from "./storage-error";
import type { StorageContext } from "./storage-context";

const TICK_MS = 1_000;
/** Resume every tick at first, then back off (doubling) up to this. */
const MAX_RESUME_INTERVAL_MS = 10_000;
const FREE_ATTEMPTS = 5;

export function resumeDelay(attempts: number): number {
  return attempts < FREE_ATTEMPTS ? TICK_MS : Math.min(TICK_MS * 2 ** (attempts - FREE_ATTEMPTS + 1), MAX_RESUME_INTERVAL_MS);
}

export class MirrorLink {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly breaker: DeadLinkBreaker;
  private readonly staleSource: StaleSourceCheck;

  constructor(private readonly ctx: StorageContext) {
    this.breaker = new DeadLinkBreaker(ctx.log);
    this.staleSource = new StaleSourceCheck(ctx);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await Promise.all(this.ctx.store.state.mirrors.map((m) => this.check(m)));
    } finally {
      this.running = false;
    }
  }

  private async check(probed: MirrorRecord): Promise<void> {
    const { ctx } = this;
    const probe = await probeNbdExport(probed.target);
    // Re-read: the mirror may have been stopped or paused while the probe ran.
    const record = findMirror(ctx.store.state, probed.name);
    if (!record) return;
    const live = ctx.mirrors.ensure(record.name);
    const now = Date.now();
    if (probe.ok) {
      if (live.link !== "up") ctx.log.info("mirror target answers", { name: record.name });
      live.link = "up";
      live.linkDownSince = null;
      live.linkWhy = null;
      this.staleSource.linkUp(record.name);
    } else {
      if (live.link !== "down") {
        live.linkDownSince = new Date(now).toISOString();
        ctx.log.warn("mirror target does not answer", { name: record.name, why: probe.why });
      }
      live.link = "down";
      live.linkWhy = probe.why;
      this.staleSource.linkDown(record, Date.parse(live.linkDownSince!), now);
    }
    await this.breaker.probed(record.name, record.target, !probe.ok && probe.silent === true, live.job?.["io-status"] === "failed", now);
    publishPhase(ctx, record, probe.ok ? "target answers" : `target: ${probe.why}`);
    if (!probe.ok || live.busy || ctx.qsd.problem() !== null || record.paused) return;

    if (!live.job && live.restartPending) {
      await restartMirror(ctx, record.name).catch((err: unknown) =>
        ctx.log.warn("mirror job restart failed; will retry", { name: record.name, error: errorText(err) }),
      );
      return;
    }
    if (live.job?.["io-status"] !== "failed") {
      live.resumeAttempts = 0;
      return;
    }
    if (now < live.nextResumeAt) return;
    live.resumeAttempts++;
    live.nextResumeAt = now + resumeDelay(live.resumeAttempts);
    await resumeJob(ctx.qsd.session(), jobIdOf(record.name)).catch((err: unknown) =>
      ctx.log.warn("block-job-resume failed", { name: record.name, error: errorText(err) }),
    );
  }
}
