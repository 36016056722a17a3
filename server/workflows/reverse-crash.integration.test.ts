// A worker killed right after each step of a planned reversal in turn: another worker resumes
// the operation from the next step, and every time the direction swaps and both sides are equal.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, startWorkerProcess, stopPid, stopStack, type StackState } from "../../e2e/support/stack";
import { adminClient, eventually, operationEnd } from "@/server/testing/api-client";

const run = promisify(execFile);
let stack: StackState;
let api: Awaited<ReturnType<typeof adminClient>>["api"];
const workers: number[] = [];
const STEPS = ["preflight", "source-standby", "drain", "stop-job", "swap-exports", "start-reverse-job", "target-active", "commit", "verify"];

beforeAll(async () => {
  stack = await startStack({ env: { TANDEM_WORKERS: "off" } });
  ({ api } = await adminClient(stack.consoleUrl, stack.adminPassword));
  workers.push((await startWorkerProcess(stack, { TANDEM_LEASE_MS: "2000" })).pid);
  await eventually(async () => (await api.alua.get.query())[0]?.hosts.every((h) => h.agent?.enabled), 30_000, "ALUA");
}, 120_000);

afterAll(async () => {
  for (const pid of workers) await stopPid(pid);
  if (stack) await stopStack(stack);
});

const finished = (id: string) => operationEnd(api, id, 90_000);

describe("reversal survives a worker crash after every step", () => {
  it("resumes after each step in turn and ends equal", { timeout: 600_000 }, async () => {
    await api.volume.create.mutate({ host: "h1", name: "rc", size: "64M" });
    const lu = await api.lu.create.mutate({ volume: "h1/rc" });
    await run("qemu-io", ["-f", "raw", "-c", "write -P 0x5e 0 16M", lu.uri!]);
    expect((await finished((await api.mirror.create.mutate({ name: "m-rc", source: "h1/rc", target: "h2/rc", createTarget: true })).operationId)).status).toBe("succeeded");

    for (const [i, step] of STEPS.entries()) {
      // Only the crashing worker runs: it dies right after `step` is recorded.
      for (const pid of workers.splice(0)) await stopPid(pid);
      const doomed = await startWorkerProcess(stack, { TANDEM_LEASE_MS: "2000", TANDEM_CRASH_AFTER_STEP: `mirror.reverse:${step}` });
      const before = (await api.mirror.get.query({ name: "m-rc" })).mirror;
      const { operationId } = await api.mirror.reverse.mutate({ name: "m-rc" });
      await eventually(async () => {
        try {
          process.kill(doomed.pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 60_000, `worker to die after ${step}`);
      workers.push((await startWorkerProcess(stack, { TANDEM_LEASE_MS: "2000" })).pid);
      const op = await finished(operationId);
      expect(op.error, `crash after ${step}`).toBeNull();
      expect(op.attempts).toBe(2); // the crashed attempt, then the one that finished
      const after = (await api.mirror.get.query({ name: "m-rc" })).mirror;
      expect(after.source.ref, `crash after ${step}`).toBe(before.target.ref);
      expect(after.state).toBe("in_sync");
      const steps = (await api.operation.get.query({ id: operationId })).steps;
      expect(steps.every((s) => s.status === "succeeded")).toBe(true);
      // Writes on the new source reach the new target.
      const uri = (await api.lu.list.query()).find((l) => l.guid === lu.guid)!.nodes.find((n) => n.accessState === "active")!.uri!;
      await run("qemu-io", ["-f", "raw", "-c", `write -P 0x${(0x60 + i).toString(16)} ${i * 4}M 2M`, uri]);
      const v = await api.mirror.verify.mutate({ name: "m-rc" });
      expect(v.differingRanges, `crash after ${step}`).toEqual([]);
    }
  });
});
