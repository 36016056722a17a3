// Starts a planned reversal (failover and failback follow the same pattern): refuses at once
// when the plan's checks fail, records who and why, and returns the operation to follow.
import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { findMirrorByName } from "@/server/db/mirror-store";
import { notFound, TandemError } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { submitOperation } from "@/server/services/operations/submit-operation";
import { mirrorLock } from "./mirror-locks";
import { planMirrorMove } from "./plan-mirror-move";

export const reverseInput = z.object({ name: resourceName, verify: z.boolean().default(true), reason: z.string().trim().max(500).optional() });

export async function reverseMirror(deps: Pick<Deps, "db" | "bus" | "storageFor">, actor: Identity, input: z.infer<typeof reverseInput>) {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  const plan = await planMirrorMove(deps, { name: input.name, kind: "reverse" });
  const failed = plan.checks.filter((c) => !c.ok);
  if (failed.length) throw new TandemError("PRECONDITION_FAILED", `cannot reverse ${m.name}: ${failed.map((c) => `${c.name}: ${c.reason}`).join("; ")}`);
  const op = await submitOperation(deps, {
    kind: "mirror.reverse",
    subjectType: "mirror",
    subjectId: m.id,
    subjectName: m.name,
    hostId: null,
    input: { mirrorId: m.id, verify: input.verify },
    actor: actor.username,
    reason: input.reason ?? null,
    lockKey: mirrorLock(m.id),
  });
  return { operationId: op.id, plan };
}

export const failoverInput = z.object({
  name: resourceName,
  reason: z.string().trim().min(3, "say why (at least a few words): it goes into the audit log").max(500),
  force: z.boolean().default(false),
});

/** `manual: false` marks an automatic failover (the audit log says so); the same checks apply. */
export async function failoverMirror(
  deps: Pick<Deps, "db" | "bus" | "storageFor">,
  actor: Pick<Identity, "username">,
  input: z.infer<typeof failoverInput>,
  opts: { manual?: boolean } = {},
) {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  const plan = await planMirrorMove(deps, { name: input.name, kind: "failover" });
  const failed = plan.checks.filter((c) => !c.ok);
  if (failed.length) throw new TandemError("PRECONDITION_FAILED", `cannot fail over ${m.name}: ${failed.map((c) => `${c.name}: ${c.reason}`).join("; ")}`);
  const src = await deps.db.volume.findUniqueOrThrow({ where: { id: m.sourceVolumeId }, include: { host: true } });
  if (src.host.status === "online" && !input.force) throw new TandemError("PRECONDITION_FAILED", `source host ${src.host.name} is online: a failover now must be forced`);
  const op = await submitOperation(deps, {
    kind: "mirror.failover",
    subjectType: "mirror",
    subjectId: m.id,
    subjectName: m.name,
    hostId: null,
    input: { mirrorId: m.id, force: input.force },
    actor: actor.username,
    reason: input.reason,
    manual: opts.manual ?? true,
    lockKey: mirrorLock(m.id),
  });
  return { operationId: op.id, plan };
}

export const failbackInput = z.object({
  name: resourceName,
  safetySnapshot: z.boolean().default(true),
  reverse: z.boolean().default(false),
  verify: z.boolean().default(true),
  reason: z.string().trim().max(500).optional(),
});

export async function failbackMirror(deps: Pick<Deps, "db" | "bus" | "storageFor">, actor: Identity, input: z.infer<typeof failbackInput>) {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  if (m.state !== "failed_over") throw new TandemError("PRECONDITION_FAILED", `mirror ${m.name} is ${m.state}, not failed over`);
  const op = await submitOperation(deps, {
    kind: "mirror.failback",
    subjectType: "mirror",
    subjectId: m.id,
    subjectName: m.name,
    hostId: null,
    input: { mirrorId: m.id, safetySnapshot: input.safetySnapshot, reverse: input.reverse, verify: input.verify },
    actor: actor.username,
    reason: input.reason ?? null,
    lockKey: mirrorLock(m.id),
  });
  return { operationId: op.id };
}
