// Operations: created with a lock key (one active operation per subject, enforced by a unique
// index), claimed by compare-and-set with a lease, finished only by the lease owner.
import type { Db } from "./client";
import { isUniqueViolation } from "./client";

export type OperationRow = Awaited<ReturnType<Db["operation"]["findUniqueOrThrow"]>>;

export type NewOperation = {
  kind: string;
  subjectType: string;
  subjectId: string;
  subjectName: string;
  hostId: string | null;
  input: unknown;
  actor: string;
  reason?: string | null;
  manual?: boolean;
  lockKey: string;
};

/** Returns null when another active operation holds the same lock key. */
export async function createOperation(db: Db, op: NewOperation): Promise<OperationRow | null> {
  try {
    return await db.operation.create({
      data: { ...op, input: JSON.stringify(op.input), reason: op.reason ?? null, manual: op.manual ?? true },
    });
  } catch (e) {
    if (isUniqueViolation(e)) return null;
    throw e;
  }
}

export function findOperation(db: Db, id: string) {
  return db.operation.findUnique({ where: { id } });
}

export function findActiveByLock(db: Db, lockKey: string) {
  return db.operation.findUnique({ where: { lockKey } });
}

/** Ids worth trying to claim: pending ones, and running ones whose lease has expired. */
export async function claimCandidates(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db.operation.findMany({
    where: { OR: [{ status: "pending" }, { status: "running", leaseExpiresAt: { lt: now } }] },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

export async function claimOperation(db: Db, id: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  const r = await db.operation.updateMany({
    where: { id, OR: [{ status: "pending" }, { status: "running", leaseExpiresAt: { lt: now } }] },
    data: { status: "running", leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + leaseMs), startedAt: now, attempts: { increment: 1 } },
  });
  return r.count === 1;
}

export async function extendLease(db: Db, id: string, owner: string, until: Date): Promise<boolean> {
  const r = await db.operation.updateMany({ where: { id, leaseOwner: owner, status: "running" }, data: { leaseExpiresAt: until } });
  return r.count === 1;
}

export async function finishOperation(
  db: Db,
  id: string,
  owner: string,
  outcome: { status: "succeeded"; result: unknown } | { status: "failed"; error: string; errorCode: string },
  now: Date,
): Promise<boolean> {
  const r = await db.operation.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: {
      status: outcome.status,
      lockKey: null,
      finishedAt: now,
      leaseExpiresAt: null,
      result: outcome.status === "succeeded" ? JSON.stringify(outcome.result ?? null) : null,
      error: outcome.status === "failed" ? outcome.error : null,
      errorCode: outcome.status === "failed" ? outcome.errorCode : null,
    },
  });
  return r.count === 1;
}

/** Gives a claimed operation back (retryable failure): another attempt later. */
export async function releaseOperation(db: Db, id: string, owner: string, retryAt: Date, error: string): Promise<boolean> {
  const r = await db.operation.updateMany({
    where: { id, leaseOwner: owner, status: "running" },
    data: { status: "running", leaseExpiresAt: retryAt, leaseOwner: null, error },
  });
  return r.count === 1;
}

export function listOperations(db: Db, filter: { subjectType?: string; subjectId?: string; limit: number }) {
  return db.operation.findMany({
    where: { subjectType: filter.subjectType, subjectId: filter.subjectId },
    orderBy: { createdAt: "desc" },
    take: filter.limit,
  });
}

export type StepRow = Awaited<ReturnType<Db["operationStep"]["findUniqueOrThrow"]>>;

/** Creates the step rows of an operation once; later calls find them in place. */
export async function ensureSteps(db: Db, operationId: string, steps: { name: string; title: string }[]): Promise<StepRow[]> {
  const existing = await db.operationStep.findMany({ where: { operationId }, orderBy: { index: "asc" } });
  for (const [index, s] of steps.entries()) {
    if (existing.some((e) => e.name === s.name)) continue;
    try {
      await db.operationStep.create({ data: { operationId, index, name: s.name, title: s.title } });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return db.operationStep.findMany({ where: { operationId }, orderBy: { index: "asc" } });
}

export function listSteps(db: Db, operationId: string) {
  return db.operationStep.findMany({ where: { operationId }, orderBy: { index: "asc" } });
}

export async function startStep(db: Db, id: string, now: Date) {
  return db.operationStep.update({ where: { id }, data: { status: "running", startedAt: now, finishedAt: null, error: null, attempts: { increment: 1 } } });
}

export async function finishStep(db: Db, id: string, outcome: { status: "succeeded"; output: unknown } | { status: "failed" | "pending"; error: string }, now: Date) {
  return db.operationStep.update({
    where: { id },
    data:
      outcome.status === "succeeded"
        ? { status: "succeeded", finishedAt: now, output: JSON.stringify(outcome.output ?? null), error: null }
        : { status: outcome.status, finishedAt: outcome.status === "failed" ? now : null, error: outcome.error },
  });
}

export async function recordStepProgress(db: Db, id: string, bytesDone: bigint, bytesTotal: bigint | null) {
  await db.operationStep.update({ where: { id }, data: { bytesDone, bytesTotal } });
}

/** When an operation fails for good, a step left waiting for a retry has failed too. */
export async function failWaitingSteps(db: Db, operationId: string, now: Date) {
  await db.operationStep.updateMany({ where: { operationId, status: { in: ["pending", "running"] }, error: { not: null } }, data: { status: "failed", finishedAt: now } });
}

/**
 * Cancels an operation no worker holds: one still waiting to start, or one waiting between
 * retries. Compare-and-set against the claim, so a worker and a cancel never both win.
 */
export async function cancelWaitingOperation(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db.operation.updateMany({
    where: { id, leaseOwner: null, OR: [{ status: "pending" }, { status: "running" }] },
    data: { status: "cancelled", lockKey: null, finishedAt: now, leaseExpiresAt: null },
  });
  return r.count === 1;
}
