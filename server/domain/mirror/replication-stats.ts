// Pure helpers for what the monitor derives from engine samples: smoothed rate, lag in
// seconds, whether lag converges, and the state a job's phase implies.
import type { MirrorState } from "./mirror.machine";

export function ewma(prev: number | null, sample: number, alpha = 0.3): number {
  return prev === null ? sample : prev + alpha * (sample - prev);
}

export function lagSeconds(lagBytes: number, rateBytesPerSec: number): number | null {
  if (lagBytes === 0) return 0;
  return rateBytesPerSec > 1 ? lagBytes / rateBytesPerSec : null;
}

/** Lag keeps growing over the window (and is not trivially small): the target falls behind. */
export function converging(lagHistory: number[], minBytes = 8 * 2 ** 20): boolean {
  if (lagHistory.length < 8) return true;
  const first = lagHistory[0]!;
  const last = lagHistory[lagHistory.length - 1]!;
  let rises = 0;
  for (let i = 1; i < lagHistory.length; i++) if (lagHistory[i]! > lagHistory[i - 1]!) rises++;
  return !(last > minBytes && last > first * 1.2 && rises >= (lagHistory.length - 1) * 0.7);
}

export type JobPhase = "starting" | "copying" | "ready" | "paused" | "link_down" | "draining" | "stopped" | "error";

/**
 * The mirror state a job sample implies, or null for "leave it". `laggingSamples` counts
 * consecutive ready samples with lag, so one busy moment does not flap in_sync ⇄ lagging.
 */
export function stateForPhase(current: MirrorState, phase: JobPhase, lagBytes: number, laggingSamples: number, targetOnline: boolean): MirrorState | null {
  if (!targetOnline && phase !== "paused") return "broken";
  switch (phase) {
    case "starting":
    case "copying":
      return current === "uninitialized" || current === "broken" || current === "error" || current === "paused" ? "syncing" : current === "syncing" ? null : null;
    case "ready":
      if (lagBytes === 0) return "in_sync";
      return laggingSamples >= 2 ? "lagging" : current === "syncing" || current === "broken" || current === "paused" ? "syncing" : null;
    case "paused":
      return "paused";
    case "link_down":
      return "broken";
    case "error":
      return "error";
    default:
      return null;
  }
}
