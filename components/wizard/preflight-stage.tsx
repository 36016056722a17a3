"use client";
// Stage 2: the plan's preflight checks, each passing or failing with its reason. The list is
// refetched whenever the mirror or a host changes (see mirror-cache / use-realtime).
import type { UseQueryResult } from "@tanstack/react-query";
import { errorMessage } from "@/lib/errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { isForcedNote, MOVE_KIND_INFO, type MoveKind, type MovePlan } from "./move-kinds";
import { MarkIcon, readableBytes } from "./wizard-parts";

export function ChecksList({ kind, plan }: { kind: MoveKind; plan: MovePlan }) {
  return (
    <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg ring-1 ring-inset ring-slate-200 dark:divide-slate-800 dark:ring-slate-700/70" data-testid="preflight-checks">
      {plan.checks.map((c) => {
        const mark = !c.ok ? "fail" : isForcedNote(kind, c) ? "warn" : "pass";
        return (
          <li
            key={c.name}
            data-testid="preflight-check"
            data-ok={c.ok ? "true" : "false"}
            className={`flex items-start gap-3 px-4 py-3 ${mark === "fail" ? "bg-rose-50/60 dark:bg-rose-500/5" : mark === "warn" ? "bg-amber-50/60 dark:bg-amber-500/5" : ""}`}
          >
            <MarkIcon mark={mark} label={mark === "fail" ? "fails" : mark === "warn" ? "passes, with a note" : "passes"} />
            <div className="min-w-0">
              <div className="text-sm font-medium text-slate-900 dark:text-slate-100">{c.name}</div>
              <div className={`text-sm ${mark === "fail" ? "text-rose-700 dark:text-rose-300" : mark === "warn" ? "text-amber-800 dark:text-amber-300" : "text-slate-500 dark:text-slate-400"}`}>{readableBytes(c.reason)}</div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function PreflightStage({ kind, q }: { kind: MoveKind; q: UseQueryResult<MovePlan> }) {
  if (q.isPending)
    return (
      <div className="flex items-center gap-2 py-6 text-sm text-slate-500 dark:text-slate-400">
        <MarkIcon mark="running" className="h-4 w-4" label="" /> Checking the hosts and the mirror…
      </div>
    );
  if (q.isError) return <Alert tone="error" title="The preflight could not be checked">{errorMessage(q.error)}</Alert>;
  const plan = q.data;
  const failed = plan.checks.filter((c) => !c.ok);
  const forced = plan.checks.find((c) => isForcedNote(kind, c));
  return (
    <div className="space-y-4">
      {failed.length === 0 ? (
        <Alert tone="success" testId="preflight-summary" title={`All ${plan.checks.length} checks pass`}>
          {MOVE_KIND_INFO[kind].title} of {plan.mirror} can go ahead. Next shows the plan; nothing changes until you confirm.
        </Alert>
      ) : (
        <Alert tone="warning" testId="preflight-summary" title={`${failed.length} of ${plan.checks.length} checks fail`}>
          {MOVE_KIND_INFO[kind].title} cannot start until they pass. This list refreshes by itself when the mirror or a host changes.
        </Alert>
      )}
      <ChecksList kind={kind} plan={plan} />
      {forced && (
        <Alert tone="warning" title="This failover would be forced" testId="preflight-forced">
          {forced.reason}. You will be asked to confirm the force before it starts.
        </Alert>
      )}
      <div className="flex flex-wrap items-center gap-3 text-xs text-slate-500 dark:text-slate-400">
        <span className="inline-flex items-center gap-1.5" aria-live="polite">
          {q.isFetching ? <MarkIcon mark="running" className="h-3.5 w-3.5" label="" /> : <span className="h-1.5 w-1.5 rounded-full bg-emerald-500" aria-hidden />}
          {q.isFetching ? "Checking again…" : `Live · last checked ${new Date(q.dataUpdatedAt).toLocaleTimeString()}`}
        </span>
        <Button size="sm" variant="ghost" onClick={() => void q.refetch()} disabled={q.isFetching}>
          Check again
        </Button>
      </div>
    </div>
  );
}
