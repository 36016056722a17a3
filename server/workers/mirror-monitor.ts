// Watches every mirror's job on its source host: agent `mirror.progress` events are forwarded
// to browsers at once as small deltas; a poll each second is the truth for state changes.
// The database gets the numbers at most once a second and a chart sample every 10 s.
import { listMirrors, updateMirror, addSample, pruneSamples } from "@/server/db/mirror-store";
import { appendEvent } from "@/server/db/event-store";
import { mirrorState, type MirrorState } from "@/server/domain/mirror/mirror.machine";
import { converging, ewma, lagSeconds, stateForPhase, type JobPhase } from "@/server/domain/mirror/replication-stats";
import { etaSeconds } from "@/server/services/mirrors/mirror-dto";
import { moveState } from "@/server/workflows/definitions/mirror-ops";
import { mirrorLock } from "@/server/services/mirrors/mirror-locks";
import type { Deps } from "@/server/services/deps";
import type { MirrorJob } from "@tandem/contracts/replication";

type Memory = { rate: number | null; lags: number[]; laggingSamples: number; lastWrite: number; lastSample: number; lastPublish: number; brokenSince: number | null; lastKey: string };

const formatMiB = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
/**
 * A source host that stops answering must not hold every mirror's tick for a whole request
 * timeout; and an answer that comes back late is judged against the state read before it, so a
 * failover that happened meanwhile is never overwritten (moveState's expected state).
 */
const JOBS_TIMEOUT_MS = 5_000;

