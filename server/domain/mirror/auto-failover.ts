// Automatic failover's quorum (DESIGN §4): a mirror fails over by itself only when it asked to
// (opt-in per mirror), and only after BOTH the console and the target host have lost the source
// for the configured time. One side alone losing it is a network problem on that side, and
// promoting the target while the source still serves clients would split the brain.

export const AUTO_FAILOVER_STATES = ["in_sync", "lagging", "broken"] as const;

/** What the target host saw when asked to reach the source (null: that probe was not possible). */
export type TargetView = { agentReachable: boolean | null; nbdReachable: boolean | null };

export type QuorumInput = {
  afterSeconds: number;
  now: number;
  /** Since when the console has seen the source host offline; null while it is online. */
  consoleLostSince: number | null;
  /** Since when every probe from the target has failed; null while one succeeds. */
  targetLostSince: number | null;
};

export type QuorumDecision =
  | { kind: "wait"; inSeconds: number }
  | { kind: "fail_over" }
  | { kind: "no_quorum"; why: string };

/** The target lost the source when every probe it could make failed (and it could make one). */
export function targetLostSource(view: TargetView): { lost: true } | { lost: false; why: string } {
  if (view.agentReachable === null && view.nbdReachable === null) return { lost: false, why: "the target host cannot probe the source (no peer or NBD address known)" };
  if (view.agentReachable) return { lost: false, why: "the target host still reaches the source's agent" };
  if (view.nbdReachable) return { lost: false, why: "the target host still reaches the source's NBD server" };
  return { lost: true };
}

export function quorumDecision(q: QuorumInput): QuorumDecision {
  if (q.consoleLostSince === null) return { kind: "no_quorum", why: "the console reaches the source" };
  if (q.targetLostSince === null) return { kind: "no_quorum", why: "the target host reaches the source" };
  const since = Math.max(q.consoleLostSince, q.targetLostSince);
  const left = q.afterSeconds - (q.now - since) / 1000;
  return left <= 0 ? { kind: "fail_over" } : { kind: "wait", inSeconds: Math.ceil(left) };
}
