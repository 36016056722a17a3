import { formatBytes } from "@/lib/format";

/** A thin bar of used against total; the caption defaults to "X free of Y". */
export function UsageBar({ used, total, label, caption }: { used: number; total: number; label?: string; caption?: React.ReactNode }) {
  const pct = total > 0 ? Math.min(100, (used / total) * 100) : 0;
  const tone = pct > 90 ? "bg-rose-500" : pct > 75 ? "bg-amber-500" : "bg-sky-500";
  return (
    <div className="min-w-40">
      <div className="h-1.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={label ?? "usage"}>
        <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
      </div>
      <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{caption ?? `${formatBytes(total - used)} free of ${formatBytes(total)}`}</div>
    </div>
  );
}
