// Automatic failover, for the mirrors that opted in: each tick, a mirror whose source host the
// console sees offline has its target host probe the source (agent and NBD server). When both
// have lost the source for the mirror's configured time, a failover is requested as an
// automatic (not manual) operation; the failover's own checks and fencing then apply as for a
// person's request. Runs in every worker process; the mirror's operation lock lets one win.
import { appendEvent } from "@/server/db/event-store";
import { listMirrors } from "@/server/db/mirror-store";
import { findActiveByLock } from "@/server/db/operation-store";
import { findVolumeWithHost } from "@/server/db/storage-store";
import { AUTO_FAILOVER_STATES, quorumDecision, targetLostSource } from "@/server/domain/mirror/auto-failover";
import { TandemError } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";
import { failoverMirror } from "@/server/services/mirrors/move-mirror";
import { mirrorLock } from "@/server/services/mirrors/mirror-locks";
import { nbdAddress } from "@/server/workflows/definitions/mirror-context";

export const AUTO_FAILOVER_ACTOR = "system:auto-failover";

/** Per mirror, for one outage of its source: the target's clock and what was already said. */
type Outage = { targetLostSince: number | null; said: Set<string> };

export function startAutoFailover(deps: Deps, opts: { intervalMs?: number } = {}) {
  const intervalMs = opts.intervalMs ?? 1000;
  const outages = new Map<string, Outage>();
  let stopped = false;
  let ticking = false;

  /** One event per kind and outage: the mirror's history tells the story without repeating it. */
  async function say(mirror: { id: string; name: string }, o: Outage, key: string, message: string) {
    if (o.said.has(key)) return;
    o.said.add(key);
    await appendEvent(deps.db, { kind: `mirror.auto_failover.${key}`, subjectType: "mirror", subjectId: mirror.id, actor: AUTO_FAILOVER_ACTOR, message: `${mirror.name}: ${message}` });
    deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
  }

  async function tick() {
    if (stopped || ticking) return;
    ticking = true;
    try {
      const mirrors = (await listMirrors(deps.db)).filter((m) => m.autoFailoverAfterSeconds !== null);
      const seen = new Set<string>();
      for (const m of mirrors) {
        if (!(AUTO_FAILOVER_STATES as readonly string[]).includes(m.state)) continue;
        // Every tick, for every opted-in mirror: the target is read only while the source is lost.
        const src = await findVolumeWithHost(deps.db, m.sourceVolumeId);
        if (!src || src.host.status !== "offline") continue;
        const tgt = await findVolumeWithHost(deps.db, m.targetVolumeId);
        if (!tgt) continue;
        seen.add(m.id);
        let o = outages.get(m.id);
        if (!o) outages.set(m.id, (o = { targetLostSince: null, said: new Set() }));
        if (tgt.host.status !== "online") {
          o.targetLostSince = null;
          await say(m, o, "held", `source host ${src.host.name} and target host ${tgt.host.name} are both unreachable: no automatic failover`);
          continue;
        }
        if (await findActiveByLock(deps.db, mirrorLock(m.id))) continue;

        let nbd: { host: string; port: number } | undefined;
        try {
          nbd = nbdAddress(src.host);
        } catch {
          nbd = undefined; // never seen online: only the agent can be probed
        }
        const probe = await deps
          .storageFor(tgt.host)
          .probePeer(nbd ? { nbd } : {})
          .catch(() => null);
        if (!probe) {
          o.targetLostSince = null;
          continue;
        }
        const lost = targetLostSource({ agentReachable: probe.peer?.agent.reachable ?? null, nbdReachable: probe.nbd?.reachable ?? null });
        const now = Date.now();
        if (!lost.lost) {
          o.targetLostSince = null;
          await say(m, o, "held", `the console lost source host ${src.host.name}, but ${lost.why}: no automatic failover (split-brain guard)`);
          continue;
        }
        o.targetLostSince ??= now;
        const decision = quorumDecision({ afterSeconds: m.autoFailoverAfterSeconds!, now, consoleLostSince: src.host.statusChangedAt.getTime(), targetLostSince: o.targetLostSince });
        if (decision.kind === "wait") {
          await say(m, o, "armed", `the console and target host ${tgt.host.name} both lost source host ${src.host.name}: automatic failover in ${decision.inSeconds} s unless it returns`);
          continue;
        }
        if (decision.kind !== "fail_over") continue;
        const reason = `automatic failover: source host ${src.host.name} unreachable from the console and from ${tgt.host.name} for ${m.autoFailoverAfterSeconds} s`;
        try {
          const { operationId } = await failoverMirror(deps, { username: AUTO_FAILOVER_ACTOR }, { name: m.name, reason, force: false }, { manual: false });
          await say(m, o, "started", `${reason}; operation ${operationId}`);
          console.log(`[auto-failover] ${m.name}: ${reason} (operation ${operationId})`);
        } catch (e) {
          // Another worker may have won the race (busy), or a check refused: say it once.
          if (!(e instanceof TandemError && e.code === "CONFLICT")) await say(m, o, "refused", `automatic failover was refused: ${(e as Error).message}`);
        }
      }
      // The source came back (or the mirror left an eligible state): the next outage starts afresh.
      for (const id of [...outages.keys()]) if (!seen.has(id)) outages.delete(id);
    } catch (err) {
      console.error("[auto-failover]", (err as Error).message);
    } finally {
      ticking = false;
    }
  }

  const timer = setInterval(() => void tick(), intervalMs);
  return {
    tick,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
