import type { z } from "zod";
import { findMirrorByName, listMirrors as listMirrorRows, listSamples } from "@/server/db/mirror-store";
import { listEvents } from "@/server/db/event-store";
import { listOperations, listSteps } from "@/server/db/operation-store";
import { notFound } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";
import { loadVolumes, toMirrorDto } from "./mirror-dto";
import type { mirrorNameInput } from "./mirror-input";

export async function listMirrors(deps: Pick<Deps, "db">) {
  const rows = await listMirrorRows(deps.db);
  const vols = await loadVolumes(deps.db, rows.flatMap((m) => [m.sourceVolumeId, m.targetVolumeId]));
  return rows.map((m) => toMirrorDto(m, vols));
}

export async function getMirror(deps: Pick<Deps, "db" | "now">, input: z.infer<typeof mirrorNameInput>) {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  const vols = await loadVolumes(deps.db, [m.sourceVolumeId, m.targetVolumeId]);
  const ops = await listOperations(deps.db, { subjectType: "mirror", subjectId: m.id, limit: 20 });
  const steps = await Promise.all(ops.map((o) => listSteps(deps.db, o.id)));
  const events = await listEvents(deps.db, { subjectType: "mirror", subjectId: m.id, limit: 100 });
  const samples = await listSamples(deps.db, m.id, new Date(deps.now().getTime() - 3600_000));
  return {
    mirror: toMirrorDto(m, vols),
    operations: ops.map((o, i) => ({
      id: o.id,
      kind: o.kind,
      status: o.status,
      actor: o.actor,
      error: o.error,
      createdAt: o.createdAt.toISOString(),
      finishedAt: o.finishedAt?.toISOString() ?? null,
      steps: steps[i]!.map((s) => ({
        name: s.name,
        title: s.title,
        status: s.status,
        startedAt: s.startedAt?.toISOString() ?? null,
        finishedAt: s.finishedAt?.toISOString() ?? null,
        bytesDone: Number(s.bytesDone),
        bytesTotal: s.bytesTotal === null ? null : Number(s.bytesTotal),
        error: s.error,
        output: s.output ? (JSON.parse(s.output) as unknown) : null,
      })),
    })),
    events: events.map((e) => ({ id: e.id, at: e.at.toISOString(), kind: e.kind, actor: e.actor, message: e.message, data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null })),
    samples: samples.map((s) => ({ at: s.at.toISOString(), rateBytesPerSec: s.rateBytesPerSec, lagBytes: Number(s.lagBytes) })),
  };
}

/** Counts by health, mirrors needing attention, aggregate throughput. */
export async function dashboard(deps: Pick<Deps, "db">) {
  const mirrors = await listMirrors(deps);
  const hosts = await deps.db.host.findMany({ select: { name: true, status: true } });
  const counts = { ok: 0, warning: 0, critical: 0 };
  for (const m of mirrors) counts[m.health.level]++;
  return {
    counts,
    total: mirrors.length,
    attention: mirrors.filter((m) => m.health.level !== "ok").map((m) => ({ name: m.name, state: m.state, health: m.health })),
    throughputBytesPerSec: mirrors.reduce((s, m) => s + m.rateBytesPerSec, 0),
    lagBytes: mirrors.reduce((s, m) => s + m.lagBytes, 0),
    hosts: { online: hosts.filter((h) => h.status === "online").length, total: hosts.length },
  };
}
