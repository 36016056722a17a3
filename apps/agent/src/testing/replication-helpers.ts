// Helpers for replication tests and the benchmark: two real agents, volumes, LUs, mirrors.
import { execFile } from "node:child_process";
import { checksumResult, mirrorJob, replicationExport, type ChecksumResult, type MirrorJob, type ReplicationExport } from "@tandem/contracts/replication";
import { lu, type Lu } from "@tandem/contracts/storage";
import type { AgentApi } from "./agent-api";
import type { SpawnedAgent } from "./spawn-agent";

export const MiB = 2 ** 20;

async function ok<T>(api: AgentApi, method: string, path: string, body: unknown, status: number[]): Promise<T> {
  const r = await api<T>(method, path, body);
  if (!status.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export async function volumeWithLu(api: AgentApi, name: string, size: string, state: "active" | "standby" | null): Promise<Lu | null> {
  await ok(api, "POST", "/v1/volumes", { name, size }, [201]);
  if (!state) return null;
  return lu.parse(await ok(api, "POST", "/v1/lus", { volume: name, state }, [201]));
}

export async function replicationExportOn(api: AgentApi, volume: string, mirror: string, epoch = 1): Promise<ReplicationExport> {
  return replicationExport.parse(await ok(api, "POST", "/v1/replication/exports", { volume, mirror, epoch }, [200, 201]));
}

export async function startMirror(
  api: AgentApi,
  body: { name: string; volume: string; target: ReplicationExport; mode: "sync" | "async"; sync?: string; speedLimitBytesPerSec?: number; epoch?: number },
): Promise<MirrorJob> {
  const { target, ...rest } = body;
  return mirrorJob.parse(
    await ok(api, "POST", "/v1/mirrors", {
      sync: "full",
      epoch: 1,
      ...rest,
      target: { host: target.host, port: target.port, exportName: target.exportName },
    }, [200, 201]),
  );
}

export async function mirrorOf(api: AgentApi, name: string): Promise<MirrorJob> {
  return mirrorJob.parse(await ok(api, "GET", `/v1/mirrors/${name}`, undefined, [200]));
}

/** Polls GET /v1/mirrors/:name every 50 ms until `done` holds. */
export async function waitMirror(api: AgentApi, name: string, done: (m: MirrorJob) => boolean, timeoutMs = 20_000): Promise<MirrorJob> {
  const deadline = Date.now() + timeoutMs;
  let last: MirrorJob | undefined;
  while (Date.now() < deadline) {
    last = await mirrorOf(api, name);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`mirror ${name} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

export const inSync = (m: MirrorJob) => m.phase === "ready" && m.lagBytes === 0;

export async function checksums(api: AgentApi, volume: string, chunkBytes = 4 * MiB): Promise<ChecksumResult> {
  return checksumResult.parse(await ok(api, "POST", `/v1/volumes/${volume}/checksums`, { chunkBytes }, [200]));
}

export const replicationUri = (agent: Pick<SpawnedAgent, "nbdPort">, mirror: string) => `nbd://127.0.0.1:${agent.nbdPort}/repl-${mirror}`;

/** qemu-io with many commands in one connection; resolves with the exit code and output. */
export function qemuIoMany(uri: string, commands: string[], readOnly = false, timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  const args = ["-f", "raw", ...(readOnly ? ["-r"] : []), ...commands.flatMap((c) => ["-c", c]), uri];
  return new Promise((resolve) => {
    execFile("qemu-io", args, { timeout: timeoutMs, maxBuffer: 64 * MiB }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}
