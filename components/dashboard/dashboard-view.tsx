"use client";
// The estate at a glance, for admins and NOC wall screens: big counts by health, what needs
// attention, aggregate throughput and lag, hosts online. Everything is live: mirror.state and
// host.status refetch it, mirror.progress patches throughput and lag in place.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatBytes, formatDuration, formatRate } from "@/lib/format";
import { useNow } from "@/lib/use-now";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { Card } from "@/components/ui/card";
import { copyInProgress, Direction, formatPercent, HEALTH_LABEL, HealthIcon, MirrorStateBadge, ProgressBar } from "@/components/mirrors/mirror-badges";

const mirrorHref = (name: string) => `/mirrors/${encodeURIComponent(name)}`;

const tileTone = {
  ok: { idle: "text-emerald-600 dark:text-emerald-400", hot: "bg-emerald-600 text-white dark:bg-emerald-600/90 border-emerald-700" },
  warning: { idle: "text-slate-400 dark:text-slate-500", hot: "bg-amber-400 text-amber-950 dark:bg-amber-500 border-amber-500" },
  critical: { idle: "text-slate-400 dark:text-slate-500", hot: "bg-rose-600 text-white dark:bg-rose-600 border-rose-700" },
} as const;

function HealthTile({ level, count, total }: { level: "ok" | "warning" | "critical"; count: number; total: number }) {
  // OK stays calm (green number); warning and critical fill the tile when they are not zero.
  const hot = level !== "ok" && count > 0;
  const tone = tileTone[level];
  return (
    <div
      data-testid={`dash-${level}`}
      data-count={count}
      className={`flex flex-col justify-between rounded-2xl border p-6 shadow-sm ${hot ? tone.hot : "border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"}`}
    >
      <div className={`flex items-center gap-2 text-lg font-semibold uppercase tracking-wider ${hot ? "" : "text-slate-600 dark:text-slate-300"}`}>
        <HealthIcon level={level} className={`h-6 w-6 ${hot ? "" : level === "ok" ? "text-emerald-500" : level === "warning" ? "text-amber-500" : "text-rose-500"}`} />
        {HEALTH_LABEL[level]}
      </div>
      <div className={`mt-2 text-8xl font-bold leading-none tabular-nums tracking-tight ${hot ? "" : count > 0 ? tone.idle : "text-slate-300 dark:text-slate-700"}`}>{count}</div>
      <div className={`mt-3 text-sm ${hot ? "opacity-90" : "text-slate-500 dark:text-slate-400"}`}>
        {total === 0 ? "no mirrors" : `of ${total} mirror${total === 1 ? "" : "s"}`}
      </div>
    </div>
  );
}

function Metric({ label, value, sub, testId, tone = "" }: { label: string; value: React.ReactNode; sub?: React.ReactNode; testId: string; tone?: string }) {
  return (
    <Card className="p-6" data-testid={testId}>
      <div className="text-sm font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">{label}</div>
      <div className={`mt-2 text-5xl font-bold tabular-nums tracking-tight ${tone}`}>{value}</div>
      {sub && <div className="mt-2 text-sm text-slate-500 dark:text-slate-400">{sub}</div>}
    </Card>
  );
}

