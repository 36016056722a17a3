// What the console does with the failover building blocks, for tests and the benchmark: an ALUA
// pair of agents, a mirrored LU (one GUID on both sides), the planned-reversal sequence, and
// turning two checksum lists into the ranges that differ.
import type { ByteRange } from "@tandem/contracts/failover";
import { mirrorJob, type ChecksumResult, type MirrorJob } from "@tandem/contracts/replication";
import { lu as luSchema, type Lu } from "@tandem/contracts/storage";
import { agentApi, type AgentApi } from "./agent-api";
import { inSync, replicationExportOn, startMirror, waitMirror } from "./replication-helpers";
import { spawnAgent, type SpawnAgentOptions, type SpawnedAgent } from "./spawn-agent";

export interface Side {
  agent: SpawnedAgent;
  api: AgentApi;
}

/** Calls the API and throws (with the answer) unless the status is one of `status`. */
export async function must<T = unknown>(api: AgentApi, method: string, path: string, body?: unknown, status: number[] = [200, 201, 204]): Promise<T> {
  const r = await api<T>(method, path, body);
  if (!status.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** PUT /v1/alua on both sides: each is the other's peer (node ids 0 and 1). */
export async function pairUp(a: Side, b: Side): Promise<void> {
  const peer = (s: Side) => ({ name: s.agent.name, url: s.agent.url, token: s.agent.token });
  await must(a.api, "PUT", "/v1/alua", { enabled: true, nodeId: 0, peer: peer(b) });
  await must(b.api, "PUT", "/v1/alua", { enabled: true, nodeId: 1, peer: peer(a) });
}

export async function spawnSide(options: SpawnAgentOptions): Promise<Side> {
  const agent = await spawnAgent(options);
  return { agent, api: agentApi(agent) };
}

export interface MirroredLu {
  mirror: string;
  guid: string;
  /** Volume name per host name (a restarted agent is a new Side of the same host). */
  volumes: Record<string, string>;
}

/**
 * Volume on both sides, LU Active on `source` and Standby (same GUID) on `target`, the target's
 * replication export, and a full first copy until in sync.
 */
export async function mirroredLu(
  source: Side,
  target: Side,
  o: { mirror: string; sourceVolume: string; targetVolume: string; size: string; mode: "sync" | "async"; epoch: number },
): Promise<MirroredLu & { lu: Lu }> {
  await must(source.api, "POST", "/v1/volumes", { name: o.sourceVolume, size: o.size });
  await must(target.api, "POST", "/v1/volumes", { name: o.targetVolume, size: o.size });
  const lu = luSchema.parse(await must(source.api, "POST", "/v1/lus", { volume: o.sourceVolume, state: "active" }));
  await must(target.api, "POST", "/v1/lus", { volume: o.targetVolume, guid: lu.guid, state: "standby" });
  const exp = await replicationExportOn(target.api, o.targetVolume, o.mirror, o.epoch);
  await startMirror(source.api, { name: o.mirror, volume: o.sourceVolume, target: exp, mode: o.mode, epoch: o.epoch });
  await waitMirror(source.api, o.mirror, inSync, 60_000);
  return { mirror: o.mirror, guid: lu.guid, volumes: { [source.agent.name]: o.sourceVolume, [target.agent.name]: o.targetVolume }, lu };
}

export interface ReversalResult {
  /** The new source's LU after import (its uri, exportAddedAt). */
  lu: Lu;
  /** Client outage as the agents recorded it: new exportAddedAt − old exportRemovedAt. */
  outageMs: number;
  /** From the standby request to the import answer. */
  wallMs: number;
  /** The new job as POST /v1/mirrors answered it (ready at once: sync=none). */
  job: MirrorJob;
  /** Milliseconds per step, in order. */
  steps: [string, number][];
}

/**
 * Planned reversal of `m` from `from` (source) to `to`, epoch → `epoch` (the new one). The
 * console's sequence, step by step; nothing is copied again. `stopAfter` ends it early (for
 * rollback tests) after the named step.
 */
export async function reverse(
  m: MirroredLu,
  from: Side,
  to: Side,
  o: { epoch: number; mode: "sync" | "async"; stopAfter?: "start-mirror" },
): Promise<ReversalResult> {
  const steps: [string, number][] = [];
  const t0 = performance.now();
  let last = t0;
  const mark = (what: string) => {
    const now = performance.now();
    steps.push([what, Math.round((now - last) * 10) / 10]);
    last = now;
  };
  const fromVolume = m.volumes[from.agent.name]!;
  const toVolume = m.volumes[to.agent.name]!;
  const standby = luSchema.parse(await must(from.api, "POST", `/v1/lus/${m.guid}/standby`, { reason: `planned reversal to ${to.agent.name}` }));
  mark("standby (old source)");
  await waitMirror(from.api, m.mirror, (j) => j.phase === "ready" && j.offset === j.len, 30_000);
  mark("drained");
  await must(from.api, "DELETE", `/v1/mirrors/${m.mirror}`);
  mark("stop mirror (old source)");
  await must(to.api, "DELETE", `/v1/replication/exports/${m.mirror}?epoch=${o.epoch}`);
  mark("drop replication export (new source)");
  const exp = await replicationExportOn(from.api, fromVolume, m.mirror, o.epoch);
  mark("replication export (old source)");
  const job = mirrorJob.parse(
    await must(to.api, "POST", "/v1/mirrors", {
      name: m.mirror,
      volume: toVolume,
      target: { host: exp.host, port: exp.port, exportName: exp.exportName },
      sync: "none",
      mode: o.mode,
      epoch: o.epoch,
    }),
  );
  mark("start mirror sync=none (new source)");
  if (o.stopAfter === "start-mirror") {
    return { lu: standby, outageMs: Number.NaN, wallMs: performance.now() - t0, job, steps };
  }
  const imported = luSchema.parse(await must(to.api, "POST", `/v1/lus/${m.guid}/import`, { reason: `planned reversal from ${from.agent.name}` }));
  mark("import (new source)");
  const outageMs = Date.parse(imported.exportAddedAt!) - Date.parse(standby.exportRemovedAt!);
  return { lu: imported, outageMs, wallMs: performance.now() - t0, job, steps };
}

/**
 * Rollback of a reversal that failed before the import: back to `source` → `target` (the
 * original direction) at `epoch` (the raised one: epochs never go down, and the target
 * recorded it when its export was dropped).
 */
export async function rollBack(m: MirroredLu, source: Side, target: Side, o: { epoch: number; mode: "sync" | "async" }): Promise<Lu> {
  const sourceVolume = m.volumes[source.agent.name]!;
  const targetVolume = m.volumes[target.agent.name]!;
  await must(target.api, "DELETE", `/v1/mirrors/${m.mirror}`, undefined, [200, 404]);
  await must(source.api, "DELETE", `/v1/replication/exports/${m.mirror}`);
  const exp = await replicationExportOn(target.api, targetVolume, m.mirror, o.epoch);
  await must(source.api, "POST", "/v1/mirrors", {
    name: m.mirror,
    volume: sourceVolume,
    target: { host: exp.host, port: exp.port, exportName: exp.exportName },
    sync: "none",
    mode: o.mode,
    epoch: o.epoch,
  });
  return luSchema.parse(await must(source.api, "POST", `/v1/lus/${m.guid}/import`, { reason: "reversal rolled back" }));
}

/** Chunks that differ between two checksum lists, as merged byte ranges. */
export function differingRanges(a: ChecksumResult, b: ChecksumResult): ByteRange[] {
  if (a.chunkBytes !== b.chunkBytes || a.sizeBytes !== b.sizeBytes) throw new Error("checksums of different shapes");
  const ranges: ByteRange[] = [];
  a.chunks.forEach((c, i) => {
    if (c === b.chunks[i]) return;
    const offset = i * a.chunkBytes;
    const length = Math.min(a.chunkBytes, a.sizeBytes - offset);
    const prev = ranges.at(-1);
    if (prev && prev.offset + prev.length === offset) prev.length += length;
    else ranges.push({ offset, length });
  });
  return ranges;
}

export const rangeBytes = (ranges: readonly ByteRange[]) => ranges.reduce((n, r) => n + r.length, 0);
