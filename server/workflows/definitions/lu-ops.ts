// LU create / delete and the ALUA moves standby / import, plus the pair's ALUA settings.
import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { guid as guidSchema } from "@tandem/contracts/storage";
import { deleteLuRow, findLu, findVolume, upsertLu } from "@/server/db/storage-store";
import { TandemError } from "@/server/domain/errors";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import type { OperationDefinition } from "../types";
import { hostOf, ignoreNotFound } from "./host-of";

const createInput = z.object({
  hostId: z.string(),
  volume: resourceName,
  guid: guidSchema.optional(),
  alias: z.string().optional(),
  state: z.enum(["active", "standby"]).default("active"),
});

export const createLuOp: OperationDefinition<z.infer<typeof createInput>> = {
  kind: "lu.create",
  parseInput: (raw) => createInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const agent = deps.storageFor(host);
    // Idempotent: an LU an earlier attempt created on this volume is taken as done.
    const existing = (await agent.lus()).find((l) => l.volume === input.volume);
    if (existing && input.guid && existing.guid !== input.guid) {
      throw new TandemError("CONFLICT", `${host.name}/${input.volume} is already exported as LU ${existing.guid}`, { retryable: false });
    }
    const l = existing ?? (await agent.createLu({ volume: input.volume, guid: input.guid, alias: input.alias, state: input.state }));
    const vol = await findVolume(deps.db, host.id, input.volume);
    if (!vol) throw new TandemError("NOT_FOUND", `volume ${host.name}/${input.volume} is not known to Tandem`, { retryable: false });
    await upsertLu(deps.db, {
      guid: l.guid,
      hostId: host.id,
      volumeId: vol.id,
      alias: l.alias,
      exportName: l.exportName,
      uri: l.uri,
      accessState: l.state,
      stateChangedAt: new Date(l.stateChangedAt),
    });
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["lus", "volumes"] });
    return { guid: l.guid, host: host.name, volume: input.volume, alias: l.alias, uri: l.uri, state: l.state, stateCode: l.stateCode, operationId: op.id };
  },
};

const guidInput = z.object({ hostId: z.string(), guid: guidSchema, force: z.boolean().optional() });

export const deleteLuOp: OperationDefinition<z.infer<typeof guidInput>> = {
  kind: "lu.delete",
  parseInput: (raw) => guidInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    await ignoreNotFound(() => deps.storageFor(host).deleteLu(input.guid));
    const row = await findLu(deps.db, host.id, input.guid);
    if (row) await deleteLuRow(deps.db, row.id);
    deps.bus.publish({ type: "storage.changed", hostId: host.id, what: ["lus", "volumes"] });
    return { guid: input.guid, host: host.name, deleted: true };
  },
};

export const standbyLuOp: OperationDefinition<z.infer<typeof guidInput>> = {
  kind: "lu.standby",
  parseInput: (raw) => guidInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const l = await deps.storageFor(host).standby(input.guid); // idempotent on the agent
    await syncHostStorage(deps, host, { ownLock: op.lockKey });
    return { guid: l.guid, host: host.name, state: l.state, stateCode: l.stateCode };
  },
};

export const importLuOp: OperationDefinition<z.infer<typeof guidInput>> = {
  kind: "lu.import",
  parseInput: (raw) => guidInput.parse(raw),
  async run(deps, op, input) {
    const host = await hostOf(deps, input.hostId);
    const l = await deps.storageFor(host).importLu(input.guid, input.force ?? false);
    await syncHostStorage(deps, host, { ownLock: op.lockKey });
    // The peer moved its copy to Standby: bring that host's rows up to date too.
    const peer = host.pairId ? await deps.db.host.findFirst({ where: { pairId: host.pairId, id: { not: host.id } } }) : null;
    if (peer) await syncHostStorage(deps, peer).catch(() => {});
    return { guid: l.guid, host: host.name, state: l.state, stateCode: l.stateCode, uri: l.uri };
  },
};

const aluaInput = z.object({ pairId: z.string(), enabled: z.boolean(), nodeIds: z.record(z.string(), z.union([z.literal(0), z.literal(1)])) });

export const setAluaOp: OperationDefinition<z.infer<typeof aluaInput>> = {
  kind: "alua.set",
  parseInput: (raw) => aluaInput.parse(raw),
  async run(deps, op, input) {
    const hosts = await deps.db.host.findMany({ where: { pairId: input.pairId }, orderBy: { name: "asc" } });
    if (hosts.length !== 2) throw new TandemError("PRECONDITION_FAILED", "a host pair needs exactly two hosts", { retryable: false });
    const [a, b] = hosts as [(typeof hosts)[0], (typeof hosts)[0]];
    for (const [self, peer] of [[a, b], [b, a]] as const) {
      await deps.storageFor(self).setAlua({
        enabled: input.enabled,
        nodeId: input.nodeIds[self.id]!,
        peer: { name: peer.name, url: peer.agentUrl, token: peer.agentToken },
      });
    }
    // Node ids are unique per pair: clear both first so swapping them never collides.
    await deps.db.$transaction([
      deps.db.host.updateMany({ where: { pairId: input.pairId }, data: { aluaNodeId: null } }),
      ...hosts.map((h) => deps.db.host.update({ where: { id: h.id }, data: { aluaNodeId: input.nodeIds[h.id]! } })),
      deps.db.hostPair.update({ where: { id: input.pairId }, data: { aluaEnabled: input.enabled } }),
    ]);
    for (const h of hosts) deps.bus.publish({ type: "storage.changed", hostId: h.id, what: ["alua"] });
    return { enabled: input.enabled, nodes: hosts.map((h) => ({ host: h.name, nodeId: input.nodeIds[h.id] })) };
  },
};
