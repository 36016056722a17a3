// The wizard's plan for a planned reversal, a failover or a failback: preflight checks with a
// reason each, the direction in words, every step, what will be copied, the expected client
// outage and what (if anything) will be discarded. Nothing is changed by planning.
import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { findActiveByLock } from "@/server/db/operation-store";
import { findMirrorByName } from "@/server/db/mirror-store";
import { notFound } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";
import { mirrorLock } from "./mirror-locks";
import { divergence } from "@/server/workflows/definitions/failback-mirror";

export const planInput = z.object({ name: resourceName, kind: z.enum(["reverse", "failover", "failback"]) });

export type Check = { name: string; ok: boolean; reason: string };
export type Plan = {
  mirror: string;
  kind: "reverse" | "failover" | "failback";
  checks: Check[];
  ready: boolean;
  direction: { from: string; to: string; sentence: string };
  steps: string[];
  bytesToCopy: number;
  expectedOutage: string;
  discards: string;
  safetySnapshot: { offered: boolean; reason: string };
  reasonRequired: boolean;
};

export async function planMirrorMove(deps: Pick<Deps, "db" | "storageFor">, input: z.infer<typeof planInput>): Promise<Plan> {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  const [src, tgt] = await Promise.all([m.sourceVolumeId, m.targetVolumeId].map((id) => deps.db.volume.findUniqueOrThrow({ where: { id }, include: { host: true, lu: true } })));
  const S = `${src!.host.name}/${src!.name}`;
  const T = `${tgt!.host.name}/${tgt!.name}`;
  const busy = await findActiveByLock(deps.db, mirrorLock(m.id));
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, reason: string) => checks.push({ name, ok, reason });
  check("nothing else running", !busy, busy ? `operation ${busy.kind} (${busy.id}) is running on this mirror` : "no other operation on this mirror");

  if (input.kind === "reverse") {
    check(`${src!.host.name} online`, src!.host.status === "online", `${src!.host.name} is ${src!.host.status}`);
    check(`${tgt!.host.name} online`, tgt!.host.status === "online", `${tgt!.host.name} is ${tgt!.host.status}`);
    check("in sync", m.state === "in_sync", `the mirror is ${m.state}${m.lagBytes > 0n ? ` with ${m.lagBytes} bytes of lag` : ""}`);
    const epochs = await Promise.all([
      deps.storageFor(src!.host).mirror(m.name).then((j) => j.epoch).catch(() => null),
      deps.storageFor(tgt!.host).replicationExports().then((l) => l.find((e) => e.mirror === m.name)?.epoch ?? null).catch(() => null),
    ]);
    const agree = epochs.every((e) => e === m.epoch);
    check("epochs agree", agree, agree ? `console and both hosts at epoch ${m.epoch}` : `console ${m.epoch}, ${src!.host.name} ${epochs[0] ?? "?"}, ${tgt!.host.name} ${epochs[1] ?? "?"}`);
    return {
      mirror: m.name,
      kind: "reverse",
      checks,
      ready: checks.every((c) => c.ok),
      direction: { from: T, to: S, sentence: `data will flow FROM ${T} TO ${S}` },
      steps: [
        `${S}: LU to Transition to Standby (3), client export removed, then Standby (2)`,
        `drain: wait until ${T} has every write`,
        `${src!.host.name}: end the mirror job without pivot (flushed)`,
        `replication export moves from ${T} to ${S}`,
        `${tgt!.host.name}: mirror ${T} → ${S} with nothing to copy (sync none)`,
        `${T}: LU to Transition to Active (1), then Active (0), clients connect to ${tgt!.host.name}`,
        `epoch ${m.epoch} → ${m.epoch + 1}; verify both sides`,
      ],
      bytesToCopy: Number(m.lagBytes),
      expectedOutage: "under 1 second: clients reconnect to the new URI",
      discards: "nothing: the sides are equal before the switch",
      safetySnapshot: { offered: false, reason: "nothing is overwritten by a planned reversal" },
      reasonRequired: false,
    };
  }

  if (input.kind === "failover") {
    check(`${tgt!.host.name} online`, tgt!.host.status === "online", `${tgt!.host.name} is ${tgt!.host.status}: the target must answer to be promoted`);
    check("target is a complete copy", ["in_sync", "lagging", "broken", "paused"].includes(m.state), m.state === "syncing" ? "the initial copy has not finished: the target is incomplete" : `the mirror is ${m.state}`);
    const srcUp = src!.host.status === "online";
    check(`${src!.host.name} lost, or forced`, true, srcUp ? `${src!.host.name} is online: this failover is forced, its LU will be demoted` : `${src!.host.name} is ${src!.host.status}`);
    return {
      mirror: m.name,
      kind: "failover",
      checks,
      ready: checks.every((c) => c.ok),
      direction: { from: T, to: S, sentence: `${T} will serve clients; nothing flows until failback` },
      steps: [
        `fence: ${tgt!.host.name} stops accepting replication writes (epoch ${m.epoch + 1})`,
        srcUp ? `${S}: LU demoted to Standby, job stopped` : `${S}: unreachable, will be held in Standby when it returns`,
        `${T}: overlay put on the volume so every write after promotion is known`,
        `${T}: LU to Active (0)`,
        `mirror state failed_over, epoch ${m.epoch + 1}`,
      ],
      bytesToCopy: 0,
      expectedOutage: "until clients reconnect to the target's URI",
      discards: m.mode === "async" ? `writes the source took that had not reached the target (lag at last sample: ${m.lagBytes} bytes); they stay on ${S} and are shown before failback` : "none acknowledged in sync mode; unflushed data on a crashed source is found by failback's compare",
      safetySnapshot: { offered: false, reason: "failover overwrites nothing" },
      reasonRequired: true,
    };
  }

  check("failed over", m.state === "failed_over", `the mirror is ${m.state}`);
  check(`${src!.host.name} back`, src!.host.status === "online", `${src!.host.name} is ${src!.host.status}`);
  check(`${tgt!.host.name} online`, tgt!.host.status === "online", `${tgt!.host.name} is ${tgt!.host.status}`);
  // Measured now, before anything is overwritten: data on the old source that never reached the
  // promoted side (read-only: checksums of each side on its own host).
  let divergentBytes = -1;
  let postPromotion = 0;
  if (checks.every((c) => c.ok)) {
    const d = await divergence(deps, src!, tgt!).catch(() => null);
    if (d) divergentBytes = d.bytes;
    postPromotion = await deps.storageFor(tgt!.host).volume(tgt!.name).then((v) => (v as { promotion?: { overlay: { allocatedBytes: number } } | null }).promotion?.overlay.allocatedBytes ?? 0).catch(() => 0);
    check("compare", d !== null, d ? `${d.bytes} bytes in ${d.ranges.length} range(s) of ${S} never reached ${T}` : "the comparison failed");
  }
  return {
    mirror: m.name,
    kind: "failback",
    checks,
    ready: checks.every((c) => c.ok),
    direction: { from: T, to: S, sentence: `data will flow FROM ${T} TO ${S}` },
    steps: [
      `${S}: held in Standby; replication export for ${tgt!.host.name}`,
      `compare ${S} with ${T} as it was at promotion, chunk by chunk`,
      `(optional) safety snapshot of ${S}`,
      `copy only the differing chunks to ${S}`,
      `${tgt!.host.name}: mirror every write since promotion to ${S} (sync top)`,
      `${tgt!.host.name}: merge the promotion overlay into the volume (a short client pause)`,
      "(optional) planned reversal back to the original direction",
    ],
    bytesToCopy: divergentBytes < 0 ? -1 : divergentBytes + postPromotion,
    expectedOutage: "none for the failback itself; merging the overlay and a planned reversal back each cut clients off for under a second",
    discards: divergentBytes < 0 ? `writes on ${S} that never reached ${T} (not measured yet)` : divergentBytes === 0 ? `nothing: ${S} holds no data that ${T} lacks` : `${divergentBytes} bytes written on ${S} that never reached ${T} will be replaced`,
    safetySnapshot: { offered: true, reason: `keeps ${S} as it is now, before its divergent data is overwritten` },
    reasonRequired: false,
  };
}
