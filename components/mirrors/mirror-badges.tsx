// How a mirror's state, health, direction, mode and copy progress look everywhere in the console.
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { formatBytes, formatDuration } from "@/lib/format";

export const MIRROR_STATE_LABEL: Record<string, string> = {
  uninitialized: "Uninitialized",
  syncing: "Syncing",
  in_sync: "In sync",
  lagging: "Lagging",
  paused: "Paused",
  broken: "Broken",
  failed_over: "Failed over",
  resyncing: "Resyncing",
  reversing: "Reversing",
  error: "Error",
};

const STATE_HELP: Record<string, string> = {
  uninitialized: "Created; the initial copy has not started yet",
  syncing: "Initial copy in progress: the target is not complete yet",
  in_sync: "The target holds the same data as the source",
  lagging: "Replicating, but the target is behind the source",
  paused: "Replication is paused; writes on the source are tracked and copied on resume",
  broken: "The replication link is down; the source keeps serving and catches up when it heals",
  failed_over: "The target was promoted and serves clients; the source is fenced",
  resyncing: "Copying changes back after a failover (failback / restore)",
  reversing: "The direction is being reversed",
  error: "The mirror job failed; see the operations and events",
};

const stateTone: Record<string, string> = {
  in_sync: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  syncing: "bg-sky-50 text-sky-700 ring-sky-600/30 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/40",
  resyncing: "bg-sky-50 text-sky-700 ring-sky-600/30 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/40",
  reversing: "bg-violet-50 text-violet-700 ring-violet-600/30 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/40",
  lagging: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/40",
  paused: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/30",
  uninitialized: "bg-slate-100 text-slate-600 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/30",
  broken: "bg-rose-50 text-rose-700 ring-rose-600/20 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
  failed_over: "bg-rose-50 text-rose-700 ring-rose-600/20 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
  error: "bg-rose-50 text-rose-700 ring-rose-600/20 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
};
const stateDot: Record<string, string> = {
  in_sync: "bg-emerald-500",
  lagging: "bg-amber-500",
  paused: "bg-slate-400",
  uninitialized: "bg-slate-400",
  broken: "bg-rose-500",
  failed_over: "bg-rose-500",
  error: "bg-rose-500",
};
const MOVING = new Set(["syncing", "resyncing", "reversing"]);

