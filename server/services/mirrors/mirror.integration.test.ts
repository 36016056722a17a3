// Mirrors through the console on real agents and QSDs, with real NBD clients writing; every
// case ends by comparing both sides chunk by chunk.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { startAgent, stopPid, stopStack, type StackState } from "../../../e2e/support/stack";
import { eventually, startPairedStack } from "@/server/testing/api-client";
import { io } from "socket.io-client";
import type { RealtimeEvent } from "@/server/realtime/events";

const run = promisify(execFile);
let stack: StackState;
let api: Awaited<ReturnType<typeof startPairedStack>>["api"];
let token: string;

/** Collects the live progress deltas of a mirror, as a browser gets them. */
async function watchProgress(mirrorId: string) {
  const socket = io(stack.consoleUrl, { path: "/socket.io", transports: ["websocket"], auth: { token } });
  const samples: { lagBytes: number; phase: string }[] = [];
  socket.on("event", (e: RealtimeEvent) => {
    if (e.type === "mirror.progress" && e.mirrorId === mirrorId) samples.push({ lagBytes: e.lagBytes, phase: e.phase });
  });
  await new Promise<void>((resolve, reject) => (socket.once("connect", () => resolve()), socket.once("connect_error", reject)));
  return { samples, close: () => socket.disconnect() };
}
const MiB = 2 ** 20;

async function qemuIo(uri: string, ...cmds: string[]) {
  const args = ["-f", "raw", ...cmds.flatMap((c) => ["-c", c]), uri];
  return (await run("qemu-io", args, { timeout: 120_000, maxBuffer: 16 * MiB })).stdout;
}

async function mirrorState(name: string) {
  return (await api.mirror.get.query({ name })).mirror;
}

async function expectEqual(name: string) {
  const v = await api.mirror.verify.mutate({ name });
  expect(v.differingRanges).toEqual([]);
  expect(v.equal).toBe(true);
  return v;
}

