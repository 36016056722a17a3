"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatAgo, formatBytes, formatDateTime, formatDuration, formatRate } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { useNow } from "@/lib/use-now";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { MirrorQueryState } from "@/components/mirrors/mirror-query-state";
import { StatusBadge } from "@/components/ui/status-badge";
import { useToast } from "@/components/ui/toast";
import { CardTitle } from "@/components/storage/lu-panel";
import { volumeHref } from "@/components/storage/volumes-view";
import { keepLiveSamples, type MirrorDetail } from "./mirror-cache";
import { Arrow, copyInProgress, formatPercent, HealthBadge, MirrorStateBadge, MODE_HELP, ModeBadge, ProgressBar } from "./mirror-badges";
import { MirrorChart } from "./mirror-chart";
import { DeleteMirrorDialog, ModifyMirrorDialog, PauseMirrorDialog } from "./mirror-dialogs";
import { OperationsPanel } from "./operations-panel";
import { EventsTimeline } from "./events-timeline";
import { moveHref, moveKindOf } from "@/components/wizard/move-kinds";

const PAUSABLE = ["syncing", "in_sync", "lagging", "broken"];

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500 dark:text-slate-400">
      <Link href="/mirrors" className="hover:text-slate-900 hover:underline dark:hover:text-white">
        Mirrors
      </Link>
      <span className="mx-1.5" aria-hidden>
        /
      </span>
      <span className="text-slate-700 dark:text-slate-200">{name}</span>
    </nav>
  );
}

function EndCard({ role, end }: { role: "FROM" | "TO"; end: MirrorDto["source"] }) {
  return (
    <div className="min-w-0">
      <div className="text-[0.6875rem] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">{role === "FROM" ? "from (source)" : "to (target)"}</div>
      <div className="mt-0.5 flex flex-wrap items-center gap-2">
        <Link href={volumeHref({ host: end.host, name: end.volume })} className="font-mono text-lg font-semibold hover:text-sky-600 hover:underline dark:hover:text-sky-400">
          <span className="text-slate-500 dark:text-slate-400">{end.host}/</span>
          {end.volume}
        </Link>
        <StatusBadge status={end.hostStatus} title={`host ${end.host} is ${end.hostStatus}`} />
      </div>
    </div>
  );
}

function Stat({ label, children, sub, testId }: { label: string; children: React.ReactNode; sub?: React.ReactNode; testId?: string }) {
  return (
    <Card className="px-5 py-4" data-testid={testId}>
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums tracking-tight">{children}</div>
      {sub && <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{sub}</div>}
    </Card>
  );
}

