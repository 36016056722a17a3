// Realtime mirror events → query cache.
// - `mirror.progress` (several a second while copying) is PATCHED into the cached mirror.list
//   entry and mirror.get, with a point appended to the chart; the dashboard's aggregate
//   throughput and lag are re-summed from the patched list. Nothing is refetched, unless the
//   sample changes something only the server judges (health: convergence, lag against RPO).
// - `mirror.state` flips the badge at once, then mirror.list / mirror.get / mirror.dashboard are
//   refetched; `mirror.changed` and operation events refetch them.
// - `operation.step` progress patches the step's bytes in mirror.get; a status change is patched
//   at once and then refetched, without cancelling a fetch in flight (see refetchDetail).
// - mirror.plan (the move wizard's preflight) is refetched whenever mirror.get is.
import { hashKey, type QueryClient, type QueryKey } from "@tanstack/react-query";
import type { useTRPC } from "@/lib/trpc";
import type { RouterOutputs } from "@/lib/api-types";
import type { RealtimeEvent } from "@/server/realtime/events";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";

type TRPC = ReturnType<typeof useTRPC>;
export type MirrorDetail = RouterOutputs["mirror"]["get"];
export type MirrorDashboard = RouterOutputs["mirror"]["dashboard"];
export type ChartSample = MirrorDetail["samples"][number];
type ProgressEvent = Extract<RealtimeEvent, { type: "mirror.progress" }>;
type MirrorEvent = Extract<RealtimeEvent, { type: "mirror.progress" | "mirror.state" | "mirror.changed" | "operation.step" | "operation.queued" | "operation.finished" }>;

/** One chart point a second is plenty; the server's own samples are 10 s apart. */
const LIVE_POINT_EVERY_MS = 1000;
const CHART_WINDOW_MS = 3600_000;

export function patchProgress(m: MirrorDto, e: ProgressEvent): MirrorDto {
  return {
    ...m,
    lagBytes: e.lagBytes,
    lagSeconds: e.lagSeconds,
    rateBytesPerSec: e.rateBytesPerSec,
    converging: e.converging,
    progress: {
      phase: e.phase,
      doneBytes: e.doneBytes,
      totalBytes: e.totalBytes,
      percent: e.totalBytes > 0 ? Math.min(100, (e.doneBytes / e.totalBytes) * 100) : null,
      etaSeconds: e.etaSeconds,
    },
  };
}

/** Whether a progress sample may change the server's health verdict (then it is refetched). */
function healthMayChange(before: MirrorDto, after: MirrorDto): boolean {
  if (before.converging !== after.converging) return true;
  const over = (m: MirrorDto) => m.rpoTargetSeconds !== null && m.lagSeconds !== null && m.lagSeconds > m.rpoTargetSeconds;
  return over(before) !== over(after);
}

/** Appends a live point (at most one a second) and drops what fell out of the hour. */
export function appendSample(samples: ChartSample[], e: ProgressEvent): ChartSample[] {
  const at = Date.parse(e.sampledAt);
  if (!Number.isFinite(at)) return samples;
  const last = samples[samples.length - 1];
  if (last && at - Date.parse(last.at) < LIVE_POINT_EVERY_MS) return samples;
  const from = at - CHART_WINDOW_MS;
  const kept = samples.length && Date.parse(samples[0]!.at) < from ? samples.filter((s) => Date.parse(s.at) >= from) : samples;
  return [...kept, { at: e.sampledAt, rateBytesPerSec: e.rateBytesPerSec, lagBytes: e.lagBytes }];
}

/**
 * For mirror.get's `structuralSharing`: a refetch brings the server's 10-second samples; live
 * points newer than the last of them are kept, so the chart does not lose its freshest part.
 */
export function keepLiveSamples(oldData: unknown, newData: unknown): unknown {
  const o = oldData as MirrorDetail | undefined;
  const n = newData as MirrorDetail | undefined;
  if (!o || !n || o.mirror.id !== n.mirror.id) return newData;
  const lastServer = n.samples.length ? Date.parse(n.samples[n.samples.length - 1]!.at) : 0;
  const live = o.samples.filter((s) => Date.parse(s.at) > lastServer + LIVE_POINT_EVERY_MS / 2);
  return live.length ? { ...n, samples: [...n.samples, ...live] } : newData;
}

/**
 * Patches cached data in place without making it look freshly fetched: the fetch time is kept
 * (so staleTime still counts from the last real fetch), and a query that was invalidated is
 * left alone (setQueryData would clear the invalidation, and its refetch brings newer data).
 */
function patch<T>(qc: QueryClient, key: QueryKey, fn: (data: T) => T): boolean {
  const state = qc.getQueryState<T>(key);
  if (!state || state.data === undefined || state.isInvalidated) return false;
  qc.setQueryData<T>(key, fn(state.data), { updatedAt: state.dataUpdatedAt });
  return true;
}

type StepEvent = Extract<RealtimeEvent, { type: "operation.step" }>;
type Step = MirrorDetail["operations"][number]["steps"][number];

/** A step as the event says it is now; times are the browser's until the refetch brings the server's. */
export function patchStep(s: Step, e: StepEvent): Step {
  if (e.status === "running" && e.bytesDone !== null) return { ...s, status: "running", bytesDone: e.bytesDone, bytesTotal: e.bytesTotal };
  const at = new Date().toISOString();
  const ended = e.status === "succeeded" || e.status === "failed";
  return { ...s, status: e.status, error: e.error, startedAt: s.startedAt ?? at, finishedAt: ended ? (s.finishedAt ?? at) : null };
}

