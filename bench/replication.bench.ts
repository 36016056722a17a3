// Replication through two real agents and QSDs on loopback:
//  1. first copy (sync=full) of N MiB of written data vs a raw `nbdcopy` of the same volume
//     between the same two agents' exports (goal: mirror ≥ 0.9× nbdcopy);
//  2. 4k write latency at queue depth 1 through a sync-mode (write-blocking) mirrored LU vs an
//     unmirrored LU on the same host (goal: p50 ≤ 2×);
//  3. chunked SHA-256 checksums of a 1 GiB volume over NBD.
// Run: node --import tsx bench/replication.bench.ts [MiB of data, default 512] [latency ops, default 2000]
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { agentApi, type AgentApi } from "../apps/agent/src/testing/agent-api";
import {
  checksums,
  inSync,
  qemuIoMany,
  replicationExportOn,
  startMirror,
  volumeWithLu,
  waitMirror,
} from "../apps/agent/src/testing/replication-helpers";
import { spawnAgent } from "../apps/agent/src/testing/spawn-agent";

const DATA_MIB = Math.max(64, Number(process.argv[2] ?? 512) || 512);
const OPS = Math.max(200, Number(process.argv[3] ?? 2000) || 2000);
const VOLUME = "1G";
const ROUNDS = 3;
const run = promisify(execFile);

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/** Fills [0, DATA_MIB) with 64 MiB pattern writes (real data, every cluster allocated). */
async function fill(uri: string): Promise<void> {
  const commands = Array.from({ length: DATA_MIB / 64 }, (_, i) => `write -P ${0x11 + i} ${i * 64}M 64M`);
  const r = await qemuIoMany(uri, commands, false, 600_000);
  if (r.code !== 0) throw new Error(`fill ${uri}: ${r.out}`);
}

/** QD1 4k writes, latency from qemu-io's own per-command timing (ops/sec of a 1-op command). */
async function latencies(uri: string): Promise<number[]> {
  const commands = Array.from({ length: OPS }, () => `write -P 0x5a ${Math.floor(Math.random() * 16384) * 4096} 4k`);
  const r = await qemuIoMany(uri, commands, false, 600_000);
  if (r.code !== 0) throw new Error(`latency run on ${uri}: ${r.out.slice(-500)}`);
  const ms = [...r.out.matchAll(/and ([\d.]+) ops\/sec/g)].map((m) => 1000 / Number(m[1]));
  if (ms.length !== OPS) throw new Error(`expected ${OPS} timings, got ${ms.length}`);
  return ms.sort((x, y) => x - y);
}

