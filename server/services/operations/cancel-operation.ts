// Cancelling is safe only before a worker has started a step (or between retries): a step
// under way on a host is never cut off halfway.
import { z } from "zod";
import { cancelWaitingOperation, findOperation } from "@/server/db/operation-store";
import { appendAudit } from "@/server/db/audit-store";
import { notFound, TandemError } from "@/server/domain/errors";
import { moveState } from "@/server/workflows/definitions/mirror-ops";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";

export const cancelOperationInput = z.object({ id: z.string().min(1).max(64), reason: z.string().trim().max(500).optional() });

export async function cancelOperation(deps: Pick<Deps, "db" | "bus" | "now">, actor: Identity, input: z.infer<typeof cancelOperationInput>) {
  const op = await findOperation(deps.db, input.id);
  if (!op) throw notFound(`operation ${input.id}`);
  if (op.status === "succeeded" || op.status === "failed" || op.status === "cancelled") throw new TandemError("CONFLICT", `operation ${op.id} has already ${op.status === "cancelled" ? "been cancelled" : op.status}`);
  if (!(await cancelWaitingOperation(deps.db, op.id, deps.now()))) {
    throw new TandemError("CONFLICT", `operation ${op.id} (${op.kind}) is running a step on a host now and cannot be cancelled safely; wait for it to end`);
  }
  if (op.kind === "mirror.create") await moveState(deps, op.subjectId, "error", "initialization cancelled", actor.username);
  await appendAudit(deps.db, { actor: actor.username, action: `${op.kind}.cancelled`, subject: op.subjectName, reason: input.reason ?? null, manual: true, before: null, after: JSON.stringify({ operationId: op.id }) });
  deps.bus.publish({ type: "operation.finished", operationId: op.id, kind: op.kind, subjectType: op.subjectType, subjectId: op.subjectId, status: "cancelled", error: null, errorCode: null });
  return { id: op.id, status: "cancelled" as const };
}
