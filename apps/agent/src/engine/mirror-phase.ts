// The phase a mirror shows: one function of what QSD's job says and what the agent knows.
import type { MirrorJobPhase } from "@tandem/contracts/replication";
import type { BlockJob } from "./mirror-qmp";

export interface PhaseInput {
  /** An operation is working on the mirror right now. */
  busy: "starting" | "draining" | null;
  job: Pick<BlockJob, "status" | "ready" | "paused" | "io-status"> | null;
  /** The job ended with an error and waits for the operator (resume restarts it). */
  error: string | null;
  /** No job yet: the agent starts one as soon as the target answers (after a QSD or agent restart). */
  restartPending: boolean;
  link: "up" | "down" | "unknown";
  pausedByOperator: boolean;
}

const ending = new Set(["aborting", "waiting", "pending", "concluded", "null"]);

export function phaseOf(i: PhaseInput): MirrorJobPhase {
  if (i.busy) return i.busy;
  if (!i.job) {
    if (i.error) return "error";
    if (i.restartPending) return i.link === "down" ? "link_down" : "starting";
    return "stopped";
  }
  if (ending.has(i.job.status)) return "draining";
  // The operator's pause wins over what the link does: it is what they asked for.
  if (i.pausedByOperator) return "paused";
  if (i.job["io-status"] === "failed" || i.link === "down") return "link_down";
  return i.job.ready ? "ready" : "copying";
}