beforeAll(async () => {
  ({ stack, api, token } = await startPairedStack());
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("mirrors", () => {
  it("initial sync under 256 MiB of client writes reaches in_sync, both sides equal", async () => {
    await api.volume.create.mutate({ host: "h1", name: "big", size: "512M" });
    const lu = await api.lu.create.mutate({ volume: "h1/big" });
    // Data before the mirror exists, then more while it copies.
    await qemuIo(lu.uri!, "write -P 0x11 0 64M");
    const created = await api.mirror.create.mutate({ name: "m-big", source: "h1/big", target: "h2/big", createTarget: true, mode: "sync", speedLimit: "64M" });
    expect(created.operationId).toBeTruthy();
    const seen = new Set<string>();
    const writes = (async () => {
      for (let i = 0; i < 4; i++) await qemuIo(lu.uri!, `write -P 0x${(0x20 + i).toString(16)} ${64 + i * 48}M 48M`);
      await qemuIo(lu.uri!, "write -P 0x7e 300M 64M");
    })();
    await eventually(async () => {
      const m = await mirrorState("m-big");
      seen.add(m.state);
      return m.state === "in_sync" ? m : undefined;
    }, 120_000, "in_sync");
    await writes;
    await eventually(async () => (await mirrorState("m-big")).lagBytes === 0, 30_000, "lag 0");
    expect(seen.has("syncing")).toBe(true);
    const m = await mirrorState("m-big");
    expect(m.health.level).toBe("ok");
    // The target got the source's GUID, in Standby.
    const lus = await api.lu.list.query();
    expect(lus.find((l) => l.guid === lu.guid)?.nodes.map((n) => `${n.host}:${n.accessState}`)).toEqual(["h1:active", "h2:standby"]);
    await expectEqual("m-big");
  });

  it("refuses a second mirror on a volume already mirrored, and other rule breaks, naming rule and object", async () => {
    await api.volume.create.mutate({ host: "h2", name: "other", size: "512M" });
    await api.volume.create.mutate({ host: "h2", name: "small", size: "64M" });
    await api.volume.create.mutate({ host: "h1", name: "free", size: "512M" });
    const refusal = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        if (e instanceof TRPCClientError) return e.message;
        throw e;
      }
      throw new Error("expected a refusal");
    };
    expect(await refusal(api.mirror.create.mutate({ name: "m2", source: "h1/big", target: "h2/other" }))).toMatch(/single-mirror rule: h1\/big is already the source of mirror m-big/);
    expect(await refusal(api.mirror.create.mutate({ name: "m3", source: "h1/free", target: "h2/big" }))).toMatch(/single-mirror rule: h2\/big is already the target of mirror m-big/);
    expect(await refusal(api.mirror.create.mutate({ name: "m4", source: "h1/free", target: "h2/small" }))).toMatch(/sizes differ/);
    expect(await refusal(api.mirror.create.mutate({ name: "m5", source: "h1/free", target: "h1/big" }))).toMatch(/different hosts/);
    expect(await refusal(api.mirror.create.mutate({ name: "m-big", source: "h1/free", target: "h2/other" }))).toMatch(/already exists/);
    expect(await refusal(api.volume.delete.mutate({ volume: "h2/big" }))).toMatch(/target of mirror m-big/);
  });

  it("two creates racing for one volume: exactly one wins", { timeout: 180_000 }, async () => {
    await api.volume.create.mutate({ host: "h2", name: "race-b", size: "512M" });
    const results = await Promise.allSettled([
      api.mirror.create.mutate({ name: "race-1", source: "h1/free", target: "h2/other" }),
      api.mirror.create.mutate({ name: "race-2", source: "h1/free", target: "h2/race-b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const winner = results[0]!.status === "fulfilled" ? "race-1" : "race-2";
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(loser.reason)).toMatch(/single-mirror rule/);
    await eventually(async () => {
      const m = await mirrorState(winner);
      return m.state === "in_sync" ? m : m.state === "error" ? Promise.reject(new Error(`${winner}: ${m.stateReason}`)) : undefined;
    }, 120_000, "winner in sync");
    await api.mirror.delete.mutate({ name: winner, deleteTarget: false });
    await eventually(async () => !(await api.mirror.list.query()).some((m) => m.name === winner), 60_000, "winner deleted");
  });

  it("sync mode: every acknowledged write is already on the target", async () => {
    const lu = (await api.lu.list.query()).find((l) => l.nodes.some((n) => n.volume === "big" && n.host === "h1"))!;
    const uri = lu.nodes.find((n) => n.host === "h1")!.uri!;
    for (const [i, pattern] of ["0x31", "0x32", "0x33"].entries()) {
      await qemuIo(uri, `write -P ${pattern} ${i * 4}M 4M`);
      // No waiting: the write returned, so the target must have it.
      await expectEqual("m-big");
    }
  });

  it("async mode (changed in place, nothing re-copied): lag grows under a burst, then returns to 0", async () => {
    const r = (await api.mirror.modify.mutate({ name: "m-big", mode: "async" })) as { result: { bytesCopied: number } | null };
    expect((await mirrorState("m-big")).mode).toBe("async");
    expect(r.result?.bytesCopied ?? 0).toBeLessThan(16 * MiB);
    const uri = (await api.lu.list.query()).flatMap((l) => l.nodes).find((n) => n.volume === "big" && n.host === "h1")!.uri!;
    const watch = await watchProgress((await mirrorState("m-big")).id);
    await qemuIo(uri, "write -P 0x44 0 128M", "write -P 0x45 128M 128M");
    await eventually(async () => (await mirrorState("m-big")).lagBytes === 0 && (await mirrorState("m-big")).state === "in_sync", 60_000, "lag back to 0");
    watch.close();
    const burstLag = Math.max(0, ...watch.samples.map((x) => x.lagBytes));
    console.log(`async burst: max lag seen ${(burstLag / MiB).toFixed(1)} MiB in ${watch.samples.length} live samples`);
    // Whether a burst outruns the copy depends on the machine; a paused job always falls behind,
    // so that is what the assertion uses: lag above 0 while writes pile up, then back to 0.
    await api.mirror.pause.mutate({ name: "m-big" });
    await qemuIo(uri, "write -P 0x46 256M 32M");
    const behind = await eventually(async () => {
      const lag = (await mirrorState("m-big")).lagBytes;
      return lag > 0 ? lag : undefined;
    }, 10_000, "lag while paused");
    expect(behind).toBeGreaterThan(0);
    await api.mirror.resume.mutate({ name: "m-big" });
    await eventually(async () => (await mirrorState("m-big")).lagBytes === 0 && (await mirrorState("m-big")).state === "in_sync", 60_000, "lag back to 0 after resume");
    await expectEqual("m-big");
    await api.mirror.modify.mutate({ name: "m-big", mode: "sync" });
  });

  it("link loss: broken within 2 s, the source keeps taking writes, after heal only dirty data moves, then equal", async () => {
    const uri = (await api.lu.list.query()).flatMap((l) => l.nodes).find((n) => n.volume === "big" && n.host === "h1")!.uri!;
    const h2 = stack.agents.find((a) => a.name === "h2")!;
    const t0 = Date.now();
    await stopPid(h2.pid);
    await eventually(async () => (await mirrorState("m-big")).state === "broken", 5000, "broken");
    expect(Date.now() - t0).toBeLessThan(2000 + 500);
    // The source serves on: writes complete while the target is away.
    await qemuIo(uri, "write -P 0x55 100M 8M", "write -P 0x56 200M 8M");
    expect((await mirrorState("m-big")).health.level).toBe("critical");

    const back = await startAgent(h2);
    back.proc.unref();
    h2.pid = back.pid;
    const healed = await eventually(async () => {
      const m = await mirrorState("m-big");
      return m.state === "in_sync" && m.lagBytes === 0 ? m : undefined;
    }, 90_000, "in sync after heal");
    expect(healed.health.level).toBe("ok");
    // Only what was written while the link was down (plus blocks touched around it) moved.
    const resync = await eventually(async () => (await api.mirror.get.query({ name: "m-big" })).events.find((e) => e.kind === "mirror.resynced"), 10_000, "resync event");
    const copied = (resync.data as { bytesCopied: number }).bytesCopied;
    console.log(`after heal: ${(copied / MiB).toFixed(1)} MiB copied for 16 MiB written while broken (volume 512 MiB)`);
    expect(copied).toBeGreaterThanOrEqual(16 * MiB);
    // Far below the 512 MiB a full copy would move (the margin covers blocks rewritten while catching up).
    expect(copied).toBeLessThan(128 * MiB);
    await expectEqual("m-big");
  });

  it("pause and resume", async () => {
    await api.mirror.pause.mutate({ name: "m-big" });
    expect((await mirrorState("m-big")).state).toBe("paused");
    await api.mirror.resume.mutate({ name: "m-big" });
    await eventually(async () => (await mirrorState("m-big")).state === "in_sync", 30_000, "in sync after resume");
    await expectEqual("m-big");
  });

  it("delete stops cleanly, keeps the target when asked, and the source LU keeps serving", async () => {
    const uri = (await api.lu.list.query()).flatMap((l) => l.nodes).find((n) => n.volume === "big" && n.host === "h1")!.uri!;
    const { operationId } = (await api.mirror.delete.mutate({ name: "m-big", deleteTarget: false })) as { operationId: string };
    await eventually(async () => (await api.operation.get.query({ id: operationId })).status === "succeeded", 60_000, "deleted");
    expect((await api.mirror.list.query()).some((m) => m.name === "m-big")).toBe(false);
    expect((await api.volume.list.query()).some((v) => v.ref === "h2/big")).toBe(true);
    await qemuIo(uri, "write -P 0x66 0 1M", "read -P 0x66 0 1M");
    // The drained target kept exactly what the source had before that last write.
    const sum = async (host: string) => {
      const a = stack.agents.find((x) => x.name === host)!;
      const r = await fetch(`${a.url}/v1/volumes/big/checksums`, { method: "POST", headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" }, body: "{}" });
      return ((await r.json()) as { chunks: string[] }).chunks;
    };
    const [src, tgt] = await Promise.all([sum("h1"), sum("h2")]);
    expect(tgt.slice(1)).toEqual(src.slice(1)); // chunk 0 took the write made after the delete
    expect(tgt[0]).not.toBe(src[0]);
  });
});