export function startMirrorMonitor(deps: Deps, opts: { intervalMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 1000;
  const memory = new Map<string, Memory>();
  const byName = new Map<string, { id: string; sourceHostId: string }>();
  let stopped = false;
  let ticking = false;

  const mem = (id: string) => {
    let m = memory.get(id);
    if (!m) memory.set(id, (m = { rate: null, lags: [], laggingSamples: 0, lastWrite: 0, lastSample: 0, lastPublish: 0, brokenSince: null, lastKey: "" }));
    return m;
  };

  function publish(mirrorId: string, job: Pick<MirrorJob, "phase" | "offset" | "len" | "lagBytes" | "rateBytesPerSec">, sampledAt: string, force = false, via: "stream" | "poll" = "poll") {
    const m = mem(mirrorId);
    const now = Date.now();
    if (!force && now - m.lastPublish < 200) return m;
    // An idle, caught-up mirror moves nothing: say 0 at once rather than let the average decay.
    const idle = job.phase === "ready" && job.lagBytes === 0 && job.rateBytesPerSec === 0;
    m.rate = idle ? 0 : ewma(m.rate, job.rateBytesPerSec);
    const key = `${job.phase}/${job.offset}/${job.len}/${job.lagBytes}/${Math.round(m.rate)}`;
    if (key === m.lastKey) return m; // nothing new for browsers
    m.lastKey = key;
    m.lastPublish = now;
    m.lags.push(job.lagBytes);
    if (m.lags.length > 20) m.lags.shift();
    const remaining = job.phase === "ready" ? job.lagBytes : job.len - job.offset;
    deps.bus.publish({
      type: "mirror.progress",
      mirrorId,
      phase: job.phase,
      doneBytes: job.offset,
      totalBytes: job.len,
      lagBytes: job.lagBytes,
      lagSeconds: lagSeconds(job.lagBytes, m.rate),
      rateBytesPerSec: m.rate,
      etaSeconds: etaSeconds(remaining, m.rate),
      converging: converging(m.lags),
      sampledAt,
      via,
    });
    return m;
  }

  /** A hint from an agent's event stream: pass the numbers on now; state waits for the poll. */
  function onProgress(hostId: string, data: Record<string, unknown>) {
    const name = typeof data.name === "string" ? data.name : null;
    const known = name ? byName.get(name) : undefined;
    if (!known || known.sourceHostId !== hostId) return;
    const n = (k: string) => (typeof data[k] === "number" ? (data[k] as number) : 0);
    publish(known.id, { phase: String(data.phase) as JobPhase, offset: n("offset"), len: n("len"), lagBytes: n("lagBytes"), rateBytesPerSec: n("rateBytesPerSec") }, typeof data.at === "string" ? data.at : new Date().toISOString(), false, "stream");
  }

  async function tick() {
    if (stopped || ticking) return;
    ticking = true;
    try {
      const mirrors = await listMirrors(deps.db);
      const vols = await deps.db.volume.findMany({ where: { id: { in: mirrors.flatMap((m) => [m.sourceVolumeId, m.targetVolumeId]) } }, include: { host: true } });
      const vol = new Map(vols.map((v) => [v.id, v]));
      const locks = new Set((await deps.db.operation.findMany({ where: { lockKey: { startsWith: "mirror:" } }, select: { lockKey: true } })).map((o) => o.lockKey));
      byName.clear();
      const jobsByHost = new Map<string, Promise<MirrorJob[] | null>>();
      for (const m of mirrors) {
        const src = vol.get(m.sourceVolumeId);
        const tgt = vol.get(m.targetVolumeId);
        if (!src || !tgt) continue;
        byName.set(m.name, { id: m.id, sourceHostId: src.hostId });
        const state = mirrorState.catch("error").parse(m.state);
        if (state === "failed_over" || state === "uninitialized") continue;
        if (src.host.status === "offline") continue; // the host monitor reports that; nothing to read here
        if (!jobsByHost.has(src.hostId)) jobsByHost.set(src.hostId, deps.storageFor(src.host).mirrors(JOBS_TIMEOUT_MS).catch(() => null));
        const jobs = await jobsByHost.get(src.hostId)!;
        if (!jobs) continue;
        const job = jobs.find((j) => j.name === m.name);
        const busy = locks.has(mirrorLock(m.id));
        if (!job) {
          if (!busy && ["syncing", "in_sync", "lagging", "broken"].includes(state)) await moveState(deps, m.id, "error", `the mirror job is missing on ${src.host.name}`, undefined, state);
          continue;
        }
        const mm = publish(m.id, job, new Date().toISOString(), true);
        mm.laggingSamples = job.phase === "ready" && job.lagBytes > 0 ? mm.laggingSamples + 1 : 0;
        const targetOnline = tgt.host.status !== "offline";
        const next: MirrorState | null = busy ? null : stateForPhase(state, job.phase, job.lagBytes, mm.laggingSamples, targetOnline);
        if (next && next !== state) {
          const reason = next === "broken" ? (targetOnline ? "replication link lost; the source keeps serving" : `target host ${tgt.host.name} is offline`) : null;
          if (await moveState(deps, m.id, next, reason, undefined, state)) {
            if (next === "broken") mm.brokenSince = Date.now();
            if (next === "in_sync" && mm.brokenSince) {
              // What the heal cost: only what changed while the link was down should have moved.
              const copied = job.bytesCopiedSinceResume;
              mm.brokenSince = null;
              await appendEvent(deps.db, {
                kind: "mirror.resynced",
                subjectType: "mirror",
                subjectId: m.id,
                actor: "system:monitor",
                message: `${m.name}: link restored; ${formatMiB(copied)} of changed data copied to catch up`,
                data: { bytesCopied: copied },
              });
            }
          }
        }
        const now = Date.now();
        if (now - mm.lastWrite >= 1000) {
          mm.lastWrite = now;
          const lagS = lagSeconds(job.lagBytes, mm.rate ?? 0);
          await updateMirror(deps.db, m.id, {
            phase: job.phase,
            progressDone: BigInt(job.offset),
            progressTotal: BigInt(job.len),
            lagBytes: BigInt(job.lagBytes),
            lagSeconds: lagS,
            rateBytesPerSec: mm.rate ?? 0,
            converging: converging(mm.lags),
          });
        }
        if (now - mm.lastSample >= 10_000) {
          mm.lastSample = now;
          await addSample(deps.db, { mirrorId: m.id, at: new Date(), rateBytesPerSec: mm.rate ?? 0, lagBytes: BigInt(job.lagBytes) });
        }
      }
    } catch (err) {
      console.error("[mirror-monitor]", (err as Error).message);
    } finally {
      ticking = false;
    }
  }

  const timer = setInterval(() => void tick(), intervalMs);
  const pruneTimer = setInterval(() => void pruneSamples(deps.db, new Date(Date.now() - 86_400_000)).catch(() => {}), 3600_000);
  void tick();
  return {
    onProgress,
    tick,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
    },
  };
}
