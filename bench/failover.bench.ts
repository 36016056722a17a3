// Failover building blocks through two real agents (ALUA pair) and QSDs on loopback:
//  1. planned reversal at 1 GiB and 8 GiB (thin, DATA MiB written): client outage (agents'
//     export times, and as a live qemu-io writer saw it) and wall time; goals: outage < 1 s,
//     wall time 8G/1G ≤ 1.2 (nothing is copied, so the size must not matter);
//  2. failback after a forced failover: bytes copied (copy-ranges + the sync=top mirror) against
//     what really diverged (writes on the old source after the fence + writes on the promoted
//     side); goal ≤ 1.1×;
//  3. compare throughput: chunked checksums (the failback's compare) against a raw nbdcopy read
//     of the same volume.
// Run: node --import tsx bench/failover.bench.ts [MiB of data, default 256] [rounds, default 3]
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { baseExport, copyRangesResult } from "@tandem/contracts/failover";
import { checksumResult, type ChecksumResult } from "@tandem/contracts/replication";
import { lu as luSchema } from "@tandem/contracts/storage";
import type { AgentApi } from "../apps/agent/src/testing/agent-api";
import { differingRanges, mirroredLu, must, pairUp, rangeBytes, reverse, spawnSide, type Side } from "../apps/agent/src/testing/failover-helpers";
import { clientGapMs, startLiveWriter } from "../apps/agent/src/testing/live-writer";
import { inSync, qemuIoMany, replicationExportOn, startMirror, waitMirror } from "../apps/agent/src/testing/replication-helpers";

