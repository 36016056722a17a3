// Modify, pause, resume and delete a mirror. Settings that live only in Tandem (RPO target,
// automatic failover, description) change at once; those the engine holds (mode, speed) go through an operation.
import type { z } from "zod";
import { findMirrorByName, updateMirror } from "@/server/db/mirror-store";
import { appendEvent } from "@/server/db/event-store";
import { notFound, TandemError } from "@/server/domain/errors";
import type { Identity } from "@/server/trpc/context";
import type { Deps } from "@/server/services/deps";
import { runOperation, submitOperation } from "@/server/services/operations/submit-operation";
import { deleteMirrorInput, mirrorNameInput, modifyMirrorInput } from "./mirror-input";
import { mirrorLock } from "./mirror-locks";

type D = Pick<Deps, "db" | "bus">;

async function requireMirror(deps: Pick<Deps, "db">, name: string) {
  const m = await findMirrorByName(deps.db, name);
  if (!m) throw notFound(`mirror ${name}`);
  return m;
}

function op(m: { id: string; name: string }, kind: string, actor: Identity, input: Record<string, unknown>) {
  return { kind, subjectType: "mirror", subjectId: m.id, subjectName: m.name, hostId: null, input: { mirrorId: m.id, ...input }, actor: actor.username, lockKey: mirrorLock(m.id) };
}

export async function modifyMirror(deps: D, actor: Identity, input: z.infer<typeof modifyMirrorInput>) {
  const m = await requireMirror(deps, input.name);
  const local: Parameters<typeof updateMirror>[2] = {};
  if (input.description !== undefined) local.description = input.description;
  if (input.rpoTargetSeconds !== undefined) local.rpoTargetSeconds = input.rpoTargetSeconds;
  if (input.autoFailoverAfterSeconds !== undefined && input.autoFailoverAfterSeconds !== m.autoFailoverAfterSeconds) local.autoFailoverAfterSeconds = input.autoFailoverAfterSeconds;
  const changes: string[] = [];
  if (Object.keys(local).length) {
    await updateMirror(deps.db, m.id, local);
    changes.push(...Object.keys(local));
  }
  const engine: { mode?: "sync" | "async"; speedLimitBytesPerSec?: number } = {};
  if (input.mode && input.mode !== m.mode) engine.mode = input.mode;
  if (input.speedLimit !== undefined && BigInt(input.speedLimit) !== m.speedLimitBytesPerSec) engine.speedLimitBytesPerSec = input.speedLimit;
  let result: unknown = null;
  if (Object.keys(engine).length) {
    if (m.state === "uninitialized") {
      // Nothing runs yet: the settings simply apply when the job starts.
      await updateMirror(deps.db, m.id, { ...(engine.mode ? { mode: engine.mode } : {}), ...(engine.speedLimitBytesPerSec !== undefined ? { speedLimitBytesPerSec: BigInt(engine.speedLimitBytesPerSec) } : {}) });
    } else {
      result = await runOperation(deps, op(m, "mirror.modify", actor, engine));
    }
    changes.push(...Object.keys(engine));
  }
  if (changes.length) {
    await appendEvent(deps.db, { kind: "mirror.modified", subjectType: "mirror", subjectId: m.id, actor: actor.username, message: `${m.name}: changed ${changes.join(", ")}`, data: { ...local, ...engine } });
    deps.bus.publish({ type: "mirror.changed", mirrorId: m.id });
  }
  return { name: m.name, changed: changes, result };
}

export async function pauseMirror(deps: D, actor: Identity, input: z.infer<typeof mirrorNameInput>) {
  const m = await requireMirror(deps, input.name);
  if (m.state === "paused") return { name: m.name, phase: "paused" };
  if (!["syncing", "in_sync", "lagging", "broken"].includes(m.state)) throw new TandemError("PRECONDITION_FAILED", `mirror ${m.name} is ${m.state}; only a running mirror can be paused`);
  return runOperation(deps, op(m, "mirror.pause", actor, {}));
}

export async function resumeMirror(deps: D, actor: Identity, input: z.infer<typeof mirrorNameInput>) {
  const m = await requireMirror(deps, input.name);
  if (m.state !== "paused") throw new TandemError("PRECONDITION_FAILED", `mirror ${m.name} is ${m.state}, not paused`);
  return runOperation(deps, op(m, "mirror.resume", actor, {}));
}

export async function deleteMirror(deps: D, actor: Identity, input: z.infer<typeof deleteMirrorInput>, opts: { wait?: boolean } = {}) {
  const m = await requireMirror(deps, input.name);
  const o = op(m, "mirror.delete", actor, { deleteTarget: input.deleteTarget });
  if (opts.wait === false) return { operationId: (await submitOperation(deps, o)).id };
  return runOperation(deps, o, 300_000);
}
