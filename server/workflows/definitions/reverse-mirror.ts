// Planned reversal (DESIGN §4): the source's LU goes Standby, the job drains and ends without a
// pivot, the old target starts a mirror back with nothing to copy, and its LU goes Active. The
// mirror keeps its name and id; the LU keeps its GUID; the epoch goes up. Any failure before the
// new source is Active puts the original direction back.
import { z } from "zod";
import { findMirror, updateMirror } from "@/server/db/mirror-store";
import { swapDirection } from "@/server/db/mirror-direction";
import { listSteps } from "@/server/db/operation-store";
import { appendEvent } from "@/server/db/event-store";
import { preconditionFailed, TandemError } from "@/server/domain/errors";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import { compareSettled } from "@/server/services/mirrors/verify-mirror";
import type { Deps } from "@/server/services/deps";
import type { OperationDefinition, StepContext } from "../types";
import { ignoreNotFound } from "./host-of";
import { loadEnds, mirrorContext, nbdAddress, type MirrorContext } from "./mirror-context";
import { moveState } from "./mirror-ops";

const input = z.object({ mirrorId: z.string(), verify: z.boolean().default(true) });
type Input = z.infer<typeof input>;

type Plan = { sourceVolumeId: string; targetVolumeId: string; epoch: number; guid: string | null };

/** The original direction, as preflight saw it: later steps work from this, not from the row. */
function planOf(ctx: StepContext<Input>) {
  return ctx.outputs.preflight as Plan;
}

async function ends(deps: Pick<Deps, "db">, plan: Plan, mirrorId: string) {
  const mirror = await findMirror(deps.db, mirrorId);
  if (!mirror) throw new TandemError("NOT_FOUND", `mirror ${mirrorId} no longer exists`, { retryable: false });
  return { mirror, ...(await loadEnds(deps, plan.sourceVolumeId, plan.targetVolumeId)) };
}

const fail = preconditionFailed;