/**
 * Refetches one mirror.get without cancelling a fetch in flight: steps of a fast operation end
 * every few tens of milliseconds, and cancelling on each would starve the view until they stop.
 * An event that arrives during a fetch asks for one more fetch after it, so none is missed.
 */
const coalesce = new WeakMap<QueryClient, { inFlight: Set<string>; again: Set<string> }>();
export function refetchDetail(qc: QueryClient, key: QueryKey) {
  const c = coalesce.get(qc) ?? { inFlight: new Set<string>(), again: new Set<string>() };
  coalesce.set(qc, c);
  const h = hashKey(key);
  if (c.inFlight.has(h)) {
    c.again.add(h);
    return;
  }
  // A page no one shows (e.g. the mirror page left after a delete) is only marked stale: it is
  // fetched when shown again. Refetching it here could loop: its own fetch may sit in react-query's
  // retry pause ("fetching") while invalidating an unobserved query resolves at once, and "fetch
  // once more after it" then spun forever in microtasks and froze the tab.
  if (!qc.getQueryCache().find({ queryKey: key, exact: true })?.getObserversCount()) {
    void qc.invalidateQueries({ queryKey: key, exact: true, refetchType: "none" });
    return;
  }
  c.inFlight.add(h);
  // A fetch someone else started may predate this event: fetch once more after it.
  if (qc.getQueryState(key)?.fetchStatus === "fetching") c.again.add(h);
  void qc.invalidateQueries({ queryKey: key, exact: true }, { cancelRefetch: false }).finally(() => {
    c.inFlight.delete(h);
    // On a later task, never in the same run of microtasks: nothing here can ever spin.
    if (c.again.delete(h)) setTimeout(() => refetchDetail(qc, key), 0);
  });
}

export function applyMirrorEvent(qc: QueryClient, trpc: TRPC, e: MirrorEvent) {
  const listKey = trpc.mirror.list.queryKey();
  const refetchAll = () => {
    void qc.invalidateQueries(trpc.mirror.list.pathFilter());
    void qc.invalidateQueries(trpc.mirror.get.pathFilter());
    void qc.invalidateQueries(trpc.mirror.dashboard.pathFilter());
    // The move wizard's preflight (state, epochs, what else runs) follows the same changes.
    void qc.invalidateQueries(trpc.mirror.plan.pathFilter());
  };
  const details = () => qc.getQueriesData<MirrorDetail>(trpc.mirror.get.pathFilter());

  switch (e.type) {
    case "mirror.progress": {
      let unknown = false;
      let judge = false;
      patch<MirrorDto[]>(qc, listKey, (list) => {
        const before = list.find((m) => m.id === e.mirrorId);
        if (!before) {
          unknown = true;
          return list;
        }
        const after = patchProgress(before, e);
        judge = healthMayChange(before, after);
        const next = list.map((m) => (m.id === e.mirrorId ? after : m));
        // The dashboard's aggregates are sums over all mirrors: re-summed from the patched list.
        patch<MirrorDashboard>(qc, trpc.mirror.dashboard.queryKey(), (d) => ({
          ...d,
          throughputBytesPerSec: next.reduce((s, m) => s + m.rateBytesPerSec, 0),
          lagBytes: next.reduce((s, m) => s + m.lagBytes, 0),
        }));
        return next;
      });
      for (const [key, d] of details()) {
        if (!d || d.mirror.id !== e.mirrorId) continue;
        patch<MirrorDetail>(qc, key, (cur) => {
          const after = patchProgress(cur.mirror, e);
          judge ||= healthMayChange(cur.mirror, after);
          return { ...cur, mirror: after, samples: appendSample(cur.samples, e) };
        });
      }
      if (unknown) void qc.invalidateQueries(trpc.mirror.list.pathFilter());
      if (judge) refetchAll();
      return;
    }
    case "mirror.state": {
      // Flip the badge now; the refetch brings the server's health and reason.
      const flip = (m: MirrorDto): MirrorDto => (m.id === e.mirrorId ? { ...m, state: e.to, stateReason: e.reason, stateChangedAt: e.at } : m);
      patch<MirrorDto[]>(qc, listKey, (list) => list.map(flip));
      for (const [key, d] of details()) if (d && d.mirror.id === e.mirrorId) patch<MirrorDetail>(qc, key, (cur) => ({ ...cur, mirror: flip(cur.mirror) }));
      refetchAll();
      return;
    }
    case "mirror.changed":
      refetchAll();
      return;
    case "operation.queued":
    case "operation.finished":
      if (e.subjectType === "mirror") refetchAll();
      return;
    case "operation.step": {
      const holders = details().filter(([, d]) => d?.operations.some((o) => o.id === e.operationId));
      // A mirror whose cached detail does not list this operation yet (the step came before the
      // refetch that brings it) is refetched, or its view would miss the step until the next one.
      const behind = details().filter(([, d]) => d && e.subjectType === "mirror" && d.mirror.id === e.subjectId && !d.operations.some((o) => o.id === e.operationId));
      for (const [key] of behind) refetchDetail(qc, key);
      const progressOnly = e.status === "running" && e.bytesDone !== null;
      for (const [key] of holders)
        patch<MirrorDetail>(qc, key, (cur) => ({
          ...cur,
          operations: cur.operations.map((o) => (o.id !== e.operationId ? o : { ...o, steps: o.steps.map((s) => (s.name === e.step ? patchStep(s, e) : s)) })),
        }));
      // A status change is shown at once, then refetched for the server's times and outputs.
      if (!progressOnly) for (const [key] of holders) refetchDetail(qc, key);
      return;
    }
  }
}
