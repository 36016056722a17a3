// Mirrors between two real agents and QSDs on loopback, checked with real NBD clients and
// checksums read over NBD on both sides.
import { agentError } from "@tandem/contracts/agent";
import { mirrorJob, replicationStatus, stopMirrorResult, type MirrorJob } from "@tandem/contracts/replication";
import { volume as volumeSchema, type Lu } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentApi, type AgentApi } from "./testing/agent-api";
import { openEventStream, type EventStream } from "./testing/event-stream";
import { holdsPattern, writePattern } from "./testing/nbd-client";
import {
  checksums,
  inSync,
  MiB,
  mirrorOf,
  qemuIoMany,
  replicationExportOn,
  replicationUri,
  startMirror,
  volumeWithLu,
  waitMirror,
} from "./testing/replication-helpers";
import { spawnAgent, type SpawnedAgent } from "./testing/spawn-agent";

let a: SpawnedAgent;
let b: SpawnedAgent;
let apiA: AgentApi;
let apiB: AgentApi;
let eventsA: EventStream;
let luA1: Lu;

beforeAll(async () => {
  [a, b] = await Promise.all([spawnAgent({ name: "host-a" }), spawnAgent({ name: "host-b" })]);
  apiA = agentApi(a);
  apiB = agentApi(b);
  eventsA = await openEventStream(a.url, a.token);
});
afterAll(async () => {
  eventsA?.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

function expectError(answer: { status: number; json: unknown }, status: number, code: string): string {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  const body = agentError.parse(answer.json);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

async function expectEqual(volA: string, volB: string): Promise<void> {
  const [x, y] = await Promise.all([checksums(apiA, volA), checksums(apiB, volB)]);
  expect(x.chunks.length).toBeGreaterThan(0);
  expect(x.sizeBytes).toBe(y.sizeBytes);
  const differing = x.chunks.map((c, i) => (c === y.chunks[i] ? null : i)).filter((i) => i !== null);
  expect(differing, `chunks (4 MiB) that differ between ${volA} and ${volB}`).toEqual([]);
}

describe("sync mirror A → B", () => {
  it("(a) first copy under 256 MiB of client writes, then ready with equal checksums on both sides", async () => {
    luA1 = (await volumeWithLu(apiA, "va1", "512M", "active"))!;
    await volumeWithLu(apiB, "vb1", "512M", "standby");
    const created = await apiB("POST", "/v1/replication/exports", { volume: "vb1", mirror: "m1", epoch: 1 });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const target = await replicationExportOn(apiB, "vb1", "m1"); // idempotent: 200, same export
    expect(target).toMatchObject({ volume: "vb1", mirror: "m1", exportName: "repl-m1", port: b.nbdPort, epoch: 1 });

    // Throttled so the first copy is still running while the client writes.
    const started = await startMirror(apiA, { name: "m1", volume: "va1", target, mode: "sync", speedLimitBytesPerSec: 128 * MiB });
    expect(started).toMatchObject({ name: "m1", mode: "sync", sync: "full", epoch: 1 });
    const writes = qemuIoMany(
      luA1.uri!,
      Array.from({ length: 8 }, (_, i) => `write -P ${0x10 + i} ${i * 48}M 32M`),
    );
    const during = await mirrorOf(apiA, "m1");
    expect(during.phase).toBe("copying");
    const done = await writes;
    expect(done.code, done.out).toBe(0);
    expect((await apiA("PATCH", "/v1/mirrors/m1", { speedLimitBytesPerSec: 0 })).status).toBe(200);
    const ready = await waitMirror(apiA, "m1", inSync);
    expect(ready.readyAt).not.toBeNull();
    expect(ready.len).toBeGreaterThanOrEqual(512 * MiB);
    await expectEqual("va1", "vb1");

    // Progress came on the stream, coalesced: about 4 per second at most.
    const progress = eventsA.events.filter((e) => e.type === "mirror.progress" && e.data.name === "m1");
    expect(progress.length).toBeGreaterThan(2);
    const spanS = (Date.parse(progress.at(-1)!.time) - Date.parse(progress[0]!.time)) / 1000;
    expect(progress.length).toBeLessThanOrEqual(4 * spanS + 2);
    await eventsA.waitFor((e) => e.type === "mirror.phase" && e.data.name === "m1" && e.data.to === "ready");

    const usedA = volumeSchema.parse((await apiA("GET", "/v1/volumes/va1")).json).usedBy;
    expect(usedA).toEqual([{ kind: "lu", id: luA1.guid }, { kind: "mirror", id: "m1" }]);
    expect(volumeSchema.parse((await apiB("GET", "/v1/volumes/vb1")).json).usedBy).toContainEqual({ kind: "mirror", id: "m1" });
  });

  it("(b) sync mode: every client write is on the target by the time it completes", async () => {
    for (let i = 0; i < 6; i++) {
      await writePattern(luA1.uri!, 0x60 + i, `${i * 5 + 1}M`, "1M");
      const onB = await qemuIoMany(replicationUri(b, "m1"), [`read -P ${0x60 + i} ${i * 5 + 1}M 1M`], true);
      expect(onB.code, onB.out).toBe(0);
    }
    // The data is there (read above); QSD's job counters catch up a moment after the write
    // completes, so the lag figure may say 1 MiB for one poll on a loaded machine.
    let m = await mirrorOf(apiA, "m1");
    for (let i = 0; i < 50 && m.lagBytes !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      m = await mirrorOf(apiA, "m1");
    }
    expect(m).toMatchObject({ phase: "ready", lagBytes: 0, link: "up" });
  });

  it("(g) refuses what would break a mirror", async () => {
    // A target must not serve clients, either way round.
    await volumeWithLu(apiB, "vx", "64M", "active");
    expect(expectError(await apiB("POST", "/v1/replication/exports", { volume: "vx", mirror: "mx", epoch: 1 }), 409, "wrong_state")).toMatch(/active/);
    expectError(await apiB("POST", "/v1/lus", { volume: "vb1", state: "active" }), 409, "in_use");
    // Epochs only go up.
    expect((await apiB("POST", "/v1/replication/exports", { volume: "vb1", mirror: "m1", epoch: 2 })).status).toBe(200);
    expect(expectError(await apiB("POST", "/v1/replication/exports", { volume: "vb1", mirror: "m1", epoch: 1 }), 409, "stale_epoch")).toMatch(/epoch 2/);
    expectError(await apiA("POST", "/v1/mirrors", { name: "m1", volume: "va1", target: { host: "127.0.0.1", port: b.nbdPort, exportName: "repl-m1" }, mode: "sync", sync: "full", epoch: 0 }), 409, "stale_epoch");
    // Sizes must match: QSD's own words come back, and nothing is left behind.
    await volumeWithLu(apiA, "vbig", "256M", "active");
    await volumeWithLu(apiB, "vsmall", "128M", null);
    const small = await replicationExportOn(apiB, "vsmall", "msize");
    for (let i = 0; i < 2; i++) {
      const target = { host: small.host, port: small.port, exportName: small.exportName };
      const refused = await apiA("POST", "/v1/mirrors", { name: "msize", volume: "vbig", target, mode: "sync", sync: "full", epoch: 1 });
      expect(expectError(refused, 409, "size_mismatch")).toMatch(/different sizes/);
    }
    expect((await apiA("GET", "/v1/mirrors/msize")).status).toBe(404);
    // A target that does not export what is asked.
    const missing = await apiA("POST", "/v1/mirrors", { name: "mnone", volume: "vbig", target: { host: "127.0.0.1", port: b.nbdPort, exportName: "repl-nope" }, mode: "sync", sync: "full", epoch: 1 });
    expect(expectError(missing, 409, "wrong_state")).toMatch(/does not offer export repl-nope/);
    // Mirrored volumes keep their data and size.
    expect(expectError(await apiA("DELETE", "/v1/volumes/va1"), 409, "in_use")).toMatch(/mirror m1/);
    expect(expectError(await apiB("DELETE", "/v1/volumes/vb1"), 409, "in_use")).toMatch(/mirror m1/);
    expectError(await apiA("POST", "/v1/volumes/va1/resize", { size: "1G" }), 409, "in_use");
    expectError(await apiA("POST", "/v1/volumes/va1/snapshots", { name: "s1" }), 409, "in_use");
    // One mirror per volume; one definition per name.
    expectError(await apiA("POST", "/v1/mirrors", { name: "m1b", volume: "va1", target: { host: small.host, port: small.port, exportName: small.exportName }, mode: "sync", sync: "full", epoch: 1 }), 409, "in_use");
    expectError(await apiA("POST", "/v1/mirrors", { name: "m1", volume: "vbig", target: { host: small.host, port: small.port, exportName: small.exportName }, mode: "sync", sync: "full", epoch: 2 }), 409, "exists");
    expect((await apiB("DELETE", "/v1/replication/exports/msize")).status).toBe(204);
    expect(await mirrorOf(apiA, "m1")).toMatchObject({ phase: "ready" });
  });

  it("(e) sync → async in place: nothing is copied again; the client outage is short", async () => {
    const before = await mirrorOf(apiA, "m1");
    expect(before.bytesCopied).toBeGreaterThanOrEqual(512 * MiB);
    const r = await apiA("PATCH", "/v1/mirrors/m1", { mode: "async" });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const after = mirrorJob.parse(r.json);
    expect(after).toMatchObject({ mode: "async", sync: "none", phase: expect.stringMatching(/ready|starting/) });
    expect(after.lastModeChange).toMatchObject({ from: "sync", to: "async" });
    console.log(`mode change sync → async: client outage ${after.lastModeChange!.clientOutageMs} ms`);
    expect(after.lastModeChange!.clientOutageMs).toBeLessThan(1_000);
    // The client export is on the new filter: writes reach B.
    await writePattern(luA1.uri!, 0x77, "100M", "4M");
    const settled = await waitMirror(apiA, "m1", inSync);
    expect(settled.bytesCopied).toBeLessThanOrEqual(8 * MiB); // the new writes only, not the volume
    await expectEqual("va1", "vb1");
    await eventsA.waitFor((e) => e.type === "mirror.modified" && e.data.name === "m1" && e.data.mode === "async");
  });

  it("(f) delete drains and stops cleanly; the client export keeps working on the volume", async () => {
    await writePattern(luA1.uri!, 0x78, "200M", "8M");
    const r = await apiA("DELETE", "/v1/mirrors/m1");
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(stopMirrorResult.parse(r.json)).toMatchObject({ name: "m1", drained: true });
    await expectEqual("va1", "vb1");
    expect(await holdsPattern(luA1.uri!, 0x78, "200M", "8M")).toBe(true);
    await writePattern(luA1.uri!, 0x79, "300M", "1M");
    expect(await holdsPattern(luA1.uri!, 0x79, "300M", "1M")).toBe(true);
    // Not mirrored any more: B did not get it.
    expect((await qemuIoMany(replicationUri(b, "m1"), ["read -P 0x79 300M 1M"], true)).code).not.toBe(0);
    expect((await apiA("GET", "/v1/mirrors/m1")).status).toBe(404);
    expect(volumeSchema.parse((await apiA("GET", "/v1/volumes/va1")).json).usedBy).toEqual([{ kind: "lu", id: luA1.guid }]);
    // The fence: idempotent, and the old epoch stays refused afterwards.
    expect((await apiB("DELETE", "/v1/replication/exports/m1?epoch=3")).status).toBe(204);
    expect((await apiB("DELETE", "/v1/replication/exports/m1")).status).toBe(204);
    expectError(await apiB("POST", "/v1/replication/exports", { volume: "vb1", mirror: "m1", epoch: 2 }), 409, "stale_epoch");
    const status = replicationStatus.parse((await apiB("GET", "/v1/replication")).json);
    expect(status).toMatchObject({ exports: [], epochs: { m1: 3 } });
  });
});

describe("async mirror", () => {
  let luA2: Lu;
  const samples: MirrorJob[] = [];

  it("(c) lags behind during a burst, then catches up to 0", async () => {
    luA2 = (await volumeWithLu(apiA, "va2", "256M", "active"))!;
    await volumeWithLu(apiB, "vb2", "256M", null);
    const target = await replicationExportOn(apiB, "vb2", "m2");
    await startMirror(apiA, { name: "m2", volume: "va2", target, mode: "async" });
    await waitMirror(apiA, "m2", inSync);

    const burst = Promise.all(
      [0, 1, 2, 3].map((i) => qemuIoMany(luA2.uri!, [0, 1, 2, 3].map((j) => `write -P ${0x30 + i} ${i * 64 + j * 16}M 16M`))),
    );
    let finished = false;
    void burst.then(() => (finished = true));
    while (!finished) {
      samples.push(await mirrorOf(apiA, "m2"));
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const w of await burst) expect(w.code, w.out).toBe(0);
    const maxLag = Math.max(...samples.map((s) => s.lagBytes));
    console.log(`async burst of 256 MiB: max lag seen ${(maxLag / MiB).toFixed(1)} MiB over ${samples.length} samples`);
    expect(maxLag).toBeGreaterThan(0);
    await waitMirror(apiA, "m2", inSync);
    await expectEqual("va2", "vb2");
  });

  it("pause holds the copy (lag stays) and the link loop leaves it paused; resume catches up", async () => {
    const paused = mirrorJob.parse((await apiA("POST", "/v1/mirrors/m2/pause")).json);
    expect(paused).toMatchObject({ phase: "paused", pausedByOperator: true });
    await writePattern(luA2.uri!, 0x44, "10M", "8M");
    await new Promise((r) => setTimeout(r, 1_500)); // more than a link-loop tick
    const still = await mirrorOf(apiA, "m2");
    expect(still.phase).toBe("paused");
    expect(still.lagBytes).toBeGreaterThanOrEqual(8 * MiB);
    expect(mirrorJob.parse((await apiA("POST", "/v1/mirrors/m2/resume")).json).pausedByOperator).toBe(false);
    await waitMirror(apiA, "m2", inSync);
    await expectEqual("va2", "vb2");
    expect(stopMirrorResult.parse((await apiA("DELETE", "/v1/mirrors/m2")).json).drained).toBe(true);
  });
});
