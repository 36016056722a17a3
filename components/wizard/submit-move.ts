// Starting a move: the one place that turns the wizard's choices into an API call:
// mirror.reverse, mirror.failover or mirror.failback.
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "@/server/trpc/root";
import type { MoveKind } from "./move-kinds";

export type MoveRequest = {
  kind: MoveKind;
  name: string;
  /** Reversal: compare both sides chunk by chunk at the end. */
  verify: boolean;
  /** Recorded in the audit trail; required for failover. */
  reason: string;
  /** Failover while the source host is still online (its LU is demoted). */
  force: boolean;
  /** Failback: snapshot the old source before any of its data is overwritten. */
  safetySnapshot: boolean;
  /** Failback: then a planned reversal back to the original direction. */
  reverseAfter: boolean;
};

export type MoveStarted = { operationId: string };

export async function submitMove(client: TRPCClient<AppRouter>, req: MoveRequest): Promise<MoveStarted> {
  switch (req.kind) {
    case "reverse":
      return startReversal(client, req);
    case "failover":
      return startFailover(client, req);
    case "failback":
      return startFailback(client, req);
  }
}

async function startReversal(client: TRPCClient<AppRouter>, req: MoveRequest): Promise<MoveStarted> {
  const r = await client.mirror.reverse.mutate({ name: req.name, verify: req.verify, reason: req.reason.trim() || undefined });
  return { operationId: r.operationId };
}

async function startFailover(client: TRPCClient<AppRouter>, req: MoveRequest): Promise<MoveStarted> {
  const r = await client.mirror.failover.mutate({ name: req.name, reason: req.reason.trim(), force: req.force });
  return { operationId: r.operationId };
}

async function startFailback(client: TRPCClient<AppRouter>, req: MoveRequest): Promise<MoveStarted> {
  const r = await client.mirror.failback.mutate({ name: req.name, safetySnapshot: req.safetySnapshot, reverse: req.reverseAfter, reason: req.reason.trim() || undefined });
  return { operationId: r.operationId };
}