export function Spinner({ className = "h-3 w-3" }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" className={`${className} animate-spin`} fill="none" aria-hidden>
      <circle cx="8" cy="8" r="6" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2" />
      <path d="M14 8a6 6 0 00-6-6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

export function MirrorStateBadge({ state, reason, size = "sm" }: { state: string; reason?: string | null; size?: "sm" | "lg" }) {
  const label = MIRROR_STATE_LABEL[state] ?? state;
  const title = [STATE_HELP[state], reason].filter(Boolean).join(": ");
  return (
    <span
      data-mirror-state={state}
      title={title || undefined}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full font-medium ring-1 ring-inset ${size === "lg" ? "px-3 py-1 text-sm" : "px-2.5 py-0.5 text-xs"} ${stateTone[state] ?? stateTone.error}`}
    >
      {MOVING.has(state) ? <Spinner className={size === "lg" ? "h-3.5 w-3.5" : "h-3 w-3"} /> : <span className={`h-1.5 w-1.5 rounded-full ${stateDot[state] ?? "bg-slate-400"}`} aria-hidden />}
      {label}
    </span>
  );
}

export const HEALTH_LABEL = { ok: "OK", warning: "Warning", critical: "Critical" } as const;
const healthTone = {
  ok: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  warning: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/40",
  critical: "bg-rose-600 text-white ring-rose-700/40 dark:bg-rose-500/90 dark:text-white dark:ring-rose-300/40",
};

export function HealthIcon({ level, className = "h-3.5 w-3.5" }: { level: "ok" | "warning" | "critical"; className?: string }) {
  const d =
    level === "ok"
      ? "M10 18a8 8 0 100-16 8 8 0 000 16zm3.857-9.809a.75.75 0 00-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 10-1.06 1.061l2.5 2.5a.75.75 0 001.137-.089l4-5.5z"
      : level === "warning"
        ? "M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495zM10 5a.75.75 0 01.75.75v3.5a.75.75 0 01-1.5 0v-3.5A.75.75 0 0110 5zm0 9a1 1 0 100-2 1 1 0 000 2z"
        : "M10 18a8 8 0 100-16 8 8 0 000 16zM8.28 7.22a.75.75 0 00-1.06 1.06L8.94 10l-1.72 1.72a.75.75 0 101.06 1.06L10 11.06l1.72 1.72a.75.75 0 101.06-1.06L11.06 10l1.72-1.72a.75.75 0 00-1.06-1.06L10 8.94 8.28 7.22z";
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className={`${className} flex-none`} aria-hidden>
      <path fillRule="evenodd" clipRule="evenodd" d={d} />
    </svg>
  );
}

/** Health level with its reason: on hover always, and written below when `showReason`. */
export function HealthBadge({ health, showReason = false, size = "sm" }: { health: MirrorDto["health"]; showReason?: boolean; size?: "sm" | "lg" }) {
  return (
    <div className="min-w-0" data-health={health.level}>
      <span
        title={health.reason}
        className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full font-semibold ring-1 ring-inset ${size === "lg" ? "px-3 py-1 text-sm" : "px-2 py-0.5 text-xs"} ${healthTone[health.level]}`}
      >
        <HealthIcon level={health.level} className={size === "lg" ? "h-4 w-4" : "h-3.5 w-3.5"} />
        {HEALTH_LABEL[health.level]}
      </span>
      {showReason && (
        <div data-testid="health-reason" className="mt-1 max-w-64 text-xs leading-snug text-slate-500 first-letter:uppercase dark:text-slate-400">
          {health.reason}
        </div>
      )}
    </div>
  );
}

export function Arrow({ className = "h-4 w-4" }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" className={`${className} flex-none text-sky-600 dark:text-sky-400`} aria-hidden>
      <path d="M3 10h13M11 5l5 5-5 5" />
    </svg>
  );
}

function End({ host, volume }: { host: string; volume: string }) {
  return (
    <span className="whitespace-nowrap font-mono text-[0.8125rem]">
      <span className="text-slate-500 dark:text-slate-400">{host}/</span>
      <span className="text-slate-900 dark:text-slate-100">{volume}</span>
    </span>
  );
}

/**
 * "h1/vol-a → h2/vol-b"; the arrow is drawn, the text reads "h1/vol-a → h2/vol-b" too. A failed
 * over mirror keeps that direction on record until failback, but nothing flows: it says who
 * serves instead.
 */
