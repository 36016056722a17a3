// A failover whose old source did not answer leaves that host as it was: LU Active, mirror job
// waiting for its target, serving any client that still reaches it. Its agent holds it once it
// reaches its peer again (and at a QSD start), but not when only the console reaches it. So while
// a mirror is failed over, its old source host must hold the fence: as soon as the console
// reaches that host (at once when the host comes back online, and on a slow sweep), this worker
// reads the host's own state and, when the fence is missing, an LU is still serving or the job
// still runs, fences it with the mirror's current epoch. Idempotent; runs in every worker
// process, and the agent's fence is idempotent too.
import { appendEvent } from "@/server/db/event-store";
import { listMirrors } from "@/server/db/mirror-store";
import { findActiveByLock } from "@/server/db/operation-store";
import { findVolumeWithHost } from "@/server/db/storage-store";
import type { Deps } from "@/server/services/deps";
import { mirrorLock } from "@/server/services/mirrors/mirror-locks";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";

const ACTOR = "system:fence";

type FailedOverMirror = { id: string; name: string; epoch: number; sourceVolumeId: string };
type OldSource = NonNullable<Awaited<ReturnType<typeof findVolumeWithHost>>>;

/**
 * What still lets the old source take writes or push replication: empty when it is fenced,
 * null when a failback has made it the mirror's target (then it is not this worker's to touch).
 */
async function unfencedBy(deps: Pick<Deps, "storageFor">, m: FailedOverMirror, src: OldSource): Promise<string[] | null> {
  const agent = deps.storageFor(src.host);
  const [rep, lus] = await Promise.all([agent.replication(), agent.lus()]);
  if (rep.exports.some((e) => e.mirror === m.name)) return null;
  const gaps: string[] = [];
  if (!rep.fences.some((f) => f.mirror === m.name && f.volume === src.name && f.epoch >= m.epoch)) gaps.push(`no fence at epoch ${m.epoch}`);
  const serving = lus.find((l) => l.volume === src.name && l.state !== "standby");
  if (serving) gaps.push(`LU ${serving.guid} ${serving.state}`);
  if (rep.mirrors.some((j) => j.name === m.name)) gaps.push("mirror job still there");
  return gaps;
}

export function startReturnedSourceFencer(deps: Deps, opts: { sweepMs?: number } = {}) {
  const inFlight = new Set<string>();
  let stopped = false;

  async function check(m: FailedOverMirror, onlyHostId?: string) {
    if (inFlight.has(m.id)) return;
    inFlight.add(m.id);
    try {
      const src = await findVolumeWithHost(deps.db, m.sourceVolumeId);
      if (!src || src.host.status !== "online" || (onlyHostId && src.hostId !== onlyHostId)) return;
      // A failback (or anything else) on the mirror decides for itself what the old source does.
      if (await findActiveByLock(deps.db, mirrorLock(m.id))) return;
      const gaps = await unfencedBy(deps, m, src);
      if (!gaps?.length) return;
      const started = Date.now();
      const r = await deps.storageFor(src.host).fenceMirror(m.name, { epoch: m.epoch, volume: src.name });
      const did = [r.luStandby ? `LU ${r.luStandby} to Standby` : null, r.stopped ? `mirror job stopped (${r.stopped.detail})` : null].filter(Boolean).join(", ");
      console.log(`[fence] ${m.name}: fenced old source ${src.host.name}/${src.name} in ${Date.now() - started} ms (${gaps.join("; ")})`);
      await appendEvent(deps.db, {
        kind: "mirror.old_source_fenced",
        subjectType: "mirror",
        subjectId: m.id,
        actor: ACTOR,
        message: `${m.name}: old source ${src.host.name}/${src.name} is reachable again and was not fenced (${gaps.join("; ")}); fenced at epoch ${m.epoch}${did ? `: ${did}` : ""}`,
        data: { host: src.host.name, volume: src.name, epoch: m.epoch, gaps },
      });
      deps.bus.publish({ type: "mirror.changed", mirrorId: m.id });
      await syncHostStorage(deps, src.host).catch(() => null);
    } catch (err) {
      // Unreachable again, or the agent refused: the next sweep or the next "online" tries again.
      console.error(`[fence] ${m.name}:`, (err as Error).message);
    } finally {
      inFlight.delete(m.id);
    }
  }

  async function sweep(onlyHostId?: string) {
    if (stopped) return;
    const mirrors = (await listMirrors(deps.db)).filter((m) => m.state === "failed_over");
    await Promise.all(mirrors.map((m) => check(m, onlyHostId)));
  }

  // The monitor's "online" is the moment to act: a returning host is fenced before anything else.
  const unsubscribe = deps.bus.subscribe((e) => {
    if (e.type === "host.status" && e.status === "online") void sweep(e.hostId).catch(() => {});
  });
  const timer = setInterval(() => void sweep().catch(() => {}), opts.sweepMs ?? 5_000);
  void sweep().catch(() => {});

  return {
    sweep,
    stop() {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
    },
  };
}
