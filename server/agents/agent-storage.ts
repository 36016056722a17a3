// Storage calls to a host agent (volumes, snapshots, LUs, ALUA). Agent refusals become domain
// errors with the agent's own message; an unreachable agent is UNAVAILABLE (retryable).
import { z } from "zod";
import { agentError } from "@tandem/contracts/agent";
import { aluaConfig, lu, luTransition, poolDetail, snapshot, volume, type AccessStateName } from "@tandem/contracts/storage";
import { checksumResult, mirrorJob, replicationExport, type MirrorMode } from "@tandem/contracts/replication";
import { baseExport, copyRangesResult, fenceMirrorResult, mergeOverlayResult, peerProbeResult, replicationStatusWithFences, type PeerProbeRequest } from "@tandem/contracts/failover";
import { TandemError, type ErrorCode } from "@/server/domain/errors";
import type { AgentTarget } from "./agent-client";

const statusCode: Record<number, ErrorCode> = { 400: "BAD_REQUEST", 404: "NOT_FOUND", 409: "CONFLICT", 503: "UNAVAILABLE" };

export function createAgentStorage(target: AgentTarget, hostName: string) {
  const base = target.url.replace(/\/+$/, "");

  async function call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, timeoutMs = 60_000): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as { cause?: { code?: string }; name?: string };
      const why = e?.name === "TimeoutError" ? "no answer in time" : e?.cause?.code === "ECONNREFUSED" ? "connection refused" : (e?.cause?.code ?? "unreachable");
      throw new TandemError("UNAVAILABLE", `host ${hostName} is unreachable (${why})`, { cause: err });
    }
    const json: unknown = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const parsed = agentError.safeParse(json);
      const message = parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
      const code = statusCode[res.status] ?? (res.status >= 500 ? "UNAVAILABLE" : "BAD_REQUEST");
      throw new TandemError(code, `${hostName}: ${message}`, { retryable: res.status >= 500 });
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new TandemError("UNAVAILABLE", `${hostName}: unexpected answer to ${method} ${path}`, { retryable: false });
    return parsed.data;
  }

  const seg = encodeURIComponent;
  const anything = z.unknown();
  return {
    pools: () => call("GET", "/v1/pools", z.array(poolDetail)),
    volumes: () => call("GET", "/v1/volumes", z.array(volume)),
    volume: (name: string) => call("GET", `/v1/volumes/${seg(name)}`, volume),
    createVolume: (b: { name: string; pool?: string; size: number }) => call("POST", "/v1/volumes", volume, b),
    resizeVolume: (name: string, size: number) => call("POST", `/v1/volumes/${seg(name)}/resize`, volume, { size }),
    deleteVolume: (name: string) => call("DELETE", `/v1/volumes/${seg(name)}`, anything),
    snapshots: (vol: string) => call("GET", `/v1/volumes/${seg(vol)}/snapshots`, z.array(snapshot)),
    createSnapshot: (vol: string, name: string) => call("POST", `/v1/volumes/${seg(vol)}/snapshots`, snapshot, { name }),
    revertSnapshot: (vol: string, name: string) => call("POST", `/v1/volumes/${seg(vol)}/snapshots/${seg(name)}/revert`, anything, {}),
    cloneSnapshot: (vol: string, name: string, b: { name: string; pool?: string }) => call("POST", `/v1/volumes/${seg(vol)}/snapshots/${seg(name)}/clone`, volume, b),
    deleteSnapshot: (vol: string, name: string) => call("DELETE", `/v1/volumes/${seg(vol)}/snapshots/${seg(name)}`, anything),
    lus: () => call("GET", "/v1/lus", z.array(lu)),
    lu: (guid: string) => call("GET", `/v1/lus/${seg(guid)}`, lu),
    createLu: (b: { volume: string; guid?: string; alias?: string; state?: "active" | "standby" }) => call("POST", "/v1/lus", lu, b),
    deleteLu: (guid: string) => call("DELETE", `/v1/lus/${seg(guid)}`, anything),
    standby: (guid: string) => call("POST", `/v1/lus/${seg(guid)}/standby`, lu, {}),
    importLu: (guid: string, force = false, epoch?: number) => call("POST", `/v1/lus/${seg(guid)}/import`, lu, { force, ...(epoch === undefined ? {} : { epoch }) }),
    transitions: (guid: string) => call("GET", `/v1/lus/${seg(guid)}/transitions`, z.array(luTransition)),
    alua: () => call("GET", "/v1/alua", aluaConfig),
    setAlua: (b: { enabled: boolean; nodeId: 0 | 1; peer: { name: string; url: string; token: string } | null }) => call("PUT", "/v1/alua", aluaConfig, b),

    // replication
    replicationExports: () => call("GET", "/v1/replication/exports", z.array(replicationExport)),
    createReplicationExport: (b: { volume: string; mirror: string; epoch: number }) => call("POST", "/v1/replication/exports", replicationExport, b),
    deleteReplicationExport: (mirror: string, epoch?: number) =>
      call("DELETE", `/v1/replication/exports/${seg(mirror)}${epoch === undefined ? "" : `?epoch=${epoch}`}`, anything),
    /** Mirror jobs, replication exports, epochs and fences of this host, in one read. */
    replication: () => call("GET", "/v1/replication", replicationStatusWithFences),
    mirrors: (timeoutMs?: number) => call("GET", "/v1/mirrors", z.array(mirrorJob), undefined, timeoutMs),
    mirror: (name: string) => call("GET", `/v1/mirrors/${seg(name)}`, mirrorJob),
    startMirror: (b: {
      name: string;
      volume: string;
      target: { host: string; port: number; exportName: string };
      mode: MirrorMode;
      sync: "full" | "top" | "none";
      speedLimitBytesPerSec: number;
      epoch: number;
    }) => call("POST", "/v1/mirrors", mirrorJob, b),
    pauseMirror: (name: string) => call("POST", `/v1/mirrors/${seg(name)}/pause`, mirrorJob, {}),
    resumeMirror: (name: string) => call("POST", `/v1/mirrors/${seg(name)}/resume`, mirrorJob, {}),
    modifyMirror: (name: string, b: { mode?: MirrorMode; speedLimitBytesPerSec?: number }) => call("PATCH", `/v1/mirrors/${seg(name)}`, mirrorJob, b),
    stopMirror: (name: string) => call("DELETE", `/v1/mirrors/${seg(name)}`, anything, undefined, 300_000),
    checksums: (vol: string, chunkBytes: number, layer: "top" | "base" = "top") =>
      call("POST", `/v1/volumes/${seg(vol)}/checksums`, checksumResult, { chunkBytes, ...(layer === "base" ? { layer } : {}) }, 3_600_000),

    // failover and failback
    fenceMirror: (name: string, b: { epoch: number; volume?: string }, timeoutMs?: number) => call("POST", `/v1/mirrors/${seg(name)}/fence`, fenceMirrorResult, b, timeoutMs),
    promoteVolume: (vol: string, b: { mirror: string; epoch: number }) => call("POST", `/v1/volumes/${seg(vol)}/promote`, volume, b),
    createBaseExport: (vol: string, mirror: string) => call("POST", `/v1/volumes/${seg(vol)}/base-export`, baseExport, { mirror }),
    deleteBaseExport: (vol: string) => call("DELETE", `/v1/volumes/${seg(vol)}/base-export`, anything),
    copyRanges: (vol: string, b: { source: { uri: string }; ranges: { offset: number; length: number }[]; epoch: number; mirror?: string }) =>
      call("POST", `/v1/volumes/${seg(vol)}/copy-ranges`, copyRangesResult, b, 3_600_000),
    /** Can this host reach its peer's agent and the given NBD server? Bounded well under 5 s. */
    probePeer: (b: PeerProbeRequest) => call("POST", "/v1/peer/probe", peerProbeResult, b, 5_000),
    mergeOverlay: (vol: string) => call("POST", `/v1/volumes/${seg(vol)}/merge-overlay`, mergeOverlayResult, {}, 600_000),
  };
}

export type AgentStorage = ReturnType<typeof createAgentStorage>;
export type { AccessStateName };
