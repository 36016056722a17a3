// A mirror survives its target going away (link loss) and its own QSD or agent restarting.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { rebuildStatus } from "@tandem/contracts/storage";
import type { Lu } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { agentApi, type AgentApi } from "./testing/agent-api";
import { freePort } from "./testing/free-port";
import { writePattern } from "./testing/nbd-client";
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
let luA: Lu;
const dirs: Record<"a" | "b", string> = { a: "", b: "" };
const ports: Record<"a" | "b", number> = { a: 0, b: 0 };

const startA = async () => {
  a = await spawnAgent({ name: "host-a", dataDir: dirs.a, nbdPort: ports.a });
  apiA = agentApi(a);
};
const startB = async () => {
  b = await spawnAgent({ name: "host-b", dataDir: dirs.b, nbdPort: ports.b });
  apiB = agentApi(b);
};

beforeAll(async () => {
  for (const k of ["a", "b"] as const) {
    dirs[k] = mkdtempSync(path.join(os.tmpdir(), `tandem-mirror-${k}-`));
    ports[k] = await freePort();
  }
  await Promise.all([startA(), startB()]);
  luA = (await volumeWithLu(apiA, "va", "512M", "active"))!;
  await volumeWithLu(apiB, "vb", "512M", "standby");
  const target = await replicationExportOn(apiB, "vb", "m1");
  await writePattern(luA.uri!, 0x21, "0", "64M");
  await startMirror(apiA, { name: "m1", volume: "va", target, mode: "sync" });
  await waitMirror(apiA, "m1", inSync);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  for (const d of Object.values(dirs)) if (d) rmSync(d, { recursive: true, force: true });
});

async function expectEqual(): Promise<void> {
  const [x, y] = await Promise.all([checksums(apiA, "va"), checksums(apiB, "vb")]);
  expect(x.chunks.filter((c, i) => c !== y.chunks[i]).length, "differing 4 MiB chunks").toBe(0);
}

describe("mirror recovery", () => {
  it("(d) link loss: link_down within 2 s, clients keep writing, only dirty data is copied after the target returns", async () => {
    const stopped = Date.now();
    await b.stop(); // SIGTERM: B's QSD goes with it
    const down = await waitMirror(apiA, "m1", (m) => m.phase === "link_down", 5_000);
    const detectMs = Date.now() - stopped;
    console.log(`link loss detected after ${detectMs} ms: ${down.error}`);
    expect(detectMs).toBeLessThan(2_000);
    expect(down.link).toBe("down");

    // Sync mode without a target: client writes still complete, on A only.
    const t = performance.now();
    const w = await qemuIoMany(luA.uri!, ["write -P 0x31 100M 16M", "write -P 0x32 300M 4M", "write -P 0x33 1M 1M"]);
    const writeMs = performance.now() - t;
    expect(w.code, w.out).toBe(0);
    console.log(`21 MiB of client writes while the target was away: ${writeMs.toFixed(0)} ms`);
    expect((await mirrorOf(apiA, "m1")).phase).toBe("link_down");

    await startB();
    const back = await waitMirror(apiA, "m1", (m) => inSync(m) && m.resumedAt !== null, 15_000);
    console.log(`after the target returned: ${(back.bytesCopiedSinceResume / MiB).toFixed(1)} MiB copied since resume`);
    expect(back.bytesCopiedSinceResume).toBeGreaterThanOrEqual(21 * MiB);
    expect(back.bytesCopiedSinceResume).toBeLessThan(64 * MiB); // the dirty data, not the 512 MiB volume
    await expectEqual();
  });

  it("after A's QSD is killed: the rebuild restarts the job with a full sync and says so", async () => {
    const oldPid = (await a.health()).qsd.pid!;
    const killedAt = new Date().toISOString();
    process.kill(oldPid, "SIGKILL");
    await vi.waitFor(
      async () => {
        const status = rebuildStatus.parse((await apiA("GET", "/v1/state/rebuild")).json);
        expect(status.inProgress).toBe(false);
        expect(status.last?.qsdPid).not.toBe(oldPid);
        expect(status.last?.adjustments.join("\n")).toMatch(/mirror m1: job restarted with sync=full/);
      },
      { timeout: 15_000, interval: 100 },
    );
    await waitMirror(apiA, "m1", (m) => inSync(m) && m.sync === "full" && m.startedAt > killedAt, 20_000);
    // The client export came back on the new filter: sync writes reach B at once.
    await writePattern(luA.uri!, 0x41, "50M", "1M");
    expect((await qemuIoMany(replicationUri(b, "m1"), ["read -P 0x41 50M 1M"], true)).code).toBe(0);
    await expectEqual();
  });

  it("after both agents restart: exports and the mirror come back from the state files", async () => {
    await Promise.all([a.stop(), b.stop()]);
    await startA(); // the target is still away: the job waits for it
    const waiting = await waitMirror(apiA, "m1", (m) => m.phase === "link_down", 5_000);
    expect(waiting).toMatchObject({ pausedByOperator: false, mode: "sync" });
    await writePattern(luA.uri!, 0x51, "60M", "2M"); // lands on A only; the full sync brings it over
    await startB();
    const exports = (await apiB<{ mirror: string }[]>("GET", "/v1/replication/exports")).json;
    expect(exports.map((e) => e.mirror)).toEqual(["m1"]);
    await waitMirror(apiA, "m1", (m) => inSync(m) && m.sync === "full", 20_000);
    await expectEqual();
  });
});
