import { describe, expect, it } from "vitest";
import { silentLogger } from "../log";
import { emptyState, type AgentState } from "../state/state-schema";
import { StateStore } from "../state/state-store";
import { OpQueue } from "./op-queue";
import { runOperation } from "./operation";
import type { StorageContext } from "./storage-context";

function context(failSave = false) {
  const saved: AgentState[] = [];
  const published: string[] = [];
  const ctx = {
    store: new StateStore("/unused", emptyState(), async (_file, state) => {
      if (failSave) throw new Error("disk full");
      saved.push(state);
    }),
    queue: new OpQueue(),
    publish: (type: string) => published.push(type),
    log: silentLogger,
  } as unknown as StorageContext;
  return { ctx, saved, published };
}

describe("operations", () => {
  it("undoes uncommitted steps in reverse order when a step fails", async () => {
    const { ctx, published } = context();
    const undone: string[] = [];
    const result = runOperation(ctx, "test", async (op) => {
      op.onUndo("first", async () => undone.push("first"));
      op.onUndo("second", async () => undone.push("second"));
      throw new Error("step 3 failed");
    });
    await expect(result).rejects.toThrow("step 3 failed");
    expect(undone).toEqual(["second", "first"]);
    expect(published).toEqual([]);
  });

  it("a commit makes earlier steps permanent and sends their events", async () => {
    const { ctx, saved, published } = context();
    const undone: string[] = [];
    await expect(
      runOperation(ctx, "test", async (op) => {
        op.onUndo("before commit", async () => undone.push("before"));
        await op.commit({ ...emptyState(), nextNodeNumber: 5 }, [["volume.created", {}]]);
        op.onUndo("after commit", async () => undone.push("after"));
        throw new Error("late failure");
      }),
    ).rejects.toThrow("late failure");
    expect(undone).toEqual(["after"]);
    expect(saved.map((s) => s.nextNodeNumber)).toEqual([5]);
    expect(ctx.store.state.nextNodeNumber).toBe(5);
    expect(published).toEqual(["volume.created"]);
  });

  it("a failed state write rolls back and leaves the committed state as it was", async () => {
    const { ctx, published } = context(true);
    const undone: string[] = [];
    await expect(
      runOperation(ctx, "test", async (op) => {
        op.onUndo("engine step", async () => undone.push("engine"));
        await op.commit({ ...emptyState(), nextNodeNumber: 9 }, [["volume.created", {}]]);
      }),
    ).rejects.toThrow("disk full");
    expect(undone).toEqual(["engine"]);
    expect(ctx.store.state.nextNodeNumber).toBe(1);
    expect(published).toEqual([]);
  });

  it("runs one operation at a time, in arrival order, and goes on after a failure", async () => {
    const queue = new OpQueue();
    const log: string[] = [];
    const slow = queue.run(async () => {
      log.push("a start");
      await new Promise((r) => setTimeout(r, 20));
      log.push("a end");
      throw new Error("a failed");
    });
    const fast = queue.run(async () => {
      log.push("b");
      return 2;
    });
    await expect(slow).rejects.toThrow("a failed");
    await expect(fast).resolves.toBe(2);
    expect(log).toEqual(["a start", "a end", "b"]);
    expect(queue.length).toBe(0);
  });
});
