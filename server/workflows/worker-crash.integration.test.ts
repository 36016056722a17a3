// A worker process killed (SIGKILL) in the middle of a mirror's initial sync: another worker
// takes the operation over when the lease runs out, finishes it, and both sides end equal.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, startWorkerProcess, stopPid, stopStack, type StackState } from "../../e2e/support/stack";
import { adminClient, eventually } from "@/server/testing/api-client";

const run = promisify(execFile);
let stack: StackState;
let api: Awaited<ReturnType<typeof adminClient>>["api"];
const workers: number[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { TANDEM_WORKERS: "off" } });
  ({ api } = await adminClient(stack.consoleUrl, stack.adminPassword));
}, 120_000);

afterAll(async () => {
  for (const pid of workers) await stopPid(pid);
  if (stack) await stopStack(stack);
});

describe("durable operations", () => {
  it("a worker killed mid-sync: another resumes the operation and the mirror ends equal", async () => {
    const first = await startWorkerProcess(stack, { TANDEM_LEASE_MS: "3000" });
    workers.push(first.pid);
    await eventually(async () => (await api.alua.get.query())[0]?.hosts.every((h) => h.agent?.enabled), 30_000, "ALUA set by the worker");
    await api.volume.create.mutate({ host: "h1", name: "crash", size: "256M" });
    const lu = await api.lu.create.mutate({ volume: "h1/crash" });
    await run("qemu-io", ["-f", "raw", "-c", "write -P 0x5c 0 128M", lu.uri!]);
    // Slow enough that the kill lands in the middle of the copy.
    const { operationId } = await api.mirror.create.mutate({ name: "m-crash", source: "h1/crash", target: "h2/crash", createTarget: true, speedLimit: "16M" });
    await eventually(async () => {
      const m = (await api.mirror.get.query({ name: "m-crash" })).mirror;
      return m.state === "syncing" && (m.progress.percent ?? 0) > 5;
    }, 60_000, "copy under way");
    process.kill(first.pid, "SIGKILL");
    const killedAt = Date.now();

    const second = await startWorkerProcess(stack, { TANDEM_LEASE_MS: "3000" });
    workers.push(second.pid);
    const done = await eventually(async () => {
      const o = await api.operation.get.query({ id: operationId });
      return o.status === "succeeded" || o.status === "failed" ? o : undefined;
    }, 120_000, "operation finished");
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(2);
    const detail = await api.mirror.get.query({ name: "m-crash" });
    const op = detail.operations.find((o) => o.id === operationId)!;
    // The steps that had finished before the kill were not run again.
    expect(op.steps.map((s) => `${s.name}:${s.status}`)).toEqual(["prepare-target:succeeded", "start-job:succeeded", "initial-sync:succeeded"]);
    expect(detail.mirror.state).toBe("in_sync");
    console.log(`resumed and finished ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    const v = await api.mirror.verify.mutate({ name: "m-crash" });
    expect(v.differingRanges).toEqual([]);
  });
});