function MirrorTile({ m }: { m: MirrorDto }) {
  const copying = copyInProgress(m);
  const border =
    m.health.level === "critical" ? "border-l-rose-500 dark:border-l-rose-500" : m.health.level === "warning" ? "border-l-amber-400 dark:border-l-amber-400" : "border-l-emerald-500 dark:border-l-emerald-500";
  return (
    <Link
      href={mirrorHref(m.name)}
      data-testid={`dash-mirror-${m.name}`}
      className={`block rounded-xl border border-l-4 border-slate-200 bg-white p-4 shadow-sm transition hover:border-slate-300 dark:border-slate-800 dark:bg-slate-900 dark:hover:border-slate-700 ${border}`}
    >
      <div className="flex items-center justify-between gap-3">
        <span className="truncate text-lg font-semibold">{m.name}</span>
        <MirrorStateBadge state={m.state} reason={m.stateReason} />
      </div>
      <div className="mt-1 text-sm">
        <Direction source={m.source} target={m.target} failedOver={m.state === "failed_over"} />
      </div>
      {copying ? (
        <div className="mt-3">
          <ProgressBar percent={m.progress.percent} label={`copy progress of ${m.name}`} className="h-2.5" />
          <div className="mt-1 flex justify-between text-sm tabular-nums text-slate-600 dark:text-slate-300">
            <span className="font-semibold" data-testid="dash-mirror-percent">
              {formatPercent(m.progress.percent)}
            </span>
            <span>
              {formatRate(m.rateBytesPerSec)} · ETA {formatDuration(m.progress.etaSeconds)}
            </span>
          </div>
        </div>
      ) : (
        <div className="mt-3 flex justify-between text-sm tabular-nums text-slate-600 dark:text-slate-300">
          <span>lag {formatBytes(m.lagBytes)}{m.lagSeconds ? ` · ${formatDuration(m.lagSeconds)}` : ""}</span>
          <span>{formatRate(m.rateBytesPerSec)}</span>
        </div>
      )}
    </Link>
  );
}

