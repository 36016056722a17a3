// Engine sample → browser latency of live mirror progress: the agent samples QSD's job, streams
// it to the console, which publishes it on the bus and socket.io to a connected client. Measures
// (time received by the client) − (time the agent sampled), p50/p95 (goal: p95 < 500 ms), with
// the raw loopback round trip of an HTTP request to the console as the baseline of this run.
// Run: node --import tsx bench/realtime-latency.bench.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { io } from "socket.io-client";
import { startStack, stopStack } from "../e2e/support/stack";
import { adminClient, eventually } from "../server/testing/api-client";
import type { RealtimeEvent } from "../server/realtime/events";

const run = promisify(execFile);
const q = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))]!;

const stack = await startStack();
try {
  const { api, token } = await adminClient(stack.consoleUrl, stack.adminPassword);
  await eventually(async () => (await api.alua.get.query())[0]?.hosts.every((h) => h.agent?.enabled), 30_000);
  await api.volume.create.mutate({ host: "h1", name: "bench", size: "1G" });
  const lu = await api.lu.create.mutate({ volume: "h1/bench" });
  await run("qemu-io", ["-f", "raw", "-c", "write -P 0x3c 0 512M", lu.uri!]);

  const socket = io(stack.consoleUrl, { path: "/socket.io", transports: ["websocket"], auth: { token } });
  const latencies: number[] = [];
  socket.on("event", (e: RealtimeEvent) => {
    if (e.type === "mirror.progress" && e.via === "stream") latencies.push(Date.now() - Date.parse(e.sampledAt));
  });
  await new Promise<void>((r) => socket.once("connect", () => r()));

  const rtt: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await fetch(`${stack.consoleUrl}/healthz`);
    rtt.push(performance.now() - t);
  }
  rtt.sort((a, b) => a - b);

  const t0 = Date.now();
  await api.mirror.create.mutate({ name: "bench", source: "h1/bench", target: "h2/bench", createTarget: true, speedLimit: "64M" });
  await eventually(async () => (await api.mirror.get.query({ name: "bench" })).mirror.state === "in_sync", 120_000);
  const secs = (Date.now() - t0) / 1000;
  socket.disconnect();
  latencies.sort((a, b) => a - b);
  console.log("\nEngine sample → client latency of mirror progress (initial sync of 1 GiB, 512 MiB written, 64 MiB/s limit)");
  console.log(`  samples received:        ${latencies.length} in ${secs.toFixed(1)} s (${(latencies.length / secs).toFixed(1)} per second)`);
  console.log(`  latency p50 / p95 / max: ${q(latencies, 0.5)} / ${q(latencies, 0.95)} / ${latencies.at(-1)} ms   (goal p95 < 500 ms)`);
  console.log(`  baseline: HTTP round trip to the console p50 / p95: ${q(rtt, 0.5).toFixed(1)} / ${q(rtt, 0.95).toFixed(1)} ms`);
  console.log(`  ratio p50 latency / p50 round trip: ${(q(latencies, 0.5) / q(rtt, 0.5)).toFixed(1)}×`);
} finally {
  await stopStack(stack);
}
process.exit(0);