const MiB = 2 ** 20;
const DATA_MIB = Math.max(64, Number(process.argv[2] ?? 256) || 256);
const ROUNDS = Math.max(1, Number(process.argv[3] ?? 3) || 3);
/** Written on the old source after the fence (never reaches the target), and on the promoted side. */
const DIVERGENT_MIB = 48;
const PROMOTED_MIB = 48;
const CHUNK = MiB;
const run = promisify(execFile);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** `count` distinct 1 MiB-aligned offsets in [from, to) MiB. */
function offsets(count: number, from: number, to: number): number[] {
  const all = Array.from({ length: to - from }, (_, i) => from + i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

async function writeMiBs(uri: string, at: number[], pattern: number): Promise<void> {
  const r = await qemuIoMany(uri, at.map((o) => `write -P ${pattern} ${o}M 1M`), false, 600_000);
  if (r.code !== 0) throw new Error(`writes to ${uri}: ${r.out.slice(-400)}`);
}

async function sums(api: AgentApi, volume: string, layer: "top" | "base"): Promise<ChecksumResult> {
  return checksumResult.parse(await must(api, "POST", `/v1/volumes/${volume}/checksums`, { chunkBytes: CHUNK, layer }));
}

interface SizeResult {
  size: string;
  outageMs: number[];
  clientGapMs: number[];
  wallMs: number[];
  steps: [string, number][];
  failback: { divergent: number; promotedWrites: number; rangesCopied: number; topCopied: number; differing: number; copyMs: number };
  compare: { bytes: number; bothMs: number; checksumMs: number; nbdcopyMs: number; nbdcopyAllMs: number };
  equal: boolean;
  dense: { bytes: number; checksumMs: number; nbdcopyMs: number } | null;
}

async function benchSize(size: string): Promise<SizeResult> {
  const [A, B] = await Promise.all([spawnSide({ name: "bench-a" }), spawnSide({ name: "bench-b" })]);
  try {
    await pairUp(A, B);
    const mirror = "mb";
    const m = await mirroredLu(A, B, { mirror, sourceVolume: "va", targetVolume: "vb", size, mode: "sync", epoch: 1 });
    const data = Array.from({ length: DATA_MIB / 64 }, (_, i) => `write -P ${0x11 + i} ${i * 64}M 64M`);
    const filled = await qemuIoMany(m.lu.uri!, data, false, 600_000);
    if (filled.code !== 0) throw new Error(`fill: ${filled.out}`);
    await waitMirror(A.api, mirror, inSync, 120_000);

    // ---- planned reversals, alternating direction, under a live writer ----
    const outageMs: number[] = [];
    const gaps: number[] = [];
    const wallMs: number[] = [];
    const allSteps: [string, number][][] = [];
    let source: Side = A;
    let target: Side = B;
    let epoch = 1;
    let uri = m.lu.uri!;
    for (let round = 0; round < ROUNDS; round++) {
      const writer = startLiveWriter({ uri, regionBytes: DATA_MIB * MiB });
      await writer.waitForOk(uri);
      await new Promise((r) => setTimeout(r, 300));
      epoch++;
      const r = await reverse(m, source, target, { epoch, mode: "sync" });
      writer.setTarget(r.lu.uri!);
      await writer.waitForOk(r.lu.uri!);
      await writer.stop();
      outageMs.push(r.outageMs);
      wallMs.push(r.wallMs);
      gaps.push(clientGapMs(writer.batches, uri, r.lu.uri!) ?? Number.NaN);
      allSteps.push(r.steps);
      uri = r.lu.uri!;
      [source, target] = [target, source];
      await waitMirror(source.api, mirror, inSync);
      await new Promise((r) => setTimeout(r, 500));
    }
    const medianRound = wallMs.indexOf(median(wallMs)) >= 0 ? wallMs.indexOf(median(wallMs)) : 0;

    // ---- forced failover: the target is fenced and promoted while the source still writes ----
    const oldSource = source;
    const promoted = target;
    const volOld = m.volumes[oldSource.agent.name]!;
    const volNew = m.volumes[promoted.agent.name]!;
    epoch++;
    await must(promoted.api, "DELETE", `/v1/replication/exports/${mirror}?epoch=${epoch}`);
    const sizeMiB = (await must<{ sizeBytes: number }>(oldSource.api, "GET", `/v1/volumes/${volOld}`)).sizeBytes / MiB;
    await writeMiBs(uri, offsets(DIVERGENT_MIB, 0, sizeMiB), 0xd1);
    await must(oldSource.api, "POST", `/v1/mirrors/${mirror}/fence`, { epoch });
    await must(promoted.api, "POST", `/v1/volumes/${volNew}/promote`, { mirror, epoch });
    const active = luSchema.parse(await must(promoted.api, "POST", `/v1/lus/${m.guid}/import`, { reason: "forced failover (bench)" }));
    await writeMiBs(active.uri!, offsets(PROMOTED_MIB, 0, sizeMiB), 0xe2);

    // ---- failback ----
    const target2 = await replicationExportOn(oldSource.api, volOld, mirror, epoch);
    const be = baseExport.parse(await must(promoted.api, "POST", `/v1/volumes/${volNew}/base-export`, { mirror }));
    let t = performance.now();
    const [onOld, onBase] = await Promise.all([sums(oldSource.api, volOld, "top"), sums(promoted.api, volNew, "base")]);
    const bothMs = performance.now() - t;
    // Throughput alone (the compare above ran both sides at once on the same two cores).
    const alone = await sums(promoted.api, volNew, "base");
    t = performance.now();
    await run("nbdcopy", ["--", be.uri, "null:"], { maxBuffer: 1 << 20 });
    const nbdcopyMs = performance.now() - t;
    t = performance.now();
    await run("nbdcopy", ["--no-extents", "--", be.uri, "null:"], { maxBuffer: 1 << 20 });
    const nbdcopyAllMs = performance.now() - t;
    const ranges = differingRanges(onOld, onBase);
    const copied = copyRangesResult.parse(await must(oldSource.api, "POST", `/v1/volumes/${volOld}/copy-ranges`, { source: { uri: be.uri }, ranges, epoch }));
    await must(promoted.api, "DELETE", `/v1/volumes/${volNew}/base-export`);
    await startMirror(promoted.api, { name: mirror, volume: volNew, target: target2, mode: "sync", sync: "top", epoch });
    const job = await waitMirror(promoted.api, mirror, inSync, 120_000);
    const [x, y] = await Promise.all([sums(oldSource.api, volOld, "top"), sums(promoted.api, volNew, "top")]);

    // The same on a fully written volume (no holes to skip): hashing and reading every byte.
    let dense: SizeResult["dense"] = null;
    if (size === "1G") {
      await must(oldSource.api, "POST", "/v1/volumes", { name: "dense", size });
      const d = luSchema.parse(await must(oldSource.api, "POST", "/v1/lus", { volume: "dense", state: "active" }));
      const w = await qemuIoMany(d.uri!, Array.from({ length: 16 }, (_, i) => `write -P ${i + 1} ${i * 64}M 64M`), false, 600_000);
      if (w.code !== 0) throw new Error(`fill dense: ${w.out}`);
      const c = await sums(oldSource.api, "dense", "top");
      t = performance.now();
      await run("nbdcopy", ["--", d.uri!, "null:"], { maxBuffer: 1 << 20 });
      dense = { bytes: c.sizeBytes, checksumMs: c.elapsedMs, nbdcopyMs: performance.now() - t };
    }
    return {
      dense,
      size,
      outageMs,
      clientGapMs: gaps,
      wallMs,
      steps: allSteps[medianRound]!,
      failback: {
        divergent: DIVERGENT_MIB * MiB,
        promotedWrites: PROMOTED_MIB * MiB,
        rangesCopied: copied.bytesCopied,
        topCopied: job.bytesCopied,
        differing: rangeBytes(ranges),
        copyMs: copied.elapsedMs,
      },
      compare: { bytes: onBase.sizeBytes, bothMs, checksumMs: alone.elapsedMs, nbdcopyMs, nbdcopyAllMs },
      equal: x.chunks.every((c, i) => c === y.chunks[i]),
    };
  } finally {
    await Promise.all([A.agent.stop(), B.agent.stop()]);
  }
}

async function main(): Promise<void> {
  const results: SizeResult[] = [];
  for (const size of ["1G", "8G"]) results.push(await benchSize(size));
  const [small, big] = results as [SizeResult, SizeResult];
  const rows: string[][] = [];
  const verdicts: boolean[] = [];
  for (const r of results) {
    const outage = median(r.outageMs);
    verdicts.push(outage < 1_000);
    rows.push([`reversal ${r.size}: client outage (agents)`, ms(outage), `${r.outageMs.map((x) => x.toFixed(0)).join(" / ")}`, outage < 1_000 ? "< 1 s ok" : "< 1 s MISSED"]);
    rows.push([`reversal ${r.size}: gap seen by a qemu-io writer`, ms(median(r.clientGapMs)), r.clientGapMs.map((x) => x.toFixed(0)).join(" / "), ""]);
    rows.push([`reversal ${r.size}: wall time`, ms(median(r.wallMs)), r.wallMs.map((x) => x.toFixed(0)).join(" / "), ""]);
  }
  const ratio = median(big.wallMs) / median(small.wallMs);
  verdicts.push(ratio <= 1.2);
  rows.push(["reversal wall time 8G / 1G", `${ratio.toFixed(2)}×`, "", ratio <= 1.2 ? "≤ 1.2 ok" : "≤ 1.2 MISSED"]);
  for (const r of results) {
    const f = r.failback;
    const copied = f.rangesCopied + f.topCopied;
    const needed = f.divergent + f.promotedWrites;
    const fr = copied / needed;
    verdicts.push(fr <= 1.1, r.equal);
    rows.push([`failback ${r.size}: copy-ranges`, mib(f.rangesCopied), `${mib(f.differing)} differing chunks, ${f.copyMs} ms`, ""]);
    rows.push([`failback ${r.size}: sync=top mirror`, mib(f.topCopied), `${mib(f.promotedWrites)} written since promotion`, ""]);
    rows.push([`failback ${r.size}: copied / diverged`, `${fr.toFixed(2)}×`, `${mib(copied)} / ${mib(needed)}`, fr <= 1.1 ? "≤ 1.1 ok" : "≤ 1.1 MISSED"]);
    rows.push([`failback ${r.size}: both sides equal`, r.equal ? "yes" : "NO", "", ""]);
    const c = r.compare;
    const rate = (t: number) => `${(c.bytes / 2 ** 30 / (t / 1000)).toFixed(2)} GiB/s`;
    rows.push([`compare ${r.size}: both sides' checksums at once`, ms(c.bothMs), "the failback's compare step", ""]);
    rows.push([`compare ${r.size}: checksums of one side`, rate(c.checksumMs), ms(c.checksumMs), ""]);
    rows.push([`compare ${r.size}: nbdcopy → null: (skips holes)`, rate(c.nbdcopyMs), `${ms(c.nbdcopyMs)}; checksums ${(c.checksumMs / c.nbdcopyMs).toFixed(2)}× its time`, ""]);
    rows.push([`compare ${r.size}: nbdcopy --no-extents → null:`, rate(c.nbdcopyAllMs), `${ms(c.nbdcopyAllMs)}; checksums ${(c.checksumMs / c.nbdcopyAllMs).toFixed(2)}× its time`, ""]);
    if (r.dense) {
      const d = r.dense;
      const drate = (t: number) => `${(d.bytes / 2 ** 30 / (t / 1000)).toFixed(2)} GiB/s`;
      rows.push([`compare ${r.size} fully written: checksums`, drate(d.checksumMs), ms(d.checksumMs), ""]);
      rows.push([`compare ${r.size} fully written: nbdcopy → null:`, drate(d.nbdcopyMs), `${ms(d.nbdcopyMs)}; checksums ${(d.checksumMs / d.nbdcopyMs).toFixed(2)}× its time`, ""]);
    }
  }

  console.log(`\nFailover building blocks, two agents on loopback (${DATA_MIB} MiB of data in thin volumes; ${ROUNDS} reversals per size, medians)\n`);
  const widths = [44, 22, 40, 14];
  console.log(["measure", "value", "detail", "goal"].map((h, i) => h.padEnd(widths[i]!)).join(" "));
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(widths[i]!)).join(" "));
  console.log(`\nSteps of the median 1G reversal (ms): ${small.steps.map(([s, t]) => `${s} ${t}`).join(", ")}`);
  console.log(`Steps of the median 8G reversal (ms): ${big.steps.map(([s, t]) => `${s} ${t}`).join(", ")}`);
  console.log(`Outage (agents) = new side's exportAddedAt − old side's exportRemovedAt. The writer's gap also holds`);
  console.log(`qemu-io's own start-up per batch. Failback: ${DIVERGENT_MIB} MiB written on the old source after the`);
  console.log(`fence and ${PROMOTED_MIB} MiB on the promoted side, in 1 MiB pieces; compare chunks are ${CHUNK / MiB} MiB.`);
  if (verdicts.includes(false)) process.exitCode = 1;
}

await main();
