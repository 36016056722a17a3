import type { QmpClient } from "../qmp/qmp-client";
import { signalQuietly } from "./process-info";

export interface StopQsdOptions {
  pid: number;
  /** An open QMP session lets QSD close its images cleanly (persistent bitmaps, qcow2 metadata). */
  qmp: QmpClient | null;
  waitForExit: (timeoutMs: number) => Promise<boolean>;
  graceMs?: number;
}

export type StopOutcome = "quit" | "terminated" | "killed";

/**
 * QMP `quit`, else SIGTERM; SIGKILL after the grace period. QSD can hang on shutdown while a
 * mirror target is unreachable, so the grace period is short and the kill is not optional.
 */
export async function stopQsdProcess({ pid, qmp, waitForExit, graceMs = 3_000 }: StopQsdOptions): Promise<StopOutcome> {
  const deadline = Date.now() + graceMs;
  let asked: StopOutcome = "terminated";
  if (qmp?.isOpen) {
    // The reply may be lost when QSD closes the socket first; the exit is what counts.
    await qmp.execute("quit", undefined, { timeoutMs: graceMs }).catch(() => {});
    asked = "quit";
  } else {
    signalQuietly(pid, "SIGTERM");
  }
  if (await waitForExit(Math.max(0, deadline - Date.now()))) return asked;
  signalQuietly(pid, "SIGKILL");
  await waitForExit(5_000);
  return "killed";
}
