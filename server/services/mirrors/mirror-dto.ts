// What clients see of a mirror, with its endpoints resolved to HOST/VOLUME and its health.
import type { Db } from "@/server/db/client";
import type { MirrorRow } from "@/server/db/mirror-store";
import { mirrorHealth, mirrorState, mirrorMode, type Health } from "@/server/domain/mirror/mirror.machine";

export type MirrorDto = {
  id: string;
  name: string;
  description: string | null;
  mode: "sync" | "async";
  state: string;
  stateReason: string | null;
  stateChangedAt: string;
  health: Health;
  source: { host: string; volume: string; ref: string; hostStatus: string };
  target: { host: string; volume: string; ref: string; hostStatus: string };
  sizeBytes: number;
  epoch: number;
  speedLimitBytesPerSec: number;
  rpoTargetSeconds: number | null;
  /** Automatic failover after this many seconds without the source; null = off. */
  autoFailoverAfterSeconds: number | null;
  lagBytes: number;
  lagSeconds: number | null;
  rateBytesPerSec: number;
  converging: boolean;
  progress: { phase: string | null; doneBytes: number; totalBytes: number; percent: number | null; etaSeconds: number | null };
  lastInSyncAt: string | null;
  createdAt: string;
};

type Vol = { id: string; name: string; sizeBytes: bigint; host: { name: string; status: string } };

export async function loadVolumes(db: Db, ids: string[]): Promise<Map<string, Vol>> {
  const rows = await db.volume.findMany({ where: { id: { in: ids } }, include: { host: { select: { name: true, status: true } } } });
  return new Map(rows.map((r) => [r.id, r]));
}

export function etaSeconds(remaining: number, rate: number): number | null {
  return rate > 1 && remaining > 0 ? Math.round(remaining / rate) : remaining === 0 ? 0 : null;
}

export function toMirrorDto(m: MirrorRow, vols: Map<string, Vol>): MirrorDto {
  const src = vols.get(m.sourceVolumeId);
  const tgt = vols.get(m.targetVolumeId);
  const end = (v: Vol | undefined) =>
    v ? { host: v.host.name, volume: v.name, ref: `${v.host.name}/${v.name}`, hostStatus: v.host.status } : { host: "?", volume: "?", ref: "?", hostStatus: "offline" };
  const state = mirrorState.catch("error").parse(m.state);
  const mode = mirrorMode.catch("sync").parse(m.mode);
  const done = Number(m.progressDone);
  const total = Number(m.progressTotal);
  return {
    id: m.id,
    name: m.name,
    description: m.description,
    mode,
    state,
    stateReason: m.stateReason,
    stateChangedAt: m.stateChangedAt.toISOString(),
    health: mirrorHealth({
      state,
      mode,
      lagBytes: Number(m.lagBytes),
      lagSeconds: m.lagSeconds,
      rpoTargetSeconds: m.rpoTargetSeconds,
      sourceOnline: src?.host.status !== "offline",
      targetOnline: tgt?.host.status !== "offline",
      epochsAgree: true,
      converging: m.converging,
    }),
    source: end(src),
    target: end(tgt),
    sizeBytes: Number(src?.sizeBytes ?? 0n),
    epoch: m.epoch,
    speedLimitBytesPerSec: Number(m.speedLimitBytesPerSec),
    rpoTargetSeconds: m.rpoTargetSeconds,
    autoFailoverAfterSeconds: m.autoFailoverAfterSeconds,
    lagBytes: Number(m.lagBytes),
    lagSeconds: m.lagSeconds,
    rateBytesPerSec: m.rateBytesPerSec,
    converging: m.converging,
    progress: {
      phase: m.phase,
      doneBytes: done,
      totalBytes: total,
      percent: total > 0 ? Math.min(100, (done / total) * 100) : null,
      etaSeconds: etaSeconds(total - done, m.rateBytesPerSec),
    },
    lastInSyncAt: m.lastInSyncAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}