export function MirrorDetailView({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const qc = useQueryClient();
  const toast = useToast();
  const { can } = useCan();
  const now = useNow(5_000);
  const detail = useQuery({ ...trpc.mirror.get.queryOptions({ name }), structuralSharing: keepLiveSamples });
  const [modifying, setModifying] = useState(false);
  const [pausing, setPausing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const resume = useMutation(
    trpc.mirror.resume.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries(trpc.mirror.get.pathFilter());
        void qc.invalidateQueries(trpc.mirror.list.pathFilter());
        toast({ tone: "success", title: `Mirror ${name} resumed` });
      },
      onError: (e) => toast({ tone: "error", title: `Could not resume ${name}`, body: errorMessage(e) }),
    }),
  );

  if (detail.isPending || detail.isError) return <MirrorQueryState name={name} query={detail} breadcrumb={<Breadcrumb name={name} />} />;

  const d: MirrorDetail = detail.data;
  const m = d.mirror;
  const running = d.operations.find((o) => o.status === "running" || o.status === "pending");
  const copying = copyInProgress(m);
  const canPause = PAUSABLE.includes(m.state);
  const healthTone = m.health.level === "ok" ? "success" : m.health.level === "warning" ? "warning" : "error";

  return (
    <>
      <Breadcrumb name={m.name} />
      <div className="mb-5 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">{m.name}</h1>
            <MirrorStateBadge state={m.state} reason={m.stateReason} size="lg" />
            <HealthBadge health={m.health} size="lg" />
            <ModeBadge mode={m.mode} />
          </div>
          {m.description && <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{m.description}</p>}
        </div>
        <div className="flex flex-wrap gap-2">
          <Link href={moveHref(m.name)} className={buttonClass("primary")} data-testid="mirror-move-link" title="Planned reversal, failover or failback, with preflight checks and a plan first">
            <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" className="h-4 w-4" aria-hidden>
              <path d="M4 7h12m0 0l-3-3m3 3l-3 3M16 13H4m0 0l3-3m-3 3l3 3" />
            </svg>
            Reverse / fail over…
          </Link>
          <Button variant="secondary" onClick={() => setModifying(true)} disabled={!can("operator")} title={can("operator") ? "Change mode, speed limit, RPO target or description" : "Needs the operator role"}>
            Modify
          </Button>
          {m.state === "paused" ? (
            <Button variant="secondary" onClick={() => resume.mutate({ name: m.name })} disabled={!can("operator") || resume.isPending} title={can("operator") ? undefined : "Needs the operator role"}>
              {resume.isPending ? "Resuming…" : "Resume"}
            </Button>
          ) : (
            <Button
              variant="secondary"
              onClick={() => setPausing(true)}
              disabled={!can("operator") || !canPause}
              title={!can("operator") ? "Needs the operator role" : canPause ? "Stop copying for now" : `A ${m.state.replace("_", " ")} mirror cannot be paused`}
            >
              Pause
            </Button>
          )}
          <Button variant="secondary" className="text-rose-600! dark:text-rose-400!" onClick={() => setDeleting(true)} disabled={!can("admin")} title={can("admin") ? undefined : "Needs the admin role"}>
            Delete
          </Button>
        </div>
      </div>

      <Card className="mb-4 px-5 py-4" data-testid="mirror-flow">
        {m.state === "failed_over" ? (
          // The record keeps the original direction until a failback commits; in fact the target
          // serves clients and nothing flows.
          <p className="text-sm text-slate-700 dark:text-slate-200" data-testid="mirror-flow-words">
            <strong>Failed over:</strong> <span className="font-mono">{m.target.ref}</span> serves clients; <span className="font-mono">{m.source.ref}</span> is fenced and nothing flows
            between them. A failback compares {m.source.host} with what {m.target.host} held at promotion and copies back only what differs.
          </p>
        ) : (
          <FlowPicture m={m} />
        )}
      </Card>

      <Alert tone={healthTone} className="mb-4" testId="mirror-health" title={`Health: ${m.health.level === "ok" ? "OK" : m.health.level}`}>
        <span className="first-letter:uppercase">{m.health.reason}</span>
        {m.stateReason && m.stateReason !== m.health.reason && <span className="opacity-80"> · state: {m.stateReason}</span>}
      </Alert>

      {running && (
        <Alert tone="info" className="mb-4" testId="mirror-running-op">
          Operation <strong>{running.kind.replace("mirror.", "")}</strong> is {running.status} (asked by {running.actor}); its steps are listed below.
          {moveKindOf(running.kind) && (
            <>
              {" "}
              <Link href={moveHref(m.name, { op: running.id })} className="font-medium underline" data-testid="follow-move">
                Follow it in the wizard
              </Link>
            </>
          )}
        </Alert>
      )}

      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Copy progress"
          testId="stat-progress"
          sub={
            copying ? (
              <>
                {formatBytes(m.progress.doneBytes)} of {formatBytes(m.progress.totalBytes)} · ETA {formatDuration(m.progress.etaSeconds)}
              </>
            ) : m.lastInSyncAt ? (
              "initial copy done"
            ) : (
              "no copy running"
            )
          }
        >
          <span data-testid="detail-percent">{copying ? formatPercent(m.progress.percent) : m.state === "uninitialized" ? "–" : m.lastInSyncAt ? "100%" : formatPercent(m.progress.percent)}</span>
          {copying && <ProgressBar percent={m.progress.percent} label={`copy progress of ${m.name}`} className="mt-2 h-2" />}
        </Stat>
        <Stat label="Lag" testId="stat-lag" sub={`${m.lagSeconds === null ? "– s" : formatDuration(m.lagSeconds)} behind${m.rpoTargetSeconds !== null ? ` · RPO target ${formatDuration(m.rpoTargetSeconds)}` : ""}`}>
          {formatBytes(m.lagBytes)}
        </Stat>
        <Stat label="Throughput" testId="stat-rate" sub={m.speedLimitBytesPerSec ? `limit ${formatRate(m.speedLimitBytesPerSec)}` : "no speed limit"}>
          {formatRate(m.rateBytesPerSec)}
        </Stat>
        <Stat label="Last in sync" testId="stat-insync" sub={m.lastInSyncAt ? formatDateTime(m.lastInSyncAt) : "not yet"}>
          {m.state === "in_sync" ? "now" : formatAgo(m.lastInSyncAt, now)}
        </Stat>
      </div>

      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardTitle>Throughput and lag</CardTitle>
          <div className="px-5 py-4">
            <MirrorChart samples={d.samples} now={now} />
          </div>
        </Card>
        <Card>
          <CardTitle
            actions={
              <Button size="sm" variant="ghost" onClick={() => setModifying(true)} disabled={!can("operator")}>
                Modify
              </Button>
            }
          >
            Settings
          </CardTitle>
          <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-3 px-5 py-4 text-sm" data-testid="mirror-settings">
            <dt className="text-slate-500 dark:text-slate-400">Mode</dt>
            <dd>
              <ModeBadge mode={m.mode} /> <span className="block text-xs text-slate-500 dark:text-slate-400">{MODE_HELP[m.mode]}</span>
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Speed limit</dt>
            <dd className="tabular-nums">{m.speedLimitBytesPerSec ? formatRate(m.speedLimitBytesPerSec) : "none"}</dd>
            <dt className="text-slate-500 dark:text-slate-400">RPO target</dt>
            <dd className="tabular-nums">{m.rpoTargetSeconds === null ? "none" : formatDuration(m.rpoTargetSeconds)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Auto failover</dt>
            <dd data-testid="mirror-auto-failover">
              {m.autoFailoverAfterSeconds === null ? (
                <>
                  off <span className="block text-xs text-slate-500 dark:text-slate-400">a person decides when to fail over</span>
                </>
              ) : (
                <>
                  <span className="tabular-nums">after {formatDuration(m.autoFailoverAfterSeconds)}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">
                    when both the console and {m.target.host} have lost {m.source.host}
                  </span>
                </>
              )}
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Size</dt>
            <dd className="tabular-nums">{formatBytes(m.sizeBytes)}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Epoch</dt>
            <dd className="tabular-nums" title="Raised at every change of direction or promotion">
              {m.epoch}
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Description</dt>
            <dd className="break-words">{m.description || <span className="text-slate-400">–</span>}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Created</dt>
            <dd>
              {formatDateTime(m.createdAt)} <span className="block text-xs text-slate-400">{formatAgo(m.createdAt, now)}</span>
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">State since</dt>
            <dd>
              {formatDateTime(m.stateChangedAt)} <span className="block text-xs text-slate-400">{formatAgo(m.stateChangedAt, now)}</span>
            </dd>
          </dl>
        </Card>
        <div className="lg:col-span-2">
          <OperationsPanel operations={d.operations} now={now} />
        </div>
        <EventsTimeline events={d.events} now={now} />
      </div>

      <ModifyMirrorDialog mirror={m} open={modifying} onClose={() => setModifying(false)} />
      <PauseMirrorDialog mirror={m} open={pausing} onClose={() => setPausing(false)} />
      <DeleteMirrorDialog mirror={m} open={deleting} onClose={() => setDeleting(false)} onDeleted={() => router.push("/mirrors")} />
    </>
  );
}

/** Direction of a running mirror: FROM and TO cards with the arrow, then the same in words. */
function FlowPicture({ m }: { m: MirrorDto }) {
  return (
    <>
      <p className="sr-only">
        Data flows FROM {m.source.ref} TO {m.target.ref}
      </p>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3" aria-hidden>
        <EndCard role="FROM" end={m.source} />
        <div className="flex flex-col items-center px-2 text-sky-600 dark:text-sky-400">
          <Arrow className="h-8 w-12" />
          <span className="text-[0.6875rem] font-medium uppercase tracking-wider">{m.mode}</span>
        </div>
        <EndCard role="TO" end={m.target} />
      </div>
      <p className="mt-3 text-sm text-slate-600 dark:text-slate-300" data-testid="mirror-flow-words">
        Data flows <strong>FROM</strong> <span className="font-mono">{m.source.ref}</span> <strong>TO</strong> <span className="font-mono">{m.target.ref}</span>. {MODE_HELP[m.mode]}
      </p>
    </>
  );
}