export const reverseMirrorOp: OperationDefinition<Input> = {
  kind: "mirror.reverse",
  parseInput: (raw) => input.parse(raw),
  steps: () => [
    {
      name: "preflight",
      title: "Preflight: both hosts up, in sync, epochs agree",
      async run({ deps, input }) {
        const { mirror, source, target }: MirrorContext = await mirrorContext(deps, input.mirrorId);
        for (const h of [source.host, target.host]) if (h.status !== "online") throw fail(`host ${h.name} is ${h.status}`);
        // "reversing" here can only be this operation's own earlier attempt (one operation per mirror).
        if (mirror.state !== "in_sync" && mirror.state !== "reversing") throw fail(`mirror ${mirror.name} is ${mirror.state}, not in sync`);
        const [srcRepl, tgtRepl] = await Promise.all([deps.storageFor(source.host).mirror(mirror.name), deps.storageFor(target.host).replicationExports()]);
        const exp = tgtRepl.find((e) => e.mirror === mirror.name);
        if (srcRepl.epoch !== mirror.epoch || !exp || exp.epoch !== mirror.epoch) throw fail(`epochs disagree: console ${mirror.epoch}, ${source.host.name} ${srcRepl.epoch}, ${target.host.name} ${exp?.epoch ?? "none"}`);
        await moveState(deps, mirror.id, "reversing", "planned reversal");
        return { sourceVolumeId: source.id, targetVolumeId: target.id, epoch: mirror.epoch, guid: source.lu?.guid ?? null } satisfies Plan;
      },
    },
    {
      name: "source-standby",
      title: "Source LU to Standby (client export removed)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { a } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        if (!plan.guid) return { at: new Date().toISOString() };
        const l = await ctx.deps.storageFor(a.host).standby(plan.guid);
        // Browsers see the ALUA move as it happens, not only at the end.
        await syncHostStorage(ctx.deps, a.host).catch(() => null);
        return { at: new Date().toISOString(), state: l.state };
      },
    },
    {
      name: "drain",
      title: "Drain: the target gets the last writes",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror, a } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        const deadline = Date.now() + 60_000;
        for (;;) {
          const job = await ignoreNotFound(() => ctx.deps.storageFor(a.host).mirror(mirror.name));
          if (!job) return { alreadyStopped: true }; // an earlier attempt stopped it after draining
          await ctx.progress(job.offset, job.len);
          if (job.phase === "ready" && job.offset >= job.len) return { offset: job.offset };
          if (job.phase === "link_down" || job.phase === "error") throw fail(`cannot drain: the job is ${job.phase}${job.error ? ` (${job.error})` : ""}`);
          if (Date.now() > deadline) throw fail("the job did not drain within 60 s");
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    },
    {
      name: "stop-job",
      title: "End the job without pivot (drained, flushed)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror, a } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        const r = (await ignoreNotFound(() => ctx.deps.storageFor(a.host).stopMirror(mirror.name))) as { drained?: boolean; detail?: string } | null;
        if (r && r.drained === false) throw fail(`the job ended without draining: ${r.detail ?? "unknown"}`);
        return { drained: r?.drained ?? true };
      },
    },
    {
      name: "swap-exports",
      title: "Replication export moves to the old source",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror, a, b } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        const epoch = plan.epoch + 1;
        await ctx.deps.storageFor(b.host).deleteReplicationExport(mirror.name, epoch);
        const exp = (await ctx.deps.storageFor(a.host).replicationExports()).find((e) => e.mirror === mirror.name) ?? (await ctx.deps.storageFor(a.host).createReplicationExport({ volume: a.name, mirror: mirror.name, epoch }));
        return { exportName: exp.exportName, epoch };
      },
    },
    {
      name: "start-reverse-job",
      title: "Mirror from the old target, nothing re-copied",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror, a, b } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        const { exportName, epoch } = ctx.outputs["swap-exports"] as { exportName: string; epoch: number };
        const agent = ctx.deps.storageFor(b.host);
        const job =
          (await ignoreNotFound(() => agent.mirror(mirror.name))) ??
          (await agent.startMirror({ name: mirror.name, volume: b.name, target: { ...nbdAddress(a.host), exportName }, mode: mirror.mode as "sync" | "async", sync: "none", speedLimitBytesPerSec: Number(mirror.speedLimitBytesPerSec), epoch }));
        return { phase: job.phase, bytesCopied: job.bytesCopied };
      },
    },
    {
      name: "target-active",
      title: "Old target's LU to Active",
      async run(ctx) {
        const plan = planOf(ctx);
        const { b } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        if (!plan.guid) return { at: new Date().toISOString() };
        const l = await ctx.deps.storageFor(b.host).importLu(plan.guid, false);
        await syncHostStorage(ctx.deps, b.host).catch(() => null);
        const standbyAt = Date.parse((ctx.outputs["source-standby"] as { at: string }).at);
        return { at: new Date().toISOString(), state: l.state, uri: l.uri, outageMs: Date.now() - standbyAt };
      },
    },
    {
      name: "commit",
      title: "Record the new direction (epoch + 1)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror, a, b } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        await swapDirection(ctx.deps.db, mirror.id, plan.sourceVolumeId, plan.epoch + 1);
        await moveState(ctx.deps, mirror.id, "in_sync", null);
        await Promise.all([syncHostStorage(ctx.deps, a.host), syncHostStorage(ctx.deps, b.host)]).catch(() => {});
        const outage = (ctx.outputs["target-active"] as { outageMs?: number }).outageMs ?? null;
        await appendEvent(ctx.deps.db, {
          kind: "mirror.reversed",
          subjectType: "mirror",
          subjectId: mirror.id,
          actor: ctx.op.actor,
          message: `${mirror.name} reversed: data now flows FROM ${b.host.name}/${b.name} TO ${a.host.name}/${a.name} (epoch ${plan.epoch + 1}${outage !== null ? `, client outage ${outage} ms` : ""})`,
          data: { epoch: plan.epoch + 1, outageMs: outage },
        });
        ctx.deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
        return { from: `${b.host.name}/${b.name}`, to: `${a.host.name}/${a.name}`, epoch: plan.epoch + 1, outageMs: outage, bytesRecopied: (ctx.outputs["start-reverse-job"] as { bytesCopied: number }).bytesCopied };
      },
    },
    {
      name: "verify",
      title: "Verify both sides are equal",
      async run(ctx) {
        const summary = ctx.outputs.commit as Record<string, unknown>;
        if (!ctx.input.verify) return { ...summary, verification: "skipped" };
        const plan = planOf(ctx);
        const { a, b } = await ends(ctx.deps, plan, ctx.input.mirrorId);
        const r = await compareSettled(ctx.deps, { host: b.host, volume: b.name }, { host: a.host, volume: a.name }, 4 * 2 ** 20);
        // Writes may arrive while we read; in sync mode both sides see them, so differences mean trouble.
        if (!r.equal) throw new TandemError("CONFLICT", `after the reversal the sides differ in ${r.differingRanges.length} range(s) (${r.differingBytes} bytes)`, { retryable: false });
        return { ...summary, verification: { equal: true, chunks: r.chunks, seconds: r.seconds } };
      },
    },
  ],
  async onFailure(deps, op, input, message) {
    const steps = await listSteps(deps.db, op.id);
    const done = new Set(steps.filter((s) => s.status === "succeeded").map((s) => s.name));
    const pre = steps.find((s) => s.name === "preflight");
    if (!done.has("preflight") || !pre?.output) return; // nothing was touched
    if (done.has("target-active")) {
      // Past the point of no return: the new direction serves clients; say what is left.
      await appendEvent(deps.db, { kind: "mirror.reverse.incomplete", subjectType: "mirror", subjectId: input.mirrorId, actor: "system:worker", message: `reversal finished on the hosts but not in the console: ${message}` });
      return;
    }
    const plan = JSON.parse(pre.output) as Plan;
    const { mirror, a, b } = await ends(deps, plan, input.mirrorId);
    const epoch = plan.epoch + 1;
    const log: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
        log.push(`${what}: ok`);
      } catch (e) {
        log.push(`${what}: ${(e as Error).message}`);
      }
    };
    // Back to the original direction, with the raised epoch (epochs only go up).
    await attempt("stop reverse job", () => ignoreNotFound(() => deps.storageFor(b.host).stopMirror(mirror.name)));
    await attempt("drop export on old source", () => ignoreNotFound(() => deps.storageFor(a.host).deleteReplicationExport(mirror.name, epoch)));
    let exportName = "";
    await attempt("export on target", async () => {
      const exp = (await deps.storageFor(b.host).replicationExports()).find((e) => e.mirror === mirror.name) ?? (await deps.storageFor(b.host).createReplicationExport({ volume: b.name, mirror: mirror.name, epoch }));
      exportName = exp.exportName;
    });
    await attempt("restart original job", async () => {
      if ((await ignoreNotFound(() => deps.storageFor(a.host).mirror(mirror.name))) || !exportName) return;
      await deps.storageFor(a.host).startMirror({ name: mirror.name, volume: a.name, target: { ...nbdAddress(b.host), exportName }, mode: mirror.mode as "sync" | "async", sync: "none", speedLimitBytesPerSec: Number(mirror.speedLimitBytesPerSec), epoch });
    });
    if (plan.guid) await attempt("source LU Active again", () => deps.storageFor(a.host).importLu(plan.guid!, false));
    const ok = log.every((l) => l.endsWith(": ok"));
    await updateMirror(deps.db, mirror.id, { epoch });
    await moveState(deps, mirror.id, ok ? "in_sync" : "error", ok ? null : `reversal rolled back incompletely: ${log.filter((l) => !l.endsWith(": ok")).join("; ")}`);
    await appendEvent(deps.db, {
      kind: "mirror.reverse.rolled_back",
      subjectType: "mirror",
      subjectId: mirror.id,
      actor: "system:worker",
      message: `reversal of ${mirror.name} failed (${message}); original direction ${ok ? "restored" : "NOT fully restored"}: ${log.join("; ")}`,
    });
  },
};
