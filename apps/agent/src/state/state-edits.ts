// Pure edits of the agent state: each returns a new state and leaves its input alone, so an
// operation can build the next state and commit it only when every engine step worked.
import type { AccessStateName, LuTransition } from "@tandem/contracts/storage";
import { assertLuTransition } from "../engine/lu-state";
import {
  MAX_TRANSITIONS,
  type AgentState,
  type AluaRecord,
  type FenceRecord,
  type LuRecord,
  type MirrorRecord,
  type ReplicationExportRecord,
  type VolumeRecord,
} from "./state-schema";

export const findVolume = (s: AgentState, name: string) => s.volumes.find((v) => v.name === name);
export const findLu = (s: AgentState, guid: string) => s.lus.find((l) => l.guid === guid);
export const luOfVolume = (s: AgentState, volume: string) => s.lus.find((l) => l.volume === volume);

/** A fresh QSD node id (short: node names are limited to 31 characters). */
export function allocateNodeId(s: AgentState): { nodeId: string; state: AgentState } {
  return { nodeId: `vol${s.nextNodeNumber}`, state: { ...s, nextNodeNumber: s.nextNodeNumber + 1 } };
}

export const addVolume = (s: AgentState, v: VolumeRecord): AgentState => ({ ...s, volumes: [...s.volumes, v] });

/** A deleted volume takes its fence with it. */
export const removeVolume = (s: AgentState, name: string): AgentState => ({
  ...s,
  volumes: s.volumes.filter((v) => v.name !== name),
  fences: s.fences.filter((f) => f.volume !== name),
});

export function updateVolume(s: AgentState, name: string, edit: (v: VolumeRecord) => VolumeRecord): AgentState {
  return { ...s, volumes: s.volumes.map((v) => (v.name === name ? edit(v) : v)) };
}

export const addLu = (s: AgentState, lu: LuRecord): AgentState => ({ ...s, lus: [...s.lus, lu] });

export const removeLu = (s: AgentState, guid: string): AgentState => ({ ...s, lus: s.lus.filter((l) => l.guid !== guid) });

export const setAlua = (s: AgentState, alua: AluaRecord): AgentState => ({ ...s, alua });

/** Moves an LU to another access state (checked against the table) and records why. */
export function transitionLu(
  s: AgentState,
  guid: string,
  to: AccessStateName,
  reason: string,
  at: Date,
): { state: AgentState; transition: LuTransition } {
  const lu = findLu(s, guid);
  if (!lu) throw new Error(`no LU ${guid}`);
  assertLuTransition(lu.state, to);
  const transition: LuTransition = { guid, from: lu.state, to, at: at.toISOString(), reason };
  const next: LuRecord = {
    ...lu,
    state: to,
    stateChangedAt: transition.at,
    transitions: [...lu.transitions, transition].slice(-MAX_TRANSITIONS),
  };
  return { state: { ...s, lus: s.lus.map((l) => (l.guid === guid ? next : l)) }, transition };
}

export const findMirror = (s: AgentState, name: string) => s.mirrors.find((m) => m.name === name);
export const findReplicationExport = (s: AgentState, mirror: string) => s.replicationExports.find((e) => e.mirror === mirror);

/** What holds a volume for replication: the mirror it is the source of, or the target of. */
export function mirrorOfVolume(s: AgentState, volume: string): { name: string; role: "source" | "target" } | undefined {
  const source = s.mirrors.find((m) => m.volume === volume);
  if (source) return { name: source.name, role: "source" };
  const target = s.replicationExports.find((e) => e.volume === volume);
  return target ? { name: target.mirror, role: "target" } : undefined;
}

export const putMirror = (s: AgentState, m: MirrorRecord): AgentState => ({
  ...s,
  mirrors: [...s.mirrors.filter((x) => x.name !== m.name), m],
});

export const removeMirror = (s: AgentState, name: string): AgentState => ({ ...s, mirrors: s.mirrors.filter((m) => m.name !== name) });

export const putReplicationExport = (s: AgentState, e: ReplicationExportRecord): AgentState => ({
  ...s,
  replicationExports: [...s.replicationExports.filter((x) => x.mirror !== e.mirror), e],
});

export const removeReplicationExport = (s: AgentState, mirror: string): AgentState => ({
  ...s,
  replicationExports: s.replicationExports.filter((e) => e.mirror !== mirror),
});

/** Records the epoch of a mirror; never lowers it. */
export const recordEpoch = (s: AgentState, mirror: string, epoch: number): AgentState =>
  (s.mirrorEpochs[mirror] ?? -1) >= epoch ? s : { ...s, mirrorEpochs: { ...s.mirrorEpochs, [mirror]: epoch } };

/** A node number for a new mirror's QSD nodes (never reused, like volume node ids). */
export function allocateNodeNumber(s: AgentState): { nodeNumber: number; state: AgentState } {
  return { nodeNumber: s.nextNodeNumber, state: { ...s, nextNodeNumber: s.nextNodeNumber + 1 } };
}

// ---- fences (failover) ----------------------------------------------------------------------

export const fenceOfVolume = (s: AgentState, volume: string) => s.fences.find((f) => f.volume === volume);

/** Records a fence on the volume (replacing an older one) and the fence's epoch. */
export const putFence = (s: AgentState, f: FenceRecord): AgentState =>
  recordEpoch({ ...s, fences: [...s.fences.filter((x) => x.volume !== f.volume), f] }, f.mirror, f.epoch);

export const removeFence = (s: AgentState, volume: string): AgentState =>
  s.fences.some((f) => f.volume === volume) ? { ...s, fences: s.fences.filter((f) => f.volume !== volume) } : s;
