// ALUA access state of an LU on one node, always with its code. Transitional states pulse and
// carry a spinner so they stand out from the steady ones.
export const ACCESS_STATE_INFO: Record<string, { code: number; name: string }> = {
  active: { code: 0, name: "Active" },
  transition_to_active: { code: 1, name: "Transition to Active" },
  standby: { code: 2, name: "Standby" },
  transition_to_standby: { code: 3, name: "Transition to Standby" },
};

const styles: Record<string, string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  transition_to_active: "bg-sky-50 text-sky-700 ring-sky-600/30 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/40 animate-pulse",
  standby: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/30",
  transition_to_standby: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/40 animate-pulse",
};

export function accessStateLabel(state: string, code?: number) {
  const info = ACCESS_STATE_INFO[state];
  return `${info?.name ?? state} · ${code ?? info?.code ?? "?"}`;
}

export function AccessStateBadge({ state, code, title }: { state: string; code?: number; title?: string }) {
  const transitional = state.startsWith("transition_");
  return (
    <span
      data-access-state={state}
      title={title ?? `ALUA access state ${accessStateLabel(state, code)}`}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[state] ?? styles.standby}`}
    >
      {transitional ? (
        <svg viewBox="0 0 16 16" className="h-3 w-3 animate-spin" fill="none" aria-hidden>
          <circle cx="8" cy="8" r="6" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2" />
          <path d="M14 8a6 6 0 00-6-6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      ) : (
        <span className={`h-1.5 w-1.5 rounded-full ${state === "active" ? "bg-emerald-500" : "bg-slate-400"}`} aria-hidden />
      )}
      {accessStateLabel(state, code)}
    </span>
  );
}
