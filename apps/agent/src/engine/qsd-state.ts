// Lifecycle of the supervised QSD. One table, checked on every change, so a late callback
// (an exit during stop, a start finishing after stop) cannot move the supervisor backwards.
export type QsdState = "idle" | "starting" | "running" | "backoff" | "stopping" | "stopped";

const transitions: Record<QsdState, readonly QsdState[]> = {
  idle: ["starting", "stopping"],
  starting: ["running", "backoff", "stopping"],
  running: ["backoff", "stopping"],
  backoff: ["starting", "stopping"],
  stopping: ["stopped"],
  stopped: [],
};

export function assertTransition(from: QsdState, to: QsdState): void {
  if (!transitions[from].includes(to)) throw new Error(`QSD supervisor: invalid transition ${from} -> ${to}`);
}

/** Restart delay: doubles with each consecutive failure, capped. */
export function backoffDelay(consecutiveFailures: number, initialMs: number, maxMs: number): number {
  return Math.min(initialMs * 2 ** consecutiveFailures, maxMs);
}
