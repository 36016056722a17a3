import { z } from "zod";
import { hostName } from "@tandem/contracts/agent";
import { aliasInput, guid as guidSchema, type AccessStateName } from "@tandem/contracts/storage";
import { findLusByGuid, listLus as listLuRows } from "@/server/db/storage-store";
import { conflict, notFound } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation } from "@/server/services/operations/submit-operation";
import { listEvents } from "@/server/db/event-store";
import { volumeLock } from "./locks";
import { requireHost, requireVolume, volumeRef } from "./resolve";
import { stateCode, type LuDto } from "./storage-dto";

type D = Pick<Deps, "db" | "bus">;

export const createLuInput = z.object({
  volume: volumeRef,
  alias: aliasInput.optional(),
  guid: guidSchema.optional(),
  state: z.enum(["active", "standby"]).default("active"),
});

export async function createLu(deps: D, actor: Identity, input: z.infer<typeof createLuInput>) {
  const { host, vol } = await requireVolume(deps, input.volume);
  if (vol.lu) throw conflict(`${host.name}/${vol.name} is already exported as LU ${vol.lu.guid}`);
  if (input.guid && (await findLusByGuid(deps.db, input.guid)).some((l) => l.hostId === host.id)) throw conflict(`LU ${input.guid} already exists on ${host.name}`);
  return runOperation(deps, {
    kind: "lu.create",
    subjectType: "volume",
    subjectId: vol.id,
    subjectName: `${host.name}/${vol.name}`,
    hostId: host.id,
    input: { hostId: host.id, volume: vol.name, guid: input.guid, alias: input.alias || undefined, state: input.state },
    actor: actor.username,
    lockKey: volumeLock(host.id, vol.name),
  }) as Promise<{ guid: string; host: string; volume: string; alias: string | null; uri: string | null; state: string; stateCode: number }>;
}

export async function listLus(deps: Pick<Deps, "db">): Promise<LuDto[]> {
  const rows = await listLuRows(deps.db);
  const byGuid = new Map<string, LuDto>();
  for (const r of rows) {
    const dto = byGuid.get(r.guid) ?? { guid: r.guid, alias: r.alias, sizeBytes: Number(r.volume.sizeBytes), nodes: [] };
    dto.alias ??= r.alias;
    dto.nodes.push({
      host: r.host.name,
      hostId: r.host.id,
      nodeId: r.host.aluaNodeId,
      volume: r.volume.name,
      uri: r.uri,
      accessState: r.accessState as AccessStateName,
      stateCode: stateCode(r.accessState),
      stateChangedAt: r.stateChangedAt.toISOString(),
      missing: r.missingSince !== null,
    });
    byGuid.set(r.guid, dto);
  }
  for (const d of byGuid.values()) d.nodes.sort((a, b) => (a.nodeId ?? 9) - (b.nodeId ?? 9) || a.host.localeCompare(b.host));
  return [...byGuid.values()];
}

export const luTargetInput = z.object({
  guid: guidSchema,
  /** Which host's copy; may be left out when the GUID exists on one host only. */
  host: hostName.optional(),
  force: z.boolean().optional(),
});

async function resolveLu(deps: Pick<Deps, "db">, input: z.infer<typeof luTargetInput>) {
  const rows = await findLusByGuid(deps.db, input.guid);
  if (!rows.length) throw notFound(`LU ${input.guid}`);
  if (input.host) {
    const host = await requireHost(deps, input.host);
    const row = rows.find((r) => r.hostId === host.id);
    if (!row) throw notFound(`LU ${input.guid} on ${input.host}`);
    return row;
  }
  if (rows.length > 1) throw conflict(`LU ${input.guid} exists on ${rows.map((r) => r.host.name).join(" and ")}: say which host (--host)`);
  return rows[0]!;
}

async function luOp(deps: D, actor: Identity, kind: string, input: z.infer<typeof luTargetInput>) {
  const row = await resolveLu(deps, input);
  return runOperation(deps, {
    kind,
    subjectType: "volume",
    subjectId: row.volumeId,
    subjectName: `LU ${row.guid} on ${row.host.name}`,
    hostId: row.hostId,
    input: { hostId: row.hostId, guid: row.guid, force: input.force },
    actor: actor.username,
    lockKey: volumeLock(row.hostId, row.volume.name),
  });
}

export async function standbyLu(deps: D, actor: Identity, input: z.infer<typeof luTargetInput>) {
  return luOp(deps, actor, "lu.standby", input);
}

/** Import on a host whose copy is Standby. With a GUID on two hosts, the Standby one is meant. */
export async function importLu(deps: D, actor: Identity, input: z.infer<typeof luTargetInput>) {
  if (!input.host) {
    const rows = await findLusByGuid(deps.db, input.guid);
    const standby = rows.filter((r) => r.accessState !== "active");
    if (rows.length > 1 && standby.length === 1) input = { ...input, host: standby[0]!.host.name };
  }
  return luOp(deps, actor, "lu.import", input);
}

export async function deleteLu(deps: D, actor: Identity, input: z.infer<typeof luTargetInput>) {
  return luOp(deps, actor, "lu.delete", input);
}

export async function luHistory(deps: Pick<Deps, "db">, input: { guid: string }) {
  const events = await listEvents(deps.db, { subjectType: "lu", subjectId: input.guid, limit: 50 });
  return events.map((e) => ({ at: e.at.toISOString(), message: e.message, data: e.data ? JSON.parse(e.data) : null }));
}
