// Unplanned failover, failback and the overlay merge between two real agents (ALUA pair), with
// real NBD clients. A takes writes that B never gets (B fenced its export first: a partition),
// then A's agent and QSD are killed with SIGKILL mid-writes. B is promoted (overlay) and serves;
// A comes back held in Standby; the failback copies only the differing chunks from B's frozen
// base into A and mirrors the overlay back (sync=top) under a live writer on B; the overlay is
// merged later; finally a planned reversal hands the LU back to A. Checksums end every step.
import { mkdtempSync, rmSync } from "node:fs";
import { access } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { agentError } from "@tandem/contracts/agent";
import { baseExport, copyRangesResult, fenceMirrorResult, mergeOverlayResult, replicationStatusWithFences } from "@tandem/contracts/failover";
import { checksumResult, type ChecksumResult } from "@tandem/contracts/replication";
import { lu as luSchema, rebuildStatus, volume as volumeSchema, type Lu } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AgentApi } from "./testing/agent-api";
import { openEventStream } from "./testing/event-stream";
import { differingRanges, must, mirroredLu, pairUp, rangeBytes, reverse, spawnSide, type MirroredLu, type Side } from "./testing/failover-helpers";
import { freePort } from "./testing/free-port";
import { startLiveWriter, type LiveWriter } from "./testing/live-writer";
import { qemuIo } from "./testing/nbd-client";
import { checksums, inSync, MiB, mirrorOf, replicationExportOn, startMirror, waitMirror } from "./testing/replication-helpers";

let A: Side;
let B: Side;
let m: MirroredLu;
let uriA: string;
let uriB: string;
let writer: LiveWriter | null = null;
const dirA = mkdtempSync(path.join(os.tmpdir(), "tandem-failover-a-"));
let portA = 0;
const REGION = 256 * MiB;
const CHUNK = MiB;

const startA = async () => {
  A = await spawnSide({ name: "host-a", dataDir: dirA, nbdPort: portA });
};

beforeAll(async () => {
  portA = await freePort();
  await startA();
  B = await spawnSide({ name: "host-b" });
  await pairUp(A, B);
  m = await mirroredLu(A, B, { mirror: "m1", sourceVolume: "va", targetVolume: "vb", size: "512M", mode: "sync", epoch: 1 });
  uriA = `nbd://127.0.0.1:${portA}/${m.guid}`;
  const w = await qemuIo(uriA, "write -P 0x31 0 48M", "write -P 0x32 300M 16M");
  expect(w.code, w.out).toBe(0);
  await waitMirror(A.api, "m1", inSync);
});
afterAll(async () => {
  await writer?.stop();
  await Promise.all([A?.agent.stop(), B?.agent.stop()]);
  rmSync(dirA, { recursive: true, force: true });
});

