// Storage operation latency through a real agent and QSD, against plain `qemu-img create`.
// Run: node --import tsx bench/storage.bench.ts [runs]   (default 25 runs per operation)
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { agentApi, type AgentApi } from "../apps/agent/src/testing/agent-api";
import { spawnAgent } from "../apps/agent/src/testing/spawn-agent";

const RUNS = Math.max(20, Number(process.argv[2] ?? 25) || 25);
const WARMUP = 3;
const GOALS: Record<string, number> = { "volume create": 100, "snapshot create": 50 };

const run = promisify(execFile);

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

interface Row {
  name: string;
  samples: number[];
}

/** Times `op(i)` RUNS times after WARMUP untimed calls (numbered from RUNS on). */
async function measure(name: string, op: (i: number) => Promise<void>): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await op(RUNS + i);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await op(i);
    samples.push(performance.now() - t);
  }
  return { name, samples };
}

async function expectStatus(api: AgentApi, status: number, method: string, url: string, body?: unknown): Promise<void> {
  const r = await api(method, url, body);
  if (r.status !== status) throw new Error(`${method} ${url}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "tandem-bench-"));
  const agent = await spawnAgent({ name: "bench-host" });
  const api = agentApi(agent);
  const rows: Row[] = [];
  try {
    rows.push(
      await measure("qemu-img create (baseline)", async (i) => {
        await run("qemu-img", ["create", "-q", "-f", "qcow2", path.join(scratch, `base-${i}.qcow2`), "1G"]);
      }),
    );
    rows.push(await measure("volume create", (i) => expectStatus(api, 201, "POST", "/v1/volumes", { name: `bench-${i}`, size: "1G" })));
    rows.push(await measure("snapshot create", (i) => expectStatus(api, 201, "POST", `/v1/volumes/bench-${i}/snapshots`, { name: "s1" })));
    rows.push(await measure("LU create + export", (i) => expectStatus(api, 201, "POST", "/v1/lus", { volume: `bench-${i}`, state: "active" })));
    await expectStatus(api, 200, "PUT", "/v1/alua", { enabled: true, nodeId: 0, peer: null });
    const lus = (await api<{ guid: string }[]>("GET", "/v1/lus")).json;
    rows.push(
      await measure("LU standby + import", async (i) => {
        const guid = lus[i % lus.length]!.guid;
        await expectStatus(api, 200, "POST", `/v1/lus/${guid}/standby`);
        await expectStatus(api, 200, "POST", `/v1/lus/${guid}/import`);
      }),
    );
  } finally {
    await agent.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const baseline = quantile([...rows[0]!.samples].sort((x, y) => x - y), 0.5);
  const fmt = (ms: number) => ms.toFixed(1).padStart(7);
  console.log(`\nStorage operations through the agent API (${RUNS} runs each after ${WARMUP} warm-up; ms)\n`);
  console.log(`${"operation".padEnd(28)} ${"median".padStart(7)} ${"p90".padStart(7)} ${"min".padStart(7)} ${"max".padStart(7)}  ×baseline  goal`);
  let failed = false;
  for (const { name, samples } of rows) {
    const s = [...samples].sort((x, y) => x - y);
    const median = quantile(s, 0.5);
    const goal = GOALS[name];
    const verdict = goal === undefined ? "" : median < goal ? `< ${goal} ok` : `< ${goal} MISSED`;
    if (goal !== undefined && median >= goal) failed = true;
    console.log(
      `${name.padEnd(28)} ${fmt(median)} ${fmt(quantile(s, 0.9))} ${fmt(s[0]!)} ${fmt(s.at(-1)!)}  ${(median / baseline).toFixed(2).padStart(9)}  ${verdict}`,
    );
  }
  console.log(`\nqemu-img create is spawned the same way the agent spawns it; "volume create" adds blockdev-add,`);
  console.log(`an fsync'd state file write and the HTTP round trip. Snapshot and LU rows need no process spawn.`);
  if (failed) process.exitCode = 1;
}

await main();
