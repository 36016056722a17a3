// Runs an operation's steps in order. A step that finished (in this run or one before a crash)
// is skipped and its output handed on; the first unfinished step runs next.
import { ensureSteps, finishStep, recordStepProgress, startStep, type OperationRow } from "@/server/db/operation-store";
import { TandemError } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";
import type { StepDefinition } from "./types";

export async function runSteps<I>(deps: Deps, op: OperationRow, input: I, steps: StepDefinition<I>[]): Promise<unknown> {
  const rows = await ensureSteps(deps.db, op.id, steps.map((s) => ({ name: s.name, title: s.title })));
  const outputs: Record<string, unknown> = {};
  let last: unknown = null;
  for (const step of steps) {
    const row = rows.find((r) => r.name === step.name)!;
    if (row.status === "succeeded") {
      outputs[step.name] = last = row.output ? JSON.parse(row.output) : null;
      continue;
    }
    await startStep(deps.db, row.id, deps.now());
    publish(deps, op, step.name, "running", null);
    let lastProgressAt = 0;
    try {
      last = await step.run({
        deps,
        op,
        input,
        outputs,
        progress: async (done, total) => {
          // At most a few writes a second: progress is for people, not a log.
          const now = Date.now();
          if (now - lastProgressAt < 250 && done !== total) return;
          lastProgressAt = now;
          await recordStepProgress(deps.db, row.id, BigInt(Math.round(done)), total === undefined ? null : BigInt(Math.round(total)));
          deps.bus.publish({ type: "operation.step", operationId: op.id, subjectType: op.subjectType, subjectId: op.subjectId, step: step.name, status: "running", bytesDone: done, bytesTotal: total ?? null, error: null });
        },
      });
      outputs[step.name] = last;
      await finishStep(deps.db, row.id, { status: "succeeded", output: last }, deps.now());
      publish(deps, op, step.name, "succeeded", null);
      crashIfAsked(op.kind, step.name);
    } catch (err) {
      const retryable = err instanceof TandemError && err.retryable;
      const message = (err as Error)?.message ?? String(err);
      await finishStep(deps.db, row.id, { status: retryable ? "pending" : "failed", error: message }, deps.now());
      publish(deps, op, step.name, retryable ? "pending" : "failed", message);
      throw err;
    }
  }
  return last;
}

function publish(deps: Deps, op: OperationRow, step: string, status: string, error: string | null) {
  deps.bus.publish({ type: "operation.step", operationId: op.id, subjectType: op.subjectType, subjectId: op.subjectId, step, status, bytesDone: null, bytesTotal: null, error });
}

/**
 * Fault injection for the crash tests: TANDEM_CRASH_AFTER_STEP=KIND:STEP makes this process die
 * (as a SIGKILL would leave it: no clean-up) right after that step is recorded as done.
 */
function crashIfAsked(kind: string, step: string) {
  if (process.env.TANDEM_CRASH_AFTER_STEP === `${kind}:${step}`) process.kill(process.pid, "SIGKILL");
}
