// Failback (DESIGN §4): the old source is held in Standby; it is compared with the promoted
// side's frozen base chunk by chunk, only the differing chunks are copied to it (after an
// optional safety snapshot), then every write since promotion follows by a mirror of the
// overlay (sync top). The mirror now runs from the promoted side; the overlay is merged in a
// short maintenance step; a planned reversal back can follow.
import { z } from "zod";
import { swapDirection } from "@/server/db/mirror-direction";
import { appendEvent } from "@/server/db/event-store";
import { submitOperation } from "@/server/services/operations/submit-operation";
import { preconditionFailed, TandemError } from "@/server/domain/errors";
import { differingRanges } from "@/server/domain/mirror/compare-chunks";
import { syncHostStorage } from "@/server/services/storage/sync-host-storage";
import { compareSettled } from "@/server/services/mirrors/verify-mirror";
import { mirrorLock } from "@/server/services/mirrors/mirror-locks";
import type { Deps } from "@/server/services/deps";
import type { OperationDefinition, StepContext } from "../types";
import { ignoreNotFound } from "./host-of";
import { loadEnds, mirrorContext, nbdAddress } from "./mirror-context";
import { moveState } from "./mirror-ops";

const input = z.object({ mirrorId: z.string(), safetySnapshot: z.boolean().default(true), reverse: z.boolean().default(false), verify: z.boolean().default(true) });
type Input = z.infer<typeof input>;
/** a = the old source (held), b = the promoted side. */
type Plan = { aVolumeId: string; bVolumeId: string; epoch: number; guid: string | null };

const CHUNK = 4 * 2 ** 20;
const planOf = (ctx: StepContext<Input>) => ctx.outputs.preflight as Plan;
const fail = preconditionFailed;

const ends = (deps: Pick<Deps, "db">, plan: Plan) => loadEnds(deps, plan.aVolumeId, plan.bVolumeId);

/** The old source's data that never reached the promoted side: A (as it is) vs B's frozen base. */
export async function divergence(deps: Pick<Deps, "storageFor">, a: { host: Parameters<Deps["storageFor"]>[0]; name: string }, b: { host: Parameters<Deps["storageFor"]>[0]; name: string }) {
  const [x, y] = await Promise.all([deps.storageFor(a.host).checksums(a.name, CHUNK), deps.storageFor(b.host).checksums(b.name, CHUNK, "base")]);
  const ranges = differingRanges(x.chunks, y.chunks, CHUNK, Math.max(x.sizeBytes, y.sizeBytes));
  return { ranges, bytes: ranges.reduce((s, r) => s + r.length, 0), chunks: x.chunks.length };
}

