// Mirror states (DESIGN §3): one transition table, and the one place that combines role, link,
// lag and epoch into a health value with a reason.
import { z } from "zod";

export const MIRROR_STATES = [
  "uninitialized",
  "syncing",
  "in_sync",
  "lagging",
  "paused",
  "broken",
  "failed_over",
  "resyncing",
  "reversing",
  "error",
] as const;
export const mirrorState = z.enum(MIRROR_STATES);
export type MirrorState = z.infer<typeof mirrorState>;

const T: Record<MirrorState, readonly MirrorState[]> = {
  uninitialized: ["syncing", "error"],
  syncing: ["in_sync", "lagging", "paused", "broken", "error"],
  in_sync: ["lagging", "paused", "broken", "reversing", "failed_over", "error"],
  lagging: ["in_sync", "paused", "broken", "reversing", "failed_over", "error"],
  paused: ["syncing", "in_sync", "lagging", "broken", "failed_over", "error"],
  broken: ["syncing", "in_sync", "lagging", "paused", "failed_over", "error"],
  failed_over: ["resyncing", "error"],
  resyncing: ["syncing", "in_sync", "lagging", "broken", "error"],
  reversing: ["in_sync", "lagging", "error"],
  error: ["syncing", "uninitialized", "paused"],
};

export function canTransition(from: MirrorState, to: MirrorState): boolean {
  return T[from].includes(to);
}

export function assertTransition(from: MirrorState, to: MirrorState): void {
  if (!canTransition(from, to)) throw new Error(`mirror cannot go from ${from} to ${to}`);
}

export const mirrorMode = z.enum(["sync", "async"]);
export type MirrorMode = z.infer<typeof mirrorMode>;

export type Health = { level: "ok" | "warning" | "critical"; reason: string };

export type HealthInput = {
  state: MirrorState;
  mode: MirrorMode;
  lagBytes: number;
  lagSeconds: number | null;
  rpoTargetSeconds: number | null;
  sourceOnline: boolean;
  targetOnline: boolean;
  epochsAgree: boolean;
  converging: boolean;
};

export function mirrorHealth(h: HealthInput): Health {
  if (!h.epochsAgree) return { level: "critical", reason: "the hosts disagree about the mirror's epoch" };
  if (h.state === "error") return { level: "critical", reason: "the mirror is in error" };
  if (h.state === "failed_over") return { level: "critical", reason: "failed over: the target serves clients, no copy is protected" };
  if (!h.sourceOnline) return { level: "critical", reason: "source host is offline" };
  if (h.state === "broken" || !h.targetOnline) return { level: "critical", reason: "replication link is down; the source keeps serving" };
  if (h.state === "uninitialized") return { level: "warning", reason: "not initialized yet" };
  if (h.state === "paused") return { level: "warning", reason: "paused by an operator" };
  if (h.state === "syncing" || h.state === "resyncing") return { level: "warning", reason: "copy in progress: the target is not yet complete" };
  if (h.state === "reversing") return { level: "warning", reason: "direction is being reversed" };
  if (h.rpoTargetSeconds !== null && h.lagSeconds !== null && h.lagSeconds > h.rpoTargetSeconds) {
    return { level: "critical", reason: `lag ${h.lagSeconds.toFixed(0)} s is over the RPO target of ${h.rpoTargetSeconds} s` };
  }
  if (!h.converging) return { level: "warning", reason: "lag keeps growing: replication is not converging" };
  if (h.state === "lagging") return { level: "warning", reason: "the target is behind" };
  return { level: "ok", reason: h.mode === "sync" ? "in sync (every write reaches both sides)" : "in sync" };
}
