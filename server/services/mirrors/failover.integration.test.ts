// Failover after the source host dies mid-writes, the stale source held in Standby when it
// returns, and failback that copies only what differs; every stage ends by comparing sides.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent, stopPid, stopStack, type StackState } from "../../../e2e/support/stack";
import { eventually, operationEnd, startPairedStack } from "@/server/testing/api-client";

const run = promisify(execFile);
const MiB = 2 ** 20;
let stack: StackState;
let api: Awaited<ReturnType<typeof startPairedStack>>["api"];

const qemuIo = (uri: string, ...cmds: string[]) => run("qemu-io", ["-f", "raw", ...cmds.flatMap((c) => ["-c", c]), uri], { timeout: 60_000 });

const waitOp = (id: string) => operationEnd(api, id, 180_000);

beforeAll(async () => {
  ({ stack, api } = await startPairedStack());
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("failover and failback", () => {
  it("source killed mid-writes → failover; stale source never serves; failback copies only what differs; equal", { timeout: 300_000 }, async () => {
    await api.volume.create.mutate({ host: "h1", name: "fo", size: "256M" });
    const lu = await api.lu.create.mutate({ volume: "h1/fo" });
    await qemuIo(lu.uri!, "write -P 0x10 0 32M");
    expect((await waitOp((await api.mirror.create.mutate({ name: "m-fo", source: "h1/fo", target: "h2/fo", createTarget: true })).operationId)).status).toBe("succeeded");

    // Writes the target never gets: the link is down (h2's agent stopped), the source keeps
    // taking them, then the source dies before the link returns.
    const h2 = stack.agents.find((a) => a.name === "h2")!;
    await stopPid(h2.pid);
    await eventually(async () => (await api.mirror.get.query({ name: "m-fo" })).mirror.state === "broken", 10_000, "broken");
    await qemuIo(lu.uri!, "write -P 0x66 64M 8M", "flush");

    // h1 dies hard: its QSD and its agent, both SIGKILL.
    const h1 = stack.agents.find((a) => a.name === "h1")!;
    const qsdPid = Number(fs.readFileSync(path.join(h1.dataDir, "qsd.pid"), "utf8").trim());
    process.kill(h1.pid, "SIGKILL");
    process.kill(qsdPid, "SIGKILL");
    await eventually(async () => (await api.host.list.query()).find((h) => h.name === "h1")?.status === "offline", 10_000, "h1 offline");
    const h2back = await startAgent(h2);
    h2back.proc.unref();
    h2.pid = h2back.pid;
    await eventually(async () => (await api.host.list.query()).find((h) => h.name === "h2")?.status === "online", 20_000, "h2 online");

    const plan = await api.mirror.plan.query({ name: "m-fo", kind: "failover" });
    expect(plan.ready).toBe(true);
    expect(plan.reasonRequired).toBe(true);
    const t0 = Date.now();
    const fo = await waitOp((await api.mirror.failover.mutate({ name: "m-fo", reason: "h1 lost power" })).operationId);
    expect(fo.error).toBeNull();
    console.log(`failover: target Active ${((Date.now() - t0) / 1000).toFixed(1)} s after the request`);
    const after = (await api.mirror.get.query({ name: "m-fo" })).mirror;
    expect(after.state).toBe("failed_over");
    const h2uri = (fo.result as { uri: string }).uri;
    expect(h2uri).toMatch(/^nbd:\/\//);
    // Clients carry on at h2: old data there, new writes land.
    await qemuIo(h2uri, "read -P 0x10 0 32M", "write -P 0x22 100M 16M");

    // h1 comes back with the stale epoch: held in Standby, no client can write to it.
    const back = await startAgent(h1);
    back.proc.unref();
    h1.pid = back.pid;
    await eventually(async () => (await api.host.list.query()).find((h) => h.name === "h1")?.status === "online", 20_000, "h1 online");
    await expect(qemuIo(lu.uri!, "write -P 0x99 0 1M")).rejects.toThrow();

    const fbPlan = await api.mirror.plan.query({ name: "m-fo", kind: "failback" });
    expect(fbPlan.ready).toBe(true);
    console.log(`failback plan: ${fbPlan.discards}; bytes to copy ${fbPlan.bytesToCopy}`);
    expect(fbPlan.bytesToCopy).toBeGreaterThan(0);

    // A live writer on h2 throughout the failback.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) await qemuIo(h2uri, `write -P 0x${(0x30 + (i % 16)).toString(16)} ${(120 + (i % 32)) * MiB} 1M`).catch(() => {});
    })();
    const fb = await waitOp((await api.mirror.failback.mutate({ name: "m-fo", safetySnapshot: true })).operationId);
    writing = false;
    await writer;
    expect(fb.error).toBeNull();
    const r = fb.result as { divergentBytes: number; bytesCopied: number; safetySnapshot: string; verification: { equal: boolean } };
    console.log(`failback: ${r.divergentBytes} divergent bytes, ${r.bytesCopied} bytes copied, snapshot ${r.safetySnapshot}`);
    expect(r.divergentBytes).toBeGreaterThanOrEqual(8 * MiB);
    expect(r.safetySnapshot).toMatch(/^h1\/fo@/);
    expect(r.verification.equal).toBe(true);

    const m = (await api.mirror.get.query({ name: "m-fo" })).mirror;
    expect(m.source.ref).toBe("h2/fo");
    expect(m.state).toBe("in_sync");
    const v = await api.mirror.verify.mutate({ name: "m-fo" });
    expect(v.differingRanges).toEqual([]);
  });
});
