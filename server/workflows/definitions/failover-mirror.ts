// Failover (DESIGN §4): fence first — the target stops accepting replication writes, and the old
// source is demoted and remembers the fence if it answers — then promote the target with an
// overlay (every write after promotion is known exactly) and make its LU Active. Epoch + 1.
import { z } from "zod";
import { updateMirror } from "@/server/db/mirror-store";
import { appendEvent } from "@/server/db/event-store";
import { preconditionFailed, TandemError } from "@/server/domain/errors";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import type { Deps } from "@/server/services/deps";
import type { OperationDefinition, StepContext } from "../types";
import { loadEnds, mirrorContext } from "./mirror-context";
import { moveState } from "./mirror-ops";

const input = z.object({ mirrorId: z.string(), force: z.boolean().default(false) });
type Input = z.infer<typeof input>;
type Plan = { sourceVolumeId: string; targetVolumeId: string; epoch: number; guid: string | null };

const ends = (deps: Pick<Deps, "db">, plan: Plan) => loadEnds(deps, plan.sourceVolumeId, plan.targetVolumeId);
const planOf = (ctx: StepContext<Input>) => ctx.outputs.preflight as Plan;
const fail = preconditionFailed;
/** How long the demote step waits for an old source the console already sees offline. */
const OFFLINE_DEMOTE_TIMEOUT_MS = 3_000;

export const failoverMirrorOp: OperationDefinition<Input> = {
  kind: "mirror.failover",
  parseInput: (raw) => input.parse(raw),
  steps: () => [
    {
      name: "preflight",
      title: "Preflight: the target answers",
      async run({ deps, input }) {
        const { mirror, source, target } = await mirrorContext(deps, input.mirrorId);
        if (mirror.state === "failed_over") throw fail(`mirror ${mirror.name} is already failed over`);
        if (!["in_sync", "lagging", "paused", "broken"].includes(mirror.state)) throw fail(`mirror ${mirror.name} is ${mirror.state}: the target is not a complete copy`);
        if (target.host.status !== "online") throw fail(`target host ${target.host.name} is ${target.host.status}`);
        if (source.host.status === "online" && !input.force) throw fail(`source host ${source.host.name} is online: a failover now must be forced (--force)`);
        return { sourceVolumeId: source.id, targetVolumeId: target.id, epoch: mirror.epoch, guid: source.lu?.guid ?? target.lu?.guid ?? null } satisfies Plan;
      },
    },
    {
      name: "fence-target",
      title: "Fence: the target refuses replication writes (epoch + 1)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { b } = await ends(ctx.deps, plan);
        await ctx.deps.storageFor(b.host).deleteReplicationExport(mirror.name, plan.epoch + 1);
        return { epoch: plan.epoch + 1 };
      },
    },
    {
      name: "demote-source",
      title: "Demote the old source if it answers",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a } = await ends(ctx.deps, plan);
        try {
          // A host the monitor already lost gets a short try: a silent network would otherwise
          // hold the promotion back for the whole request timeout.
          const timeoutMs = a.host.status === "offline" ? OFFLINE_DEMOTE_TIMEOUT_MS : undefined;
          const r = await ctx.deps.storageFor(a.host).fenceMirror(mirror.name, { epoch: plan.epoch + 1, volume: a.name }, timeoutMs);
          return { reachable: true, luStandby: r.luStandby, stopped: r.stopped?.drained ?? null };
        } catch (e) {
          if (e instanceof TandemError && e.code === "UNAVAILABLE") return { reachable: false, note: `${a.host.name} unreachable: it is fenced as soon as the console reaches it again` };
          throw e;
        }
      },
    },
    {
      name: "promote",
      title: "Promote the target: overlay on the volume",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { b } = await ends(ctx.deps, plan);
        const v = await ctx.deps.storageFor(b.host).promoteVolume(b.name, { mirror: mirror.name, epoch: plan.epoch + 1 });
        return { volume: v.name };
      },
    },
    {
      name: "target-active",
      title: "Target LU to Active",
      async run(ctx) {
        const plan = planOf(ctx);
        const { b } = await ends(ctx.deps, plan);
        if (!plan.guid) return { lu: null };
        const l = await ctx.deps.storageFor(b.host).importLu(plan.guid, true, plan.epoch + 1);
        return { lu: l.guid, state: l.state, uri: l.uri, at: new Date().toISOString() };
      },
    },
    {
      name: "commit",
      title: "Record: failed over, epoch + 1",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a, b } = await ends(ctx.deps, plan);
        await updateMirror(ctx.deps.db, mirror.id, { epoch: plan.epoch + 1 });
        await moveState(ctx.deps, mirror.id, "failed_over", `${b.host.name}/${b.name} serves clients since ${new Date().toISOString()}`, ctx.op.actor);
        const demote = ctx.outputs["demote-source"] as { reachable: boolean };
        // An old source that did not answer the demote is left to the reconciler: waiting for it
        // here would hold the failover's end back by a connection timeout.
        const synced = demote.reachable ? [b.host, a.host] : [b.host];
        await Promise.all(synced.map((h) => syncHostStorage(ctx.deps, h).catch(() => null)));
        await appendEvent(ctx.deps.db, {
          kind: "mirror.failed_over",
          subjectType: "mirror",
          subjectId: mirror.id,
          actor: ctx.op.actor,
          message: `${mirror.name} failed over to ${b.host.name}/${b.name} (epoch ${plan.epoch + 1})${ctx.op.reason ? `: ${ctx.op.reason}` : ""}${demote.reachable ? "" : `; ${a.host.name} was unreachable and is fenced as soon as the console reaches it again`}`,
        });
        ctx.deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
        const act = ctx.outputs["target-active"] as { uri?: string | null };
        return { servedBy: `${b.host.name}/${b.name}`, uri: act.uri ?? null, epoch: plan.epoch + 1, oldSourceReachable: demote.reachable };
      },
    },
  ],
};
