// The agent's state file: what exists on this host. QSD's graph is rebuilt from it after every
// QSD start, so it must say everything needed to reopen volumes and re-export LUs.
import { resourceName } from "@tandem/contracts/agent";
import { mirrorMode } from "@tandem/contracts/replication";
import { accessStateName, guid, luTransition } from "@tandem/contracts/storage";
import { z } from "zod";

export const STATE_VERSION = 1;
/** Transitions kept per LU; older ones are dropped. */
export const MAX_TRANSITIONS = 100;

export const snapshotRecord = z.object({
  name: resourceName,
  createdAt: z.string(),
  sizeBytes: z.number().int().nonnegative(),
});
export type SnapshotRecord = z.infer<typeof snapshotRecord>;

/**
 * A promoted volume (failover): a qcow2 overlay on top of the volume's image takes every write
 * since promotion; the image below (the base) is frozen = this host at promotion.
 */
export const promotionRecord = z.object({
  mirror: resourceName,
  epoch: z.number().int().nonnegative(),
  at: z.string(),
  overlay: z.object({
    /** File in the volume's pool directory; never ends in .qcow2, so never taken for a volume. */
    file: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.qcow2\.overlay$/),
    nodeId: z.string().regex(/^ovl[1-9][0-9]{0,9}$/),
  }),
  /** A read-only export of the frozen base exists (failback). */
  baseExport: z.object({ createdAt: z.string() }).nullable(),
});
export type PromotionRecord = z.infer<typeof promotionRecord>;

export const volumeRecord = z.object({
  name: resourceName,
  pool: resourceName,
  /** Image file name inside the pool directory (never a path). */
  file: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.qcow2$/),
  /** QSD node name: volume names may be 63 characters, node names only 31. */
  nodeId: z.string().regex(/^vol[1-9][0-9]{0,9}$/),
  sizeBytes: z.number().int().positive(),
  createdAt: z.string(),
  snapshots: z.array(snapshotRecord),
  promotion: promotionRecord.optional(),
});
export type VolumeRecord = z.infer<typeof volumeRecord>;

export const luRecord = z.object({
  guid,
  alias: z.string().nullable(),
  volume: resourceName,
  state: accessStateName,
  stateChangedAt: z.string(),
  createdAt: z.string(),
  transitions: z.array(luTransition).max(MAX_TRANSITIONS),
  /** When the client export was last added / removed (the console measures outages with them). */
  exportAddedAt: z.string().optional(),
  exportRemovedAt: z.string().optional(),
});
export type LuRecord = z.infer<typeof luRecord>;

export const aluaRecord = z.object({
  enabled: z.boolean(),
  nodeId: z.union([z.literal(0), z.literal(1)]),
  peer: z.object({ name: resourceName, url: z.string(), token: z.string() }).nullable(),
});
export type AluaRecord = z.infer<typeof aluaRecord>;

/** A mirror whose source volume is on this host: what is needed to start its job again. */
export const mirrorRecord = z.object({
  name: resourceName,
  volume: resourceName,
  target: z.object({ host: z.string(), port: z.number().int(), exportName: z.string() }),
  mode: mirrorMode,
  speedLimitBytesPerSec: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  /** Operator pause: survives restarts; the link retry never resumes it. */
  paused: z.boolean(),
  /** Names the QSD nodes of this mirror (`mirror<N>-tgt`, `mirror<N>-flt`): node names are short. */
  nodeNumber: z.number().int().positive(),
  createdAt: z.string(),
});
export type MirrorRecord = z.infer<typeof mirrorRecord>;

