const styles: Record<string, string> = {
  online: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  degraded: "bg-amber-50 text-amber-800 ring-amber-600/20 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30",
  offline: "bg-rose-50 text-rose-700 ring-rose-600/20 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
  maintenance: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/30",
};
const dots: Record<string, string> = {
  online: "bg-emerald-500",
  degraded: "bg-amber-500",
  offline: "bg-rose-500",
  maintenance: "bg-slate-400",
};

export function StatusBadge({ status, title }: { status: string; title?: string }) {
  return (
    <span
      title={title}
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${styles[status] ?? styles.maintenance}`}
    >
      <span className={`h-1.5 w-1.5 rounded-full ${dots[status] ?? dots.maintenance} ${status === "online" ? "animate-pulse" : ""}`} aria-hidden />
      {status}
    </span>
  );
}