async function expectOk(api: AgentApi, method: string, path: string, body?: unknown): Promise<unknown> {
  const r = await api(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function main(): Promise<void> {
  const [a, b] = await Promise.all([spawnAgent({ name: "bench-a" }), spawnAgent({ name: "bench-b" })]);
  const apiA = agentApi(a);
  const apiB = agentApi(b);
  const rows: string[][] = [];
  const verdicts: boolean[] = [];
  try {
    const src = (await volumeWithLu(apiA, "src", VOLUME, "active"))!;
    const plain = (await volumeWithLu(apiA, "plain", VOLUME, "active"))!;
    await fill(src.uri!);
    await qemuIoMany(plain.uri!, ["write -P 0x22 0 64M"]);

    // Each round copies into fresh volumes on B; the page cache is flushed between copies so
    // none pays for the previous one's writeback. Medians of ROUNDS.
    const times = { mirror: [] as number[], nbdcopy: [] as number[], nbdcopyOne: [] as number[] };
    const settle = async () => {
      await run("sync");
      await new Promise((r) => setTimeout(r, 1_000));
    };
    for (let round = 0; round < ROUNDS; round++) {
      const copy = (await volumeWithLu(apiB, `copy-${round}`, VOLUME, "active"))!;
      const copyOne = (await volumeWithLu(apiB, `copy1-${round}`, VOLUME, "active"))!;
      await volumeWithLu(apiB, `tgt-${round}`, VOLUME, null);
      const target = await replicationExportOn(apiB, `tgt-${round}`, `bench-${round}`);
      await settle();
      let t = performance.now();
      await startMirror(apiA, { name: `bench-${round}`, volume: "src", target, mode: "sync" });
      await waitMirror(apiA, `bench-${round}`, inSync, 600_000);
      times.mirror.push((performance.now() - t) / 1000);
      if (round < ROUNDS - 1) await expectOk(apiA, "DELETE", `/v1/mirrors/bench-${round}`);
      await settle();
      t = performance.now();
      await run("nbdcopy", ["--flush", src.uri!, copy.uri!], { maxBuffer: 1 << 20 });
      times.nbdcopy.push((performance.now() - t) / 1000);
      await settle();
      // The mirror job has one NBD connection and at most 16 requests in flight: the same for nbdcopy.
      t = performance.now();
      await run("nbdcopy", ["--flush", "--connections=1", "--requests=16", src.uri!, copyOne.uri!], { maxBuffer: 1 << 20 });
      times.nbdcopyOne.push((performance.now() - t) / 1000);
    }
    const med = (xs: number[]) => quantile([...xs].sort((x, y) => x - y), 0.5);
    const [mirrorS, nbdcopyS, nbdcopyOneS] = [med(times.mirror), med(times.nbdcopy), med(times.nbdcopyOne)];
    const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} s`;
    const copyRatio = nbdcopyS / mirrorS;
    verdicts.push(copyRatio >= 0.9);
    rows.push(["first copy, nbdcopy (baseline)", `${nbdcopyS.toFixed(2)} s (${spread(times.nbdcopy)})`, `${(DATA_MIB / nbdcopyS).toFixed(0)} MiB/s`, "", ""]);
    rows.push(["first copy, nbdcopy 1 conn, 16 requests", `${nbdcopyOneS.toFixed(2)} s (${spread(times.nbdcopyOne)})`, `${(DATA_MIB / nbdcopyOneS).toFixed(0)} MiB/s`, "", ""]);
    rows.push(["first copy, mirror sync=full", `${mirrorS.toFixed(2)} s (${spread(times.mirror)})`, `${(DATA_MIB / mirrorS).toFixed(0)} MiB/s`, `${copyRatio.toFixed(2)}× / ${(nbdcopyOneS / mirrorS).toFixed(2)}×`, copyRatio >= 0.9 ? "≥ 0.9 ok" : "≥ 0.9 MISSED"]);
    const bench = `bench-${ROUNDS - 1}`;

    const base = await latencies(plain.uri!);
    const mirrored = await latencies(src.uri!);
    await waitMirror(apiA, bench, inSync);
    await expectOk(apiA, "PATCH", `/v1/mirrors/${bench}`, { mode: "async" });
    await waitMirror(apiA, bench, inSync);
    const background = await latencies(src.uri!);
    const fmt = (s: number[]) => `${quantile(s, 0.5).toFixed(3)} / ${quantile(s, 0.99).toFixed(3)} ms`;
    const p50Ratio = quantile(mirrored, 0.5) / quantile(base, 0.5);
    verdicts.push(p50Ratio <= 2);
    rows.push(["4k QD1 write, unmirrored LU", fmt(base), "p50 / p99", "", ""]);
    rows.push(["4k QD1 write, sync mirror", fmt(mirrored), "p50 / p99", `${p50Ratio.toFixed(2)}× at p50`, p50Ratio <= 2 ? "≤ 2 ok" : "≤ 2 MISSED"]);
    rows.push(["4k QD1 write, async mirror", fmt(background), "p50 / p99", `${(quantile(background, 0.5) / quantile(base, 0.5)).toFixed(2)}× at p50`, ""]);

    await waitMirror(apiA, bench, inSync);
    const [sumA, sumB] = await Promise.all([checksums(apiA, "src"), checksums(apiB, `tgt-${ROUNDS - 1}`)]);
    const equal = sumA.chunks.every((c, i) => c === sumB.chunks[i]);
    verdicts.push(equal);
    rows.push(["checksums 1 GiB (source, during mirror)", `${(sumA.elapsedMs / 1000).toFixed(2)} s`, `${(1024 / (sumA.elapsedMs / 1000)).toFixed(0)} MiB/s`, equal ? "equal to target" : "DIFFERENT", ""]);
    rows.push(["checksums 1 GiB (target, concurrently)", `${(sumB.elapsedMs / 1000).toFixed(2)} s`, `${(1024 / (sumB.elapsedMs / 1000)).toFixed(0)} MiB/s`, "", ""]);
    await expectOk(apiA, "DELETE", `/v1/mirrors/${bench}`);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }

  console.log(`\nReplication between two agents on loopback (${DATA_MIB} MiB written into a ${VOLUME} volume; ${OPS} writes per latency row)\n`);
  const widths = [40, 28, 12, 18, 14];
  console.log(["measure", "time", "rate", "ratio", "goal"].map((h, i) => h.padEnd(widths[i]!)).join(" "));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join(" "));
  console.log(`\nLatency is qemu-io's own timing of each single-op command (one NBD connection, queue depth 1).`);
  console.log(`Mirror ratio: against nbdcopy's defaults (4 connections, 64 requests in flight; the goal) / against`);
  console.log(`nbdcopy limited to the mirror job's own concurrency (1 connection, 16 requests). The mirror's`);
  console.log(`time runs from POST /v1/mirrors until the agent reports ready with lag 0 (polled every 50 ms).`);
  if (verdicts.includes(false)) process.exitCode = 1;
}

await main();
