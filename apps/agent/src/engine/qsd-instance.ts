import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { DataPaths } from "../config/data-paths";
import type { HostPort } from "../config/host-port";
import { QmpClient } from "../qmp/qmp-client";
import { QmpConnectionError } from "../qmp/qmp-errors";
import { qmpVersion, type QmpEvent } from "../qmp/qmp-messages";
import { lastLogLine } from "./log-tail";
import { signalQuietly } from "./process-info";
import { QSD_BINARY, qsdArgs } from "./qsd-args";
import { stopQsdProcess, type StopOutcome } from "./stop-qsd-process";

export interface QsdExit {
  code: number | null;
  signal: string | null;
  /** Last line QSD wrote to its log, or why it could not be spawned at all. */
  reason: string | null;
}

export interface QsdStartOptions {
  paths: DataPaths;
  nbd: HostPort;
  onQmpEvent: (event: QmpEvent) => void;
  warn: (message: string) => void;
  signal?: AbortSignal;
  /** How long QSD may take to open its QMP socket. */
  readyTimeoutMs?: number;
}

/** QSD did not come up; `exit` is set when the process itself ended. */
export class QsdStartError extends Error {
  constructor(
    message: string,
    readonly pid: number | null,
    readonly exit: QsdExit | null,
  ) {
    super(message);
    this.name = "QsdStartError";
  }
}

export function describeExit(exit: QsdExit): string {
  const how = exit.signal ? `was killed by ${exit.signal}` : exit.code === null ? "could not run" : `exited with code ${exit.code}`;
  return exit.reason ? `${how}: ${exit.reason}` : how;
}

/** One running qemu-storage-daemon process with its QMP session. */
export class QsdInstance {
  private exitValue: QsdExit | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly qmp: QmpClient,
    readonly version: string,
    readonly startedAt: Date,
    readonly exited: Promise<QsdExit>,
    private readonly pidFile: string,
  ) {
    void exited.then((exit) => (this.exitValue = exit));
  }

  get hasExited(): boolean {
    return this.exitValue !== null;
  }

  /** Spawns QSD and waits for QMP. On any failure the process is killed before this rejects. */
  static async start(options: QsdStartOptions): Promise<QsdInstance> {
    const { paths } = options;
    // A socket file left by a crashed QSD would make us talk to nobody until the new one binds.
    rmSync(paths.qmpSocket, { force: true });

    const logFd = openSync(paths.qsdLog, "a");
    let child: ChildProcess;
    try {
      writeSync(logFd, `=== ${new Date().toISOString()} starting ${QSD_BINARY}\n`);
      // The log file, not a pipe: QSD must not get EPIPE if the agent dies before it.
      // Own process group: a Ctrl-C on the agent's terminal must not reach QSD directly,
      // the agent stops it with QMP quit.
      child = spawn(QSD_BINARY, qsdArgs({ qmpSocket: paths.qmpSocket, nbd: options.nbd }), {
        stdio: ["ignore", logFd, logFd],
        detached: true,
      });
    } finally {
      closeSync(logFd);
    }

    const exited = new Promise<QsdExit>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal, reason: lastLogLine(paths.qsdLog) }));
      child.once("error", (err) => {
        if (child.pid === undefined) resolve({ code: null, signal: null, reason: err.message });
      });
    });
    const pid = child.pid;
    if (pid === undefined) {
      const exit = await exited;
      throw new QsdStartError(`cannot start ${QSD_BINARY}: ${exit.reason}`, null, exit);
    }
    writeFileSync(paths.qsdPidFile, `${pid}\n`);

    let qmp: QmpClient | undefined;
    try {
      qmp = await connectWhenReady(options, exited);
      const version = await qmp.execute("query-version", undefined, { returns: qmpVersion, timeoutMs: 5_000 });
      qmp.onEvent(options.onQmpEvent);
      const { major, minor, micro } = version.qemu;
      return new QsdInstance(child, pid, qmp, `${major}.${minor}.${micro}`, new Date(), exited, paths.qsdPidFile);
    } catch (err) {
      qmp?.close();
      signalQuietly(pid, "SIGKILL");
      const exit = await exited;
      rmSync(paths.qsdPidFile, { force: true });
      const why = err instanceof QsdStartError ? err.message : `did not become ready: ${(err as Error).message}`;
      throw new QsdStartError(`${QSD_BINARY} (pid ${pid}) ${why}`, pid, exit);
    }
  }

  /** Graceful stop (QMP quit, SIGKILL after graceMs). Resolves once the process is gone. */
  async stop(graceMs = 3_000): Promise<{ outcome: StopOutcome; exit: QsdExit }> {
    const outcome = this.hasExited
      ? "quit"
      : await stopQsdProcess({
          pid: this.pid,
          qmp: this.qmp,
          graceMs,
          waitForExit: (ms) => Promise.race([this.exited.then(() => true), sleep(ms).then(() => false)]),
        });
    this.qmp.close();
    const exit = await this.exited;
    rmSync(this.pidFile, { force: true });
    return { outcome, exit };
  }

  /** Synchronous last resort for process exit hooks, where nothing async runs any more. */
  killNow(): void {
    if (!this.hasExited && this.child.exitCode === null && this.child.signalCode === null) signalQuietly(this.pid, "SIGKILL");
  }
}

/** QSD creates the QMP socket shortly after exec: retry until it accepts, QSD dies, or time runs out. */
async function connectWhenReady(options: QsdStartOptions, exited: Promise<QsdExit>): Promise<QmpClient> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  const seen: { exit: QsdExit | null } = { exit: null };
  void exited.then((e) => (seen.exit = e));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (seen.exit) throw new QsdStartError(describeExit(seen.exit), null, seen.exit);
    if (options.signal?.aborted) throw new QsdStartError("start cancelled", null, null);
    try {
      return await QmpClient.connect(options.paths.qmpSocket, { timeoutMs: 2_000, warn: options.warn });
    } catch (err) {
      if (!(err instanceof QmpConnectionError)) throw err;
      lastError = err;
      await sleep(25);
    }
  }
  throw new QsdStartError(`no QMP socket within the start timeout (${(lastError as Error | undefined)?.message})`, null, null);
}
