import { findLu, findVolume, mirrorOfVolume } from "../state/state-edits";
import type { AgentState, VolumeRecord } from "../state/state-schema";
import { notFound, StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

export function requireVolume(s: AgentState, name: string) {
  const v = findVolume(s, name);
  if (!v) throw notFound(`no volume named ${name} on this host`);
  return v;
}

export function requireSnapshot(s: AgentState, volume: string, name: string) {
  const v = requireVolume(s, volume);
  const snap = v.snapshots.find((x) => x.name === name);
  if (!snap) throw notFound(`volume ${volume} has no snapshot named ${name}`);
  return { volume: v, snapshot: snap };
}

export function requireLu(s: AgentState, guid: string) {
  const lu = findLu(s, guid);
  if (!lu) throw notFound(`no LU with GUID ${guid} on this host`);
  return lu;
}

export function requirePool(ctx: Pick<StorageContext, "pools">, name: string): string {
  if (!ctx.pools.has(name)) throw notFound(`no pool named ${name} on this host`);
  return name;
}

/** Volume names are unique on the host, whatever the pool: the API addresses them by name alone. */
export function requireFreeVolumeName(s: AgentState, name: string): void {
  const existing = findVolume(s, name);
  if (existing) throw new StorageError("exists", `a volume named ${name} already exists (pool ${existing.pool})`);
}

export function requireAluaEnabled(s: AgentState): void {
  if (!s.alua.enabled) throw new StorageError("alua_disabled", "ALUA is disabled on this host");
}

/** A volume in a mirror keeps its size and data under the mirror's control: no delete, resize or revert. */
export function requireNotMirrored(s: AgentState, volume: string, action: string): void {
  const holder = mirrorOfVolume(s, volume);
  if (!holder) return;
  const how = holder.role === "source" ? "stop the mirror first" : "remove its replication export first";
  throw new StorageError("in_use", `volume ${volume} is the ${holder.role} of mirror ${holder.name}; cannot ${action} it (${how})`);
}

/** A promoted volume's image is the frozen base under an overlay: merge the overlay first. */
export function requireNotPromoted(v: VolumeRecord, action: string): void {
  if (!v.promotion) return;
  throw new StorageError(
    "wrong_state",
    `volume ${v.name} is promoted (mirror ${v.promotion.mirror}, epoch ${v.promotion.epoch}): its writes go to an overlay; cannot ${action} it until the overlay is merged (POST /v1/volumes/${v.name}/merge-overlay)`,
  );
}