export const failbackMirrorOp: OperationDefinition<Input> = {
  kind: "mirror.failback",
  parseInput: (raw) => input.parse(raw),
  steps: (i) => [
    {
      name: "preflight",
      title: "Preflight: failed over, both hosts up",
      async run({ deps, input }) {
        const { mirror, source, target } = await mirrorContext(deps, input.mirrorId);
        if (mirror.state !== "failed_over" && mirror.state !== "resyncing") throw fail(`mirror ${mirror.name} is ${mirror.state}, not failed over`);
        for (const h of [source.host, target.host]) if (h.status !== "online") throw fail(`host ${h.name} is ${h.status}`);
        await moveState(deps, mirror.id, "resyncing", "failback");
        return { aVolumeId: source.id, bVolumeId: target.id, epoch: mirror.epoch, guid: target.lu?.guid ?? source.lu?.guid ?? null } satisfies Plan;
      },
    },
    {
      name: "hold-old-source",
      title: "Old source held in Standby, no job",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a } = await ends(ctx.deps, plan);
        const r = await ctx.deps.storageFor(a.host).fenceMirror(mirror.name, { epoch: plan.epoch, volume: a.name });
        return { luStandby: r.luStandby };
      },
    },
    {
      name: "compare",
      title: "Compare the old source with the promoted side's base",
      async run(ctx) {
        const plan = planOf(ctx);
        const { a, b } = await ends(ctx.deps, plan);
        const d = await divergence(ctx.deps, a, b);
        await ctx.progress(d.chunks * CHUNK, d.chunks * CHUNK);
        return { ranges: d.ranges, divergentBytes: d.bytes };
      },
    },
    ...(i.safetySnapshot
      ? [
          {
            name: "safety-snapshot",
            title: "Safety snapshot of the old source",
            async run(ctx: StepContext<Input>) {
              const plan = planOf(ctx);
              const { a } = await ends(ctx.deps, plan);
              const name = `before-failback-e${plan.epoch}`;
              const agent = ctx.deps.storageFor(a.host);
              if (!(await agent.snapshots(a.name)).some((s) => s.name === name)) await agent.createSnapshot(a.name, name);
              return { snapshot: `${a.host.name}/${a.name}@${name}` };
            },
          },
        ]
      : []),
    {
      name: "export-on-old-source",
      title: "Replication export on the old source",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a } = await ends(ctx.deps, plan);
        const agent = ctx.deps.storageFor(a.host);
        const exp = (await agent.replicationExports()).find((e) => e.mirror === mirror.name) ?? (await agent.createReplicationExport({ volume: a.name, mirror: mirror.name, epoch: plan.epoch }));
        return { exportName: exp.exportName };
      },
    },
    {
      name: "copy-differing",
      title: "Copy only the differing chunks to the old source",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a, b } = await ends(ctx.deps, plan);
        const { ranges } = ctx.outputs.compare as { ranges: { offset: number; length: number }[] };
        if (!ranges.length) return { bytesCopied: 0, ranges: 0 };
        const base = await ctx.deps.storageFor(b.host).createBaseExport(b.name, mirror.name);
        const r = await ctx.deps.storageFor(a.host).copyRanges(a.name, { source: { uri: base.uri }, ranges, epoch: plan.epoch, mirror: mirror.name });
        await ctx.deps.storageFor(b.host).deleteBaseExport(b.name);
        await ctx.progress(r.bytesCopied, r.bytesCopied);
        return { bytesCopied: r.bytesCopied, ranges: r.ranges };
      },
    },
    {
      name: "mirror-back",
      title: "Mirror every write since promotion to the old source (sync top)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a, b } = await ends(ctx.deps, plan);
        await ignoreNotFound(() => ctx.deps.storageFor(b.host).deleteBaseExport(b.name));
        const { exportName } = ctx.outputs["export-on-old-source"] as { exportName: string };
        const agent = ctx.deps.storageFor(b.host);
        let job = (await ignoreNotFound(() => agent.mirror(mirror.name))) ?? (await agent.startMirror({ name: mirror.name, volume: b.name, target: { ...nbdAddress(a.host), exportName }, mode: mirror.mode as "sync" | "async", sync: "top", speedLimitBytesPerSec: Number(mirror.speedLimitBytesPerSec), epoch: plan.epoch }));
        for (;;) {
          await ctx.progress(job.offset, job.len);
          if (job.phase === "ready" && job.offset >= job.len) break;
          if (job.phase === "error") throw new TandemError("CONFLICT", `mirror job failed: ${job.error ?? "unknown"}`, { retryable: false });
          await new Promise((r) => setTimeout(r, 250));
          job = await agent.mirror(mirror.name);
        }
        return { bytesCopied: job.bytesCopied };
      },
    },
    {
      name: "commit",
      title: "Record the new direction: from the promoted side",
      async run(ctx) {
        const plan = planOf(ctx);
        const { mirror } = await mirrorContext(ctx.deps, ctx.input.mirrorId);
        const { a, b } = await ends(ctx.deps, plan);
        // The promoted side is the source now; the mirror keeps its name and id.
        await swapDirection(ctx.deps.db, mirror.id, plan.aVolumeId, plan.epoch);
        await moveState(ctx.deps, mirror.id, "syncing", null);
        await moveState(ctx.deps, mirror.id, "in_sync", null);
        await Promise.all([syncHostStorage(ctx.deps, a.host), syncHostStorage(ctx.deps, b.host)].map((p) => p.catch(() => null)));
        const cmp = ctx.outputs.compare as { divergentBytes: number };
        const copied = ctx.outputs["copy-differing"] as { bytesCopied: number };
        const back = ctx.outputs["mirror-back"] as { bytesCopied: number };
        await appendEvent(ctx.deps.db, {
          kind: "mirror.failed_back",
          subjectType: "mirror",
          subjectId: mirror.id,
          actor: ctx.op.actor,
          message: `${mirror.name}: failback done; ${cmp.divergentBytes} bytes on ${a.host.name} had never reached ${b.host.name} and were replaced; ${copied.bytesCopied + back.bytesCopied} bytes copied in all`,
          data: { divergentBytes: cmp.divergentBytes, rangeBytesCopied: copied.bytesCopied, mirrorBytesCopied: back.bytesCopied },
        });
        ctx.deps.bus.publish({ type: "mirror.changed", mirrorId: mirror.id });
        return { from: `${b.host.name}/${b.name}`, to: `${a.host.name}/${a.name}`, divergentBytes: cmp.divergentBytes, bytesCopied: copied.bytesCopied + back.bytesCopied, safetySnapshot: (ctx.outputs["safety-snapshot"] as { snapshot?: string } | undefined)?.snapshot ?? null };
      },
    },
    {
      name: "merge-overlay",
      title: "Maintenance: merge the overlay (short client outage)",
      async run(ctx) {
        const plan = planOf(ctx);
        const { b } = await ends(ctx.deps, plan);
        const r = await ctx.deps.storageFor(b.host).mergeOverlay(b.name);
        return { ...(ctx.outputs.commit as object), merge: { merged: r.merged, clientOutageMs: r.clientOutageMs, committedBytes: r.committedBytes } };
      },
    },
    {
      name: "verify",
      title: "Verify both sides are equal",
      async run(ctx) {
        const summary = ctx.outputs["merge-overlay"] as Record<string, unknown>;
        if (!ctx.input.verify) return { ...summary, verification: "skipped" };
        const plan = planOf(ctx);
        const { a, b } = await ends(ctx.deps, plan);
        const r = await compareSettled(ctx.deps, { host: b.host, volume: b.name }, { host: a.host, volume: a.name }, CHUNK);
        if (!r.equal) throw new TandemError("CONFLICT", `after failback the sides differ in ${r.differingRanges.length} range(s)`, { retryable: false });
        return { ...summary, verification: { equal: true, chunks: r.chunks, seconds: r.seconds } };
      },
    },
  ],
  // A planned reversal back, when asked, is its own operation: queued once this one has ended
  // and released the mirror.
  async onSuccess(deps, op, input) {
    if (!input.reverse) return;
    const { mirror } = await mirrorContext(deps, input.mirrorId);
    await submitOperation(deps, {
      kind: "mirror.reverse",
      subjectType: "mirror",
      subjectId: mirror.id,
      subjectName: mirror.name,
      hostId: null,
      input: { mirrorId: mirror.id, verify: input.verify },
      actor: op.actor,
      manual: false,
      reason: "planned reversal requested with the failback",
      lockKey: mirrorLock(mirror.id),
    });
  },
  async onFailure(deps, _op, input, message) {
    await moveState(deps, input.mirrorId, "error", `failback failed: ${message}`);
  },
};
