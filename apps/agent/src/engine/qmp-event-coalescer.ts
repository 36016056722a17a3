import type { QmpEvent } from "../qmp/qmp-messages";

/**
 * Whether a QMP event should reach the agent's event stream. A mirror resumed while its
 * target is still away reports one BLOCK_JOB_ERROR per chunk in flight (a burst of ~17), and
 * the retry loop resumes every second: keep one per job per window so the replay buffer keeps
 * the events that matter.
 */
export function eventCoalescer(windowMs = 5_000, now: () => number = Date.now): (e: QmpEvent) => boolean {
  const lastError = new Map<string, number>();
  return (e) => {
    if (e.event !== "BLOCK_JOB_ERROR") return true;
    const device = String(e.data?.device ?? "");
    const t = now();
    const last = lastError.get(device);
    if (last !== undefined && t - last < windowMs) return false;
    lastError.set(device, t);
    return true;
  };
}
