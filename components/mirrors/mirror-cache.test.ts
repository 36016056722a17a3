import { describe, expect, it } from "vitest";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { applyMirrorEvent, appendSample, keepLiveSamples, refetchDetail, type MirrorDashboard, type MirrorDetail } from "./mirror-cache";

const MiB = 2 ** 20;

function setup() {
  const qc = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000 } } });
  // Never called: the proxy only builds query keys here.
  const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc", transformer: superjson })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient: qc });
  return { qc, trpc: trpc as unknown as Parameters<typeof applyMirrorEvent>[1] };
}

function mirror(id: string, name: string, over: Partial<MirrorDto> = {}): MirrorDto {
  return {
    id,
    name,
    description: null,
    mode: "sync",
    state: "syncing",
    stateReason: null,
    stateChangedAt: "2026-01-01T00:00:00.000Z",
    health: { level: "warning", reason: "copy in progress" },
    source: { host: "h1", volume: "a", ref: "h1/a", hostStatus: "online" },
    target: { host: "h2", volume: "a", ref: "h2/a", hostStatus: "online" },
    sizeBytes: 64 * MiB,
    epoch: 1,
    speedLimitBytesPerSec: 0,
    rpoTargetSeconds: null,
    autoFailoverAfterSeconds: null,
    lagBytes: 64 * MiB,
    lagSeconds: null,
    rateBytesPerSec: 0,
    converging: true,
    progress: { phase: "copying", doneBytes: 0, totalBytes: 64 * MiB, percent: 0, etaSeconds: null },
    lastInSyncAt: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    ...over,
  };
}

const progress = (mirrorId: string, doneBytes: number, at: string, extra: Partial<{ rate: number; converging: boolean; lagSeconds: number | null }> = {}) => ({
  type: "mirror.progress" as const,
  mirrorId,
  phase: "copying",
  doneBytes,
  totalBytes: 64 * MiB,
  lagBytes: 64 * MiB - doneBytes,
  lagSeconds: extra.lagSeconds ?? 2,
  rateBytesPerSec: extra.rate ?? 8 * MiB,
  etaSeconds: 3,
  converging: extra.converging ?? true,
  sampledAt: at,
});

