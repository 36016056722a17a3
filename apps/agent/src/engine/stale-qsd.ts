import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { DataPaths } from "../config/data-paths";
import type { Logger } from "../log";
import { QmpClient } from "../qmp/qmp-client";
import { isAlive, readCmdline, waitForPidExit } from "./process-info";
import { QSD_BINARY, qmpChardevOption } from "./qsd-args";
import { stopQsdProcess } from "./stop-qsd-process";

const pidFileContent = z.string().trim().regex(/^[1-9][0-9]{0,9}$/).transform(Number);

/** The pid recorded in the pid file, or null when there is none or it is garbage. */
export function readPidFile(file: string): number | null {
  try {
    const parsed = pidFileContent.safeParse(readFileSync(file, "utf8"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether pid is a QSD started for this data directory (pids get reused by unrelated processes). */
export function isOurQsd(pid: number, qmpSocket: string): boolean {
  const argv = readCmdline(pid);
  if (!argv || path.basename(argv[0] ?? "") !== QSD_BINARY) return false;
  return argv.includes(qmpChardevOption(qmpSocket));
}

/**
 * A QSD left by an agent that died without stopping it (kill -9, power cut of the agent only)
 * still holds the images and the NBD port. Stop it like our own: QMP quit, then SIGKILL.
 */
export async function stopStaleQsd(paths: DataPaths, log: Logger): Promise<void> {
  const pid = readPidFile(paths.qsdPidFile);
  if (pid !== null && isAlive(pid)) {
    if (isOurQsd(pid, paths.qmpSocket)) {
      log.warn("stopping a qemu-storage-daemon left over from an earlier run", { pid });
      const qmp = await QmpClient.connect(paths.qmpSocket, { timeoutMs: 1_000 }).catch(() => null);
      const outcome = await stopQsdProcess({ pid, qmp, waitForExit: (ms) => waitForPidExit(pid, ms) });
      qmp?.close();
      log.info("stale qemu-storage-daemon stopped", { pid, how: outcome });
    } else {
      log.warn("pid file names a process that is not our qemu-storage-daemon; leaving it alone", { pid });
    }
  }
  rmSync(paths.qsdPidFile, { force: true });
}
