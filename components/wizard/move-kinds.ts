// The three ways to move service between the two sides of a mirror, as the wizard names them.
import type { RouterOutputs } from "@/lib/api-types";

export type MoveKind = "reverse" | "failover" | "failback";

export const MOVE_KINDS: MoveKind[] = ["reverse", "failover", "failback"];

export const MOVE_KIND_INFO: Record<MoveKind, { title: string; line: string; when: string; operation: string; submit: string }> = {
  reverse: {
    title: "Planned reversal",
    line: "Both hosts are up: swap the direction, with under a second of client outage and nothing copied again.",
    when: "for maintenance or to move the workload",
    operation: "mirror.reverse",
    submit: "Reverse mirror",
  },
  failover: {
    title: "Failover",
    line: "The source host is lost (or you force it): fence it and let the target serve clients.",
    when: "when the source host has failed",
    operation: "mirror.failover",
    submit: "Fail over",
  },
  failback: {
    title: "Failback",
    line: "After a failover, the old source is back: copy only what changed to it, after a safety snapshot.",
    when: "after a failover, once the old source returns",
    operation: "mirror.failback",
    submit: "Fail back",
  },
};

export function isMoveKind(v: unknown): v is MoveKind {
  return typeof v === "string" && (MOVE_KINDS as string[]).includes(v);
}

/** The wizard kind of an operation ("mirror.reverse" → "reverse"), or null for other operations. */
export function moveKindOf(operationKind: string): MoveKind | null {
  return MOVE_KINDS.find((k) => MOVE_KIND_INFO[k].operation === operationKind) ?? null;
}

/** The move wizard's address, optionally following an operation or with a kind chosen. */
export function moveHref(name: string, opts: { op?: string; kind?: MoveKind } = {}) {
  const q = new URLSearchParams();
  if (opts.op) q.set("op", opts.op);
  if (opts.kind) q.set("kind", opts.kind);
  const qs = q.toString();
  return `/mirrors/${encodeURIComponent(name)}/move${qs ? `?${qs}` : ""}`;
}

export type MovePlan = RouterOutputs["mirror"]["plan"];
export type MoveCheck = MovePlan["checks"][number];

/** A failover while the source still answers is forced: its check passes, with a note. */
export function isForcedNote(kind: MoveKind, c: MoveCheck) {
  return kind === "failover" && c.ok && /\bforced\b/.test(c.reason);
}

export function isForced(plan: MovePlan) {
  return plan.checks.some((c) => isForcedNote(plan.kind, c));
}
