import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { badRequest, notFound, TandemError } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation, submitOperation } from "@/server/services/operations/submit-operation";
import { pairLock } from "./locks";

export async function listPairs(deps: Pick<Deps, "db" | "storageFor">) {
  const pairs = await deps.db.hostPair.findMany({ include: { hosts: { orderBy: { name: "asc" } } }, orderBy: { name: "asc" } });
  return Promise.all(
    pairs.map(async (p) => ({
      id: p.id,
      name: p.name,
      aluaEnabled: p.aluaEnabled,
      hosts: await Promise.all(
        p.hosts.map(async (h) => {
          // What the agent itself says, so that a disagreement shows.
          const onHost = await deps.storageFor(h).alua().catch(() => null);
          return { name: h.name, status: h.status, nodeId: h.aluaNodeId, agent: onHost ? { enabled: onHost.enabled, nodeId: onHost.nodeId, peer: onHost.peer?.name ?? null } : null };
        }),
      ),
    })),
  );
}

export const setAluaInput = z.object({
  pair: resourceName.optional(),
  enabled: z.boolean(),
  /** host name → node id; both hosts, ids 0 and 1 once each. Defaults to the current ids. */
  nodeIds: z.record(resourceName, z.union([z.literal(0), z.literal(1)])).optional(),
});

export async function setAlua(deps: Pick<Deps, "db" | "bus">, actor: Identity, input: z.infer<typeof setAluaInput>, opts: { wait?: boolean; manual?: boolean } = {}) {
  const pairs = await deps.db.hostPair.findMany({ where: input.pair ? { name: input.pair } : {}, include: { hosts: true } });
  if (!pairs.length) throw notFound(input.pair ? `host pair ${input.pair}` : "a host pair");
  if (pairs.length > 1) throw badRequest(`there are ${pairs.length} host pairs: say which (--pair)`);
  const pair = pairs[0]!;
  if (pair.hosts.length !== 2) throw new TandemError("PRECONDITION_FAILED", `host pair ${pair.name} has ${pair.hosts.length} hosts; it needs two`);
  const nodeIds: Record<string, 0 | 1> = {};
  for (const h of pair.hosts) {
    const wanted = input.nodeIds?.[h.name] ?? h.aluaNodeId;
    if (wanted !== 0 && wanted !== 1) throw badRequest(`give host ${h.name} a node id (0 or 1)`);
    nodeIds[h.id] = wanted;
  }
  for (const name of Object.keys(input.nodeIds ?? {})) if (!pair.hosts.some((h) => h.name === name)) throw badRequest(`host ${name} is not in pair ${pair.name}`);
  if (new Set(Object.values(nodeIds)).size !== 2) throw badRequest("the two hosts of a pair need node ids 0 and 1, one each");
  const op = {
    kind: "alua.set",
    subjectType: "pair",
    subjectId: pair.id,
    subjectName: `pair ${pair.name}`,
    hostId: null,
    input: { pairId: pair.id, enabled: input.enabled, nodeIds },
    actor: actor.username,
    manual: opts.manual ?? true,
    lockKey: pairLock(pair.id),
  };
  if (opts.wait === false) return submitOperation(deps, op);
  return runOperation(deps, op);
}
