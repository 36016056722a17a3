// Records an intent as an operation and, for quick ones, waits for its outcome so that the API
// and CLI can answer with the result. The operation runs to the end whether or not anyone waits.
import { createOperation, findActiveByLock, findOperation, type NewOperation, type OperationRow } from "@/server/db/operation-store";
import { appendAudit } from "@/server/db/audit-store";
import { conflict, TandemError, type ErrorCode } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";

export async function submitOperation(deps: Pick<Deps, "db" | "bus">, op: NewOperation): Promise<OperationRow> {
  const row = await createOperation(deps.db, op);
  if (!row) {
    const other = await findActiveByLock(deps.db, op.lockKey);
    throw conflict(`${op.subjectName} is busy: operation ${other?.kind ?? "another operation"}${other ? ` (${other.id})` : ""} is still running; try again when it ends`);
  }
  await appendAudit(deps.db, {
    actor: row.actor,
    action: `${row.kind}.requested`,
    subject: row.subjectName,
    reason: row.reason,
    manual: row.manual,
    before: null,
    after: JSON.stringify({ operationId: row.id, input: op.input }),
  });
  deps.bus.publish({ type: "operation.queued", operationId: row.id, kind: row.kind, subjectType: row.subjectType, subjectId: row.subjectId });
  return row;
}

/** Waits for an operation to finish (bus event, with a database poll in case another process runs it). */
export async function waitForOperation(deps: Pick<Deps, "db" | "bus">, id: string, timeoutMs: number): Promise<OperationRow> {
  let unsubscribe = () => {};
  const finishedHere = new Promise<void>((resolve) => {
    unsubscribe = deps.bus.subscribe((e) => {
      if (e.type === "operation.finished" && e.operationId === id) resolve();
    });
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await findOperation(deps.db, id);
      if (!row) throw new TandemError("NOT_FOUND", `operation ${id} does not exist`);
      if (row.status === "succeeded" || row.status === "failed" || row.status === "cancelled") return row;
      const left = deadline - Date.now();
      if (left <= 0) return row;
      await Promise.race([finishedHere, new Promise((r) => setTimeout(r, Math.min(500, left)))]);
    }
  } finally {
    unsubscribe();
  }
}

/** Submit, wait, and turn a failure into the error the caller should see. */
export async function runOperation(deps: Pick<Deps, "db" | "bus">, op: NewOperation, timeoutMs = 60_000): Promise<unknown> {
  const row = await waitForOperation(deps, (await submitOperation(deps, op)).id, timeoutMs);
  if (row.status === "succeeded") return row.result ? JSON.parse(row.result) : null;
  if (row.status === "failed") throw new TandemError((row.errorCode as ErrorCode | null) ?? "INTERNAL", row.error ?? "operation failed", { retryable: false });
  if (row.status === "cancelled") throw new TandemError("CONFLICT", `operation ${row.id} was cancelled`);
  throw new TandemError("UNAVAILABLE", `operation ${row.id} is still running (${row.error ? `last error: ${row.error}` : "no worker has finished it yet"}); follow it with \`tandem operation show ${row.id}\``);
}
