// Operation status: one transition table. `running → pending` is how a lease that expired is
// handed to another worker (the reconciler's job).
import { z } from "zod";

export const OPERATION_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled"] as const;
export const operationStatus = z.enum(OPERATION_STATUSES);
export type OperationStatus = z.infer<typeof operationStatus>;

const transitions: Record<OperationStatus, readonly OperationStatus[]> = {
  pending: ["running", "cancelled"],
  running: ["succeeded", "failed", "pending", "running"],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export function canTransition(from: OperationStatus, to: OperationStatus): boolean {
  return transitions[from].includes(to);
}

export function assertTransition(from: OperationStatus, to: OperationStatus): void {
  if (!canTransition(from, to)) throw new Error(`operation cannot go from ${from} to ${to}`);
}

export const isFinished = (s: OperationStatus) => s === "succeeded" || s === "failed" || s === "cancelled";

/** How often a failing, retryable step is tried before the operation fails. */
export const MAX_ATTEMPTS = 5;