function expectError(answer: { status: number; json: unknown }, status: number, code: string): string {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  const body = agentError.parse(answer.json);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

async function sums(api: AgentApi, volume: string, layer: "top" | "base" = "top"): Promise<ChecksumResult> {
  return checksumResult.parse(await must(api, "POST", `/v1/volumes/${volume}/checksums`, { chunkBytes: CHUNK, layer }));
}

async function expectEqual(): Promise<void> {
  const [x, y] = await Promise.all([checksums(A.api, "va"), checksums(B.api, "vb")]);
  expect(x.chunks.filter((c, i) => c !== y.chunks[i]).length, "differing 4 MiB chunks between va (A) and vb (B)").toBe(0);
}

async function luOn(api: AgentApi): Promise<Lu> {
  return luSchema.parse(await must(api, "GET", `/v1/lus/${m.guid}`));
}

describe("failover, failback, merge", () => {
  it("(2a) A dies mid-writes after B fenced it; B is promoted (overlay) and serves within seconds", async () => {
    writer = startLiveWriter({ uri: uriA, regionBytes: REGION });
    await writer.waitForOk(uriA);
    // The partition: A's agent hears nothing from B (frozen here: an agent that reaches its peer
    // learns the newer epoch and holds itself), B fences its export at the new epoch; A's job
    // loses its target and A's QSD keeps taking writes that B never gets.
    const qsdPid = (await A.agent.health()).qsd.pid!;
    process.kill(A.agent.pid, "SIGSTOP");
    await must(B.api, "DELETE", "/v1/replication/exports/m1?epoch=2");
    const fencedAt = performance.now();
    await writer.waitForOk(uriA, fencedAt);
    await new Promise((r) => setTimeout(r, 600));
    const onlyOnA = writer.batches.filter((b) => b.ok && b.uri === uriA && b.start >= fencedAt).length;
    expect(onlyOnA).toBeGreaterThan(0);

    // kill -9 of A's agent and QSD while the writer runs.
    const killedAt = performance.now();
    process.kill(A.agent.pid, "SIGKILL");
    process.kill(qsdPid, "SIGKILL");
    await A.agent.exited;

    const promoted = await B.api("POST", "/v1/volumes/vb/promote", { mirror: "m1", epoch: 2 });
    expect(promoted.status, JSON.stringify(promoted.json)).toBe(200);
    const p = volumeSchema.parse(promoted.json).promotion!;
    expect(p).toMatchObject({ mirror: "m1", epoch: 2, overlay: { file: "vb.qcow2.overlay" }, baseExport: null });
    // Promote twice: the same promotion.
    const twice = volumeSchema.parse(await must(B.api, "POST", "/v1/volumes/vb/promote", { mirror: "m1", epoch: 2 }));
    expect(twice.promotion).toMatchObject({ at: p.at, overlay: { file: p.overlay.file } });
    expect(expectError(await B.api("POST", "/v1/volumes/vb/promote", { mirror: "m9", epoch: 2 }), 409, "wrong_state")).toMatch(/already promoted/);

    // A cannot be told to go to Standby (it is dead): without force the import is refused.
    expectError(await B.api("POST", `/v1/lus/${m.guid}/import`), 503, "peer_unreachable");
    const imported = luSchema.parse(await must(B.api, "POST", `/v1/lus/${m.guid}/import`, { force: true, reason: "failover: host-a lost" }));
    const activeMs = performance.now() - killedAt;
    console.log(`failover: B Active ${activeMs.toFixed(0)} ms after A was killed (export added at ${imported.exportAddedAt})`);
    expect(activeMs).toBeLessThan(5_000);
    uriB = imported.uri!;
    writer.setTarget(uriB);
    await writer.waitForOk(uriB);
  });

  it("(2b) B's promotion survives a QSD crash: base + overlay reopened, the LU back on the overlay", async () => {
    const pid = (await B.agent.health()).qsd.pid!;
    const t = performance.now();
    process.kill(pid, "SIGKILL");
    await vi.waitFor(
      async () => {
        const status = rebuildStatus.parse((await B.api("GET", "/v1/state/rebuild")).json);
        expect(status.inProgress).toBe(false);
        expect(status.last?.qsdPid).not.toBe(pid);
        expect(status.last?.adjustments.join("\n")).toMatch(/overlay vb\.qcow2\.overlay reopened on the frozen base/);
        expect(status.last?.adjustments.join("\n")).toMatch(/epochs of mirror m1 not checked: peer host-a is unreachable/);
        expect(status.last?.exports).toBe(1);
      },
      { timeout: 15_000, interval: 100 },
    );
    await writer!.waitForOk(uriB, t);
    expect(volumeSchema.parse(await must(B.api, "GET", "/v1/volumes/vb")).promotion).toMatchObject({ mirror: "m1", epoch: 2 });
  });

  it("(2c) A comes back held in Standby: stale epoch, no client export, no mirror job; import refused", async () => {
    await startA();
    const held = await luOn(A.api);
    expect(held).toMatchObject({ state: "standby", uri: null, held: { mirror: "m1", epoch: 2 } });
    expect(held.held!.reason).toMatch(/^held: stale epoch 1 < 2 \(peer host-b\)/);
    const transitions = (await must<{ reason: string; to: string }[]>(A.api, "GET", `/v1/lus/${m.guid}/transitions`)).at(-1)!;
    expect(transitions).toMatchObject({ to: "standby", reason: expect.stringMatching(/held: stale epoch 1 < 2/) });
    const rebuild = rebuildStatus.parse((await A.api("GET", "/v1/state/rebuild")).json).last!;
    expect(rebuild.exports).toBe(0);
    expect(rebuild.adjustments.join("\n")).toMatch(/mirror m1: not restarted \(held: stale epoch 1 < 2/);
    // A client can neither connect nor write.
    const w = await qemuIo(uriA, "write -P 0x99 0 64k");
    expect(w.code).not.toBe(0);
    expect(w.out).toMatch(/not present|no export/i);
    expect((await A.api("GET", "/v1/mirrors/m1")).status).toBe(404);
    const repl = replicationStatusWithFences.parse(await must(A.api, "GET", "/v1/replication"));
    expect(repl).toMatchObject({ mirrors: [], epochs: { m1: 2 }, fences: [{ mirror: "m1", volume: "va", epoch: 2 }] });
    // Import needs the current epoch; an Active LU cannot be created around the hold either.
    expect(expectError(await A.api("POST", `/v1/lus/${m.guid}/import`), 409, "stale_epoch")).toMatch(/held/);
    expectError(await A.api("POST", `/v1/lus/${m.guid}/import`, { epoch: 1 }), 409, "stale_epoch");
    expectError(await A.api("POST", "/v1/mirrors", { name: "m1", volume: "va", target: { host: "127.0.0.1", port: B.agent.nbdPort, exportName: "repl-m1" }, mode: "sync", sync: "full", epoch: 2 }), 409, "stale_epoch");
    // The fence call is idempotent on a held host (it only records; nothing is running).
    const fenced = fenceMirrorResult.parse(await must(A.api, "POST", "/v1/mirrors/m1/fence", { epoch: 2 }));
    expect(fenced).toMatchObject({ fence: { volume: "va", epoch: 2 }, luStandby: null, stopped: null });
  });

  it("(2d) failback: divergent chunks found against B's frozen base, safety snapshot, copy-ranges, sync=top; equal under a live writer", async () => {
    await must(A.api, "POST", "/v1/replication/exports", { volume: "va", mirror: "m1", epoch: 2 });
    expectError(await A.api("POST", "/v1/volumes/va/base-export", { mirror: "m1" }), 409, "wrong_state");
    const be = baseExport.parse(await must(B.api, "POST", "/v1/volumes/vb/base-export", { mirror: "m1" }, [201]));
    expect(baseExport.parse(await must(B.api, "POST", "/v1/volumes/vb/base-export", { mirror: "m1" }, [200])).uri).toBe(be.uri);
    expect(be).toMatchObject({ exportName: "base-m1", sizeBytes: 512 * MiB });
    // The base is read only.
    expect((await qemuIo(be.uri, "write -P 1 0 4k")).code).not.toBe(0);

    const [onA, base] = await Promise.all([sums(A.api, "va"), sums(B.api, "vb", "base")]);
    expect(base.layer).toBe("base");
    const ranges = differingRanges(onA, base);
    const divergent = rangeBytes(ranges);
    console.log(`failback: ${ranges.length} ranges, ${divergent / MiB} MiB differ between A and B's base (compare: A ${onA.elapsedMs} ms, base ${base.elapsedMs} ms)`);
    expect(divergent).toBeGreaterThan(0);

    expect((await A.api("POST", "/v1/volumes/va/snapshots", { name: "before-failback" })).status).toBe(201);
    expectError(await A.api("POST", "/v1/volumes/va/copy-ranges", { source: { uri: be.uri }, ranges, epoch: 1 }), 409, "stale_epoch");
    const events = await openEventStream(A.agent.url, A.agent.token);
    const copied = copyRangesResult.parse(await must(A.api, "POST", "/v1/volumes/va/copy-ranges", { source: { uri: be.uri }, ranges, epoch: 2 }));
    console.log(`copy-ranges: ${copied.bytesCopied} bytes in ${copied.elapsedMs} ms`);
    expect(copied).toMatchObject({ mirror: "m1", epoch: 2, ranges: ranges.length, bytesCopied: divergent });
    await events.waitFor((e) => e.type === "volume.ranges_copied" && e.data.bytesCopied === divergent);
    expect(events.events.some((e) => e.type === "volume.copy_progress")).toBe(true);
    events.close();
    const [after, base2] = await Promise.all([sums(A.api, "va"), sums(B.api, "vb", "base")]);
    expect(differingRanges(after, base2), "A equals B's frozen base after copy-ranges").toEqual([]);
    expect((await B.api("DELETE", "/v1/volumes/vb/base-export")).status).toBe(204);
    expect((await B.api("DELETE", "/v1/volumes/vb/base-export")).status).toBe(204);

    // Mirror the overlay back (sync=top) while the writer keeps writing on B.
    const writtenBefore = writer!.bytesOn(uriB);
    const target = await replicationExportOn(A.api, "va", "m1", 2);
    const started = await startMirror(B.api, { name: "m1", volume: "vb", target, mode: "sync", sync: "top", epoch: 2 });
    expect(started).toMatchObject({ sync: "top", epoch: 2 });
    await waitMirror(B.api, "m1", (j) => j.phase === "ready", 30_000);
    await new Promise((r) => setTimeout(r, 500));
    await writer!.stop();
    const writtenOnB = writer!.bytesOn(uriB);
    writer = null;
    const job = await waitMirror(B.api, "m1", inSync);
    console.log(`sync=top: ${job.bytesCopied} bytes copied; ${writtenOnB} bytes written on B since promotion (${writtenBefore} before the mirror started)`);
    expect(job.bytesCopied).toBeLessThanOrEqual(writtenOnB + 2 * MiB);
    expect(job.bytesCopied).toBeLessThan(128 * MiB);
    await expectEqual();
    // The snapshot keeps what A had before the failback overwrote it.
    expect((await must<{ name: string }[]>(A.api, "GET", "/v1/volumes/va/snapshots")).map((s) => s.name)).toEqual(["before-failback"]);
  });

  it("(3) merging the overlay keeps both sides equal and the mirror running; (4) misuse around it", async () => {
    // Still promoted for m1: asking again answers the same promotion, even now that B is the source.
    expect(volumeSchema.parse(await must(B.api, "POST", "/v1/volumes/vb/promote", { mirror: "m1", epoch: 2 })).promotion?.mirror).toBe("m1");
    await must(B.api, "POST", "/v1/volumes/vb/base-export", { mirror: "m1" });
    expect(expectError(await B.api("POST", "/v1/volumes/vb/merge-overlay"), 409, "wrong_state")).toMatch(/base export/);
    await must(B.api, "DELETE", "/v1/volumes/vb/base-export");

    writer = startLiveWriter({ uri: uriB, regionBytes: REGION });
    await writer.waitForOk(uriB);
    const merged = mergeOverlayResult.parse(await must(B.api, "POST", "/v1/volumes/vb/merge-overlay"));
    console.log(`merge: ${merged.committedBytes} bytes committed, client outage ${merged.clientOutageMs} ms`);
    expect(merged).toMatchObject({ merged: true, mirrorRestarted: true });
    expect(merged.committedBytes).toBeGreaterThan(0);
    expect(merged.clientOutageMs).toBeLessThan(2_000);
    const t = performance.now();
    await writer.waitForOk(uriB, t);
    await new Promise((r) => setTimeout(r, 400));
    await writer.stop();
    writer = null;
    const job = await waitMirror(B.api, "m1", inSync);
    expect(job).toMatchObject({ sync: "none", phase: "ready" });
    const vb = volumeSchema.parse(await must(B.api, "GET", "/v1/volumes/vb"));
    expect(vb.promotion).toBeNull();
    await expect(access(path.join(B.agent.dataDir, "pools", "default", "vb.qcow2.overlay"))).rejects.toThrow();
    expect(mergeOverlayResult.parse(await must(B.api, "POST", "/v1/volumes/vb/merge-overlay"))).toMatchObject({ merged: false });
    // Not promoted any more, and a mirror's source: not promotable.
    expectError(await B.api("POST", "/v1/volumes/vb/promote", { mirror: "m1", epoch: 3 }), 409, "in_use");
    await expectEqual();
  });

  it("planned reversal back to A lifts the hold (a mirror from A at a newer epoch); equal", async () => {
    const back = await reverse(m, B, A, { epoch: 3, mode: "sync" });
    expect(back.lu).toMatchObject({ state: "active", uri: uriA, held: null });
    const repl = replicationStatusWithFences.parse(await must(A.api, "GET", "/v1/replication"));
    expect(repl.fences).toEqual([]);
    const w = await qemuIo(uriA, "write -P 0x77 100M 4M");
    expect(w.code, w.out).toBe(0);
    await waitMirror(A.api, "m1", inSync);
    expect(await mirrorOf(A.api, "m1")).toMatchObject({ epoch: 3, sync: "none" });
    await expectEqual();
  });
});