export function Direction({
  source,
  target,
  failedOver = false,
}: {
  source: { host: string; volume: string };
  target: { host: string; volume: string };
  failedOver?: boolean;
}) {
  if (failedOver) {
    return (
      <span className="inline-flex flex-wrap items-center gap-x-1.5" data-testid="mirror-direction" title={`${target.host}/${target.volume} serves clients; ${source.host}/${source.volume} is fenced; nothing flows until failback`}>
        <End {...target} />
        <span className="text-xs text-slate-500 dark:text-slate-400">serves clients ·</span>
        <End {...source} />
        <span className="text-xs text-slate-500 dark:text-slate-400">fenced, nothing flows</span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-x-1.5" data-testid="mirror-direction" title={`data flows from ${source.host}/${source.volume} to ${target.host}/${target.volume}`}>
      <End {...source} />
      <Arrow />
      <span className="sr-only">→</span>
      <End {...target} />
    </span>
  );
}

export const MODE_HELP = {
  sync: "Synchronous: every write reaches both sides before it completes. RPO 0.",
  async: "Asynchronous: changes are copied in the background. RPO = the lag.",
} as const;

export function ModeBadge({ mode }: { mode: string }) {
  return (
    <span
      title={MODE_HELP[mode as keyof typeof MODE_HELP]}
      className="inline-flex items-center rounded-md bg-slate-100 px-1.5 py-0.5 font-mono text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30"
    >
      {mode}
    </span>
  );
}

export function formatPercent(p: number | null): string {
  if (p === null) return "–";
  return p >= 100 ? "100%" : `${p.toFixed(1)}%`;
}

/** Whether the copy bar belongs on screen: a copy is running (or stopped half-way). */
export function copyInProgress(m: Pick<MirrorDto, "state" | "progress">): boolean {
  if (m.state === "syncing" || m.state === "resyncing") return true;
  return m.progress.phase === "copying" && (m.progress.percent ?? 100) < 100;
}

export function ProgressBar({ percent, tone = "sky", className = "h-1.5", label }: { percent: number | null; tone?: "sky" | "amber" | "slate"; className?: string; label: string }) {
  const pct = Math.max(0, Math.min(100, percent ?? 0));
  const fill = tone === "amber" ? "bg-amber-500" : tone === "slate" ? "bg-slate-400" : "bg-sky-500";
  return (
    <div
      className={`w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800 ${className}`}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent === null ? undefined : Math.round(pct * 10) / 10}
      aria-label={label}
    >
      <div className={`h-full rounded-full ${fill} transition-[width] duration-300 ease-out`} style={{ width: `${pct}%` }} />
    </div>
  );
}

/** The copy progress of a mirror for tables: bar, percent and ETA while copying. */
export function MirrorProgress({ mirror }: { mirror: MirrorDto }) {
  const p = mirror.progress;
  if (copyInProgress(mirror)) {
    return (
      <div className="w-44" data-testid="mirror-progress" data-percent={p.percent === null ? "" : p.percent.toFixed(1)}>
        <ProgressBar percent={p.percent} label={`copy progress of ${mirror.name}`} tone={mirror.state === "syncing" || mirror.state === "resyncing" ? "sky" : "slate"} />
        <div className="mt-1 flex justify-between gap-2 text-xs tabular-nums text-slate-600 dark:text-slate-300">
          <span className="font-semibold">{formatPercent(p.percent)}</span>
          <span className="text-slate-500 dark:text-slate-400">{p.etaSeconds !== null ? `ETA ${formatDuration(p.etaSeconds)}` : p.phase === "starting" ? "starting" : "ETA –"}</span>
        </div>
        <div className="text-[0.6875rem] tabular-nums text-slate-400 dark:text-slate-500">
          {formatBytes(p.doneBytes)} of {formatBytes(p.totalBytes)}
        </div>
      </div>
    );
  }
  const text =
    mirror.state === "in_sync" || mirror.state === "lagging"
      ? "initial copy done"
      : mirror.state === "uninitialized"
        ? "not started"
        : mirror.state === "paused" && p.percent !== null && p.percent < 100
          ? `paused at ${formatPercent(p.percent)}`
          : "–";
  return (
    <span data-testid="mirror-progress" data-percent={p.percent === null ? "" : p.percent.toFixed(1)} className="text-xs text-slate-500 dark:text-slate-400">
      {text}
    </span>
  );
}

export function LagText({ mirror }: { mirror: Pick<MirrorDto, "lagBytes" | "lagSeconds" | "mode" | "state"> }) {
  if (mirror.state === "uninitialized") return <span className="text-slate-400">–</span>;
  return (
    <span className="tabular-nums" data-testid="mirror-lag">
      <span className={mirror.lagBytes > 0 ? "text-slate-900 dark:text-slate-100" : "text-slate-500 dark:text-slate-400"}>{formatBytes(mirror.lagBytes)}</span>
      <span className="block text-xs text-slate-500 dark:text-slate-400">{mirror.lagSeconds === null ? "– s" : formatDuration(mirror.lagSeconds)}</span>
    </span>
  );
}
