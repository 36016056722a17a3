// Host status: one transition table, one place that decides what an observation means.
import { z } from "zod";

export const HOST_STATUSES = ["online", "degraded", "offline", "maintenance"] as const;
export const hostStatus = z.enum(HOST_STATUSES);
export type HostStatus = z.infer<typeof hostStatus>;

const transitions: Record<HostStatus, readonly HostStatus[]> = {
  online: ["degraded", "offline", "maintenance"],
  degraded: ["online", "offline", "maintenance"],
  offline: ["online", "degraded", "maintenance"],
  maintenance: ["online", "degraded", "offline"],
};

export function canTransition(from: HostStatus, to: HostStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: HostStatus, to: HostStatus): void {
  if (!canTransition(from, to)) throw new Error(`host status cannot go from ${from} to ${to}`);
}

/** What the monitor saw when it last polled the agent. */
export type HostObservation =
  | { reachable: true; qsdRunning: boolean; reason: string | null }
  | { reachable: false; reason: string };

/**
 * The status an observation implies. A host in maintenance stays there: an admin put it there
 * and only an admin takes it out.
 */
export function statusFor(current: HostStatus, seen: HostObservation): { status: HostStatus; reason: string | null } {
  if (current === "maintenance") return { status: "maintenance", reason: "in maintenance" };
  if (!seen.reachable) return { status: "offline", reason: seen.reason };
  if (!seen.qsdRunning) return { status: "degraded", reason: seen.reason ?? "storage daemon not running" };
  return { status: "online", reason: null };
}
