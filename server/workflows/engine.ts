// The worker: claims operations by compare-and-set with a lease, keeps the lease alive while it
// runs, records the outcome, and tells everyone over the bus. Any number of these may run
// against one database; a crashed one's operations are resumed when its leases expire.
import crypto from "node:crypto";
import { claimCandidates, claimOperation, extendLease, failWaitingSteps, finishOperation, findOperation, listSteps, releaseOperation } from "@/server/db/operation-store";
import { appendAudit } from "@/server/db/audit-store";
import { appendEvent } from "@/server/db/event-store";
import { TandemError } from "@/server/domain/errors";
import { MAX_ATTEMPTS } from "@/server/domain/operation/operation.machine";
import type { Deps } from "@/server/services/deps";
import type { AnyOperationDefinition } from "./types";
import { runSteps } from "./run-steps";

export type WorkerOptions = { leaseMs?: number; pollMs?: number; concurrency?: number; owner?: string };

export function startWorker(deps: Deps, definitions: AnyOperationDefinition[], opts: WorkerOptions = {}) {
  const owner = opts.owner ?? `worker-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const leaseMs = opts.leaseMs ?? 15_000;
  const pollMs = opts.pollMs ?? 1000;
  const concurrency = opts.concurrency ?? 4;
  const byKind = new Map(definitions.map((d) => [d.kind, d]));
  const running = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let scanning = false;

  async function execute(id: string) {
    const op = await findOperation(deps.db, id);
    if (!op) return;
    const def = byKind.get(op.kind);
    const heartbeat = setInterval(() => {
      void extendLease(deps.db, id, owner, new Date(deps.now().getTime() + leaseMs)).catch(() => {});
    }, Math.max(1000, leaseMs / 3));
    // One line per start and outcome: what an admin (or a failing test's report) reads first.
    const started = Date.now();
    const what = `${op.kind} of ${op.subjectName} (${op.id}, attempt ${op.attempts})`;
    console.log(`[worker] ${what} started`);
    try {
      if (!def) throw new TandemError("INTERNAL", `no worker knows operations of kind ${op.kind}`, { retryable: false });
      const input = def.parseInput(JSON.parse(op.input));
      const result = def.steps ? await runSteps(deps, op, input, def.steps(input)) : await def.run(deps, op, input);
      if (await finishOperation(deps.db, id, owner, { status: "succeeded", result }, deps.now())) {
        console.log(`[worker] ${what} succeeded in ${Date.now() - started} ms`);
        await record(op, "succeeded", null);
        await def.onSuccess?.(deps, op, input, result).catch((e: Error) => console.error(`[worker] ${op.kind} follow-up failed:`, e.message));
      }
    } catch (err) {
      const e = err instanceof TandemError ? err : new TandemError("INTERNAL", (err as Error)?.message ?? String(err), { retryable: false });
      if (!(err instanceof TandemError)) console.error(`[worker] ${op.kind} ${op.id} failed:`, err);
      if (e.retryable && op.attempts < MAX_ATTEMPTS) {
        const backoff = Math.min(30_000, 500 * 2 ** op.attempts);
        console.log(`[worker] ${what} will be retried in ${backoff} ms: ${e.message}`);
        await releaseOperation(deps.db, id, owner, new Date(deps.now().getTime() + backoff), e.message);
      } else if (await finishOperation(deps.db, id, owner, { status: "failed", error: e.message, errorCode: e.code }, deps.now())) {
        console.log(`[worker] ${what} failed after ${Date.now() - started} ms: ${e.message}`);
        await failWaitingSteps(deps.db, id, deps.now());
        if (def?.onFailure) {
          await def.onFailure(deps, op, def.parseInput(JSON.parse(op.input)), e.message).catch((hookErr: Error) => console.error(`[worker] ${op.kind} cleanup failed:`, hookErr.message));
        }
        await record(op, "failed", e);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function record(
    op: { id: string; kind: string; subjectType: string; subjectId: string; subjectName: string; actor: string; reason: string | null; manual: boolean },
    status: "succeeded" | "failed",
    err: TandemError | null,
  ) {
    const steps = await listSteps(deps.db, op.id);
    await appendAudit(deps.db, {
      actor: op.actor,
      action: `${op.kind}.${status}`,
      subject: op.subjectName,
      reason: op.reason,
      manual: op.manual,
      before: null,
      after: JSON.stringify({ operationId: op.id, error: err?.message ?? null, steps: steps.map((s) => ({ name: s.name, status: s.status, error: s.error })) }),
    });
    await appendEvent(deps.db, {
      kind: `operation.${status}`,
      subjectType: op.subjectType,
      subjectId: op.subjectId,
      actor: op.actor,
      message: status === "succeeded" ? `${op.kind} of ${op.subjectName} done` : `${op.kind} of ${op.subjectName} failed: ${err?.message}`,
      data: { operationId: op.id },
    });
    deps.bus.publish({ type: "operation.finished", operationId: op.id, kind: op.kind, subjectType: op.subjectType, subjectId: op.subjectId, status, error: err?.message ?? null, errorCode: err?.code ?? null });
  }

  async function scan() {
    if (stopped || scanning) return;
    scanning = true;
    try {
      while (!stopped && running.size < concurrency) {
        const ids = (await claimCandidates(deps.db, deps.now(), concurrency * 2)).filter((id) => !running.has(id));
        let claimed = 0;
        for (const id of ids) {
          if (running.size >= concurrency) break;
          if (!(await claimOperation(deps.db, id, owner, deps.now(), leaseMs))) continue;
          claimed++;
          running.add(id);
          void execute(id).finally(() => {
            running.delete(id);
            void scan();
          });
        }
        if (claimed === 0) break;
      }
    } catch (err) {
      console.error("[worker] scan failed:", (err as Error).message);
    } finally {
      scanning = false;
    }
  }

  const loop = () => {
    if (stopped) return;
    void scan().finally(() => {
      if (!stopped) timer = setTimeout(loop, pollMs);
    });
  };
  // A new operation in this process is worth looking at at once, not at the next poll.
  const unsubscribe = deps.bus.subscribe((e) => {
    if (e.type === "operation.queued") void scan();
  });
  loop();

  return {
    owner,
    async stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      const deadline = Date.now() + 10_000;
      while (running.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