describe("mirror realtime cache", () => {
  it("patches the list and the dashboard sums from mirror.progress, keeping the fetch time", () => {
    const { qc, trpc } = setup();
    qc.setQueryData(trpc.mirror.list.queryKey(), [mirror("m1", "one"), mirror("m2", "two", { rateBytesPerSec: MiB, lagBytes: 0 })], { updatedAt: 1000 });
    const dash: MirrorDashboard = { counts: { ok: 1, warning: 1, critical: 0 }, total: 2, attention: [], throughputBytesPerSec: 0, lagBytes: 0, hosts: { online: 2, total: 2 } };
    qc.setQueryData(trpc.mirror.dashboard.queryKey(), dash);

    applyMirrorEvent(qc, trpc, progress("m1", 16 * MiB, "2026-01-01T00:00:01.000Z"));

    const list = qc.getQueryData<MirrorDto[]>(trpc.mirror.list.queryKey())!;
    expect(list[0]!.progress).toMatchObject({ doneBytes: 16 * MiB, percent: 25, etaSeconds: 3 });
    expect(list[0]!.rateBytesPerSec).toBe(8 * MiB);
    expect(qc.getQueryState(trpc.mirror.list.queryKey())!.dataUpdatedAt).toBe(1000);
    const d = qc.getQueryData<MirrorDashboard>(trpc.mirror.dashboard.queryKey())!;
    expect(d.throughputBytesPerSec).toBe(9 * MiB);
    expect(d.lagBytes).toBe(48 * MiB);
  });

  it("leaves an invalidated query alone, so its refetch is not cancelled by a patch", async () => {
    const { qc, trpc } = setup();
    qc.setQueryData(trpc.mirror.list.queryKey(), [mirror("m1", "one")]);
    await qc.invalidateQueries(trpc.mirror.list.pathFilter());
    applyMirrorEvent(qc, trpc, progress("m1", 16 * MiB, "2026-01-01T00:00:01.000Z"));
    expect(qc.getQueryState(trpc.mirror.list.queryKey())!.isInvalidated).toBe(true);
    expect(qc.getQueryData<MirrorDto[]>(trpc.mirror.list.queryKey())![0]!.progress.doneBytes).toBe(0);
  });

  it("appends chart points to mirror.get at most once a second", () => {
    const { qc, trpc } = setup();
    const key = trpc.mirror.get.queryKey({ name: "one" });
    const detail = { mirror: mirror("m1", "one"), operations: [], events: [], samples: [] } as unknown as MirrorDetail;
    qc.setQueryData(key, detail);
    applyMirrorEvent(qc, trpc, progress("m1", 8 * MiB, "2026-01-01T00:00:01.000Z"));
    applyMirrorEvent(qc, trpc, progress("m1", 10 * MiB, "2026-01-01T00:00:01.250Z"));
    applyMirrorEvent(qc, trpc, progress("m1", 16 * MiB, "2026-01-01T00:00:02.100Z"));
    const d = qc.getQueryData<MirrorDetail>(key)!;
    expect(d.samples.map((s) => s.at)).toEqual(["2026-01-01T00:00:01.000Z", "2026-01-01T00:00:02.100Z"]);
    expect(d.mirror.progress.doneBytes).toBe(16 * MiB);
  });

  it("flips the state at once on mirror.state and marks the mirror queries for refetch", () => {
    const { qc, trpc } = setup();
    qc.setQueryData(trpc.mirror.list.queryKey(), [mirror("m1", "one")]);
    qc.setQueryData(trpc.mirror.dashboard.queryKey(), { counts: { ok: 0, warning: 1, critical: 0 }, total: 1, attention: [], throughputBytesPerSec: 0, lagBytes: 0, hosts: { online: 2, total: 2 } });
    applyMirrorEvent(qc, trpc, { type: "mirror.state", mirrorId: "m1", name: "one", from: "syncing", to: "in_sync", reason: null, at: "2026-01-01T00:00:09.000Z" });
    expect(qc.getQueryData<MirrorDto[]>(trpc.mirror.list.queryKey())![0]!.state).toBe("in_sync");
    expect(qc.getQueryState(trpc.mirror.list.queryKey())!.isInvalidated).toBe(true);
    expect(qc.getQueryState(trpc.mirror.dashboard.queryKey())!.isInvalidated).toBe(true);
  });

  it("refetches when a sample may change the health verdict (lag over the RPO target)", () => {
    const { qc, trpc } = setup();
    qc.setQueryData(trpc.mirror.list.queryKey(), [mirror("m1", "one", { rpoTargetSeconds: 5, lagSeconds: 1 })]);
    applyMirrorEvent(qc, trpc, progress("m1", 8 * MiB, "2026-01-01T00:00:01.000Z", { lagSeconds: 9 }));
    expect(qc.getQueryState(trpc.mirror.list.queryKey())!.isInvalidated).toBe(true);
  });

  it("patches a running step's bytes from operation.step", () => {
    const { qc, trpc } = setup();
    const key = trpc.mirror.get.queryKey({ name: "one" });
    const step = { name: "initial-sync", title: "Initial copy", status: "running", startedAt: null, finishedAt: null, bytesDone: 0, bytesTotal: null, error: null, output: null };
    qc.setQueryData(key, { mirror: mirror("m1", "one"), operations: [{ id: "op1", kind: "mirror.create", status: "running", actor: "admin", error: null, createdAt: "", finishedAt: null, steps: [step] }], events: [], samples: [] } as unknown as MirrorDetail);
    applyMirrorEvent(qc, trpc, { type: "operation.step", operationId: "op1", subjectType: "mirror", subjectId: "m1", step: "initial-sync", status: "running", bytesDone: 32 * MiB, bytesTotal: 64 * MiB, error: null });
    const s = qc.getQueryData<MirrorDetail>(key)!.operations[0]!.steps[0]!;
    expect(s.bytesDone).toBe(32 * MiB);
    expect(s.bytesTotal).toBe(64 * MiB);
    expect(qc.getQueryState(key)!.isInvalidated).toBe(false);
  });

  it("refetches a mirror's detail when a step arrives for an operation it does not list yet", () => {
    const { qc, trpc } = setup();
    const key = trpc.mirror.get.queryKey({ name: "one" });
    const other = trpc.mirror.get.queryKey({ name: "two" });
    qc.setQueryData(key, { mirror: mirror("m1", "one"), operations: [], events: [], samples: [] } as unknown as MirrorDetail);
    qc.setQueryData(other, { mirror: mirror("m2", "two"), operations: [], events: [], samples: [] } as unknown as MirrorDetail);
    applyMirrorEvent(qc, trpc, { type: "operation.step", operationId: "op9", subjectType: "mirror", subjectId: "m1", step: "preflight", status: "running", bytesDone: null, bytesTotal: null, error: null });
    expect(qc.getQueryState(key)!.isInvalidated).toBe(true);
    expect(qc.getQueryState(other)!.isInvalidated).toBe(false);
  });

  it("shows a step's new status at once, and refetches for the server's times", () => {
    const { qc, trpc } = setup();
    const key = trpc.mirror.get.queryKey({ name: "one" });
    const step = (name: string, status: string) => ({ name, title: name, status, startedAt: null, finishedAt: null, bytesDone: 0, bytesTotal: null, error: null, output: null });
    qc.setQueryData(key, { mirror: mirror("m1", "one"), operations: [{ id: "op1", kind: "mirror.reverse", status: "running", actor: "admin", error: null, createdAt: "", finishedAt: null, steps: [step("a", "running"), step("b", "pending")] }], events: [], samples: [] } as unknown as MirrorDetail);
    applyMirrorEvent(qc, trpc, { type: "operation.step", operationId: "op1", subjectType: "mirror", subjectId: "m1", step: "a", status: "failed", bytesDone: null, bytesTotal: null, error: "boom" });
    const s = qc.getQueryData<MirrorDetail>(key)!.operations[0]!.steps[0]!;
    expect(s).toMatchObject({ status: "failed", error: "boom" });
    expect(s.finishedAt).not.toBeNull();
    expect(qc.getQueryState(key)!.isInvalidated).toBe(true);
  });

  it("does not cancel a detail fetch in flight for each step event, but fetches once more after it", async () => {
    const qc = new QueryClient();
    const key = ["mirror", "get", "one"];
    const waiting: (() => void)[] = [];
    let calls = 0;
    const observer = new QueryObserver(qc, {
      queryKey: key,
      queryFn: () => {
        calls++;
        return new Promise<number>((resolve) => waiting.push(() => resolve(calls)));
      },
    });
    const unsubscribe = observer.subscribe(() => {});
    const settle = async () => {
      await new Promise((r) => setTimeout(r, 0));
      waiting.shift()?.();
      // The fetch "once more after it" starts on a later task.
      await new Promise((r) => setTimeout(r, 5));
    };
    await settle(); // the observer's first fetch
    expect(calls).toBe(1);
    refetchDetail(qc, key);
    refetchDetail(qc, key);
    refetchDetail(qc, key);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2); // one fetch for three events, not three cancelled ones
    await settle();
    expect(calls).toBe(3); // and one more for the events that came while it ran
    await settle();
    expect(calls).toBe(3);
    unsubscribe();
  });

  it("an unshown page whose fetch waits to retry is only marked stale, not refetched in a loop", async () => {
    // The mirror page after a delete: nobody observes it any more, and its last fetch failed
    // (the mirror is gone) and waits to retry, so its fetchStatus stays "fetching".
    const qc = new QueryClient();
    const key = ["mirror", "get", "gone"];
    let calls = 0;
    const observer = new QueryObserver(qc, {
      queryKey: key,
      retry: 3,
      retryDelay: 60_000,
      queryFn: () => {
        calls++;
        return Promise.reject(new Error("mirror gone does not exist"));
      },
    });
    const unsubscribe = observer.subscribe(() => {});
    await new Promise((r) => setTimeout(r, 0));
    unsubscribe();
    expect(qc.getQueryState(key)!.fetchStatus).toBe("fetching");
    // Events about the deleted mirror keep coming; this used to spin forever in microtasks. The
    // spy breaks such a loop so that a regression fails here instead of freezing the test run.
    let invalidations = 0;
    const invalidate = qc.invalidateQueries.bind(qc);
    qc.invalidateQueries = ((...args: Parameters<typeof invalidate>) => {
      if (++invalidations > 100) throw new Error("refetch loop");
      return invalidate(...args);
    }) as typeof qc.invalidateQueries;
    for (let i = 0; i < 3; i++) refetchDetail(qc, key);
    await new Promise((r) => setTimeout(r, 20));
    expect(invalidations).toBeLessThanOrEqual(3);
    expect(calls).toBe(1);
    expect(qc.getQueryState(key)!.isInvalidated).toBe(true);
    qc.clear();
  });

  it("keeps live chart points newer than the server's last sample across a refetch", () => {
    const base = { mirror: mirror("m1", "one"), operations: [], events: [] };
    const old = { ...base, samples: [{ at: "2026-01-01T00:00:00.000Z", rateBytesPerSec: 1, lagBytes: 0 }, { at: "2026-01-01T00:00:12.000Z", rateBytesPerSec: 2, lagBytes: 0 }] };
    const fresh = { ...base, samples: [{ at: "2026-01-01T00:00:10.000Z", rateBytesPerSec: 3, lagBytes: 0 }] };
    const merged = keepLiveSamples(old, fresh) as MirrorDetail;
    expect(merged.samples.map((s) => s.at)).toEqual(["2026-01-01T00:00:10.000Z", "2026-01-01T00:00:12.000Z"]);
    expect(appendSample([], progress("m1", 0, "bad date"))).toEqual([]);
  });
});