export function DashboardView() {
  const trpc = useTRPC();
  const dash = useQuery(trpc.mirror.dashboard.queryOptions());
  // The list is what mirror.progress patches; the dashboard's aggregates are summed from it.
  const mirrors = useQuery(trpc.mirror.list.queryOptions());
  const hosts = useQuery(trpc.host.list.queryOptions());
  const now = useNow(1000);

  if (dash.isPending) return <Card className="p-8 text-lg text-slate-500">Loading the dashboard…</Card>;
  if (dash.isError) return <Card className="p-8 text-lg text-rose-600">Could not load the dashboard: {errorMessage(dash.error)}</Card>;

  const d = dash.data;
  const list = mirrors.data ?? [];
  const worst = [...list].filter((m) => m.lagSeconds !== null).sort((a, b) => (b.lagSeconds ?? 0) - (a.lagSeconds ?? 0))[0];
  const moving = list.filter((m) => m.rateBytesPerSec >= 1).length;
  const hostsDown = d.hosts.total - d.hosts.online;
  const attentionByName = new Map(list.map((m) => [m.name, m]));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-semibold tracking-tight">Dashboard</h1>
          <p className="mt-1 text-base text-slate-500 dark:text-slate-400">Every mirror and host, live.</p>
        </div>
        <div className="text-right text-3xl font-semibold tabular-nums text-slate-700 dark:text-slate-200" suppressHydrationWarning>
          {new Date(now).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" })}
        </div>
      </div>

      <section aria-label="Mirrors by health" className="grid gap-4 md:grid-cols-3">
        <HealthTile level="ok" count={d.counts.ok} total={d.total} />
        <HealthTile level="warning" count={d.counts.warning} total={d.total} />
        <HealthTile level="critical" count={d.counts.critical} total={d.total} />
      </section>

      <section aria-label="Totals" className="grid gap-4 md:grid-cols-3">
        <Metric label="Throughput" testId="dash-throughput" value={formatRate(d.throughputBytesPerSec) === "–" ? "0 B/s" : formatRate(d.throughputBytesPerSec)} sub={`${moving} of ${list.length || d.total} mirror${(list.length || d.total) === 1 ? "" : "s"} moving data`} />
        <Metric
          label="Total lag"
          testId="dash-lag"
          value={formatBytes(d.lagBytes)}
          sub={worst && (worst.lagSeconds ?? 0) > 0 ? `worst: ${worst.name}, ${formatDuration(worst.lagSeconds)} behind` : "no mirror is behind"}
          tone={d.lagBytes > 0 ? "text-amber-600 dark:text-amber-400" : ""}
        />
        <Metric
          label="Hosts online"
          testId="dash-hosts"
          value={
            <>
              {d.hosts.online}
              <span className="text-slate-400 dark:text-slate-500">/{d.hosts.total}</span>
            </>
          }
          tone={hostsDown > 0 ? "text-rose-600 dark:text-rose-400" : "text-emerald-600 dark:text-emerald-400"}
          sub={
            hosts.data?.length ? (
              <span className="flex flex-wrap gap-x-4 gap-y-1">
                {hosts.data.map((h) => (
                  <span key={h.id} className="inline-flex items-center gap-1.5" title={h.statusReason ?? h.status}>
                    <span className={`h-2.5 w-2.5 rounded-full ${h.status === "online" ? "bg-emerald-500" : h.status === "degraded" ? "bg-amber-500" : h.status === "offline" ? "bg-rose-500" : "bg-slate-400"}`} aria-hidden />
                    {h.name} <span className="text-slate-400">{h.status}</span>
                  </span>
                ))}
              </span>
            ) : undefined
          }
        />
      </section>

      <section aria-labelledby="attention-title" data-testid="dash-attention">
        <h2 id="attention-title" className="mb-3 text-xl font-semibold tracking-tight">
          Needs attention <span className="font-normal text-slate-500 dark:text-slate-400">{d.attention.length}</span>
        </h2>
        {d.attention.length === 0 ? (
          <Card className="flex items-center gap-3 p-6 text-lg text-emerald-700 dark:text-emerald-300">
            <HealthIcon level="ok" className="h-7 w-7" />
            {d.total === 0 ? (
              <span>
                No mirrors yet.{" "}
                <Link href="/mirrors" className="text-sky-600 underline-offset-2 hover:underline dark:text-sky-400">
                  Create one
                </Link>
              </span>
            ) : (
              d.total === 1 ? "The mirror is healthy." : `All ${d.total} mirrors are healthy.`
            )}
          </Card>
        ) : (
          <Card className="divide-y divide-slate-100 overflow-hidden dark:divide-slate-800">
            {d.attention.map((a) => {
              const m = attentionByName.get(a.name);
              return (
                <Link
                  key={a.name}
                  href={mirrorHref(a.name)}
                  data-testid={`attention-${a.name}`}
                  className={`flex flex-wrap items-center gap-x-5 gap-y-2 border-l-8 px-5 py-4 hover:bg-slate-50 dark:hover:bg-slate-800/40 ${a.health.level === "critical" ? "border-l-rose-500" : "border-l-amber-400"}`}
                >
                  <HealthIcon level={a.health.level} className={`h-7 w-7 ${a.health.level === "critical" ? "text-rose-500" : "text-amber-500"}`} />
                  <span className="min-w-40 text-xl font-semibold">{a.name}</span>
                  <MirrorStateBadge state={a.state} size="lg" />
                  <span className="min-w-0 flex-1 text-lg text-slate-700 first-letter:uppercase dark:text-slate-200">{a.health.reason}</span>
                  {m && copyInProgress(m) && (
                    <span className="w-48">
                      <ProgressBar percent={m.progress.percent} label={`copy progress of ${m.name}`} className="h-2" />
                      <span className="mt-1 block text-right text-sm font-semibold tabular-nums" data-testid="attention-percent">
                        {formatPercent(m.progress.percent)}
                      </span>
                    </span>
                  )}
                </Link>
              );
            })}
          </Card>
        )}
      </section>

      {list.length > 0 && (
        <section aria-labelledby="all-title">
          <h2 id="all-title" className="mb-3 text-xl font-semibold tracking-tight">
            All mirrors <span className="font-normal text-slate-500 dark:text-slate-400">{list.length}</span>
          </h2>
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {list.map((m) => (
              <MirrorTile key={m.id} m={m} />
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
