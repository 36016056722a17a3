import type { DataPaths } from "../config/data-paths";
import type { HostPort } from "../config/host-port";
import type { Publish } from "../events/event-log";
import type { Logger } from "../log";
import type { QmpClient } from "../qmp/qmp-client";
import type { QmpEvent } from "../qmp/qmp-messages";
import { eventCoalescer } from "./qmp-event-coalescer";
import { describeExit, QsdInstance, QsdStartError, type QsdExit, type QsdStartOptions } from "./qsd-instance";
import type { StopOutcome } from "./stop-qsd-process";
import { assertTransition, backoffDelay, type QsdState } from "./qsd-state";

export interface QsdInfo {
  running: boolean;
  pid: number | null;
  version: string | null;
  restarts: number;
  startedAt: string | null;
}

/** What the supervisor needs from a started QSD (QsdInstance; a fake in unit tests). */
export interface RunningQsd {
  readonly pid: number;
  readonly version: string;
  readonly startedAt: Date;
  readonly exited: Promise<QsdExit>;
  readonly hasExited: boolean;
  readonly qmp: Pick<QmpClient, "isOpen" | "closed" | "execute" | "onEvent">;
  stop(): Promise<{ outcome: StopOutcome; exit: QsdExit }>;
  killNow(): void;
}

export interface QsdSupervisorOptions {
  paths: DataPaths;
  nbd: HostPort;
  log: Logger;
  publish: Publish;
  backoff?: { initialMs: number; maxMs: number };
  /** A QSD that ran this long before dying starts the backoff from the beginning again. */
  stableAfterMs?: number;
  startInstance?: (options: QsdStartOptions) => Promise<RunningQsd>;
  /** Every QMP event of every QSD, before it is published as `qsd.event`. */
  onQmpEvent?: (event: QmpEvent) => void;
  /** Called each time a QSD is up (first start and every restart): its graph is empty. */
  onRunning?: (qsd: RunningQsd) => void;
}

/** Keeps one QSD running: starts it, restarts it with backoff when it dies, stops it on request. */
export class QsdSupervisor {
  private state: QsdState = "idle";
  private instance: RunningQsd | null = null;
  private restarts = 0;
  private consecutiveFailures = 0;
  private problem: string | null = "qemu-storage-daemon has not been started yet";
  private nextStartAt: number | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private launching: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private readonly worthPublishing = eventCoalescer();

  constructor(private readonly options: QsdSupervisorOptions) {}

  start(): void {
    this.launching = this.launch(false);
  }

  status(): { info: QsdInfo; problem: string | null } {
    const inst = this.instance;
    const running = this.state === "running" && inst !== null && inst.qmp.isOpen && !inst.hasExited;
    const info: QsdInfo = {
      running,
      pid: inst?.pid ?? null,
      version: inst?.version ?? null,
      restarts: this.restarts,
      startedAt: inst?.startedAt.toISOString() ?? null,
    };
    if (running) return { info, problem: null };
    const wait = this.nextStartAt === null ? "" : `; next start in ${Math.max(0, Math.ceil((this.nextStartAt - Date.now()) / 1000))} s`;
    const problems: Record<QsdState, string> = {
      idle: "qemu-storage-daemon has not been started yet",
      starting: "qemu-storage-daemon is starting",
      running: "qemu-storage-daemon lost its QMP connection",
      backoff: `qemu-storage-daemon is not running: ${this.problem}${wait}`,
      stopping: "the agent is stopping",
      stopped: "the agent has stopped qemu-storage-daemon",
    };
    return { info, problem: problems[this.state] };
  }

  /** Stops QSD (QMP quit, SIGKILL after 3 s) and never starts it again. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /** Synchronous SIGKILL for process exit hooks. */
  killNow(): void {
    this.instance?.killNow();
  }

