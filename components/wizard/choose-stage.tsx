"use client";
// Stage 1: which move. Every kind can be chosen; each says at once whether its preflight would
// pass, and the next stage explains why not.
import type { UseQueryResult } from "@tanstack/react-query";
import { MOVE_KIND_INFO, MOVE_KINDS, type MoveKind, type MovePlan } from "./move-kinds";
import { MarkIcon } from "./wizard-parts";

function KindIcon({ kind }: { kind: MoveKind }) {
  const d =
    kind === "reverse"
      ? "M4 7h12m0 0l-3-3m3 3l-3 3M16 13H4m0 0l3-3m-3 3l3 3"
      : kind === "failover"
        ? "M11 2L4 11h5l-1 7 7-9h-5l1-7z"
        : "M8 5L4 9l4 4M4 9h8a4 4 0 010 8h-2";
  return (
    <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinecap="round" strokeLinejoin="round" className="h-5 w-5" aria-hidden>
      <path d={d} />
    </svg>
  );
}

function PreflightHint({ q }: { q: UseQueryResult<MovePlan> | undefined }) {
  if (!q || q.isPending)
    return (
      <span className="inline-flex items-center gap-1.5 text-xs text-slate-500 dark:text-slate-400">
        <MarkIcon mark="running" className="h-3.5 w-3.5" label="checking" /> checking preflight…
      </span>
    );
  if (q.isError) return <span className="text-xs text-rose-600 dark:text-rose-400">preflight could not be checked</span>;
  const failed = q.data.checks.filter((c) => !c.ok);
  if (!failed.length)
    return (
      <span className="inline-flex items-center gap-1.5 text-xs font-medium text-emerald-700 dark:text-emerald-300" data-testid="kind-ready">
        <MarkIcon mark="pass" className="h-4 w-4" label="" /> preflight passes
      </span>
    );
  return (
    <span className="inline-flex items-start gap-1.5 text-xs text-amber-800 dark:text-amber-300" data-testid="kind-not-ready">
      <MarkIcon mark="warn" className="mt-px h-4 w-4" label="" />
      <span>
        {failed.length} of {q.data.checks.length} checks fail now: {failed.map((c) => c.name).join(", ")}
      </span>
    </span>
  );
}

export function ChooseStage({ kind, onKind, plans, locked }: { kind: MoveKind; onKind: (k: MoveKind) => void; plans: Record<MoveKind, UseQueryResult<MovePlan>>; locked?: boolean }) {
  return (
    <fieldset disabled={locked}>
      <legend className="mb-3 text-sm text-slate-600 dark:text-slate-300">What do you want to do with this mirror?</legend>
      <div className="grid gap-3 lg:grid-cols-3">
        {MOVE_KINDS.map((k) => {
          const info = MOVE_KIND_INFO[k];
          const selected = kind === k;
          return (
            <label
              key={k}
              data-testid={`kind-${k}`}
              className={`relative flex cursor-pointer gap-3 rounded-xl p-4 ring-1 ring-inset transition has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-sky-600 ${
                selected ? "bg-sky-50 ring-2 ring-sky-600 dark:bg-sky-500/10 dark:ring-sky-400" : "bg-white ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:ring-slate-700 dark:hover:bg-slate-800/60"
              }`}
            >
              <input type="radio" name="move-kind" value={k} checked={selected} onChange={() => onKind(k)} className="sr-only" aria-describedby={`kind-${k}-line`} />
              <span className={`flex h-9 w-9 flex-none items-center justify-center rounded-lg ${selected ? "bg-sky-600 text-white" : "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300"}`}>
                <KindIcon kind={k} />
              </span>
              <span className="min-w-0">
                <span className="block font-semibold text-slate-900 dark:text-white">{info.title}</span>
                <span id={`kind-${k}-line`} className="mt-0.5 block text-sm text-slate-600 dark:text-slate-300">
                  {info.line}
                </span>
                <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">Use it {info.when}.</span>
                <span className="mt-2 block">
                  <PreflightHint q={plans[k]} />
                </span>
              </span>
              {selected && (
                <svg viewBox="0 0 20 20" fill="currentColor" className="absolute right-3 top-3 h-5 w-5 text-sky-600 dark:text-sky-400" aria-hidden>
                  <path fillRule="evenodd" clipRule="evenodd" d="M10 18a8 8 0 100-16 8 8 0 000 16zm3.857-9.809a.75.75 0 00-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 10-1.06 1.061l2.5 2.5a.75.75 0 001.137-.089l4-5.5z" />
                </svg>
              )}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