/** A writable export of a volume on this host that a mirror's source writes into. */
export const replicationExportRecord = z.object({
  mirror: resourceName,
  volume: resourceName,
  epoch: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type ReplicationExportRecord = z.infer<typeof replicationExportRecord>;

/**
 * This host was the source of `mirror` and must not serve the volume: fenced by the console, or
 * found at a QSD start to be behind its peer's epoch. One per volume.
 */
export const fenceRecord = z.object({
  mirror: resourceName,
  volume: resourceName,
  epoch: z.number().int().nonnegative(),
  at: z.string(),
  reason: z.string(),
});
export type FenceRecord = z.infer<typeof fenceRecord>;

function duplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

export const agentState = z
  .object({
    version: z.literal(STATE_VERSION),
    /** Next number for a QSD node id; never reused, so a stale node can never be mistaken for a new one. */
    nextNodeNumber: z.number().int().positive(),
    volumes: z.array(volumeRecord),
    lus: z.array(luRecord),
    alua: aluaRecord,
    // Added with replication; a file written before has none.
    mirrors: z.array(mirrorRecord).default([]),
    replicationExports: z.array(replicationExportRecord).default([]),
    /** Highest epoch seen per mirror name; kept after the mirror or export is gone (fencing). */
    mirrorEpochs: z.record(z.string(), z.number().int().nonnegative()).default({}),
    // Added with failover.
    fences: z.array(fenceRecord).default([]),
  })
  // What the operations rely on; a hand-edited file that breaks it is refused, not half used.
  .superRefine((s, ctx) => {
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    for (const d of duplicates(s.volumes.map((v) => v.name))) problem(`volume ${d} is listed twice`);
    for (const d of duplicates(s.lus.map((l) => l.guid))) problem(`LU ${d} is listed twice`);
    for (const d of duplicates(s.lus.map((l) => l.volume))) problem(`volume ${d} belongs to two LUs`);
    for (const l of s.lus) if (!s.volumes.some((v) => v.name === l.volume)) problem(`LU ${l.guid} uses an unknown volume ${l.volume}`);
    for (const d of duplicates(s.mirrors.map((m) => m.name))) problem(`mirror ${d} is listed twice`);
    for (const d of duplicates(s.replicationExports.map((e) => e.mirror))) problem(`replication export of mirror ${d} is listed twice`);
    const mirrored = [...s.mirrors.map((m) => m.volume), ...s.replicationExports.map((e) => e.volume)];
    for (const d of duplicates(mirrored)) problem(`volume ${d} is in two mirrors`);
    for (const name of mirrored) if (!s.volumes.some((v) => v.name === name)) problem(`a mirror uses an unknown volume ${name}`);
    for (const m of s.mirrors) if (m.nodeNumber >= s.nextNodeNumber) problem(`mirror ${m.name}: node number is not below nextNodeNumber`);
    for (const d of duplicates(s.fences.map((f) => f.volume))) problem(`volume ${d} is fenced twice`);
    for (const f of s.fences) if (!s.volumes.some((v) => v.name === f.volume)) problem(`fence of mirror ${f.mirror} names an unknown volume ${f.volume}`);
    const nodeIds = [...s.volumes.map((v) => v.nodeId), ...s.volumes.flatMap((v) => (v.promotion ? [v.promotion.overlay.nodeId] : []))];
    for (const d of duplicates(nodeIds)) problem(`node id ${d} is used twice`);
    for (const v of s.volumes) {
      if (Number(v.nodeId.replace(/^vol/, "")) >= s.nextNodeNumber) problem(`node id ${v.nodeId} is not below nextNodeNumber`);
      if (v.promotion && Number(v.promotion.overlay.nodeId.replace(/^ovl/, "")) >= s.nextNodeNumber) {
        problem(`overlay node id ${v.promotion.overlay.nodeId} is not below nextNodeNumber`);
      }
      for (const d of duplicates(v.snapshots.map((x) => x.name))) problem(`volume ${v.name} lists snapshot ${d} twice`);
    }
  });
export type AgentState = z.infer<typeof agentState>;

export function emptyState(): AgentState {
  return {
    version: STATE_VERSION,
    nextNodeNumber: 1,
    volumes: [],
    lus: [],
    alua: { enabled: false, nodeId: 0, peer: null },
    mirrors: [],
    replicationExports: [],
    mirrorEpochs: {},
    fences: [],
  };
}