  private async doStop(): Promise<void> {
    this.transition("stopping");
    this.abort.abort();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.nextStartAt = null;
    await this.launching;
    const inst = this.instance;
    if (inst) {
      const { outcome, exit } = await inst.stop();
      this.options.log.info("qemu-storage-daemon stopped", { pid: inst.pid, how: outcome });
      this.options.publish("qsd.exited", { pid: inst.pid, code: exit.code, signal: exit.signal, expected: true });
    }
    this.transition("stopped");
  }

  private async launch(isRestart: boolean): Promise<void> {
    this.transition("starting");
    this.nextStartAt = null;
    if (isRestart) this.restarts++;
    const { log, publish } = this.options;
    let inst: RunningQsd;
    try {
      inst = await (this.options.startInstance ?? QsdInstance.start)({
        paths: this.options.paths,
        nbd: this.options.nbd,
        signal: this.abort.signal,
        warn: (message) => log.warn(message),
        onQmpEvent: (e) => {
          this.options.onQmpEvent?.(e);
          if (this.worthPublishing(e)) publish("qsd.event", { event: e.event, data: e.data ?? {}, timestamp: e.timestamp });
        },
      });
    } catch (err) {
      if (this.state !== "starting") return; // stop() arrived meanwhile
      const startError = err instanceof QsdStartError ? err : null;
      this.problem = (err as Error).message;
      log.error("qemu-storage-daemon failed to start", { error: this.problem });
      // Backoff first: a consumer re-reading health on this event must see QSD down.
      this.scheduleRestart();
      publish("qsd.exited", {
        pid: startError?.pid ?? null,
        code: startError?.exit?.code ?? null,
        signal: startError?.exit?.signal ?? null,
        expected: false,
        reason: this.problem,
      });
      return;
    }

    this.instance = inst;
    if (this.state !== "starting") return; // stop() will stop it
    this.transition("running");
    this.problem = null;
    log.info(isRestart ? "qemu-storage-daemon restarted" : "qemu-storage-daemon started", {
      pid: inst.pid,
      version: inst.version,
      restarts: this.restarts,
    });
    publish(isRestart ? "qsd.restarted" : "qsd.started", {
      pid: inst.pid,
      version: inst.version,
      restarts: this.restarts,
    });
    void inst.exited.then((exit) => this.onExit(inst, exit));
    void inst.qmp.closed.then(() => this.onQmpClosed(inst));
    this.options.onRunning?.(inst);
  }

  private onExit(inst: RunningQsd, exit: QsdExit): void {
    if (this.instance !== inst || this.state !== "running") return; // an expected exit during stop
    this.instance = null;
    this.problem = `it ${describeExit(exit)}`;
    const ranMs = Date.now() - inst.startedAt.getTime();
    if (ranMs >= (this.options.stableAfterMs ?? 60_000)) this.consecutiveFailures = 0;
    this.options.log.error("qemu-storage-daemon exited unexpectedly", {
      pid: inst.pid,
      code: exit.code,
      signal: exit.signal,
      reason: exit.reason,
    });
    this.scheduleRestart();
    this.options.publish("qsd.exited", {
      pid: inst.pid,
      code: exit.code,
      signal: exit.signal,
      expected: false,
      reason: exit.reason,
    });
  }

  // Without QMP the agent cannot control QSD. The socket also closes just before a normal
  // exit, so give the exit a moment to arrive; then stop QSD cleanly and let onExit restart it.
  private onQmpClosed(inst: RunningQsd): void {
    setTimeout(() => {
      if (this.instance !== inst || this.state !== "running" || inst.hasExited) return;
      this.options.log.warn("QMP connection lost while qemu-storage-daemon runs; restarting it", { pid: inst.pid });
      void inst.stop();
    }, 1_000).unref();
  }

  private scheduleRestart(): void {
    this.transition("backoff");
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 15_000 };
    const delay = backoffDelay(this.consecutiveFailures++, initialMs, maxMs);
    this.nextStartAt = Date.now() + delay;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.launching = this.launch(true);
    }, delay);
  }

  private transition(to: QsdState): void {
    assertTransition(this.state, to);
    this.state = to;
  }
}
