// Creates a mirror: checks every rule with a message naming the rule and the object, records
// the mirror (the database enforces the single-mirror rule too), and queues its initialization.
import type { z } from "zod";
import { createMirrorRow, findEndpoint, findMirrorByName } from "@/server/db/mirror-store";
import { findHostByName } from "@/server/db/host-store";
import { findVolume } from "@/server/db/storage-store";
import { conflict, notFound, TandemError } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation, submitOperation } from "@/server/services/operations/submit-operation";
import { createVolume } from "@/server/services/storage/volumes";
import { createMirrorInput } from "./mirror-input";
import { mirrorLock } from "./mirror-locks";

const rule = (message: string) => new TandemError("PRECONDITION_FAILED", message);

export async function createMirror(deps: Pick<Deps, "db" | "bus">, actor: Identity, input: z.infer<typeof createMirrorInput>) {
  if (await findMirrorByName(deps.db, input.name)) throw conflict(`a mirror named ${input.name} already exists`);
  const srcHost = await findHostByName(deps.db, input.source.host);
  if (!srcHost) throw notFound(`host ${input.source.host}`);
  const tgtHost = await findHostByName(deps.db, input.target.host);
  if (!tgtHost) throw notFound(`host ${input.target.host}`);
  if (srcHost.id === tgtHost.id) throw rule(`source and target must be on different hosts (both are on ${srcHost.name})`);
  if (!srcHost.pairId || srcHost.pairId !== tgtHost.pairId) throw rule(`${srcHost.name} and ${tgtHost.name} are not the two hosts of one host pair`);

  const src = await findVolume(deps.db, srcHost.id, input.source.name);
  if (!src) throw notFound(`source volume ${srcHost.name}/${input.source.name}`);
  const srcEnd = await findEndpoint(deps.db, src.id);
  if (srcEnd) throw rule(`single-mirror rule: ${srcHost.name}/${src.name} is already the ${srcEnd.role} of mirror ${srcEnd.mirror.name}`);

  let tgt = await findVolume(deps.db, tgtHost.id, input.target.name);
  if (input.createTarget && tgt) throw conflict(`target volume ${tgtHost.name}/${tgt.name} already exists: leave out "create target" to use it`);
  if (!input.createTarget && !tgt) throw notFound(`target volume ${tgtHost.name}/${input.target.name} (or ask to create it)`);
  if (tgt) {
    const tgtEnd = await findEndpoint(deps.db, tgt.id);
    if (tgtEnd) throw rule(`single-mirror rule: ${tgtHost.name}/${tgt.name} is already the ${tgtEnd.role} of mirror ${tgtEnd.mirror.name}`);
    if (tgt.sizeBytes !== src.sizeBytes) throw rule(`sizes differ: ${srcHost.name}/${src.name} is ${src.sizeBytes} bytes, ${tgtHost.name}/${tgt.name} is ${tgt.sizeBytes}`);
    if (tgt.lu?.accessState === "active") throw rule(`target ${tgtHost.name}/${tgt.name} is an Active LU (${tgt.lu.guid}): clients use it, so it cannot be overwritten`);
    if (tgt.lu && src.lu && tgt.lu.guid !== src.lu.guid) throw rule(`target ${tgtHost.name}/${tgt.name} is LU ${tgt.lu.guid}, the source is LU ${src.lu.guid}: a mirrored LU keeps one GUID`);
  } else {
    await createVolume(deps, actor, { host: tgtHost.name, name: input.target.name, size: Number(src.sizeBytes), pool: undefined });
    tgt = await findVolume(deps.db, tgtHost.id, input.target.name);
    if (!tgt) throw new TandemError("INTERNAL", "target volume vanished after creation");
  }

  const created = await createMirrorRow(deps.db, {
    name: input.name,
    description: input.description ?? null,
    pairId: srcHost.pairId,
    sourceVolumeId: src.id,
    targetVolumeId: tgt.id,
    mode: input.mode,
    speedLimitBytesPerSec: BigInt(input.speedLimit ?? 0),
    rpoTargetSeconds: input.rpoTargetSeconds ?? null,
    autoFailoverAfterSeconds: input.autoFailoverAfterSeconds ?? null,
  });
  if (!created.ok) {
    if (input.createTarget) await runOperation(deps, volumeDeleteOp(tgtHost, tgt.name, actor)).catch(() => {});
    throw created.reason === "name"
      ? conflict(`a mirror named ${input.name} already exists`)
      : rule(`single-mirror rule: ${srcHost.name}/${src.name} or ${tgtHost.name}/${tgt.name} was just taken by another mirror`);
  }
  const op = await submitOperation(deps, {
    kind: "mirror.create",
    subjectType: "mirror",
    subjectId: created.mirror.id,
    subjectName: input.name,
    hostId: srcHost.id,
    input: { mirrorId: created.mirror.id },
    actor: actor.username,
    lockKey: mirrorLock(created.mirror.id),
  });
  return { id: created.mirror.id, name: input.name, operationId: op.id };
}

function volumeDeleteOp(host: { id: string; name: string }, name: string, actor: Identity) {
  return {
    kind: "volume.delete",
    subjectType: "volume",
    subjectId: `${host.id}/${name}`,
    subjectName: `${host.name}/${name}`,
    hostId: host.id,
    input: { hostId: host.id, name },
    actor: actor.username,
    lockKey: `volume:${host.id}:${name}`,
  };
}
