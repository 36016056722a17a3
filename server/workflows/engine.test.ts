// The workflow engine on a real SQLite database: claims are exclusive, finished steps are not run
// again after a crash, expired leases are taken over, retryable failures are retried.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDeps } from "@/server/testing/test-deps";
import { claimOperation, ensureSteps, finishStep, findOperation, listSteps } from "@/server/db/operation-store";
import { submitOperation, waitForOperation } from "@/server/services/operations/submit-operation";
import { TandemError } from "@/server/domain/errors";
import type { Context } from "@/server/trpc/context";
import { startWorker } from "./engine";
import type { OperationDefinition } from "./types";

let deps: Context["deps"];
let cleanup: () => Promise<void>;
beforeAll(async () => ({ deps, cleanup } = await createTestDeps()));
afterAll(async () => cleanup?.());

const newOp = (kind: string, key: string, input: unknown = {}) => ({
  kind,
  subjectType: "test",
  subjectId: key,
  subjectName: key,
  hostId: null,
  input,
  actor: "test",
  lockKey: `test:${key}`,
});

describe("workflow engine", () => {
  it("runs every operation exactly once with two workers competing", async () => {
    const runs: string[] = [];
    const def: OperationDefinition<{ n: number }> = {
      kind: "count",
      parseInput: (r) => z.object({ n: z.number() }).parse(r),
      run: async (_d, op) => {
        runs.push(op.id);
        await new Promise((r) => setTimeout(r, 5));
        return null;
      },
    };
    const w1 = startWorker(deps, [def], { pollMs: 20, owner: "w1" });
    const w2 = startWorker(deps, [def], { pollMs: 20, owner: "w2" });
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await submitOperation(deps, newOp("count", `c${i}`, { n: i }))).id);
    for (const id of ids) expect((await waitForOperation(deps, id, 10_000)).status).toBe("succeeded");
    await Promise.all([w1.stop(), w2.stop()]);
    expect(runs.sort()).toEqual([...ids].sort());
  });

  it("refuses a second operation on a busy subject", async () => {
    await submitOperation(deps, newOp("idle", "busy-one"));
    await expect(submitOperation(deps, newOp("idle", "busy-one"))).rejects.toThrow(/busy/);
  });

  it("resumes after an expired lease without re-running finished steps", async () => {
    const calls: string[] = [];
    const def: OperationDefinition<object> = {
      kind: "stepped",
      parseInput: () => ({}),
      steps: () => [
        { name: "one", title: "One", run: async () => (calls.push("one"), { from: "one" }) },
        { name: "two", title: "Two", run: async ({ outputs }) => (calls.push("two"), { saw: outputs.one }) },
      ],
    };
    const row = (await submitOperation(deps, newOp("stepped", "resume")))!;
    // A worker that claimed it, finished step one, and died: its lease runs out soon.
    expect(await claimOperation(deps.db, row.id, "dead-worker", new Date(), 300)).toBe(true);
    const [one] = await ensureSteps(deps.db, row.id, [{ name: "one", title: "One" }, { name: "two", title: "Two" }]);
    await finishStep(deps.db, one!.id, { status: "succeeded", output: { from: "one" } }, new Date());

    const w = startWorker(deps, [def], { pollMs: 50, owner: "rescuer" });
    const done = await waitForOperation(deps, row.id, 10_000);
    await w.stop();
    expect(done.status).toBe("succeeded");
    expect(done.leaseOwner).toBe("rescuer");
    expect(calls).toEqual(["two"]);
    expect(JSON.parse(done.result!)).toEqual({ saw: { from: "one" } });
    expect((await listSteps(deps.db, row.id)).map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
  });

  it("retries a retryable failure and fails a permanent one with its message", async () => {
    let attempts = 0;
    const flaky: OperationDefinition<object> = {
      kind: "flaky",
      parseInput: () => ({}),
      run: async () => {
        if (++attempts < 3) throw new TandemError("UNAVAILABLE", "host away");
        return { attempts };
      },
    };
    const broken: OperationDefinition<object> = {
      kind: "broken",
      parseInput: () => ({}),
      run: async () => {
        throw new TandemError("CONFLICT", "volume in use by LU x");
      },
    };
    const w = startWorker(deps, [flaky, broken], { pollMs: 50 });
    const a = await submitOperation(deps, newOp("flaky", "flaky"));
    const b = await submitOperation(deps, newOp("broken", "broken"));
    const ra = await waitForOperation(deps, a.id, 15_000);
    const rb = await waitForOperation(deps, b.id, 15_000);
    await w.stop();
    expect(ra.status).toBe("succeeded");
    expect(ra.attempts).toBe(3);
    expect(rb).toMatchObject({ status: "failed", error: "volume in use by LU x", errorCode: "CONFLICT", lockKey: null });
    expect((await findOperation(deps.db, b.id))!.attempts).toBe(1);
  });

  it("cancels an operation no worker has started, and refuses one that runs", async () => {
    const { cancelOperation } = await import("@/server/services/operations/cancel-operation");
    const actor = { userId: "u", username: "tester", role: "operator" as const, via: "token" as const };
    const waiting = await submitOperation(deps, newOp("never-run", "cancel-me"));
    expect(await cancelOperation(deps, actor, { id: waiting.id })).toMatchObject({ status: "cancelled" });
    // The lock is free again.
    await submitOperation(deps, newOp("never-run", "cancel-me"));
    const claimed = await submitOperation(deps, newOp("never-run", "claimed"));
    expect(await claimOperation(deps.db, claimed.id, "busy-worker", new Date(), 60_000)).toBe(true);
    await expect(cancelOperation(deps, actor, { id: claimed.id })).rejects.toThrow(/cannot be cancelled safely/);
  });
});
