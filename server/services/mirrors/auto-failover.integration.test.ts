// Automatic failover on real agents and QSDs: opt-in per mirror, and only with a quorum. The
// source's agent dying alone (its QSD still serving) must not fail anything over, since the
// target still reaches the source; its QSD dying too makes the mirror that asked for it fail
// over by itself, as an automatic operation, while a mirror that did not ask waits for a person.
// Ends with failback and both sides compared.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, startAgent, stopStack, type StackState } from "../../../e2e/support/stack";
import { eventually, operationEnd, startPairedStack } from "@/server/testing/api-client";

const run = promisify(execFile);
const AFTER_S = 5;
let stack: StackState;
let api: Awaited<ReturnType<typeof startPairedStack>>["api"];

const qemuIo = (uri: string, ...cmds: string[]) => run("qemu-io", ["-f", "raw", ...cmds.flatMap((c) => ["-c", c]), uri], { timeout: 60_000 });
const waitOp = (id: string) => operationEnd(api, id, 180_000);
const mirror = async (name: string) => (await api.mirror.get.query({ name })).mirror;
const hostStatus = async (name: string) => (await api.host.list.query()).find((h) => h.name === name)?.status;
const events = async (name: string) => (await api.mirror.get.query({ name })).events;

beforeAll(async () => {
  ({ stack, api } = await startPairedStack());
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("automatic failover", () => {
  it("is refused with a clear message below 5 s, and is off unless asked", async () => {
    await api.volume.create.mutate({ host: "h1", name: "chk", size: "16M" });
    await expect(api.mirror.create.mutate({ name: "m-chk", source: "h1/chk", target: "h2/chk", createTarget: true, autoFailoverAfterSeconds: 2 })).rejects.toThrow(
      /at least 5 seconds/,
    );
    // Nothing was half made: no mirror, no target volume.
    expect((await api.mirror.list.query()).map((m) => m.name)).not.toContain("m-chk");
    expect((await api.volume.list.query()).map((v) => v.ref)).not.toContain("h2/chk");
  });

  it("needs both the console and the target to lose the source; fails over by itself; failback ends equal", { timeout: 300_000 }, async () => {
    await api.volume.create.mutate({ host: "h1", name: "af", size: "64M" });
    await api.volume.create.mutate({ host: "h1", name: "mf", size: "16M" });
    const lu = await api.lu.create.mutate({ volume: "h1/af" });
    await qemuIo(lu.uri!, "write -P 0x41 0 16M");
    const auto = await api.mirror.create.mutate({ name: "m-auto", source: "h1/af", target: "h2/af", createTarget: true, autoFailoverAfterSeconds: AFTER_S });
    const manual = await api.mirror.create.mutate({ name: "m-manual", source: "h1/mf", target: "h2/mf", createTarget: true });
    expect((await waitOp(auto.operationId)).status).toBe("succeeded");
    expect((await waitOp(manual.operationId)).status).toBe("succeeded");
    expect((await mirror("m-auto")).autoFailoverAfterSeconds).toBe(AFTER_S);
    expect((await mirror("m-manual")).autoFailoverAfterSeconds).toBeNull();

    // 1. h1's agent dies, its QSD keeps serving clients: the console has lost h1, h2 has not.
    const h1 = stack.agents.find((a) => a.name === "h1")!;
    const qsdPid = Number(fs.readFileSync(path.join(h1.dataDir, "qsd.pid"), "utf8").trim());
    process.kill(h1.pid, "SIGKILL");
    await eventually(async () => (await hostStatus("h1")) === "offline", 10_000, "h1 offline");
    expect(isAlive(qsdPid)).toBe(true);
    await eventually(async () => (await events("m-auto")).some((e) => e.kind === "mirror.auto_failover.held"), 15_000, "held event");
    const held = (await events("m-auto")).find((e) => e.kind === "mirror.auto_failover.held")!;
    expect(held.message).toContain("still reaches the source's NBD server");
    // Well past the configured time: still no failover, and the source still takes writes.
    await new Promise((r) => setTimeout(r, (AFTER_S + 3) * 1000));
    expect((await mirror("m-auto")).state).not.toBe("failed_over");
    expect((await api.operation.list.query({ limit: 50 })).some((o) => o.kind === "mirror.failover")).toBe(false);
    await qemuIo(lu.uri!, "write -P 0x42 16M 1M");

    // 2. Its QSD dies too: now h2 loses it as well; m-auto fails over by itself.
    const lost = Date.now();
    process.kill(qsdPid, "SIGKILL");
    await eventually(async () => (await mirror("m-auto")).state === "failed_over", 30_000, "automatic failover");
    const tookS = (Date.now() - lost) / 1000;
    console.log(`automatic failover: m-auto failed over ${tookS.toFixed(1)} s after h1's QSD died (configured ${AFTER_S} s)`);
    expect(tookS).toBeGreaterThanOrEqual(AFTER_S);
    const ops = await api.operation.list.query({ limit: 50 });
    // The mirror says failed_over at the operation's last step: let the operation finish.
    const fo = await waitOp(ops.find((o) => o.kind === "mirror.failover" && o.subject === "m-auto")!.id);
    expect(fo).toMatchObject({ status: "succeeded", actor: "system:auto-failover", manual: false });
    expect(fo.reason).toContain("unreachable from the console and from h2");
    const audit = await api.audit.list.query({ limit: 200, subject: "m-auto" });
    expect(audit.find((a) => a.action === "mirror.failover.requested")).toMatchObject({ actor: "system:auto-failover", manual: false });
    expect((await events("m-auto")).map((e) => e.kind)).toEqual(expect.arrayContaining(["mirror.auto_failover.armed", "mirror.auto_failover.started"]));

    // Clients carry on at h2, with what h1 had acknowledged before it died.
    const h2uri = (fo.result as { uri: string }).uri;
    await qemuIo(h2uri, "read -P 0x41 0 16M", "read -P 0x42 16M 1M", "write -P 0x43 32M 4M");
    // The mirror that did not opt in waits for a person.
    expect((await mirror("m-manual")).state).not.toBe("failed_over");
    expect(ops.some((o) => o.kind === "mirror.failover" && o.subject === "m-manual")).toBe(false);

    // 3. h1 returns: held in Standby (stale epoch), then failback brings it back equal.
    const back = await startAgent(h1);
    back.proc.unref();
    h1.pid = back.pid;
    await eventually(async () => (await hostStatus("h1")) === "online", 20_000, "h1 online");
    await expect(qemuIo(lu.uri!, "write -P 0x99 0 1M")).rejects.toThrow();
    const fb = await waitOp((await api.mirror.failback.mutate({ name: "m-auto", safetySnapshot: false })).operationId);
    expect(fb.error).toBeNull();
    await qemuIo(h2uri, "write -P 0x44 40M 2M");
    await eventually(async () => (await mirror("m-auto")).state === "in_sync", 30_000, "m-auto in sync");
    const v = await api.mirror.verify.mutate({ name: "m-auto" });
    expect(v.differingRanges).toEqual([]);
    expect(v.equal).toBe(true);

    // The manual mirror's source is back too: it catches up and both sides are equal.
    await eventually(async () => (await mirror("m-manual")).state === "in_sync", 60_000, "m-manual in sync");
    expect((await api.mirror.verify.mutate({ name: "m-manual" })).equal).toBe(true);
  });
});
