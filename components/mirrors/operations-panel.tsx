"use client";
// A mirror's operations, newest first, each with its persisted steps: state, times, bytes moved
// and the error of a failed step. Step progress is patched live from `operation.step` events.
import { formatAgo, formatBytes, formatDateTime, formatDuration } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { CardTitle } from "@/components/storage/lu-panel";
import type { MirrorDetail } from "./mirror-cache";
import { ProgressBar, Spinner } from "./mirror-badges";

type Op = MirrorDetail["operations"][number];
type Step = Op["steps"][number];

const KIND_LABEL: Record<string, string> = {
  "mirror.create": "Create and initialize",
  "mirror.modify": "Modify",
  "mirror.pause": "Pause",
  "mirror.resume": "Resume",
  "mirror.delete": "Delete",
  "mirror.reverse": "Reverse",
  "mirror.failover": "Failover",
  "mirror.failback": "Failback",
  "mirror.verify": "Verify",
};

const statusTone = { pending: "neutral", running: "sky", succeeded: "success", failed: "danger", cancelled: "neutral" } as const;

function StatusIcon({ status }: { status: string }) {
  if (status === "running")
    return (
      <span className="text-sky-600 dark:text-sky-400">
        <Spinner className="h-4 w-4" />
      </span>
    );
  const cls =
    status === "succeeded"
      ? "bg-emerald-500 text-white"
      : status === "failed"
        ? "bg-rose-500 text-white"
        : "bg-white ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:ring-slate-600";
  return (
    <span className={`flex h-4 w-4 items-center justify-center rounded-full ${cls}`} aria-hidden>
      {status === "succeeded" && (
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-3 w-3">
          <path fillRule="evenodd" d="M16.704 4.153a.75.75 0 01.143 1.052l-8 10.5a.75.75 0 01-1.127.075l-4.5-4.5a.75.75 0 011.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 011.05-.143z" clipRule="evenodd" />
        </svg>
      )}
      {status === "failed" && <span className="text-[10px] font-bold leading-none">!</span>}
    </span>
  );
}

function span(a: string | null, b: string | null, now: number): string | null {
  if (!a) return null;
  const end = b ? Date.parse(b) : now;
  return formatDuration((end - Date.parse(a)) / 1000);
}

function StepRow({ step, now }: { step: Step; now: number }) {
  const took = span(step.startedAt, step.finishedAt, now);
  const pct = step.bytesTotal ? (step.bytesDone / step.bytesTotal) * 100 : null;
  return (
    <li className="flex gap-3 py-2" data-testid={`step-${step.name}`} data-status={step.status}>
      <div className="pt-0.5">
        <StatusIcon status={step.status} />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-3">
          <span className={`text-sm ${step.status === "pending" ? "text-slate-500 dark:text-slate-400" : "font-medium"}`}>{step.title}</span>
          <span className="text-xs tabular-nums text-slate-500 dark:text-slate-400">
            {step.startedAt ? (
              <>
                {new Date(step.startedAt).toLocaleTimeString()}
                {took && ` · ${step.status === "running" ? "running for " : ""}${took}`}
              </>
            ) : (
              step.status
            )}
          </span>
        </div>
        {(step.bytesTotal !== null || step.bytesDone > 0) && (
          <div className="mt-1 flex items-center gap-3">
            {step.bytesTotal !== null && <ProgressBar percent={pct} label={`${step.title} progress`} className="h-1 max-w-56" tone={step.status === "running" ? "sky" : "slate"} />}
            <span className="whitespace-nowrap text-xs tabular-nums text-slate-500 dark:text-slate-400">
              {formatBytes(step.bytesDone)}
              {step.bytesTotal !== null && ` of ${formatBytes(step.bytesTotal)}`}
            </span>
          </div>
        )}
        {step.error && <div className="mt-1 break-words rounded bg-rose-50 px-2 py-1 text-xs text-rose-800 dark:bg-rose-500/10 dark:text-rose-200">{step.error}</div>}
      </div>
    </li>
  );
}

function OperationItem({ op, now, open }: { op: Op; now: number; open: boolean }) {
  const took = span(op.createdAt, op.finishedAt, now);
  return (
    <details open={open} className="group" data-testid={`operation-${op.kind}`} data-status={op.status}>
      <summary className="flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
        <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 flex-none text-slate-400 transition group-open:rotate-90" aria-hidden>
          <path fillRule="evenodd" d="M7.21 14.77a.75.75 0 01.02-1.06L11.168 10 7.23 6.29a.75.75 0 111.04-1.08l4.5 4.25a.75.75 0 010 1.08l-4.5 4.25a.75.75 0 01-1.06-.02z" clipRule="evenodd" />
        </svg>
        <span className="font-medium">{KIND_LABEL[op.kind] ?? op.kind}</span>
        <Badge tone={statusTone[op.status as keyof typeof statusTone] ?? "neutral"}>{op.status}</Badge>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          by {op.actor} · {formatAgo(op.createdAt, now)}
          {took && ` · ${op.finishedAt ? "took" : "running for"} ${took}`}
        </span>
        <span className="ml-auto text-xs text-slate-400" title={formatDateTime(op.createdAt)}>
          {op.steps.length ? `${op.steps.filter((s) => s.status === "succeeded").length}/${op.steps.length} steps` : formatDateTime(op.createdAt)}
        </span>
      </summary>
      <div className="px-5 pb-3 pl-12">
        {op.error && <div className="mb-2 break-words rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-500/10 dark:text-rose-200">{op.error}</div>}
        {op.steps.length ? (
          <ol className="divide-y divide-slate-100 dark:divide-slate-800">
            {op.steps.map((s) => (
              <StepRow key={s.name} step={s} now={now} />
            ))}
          </ol>
        ) : (
          <p className="py-2 text-sm text-slate-500 dark:text-slate-400">{op.status === "pending" ? "Waiting for a worker…" : "A single action without separate steps."}</p>
        )}
      </div>
    </details>
  );
}

export function OperationsPanel({ operations, now }: { operations: Op[]; now: number }) {
  // Open what is running or failed, and the newest operation that has steps to show.
  const firstWithSteps = operations.find((o) => o.steps.length > 0)?.id;
  return (
    <Card data-testid="mirror-operations">
      <CardTitle>
        Operations <span className="ml-1 font-normal text-slate-500 dark:text-slate-400">{operations.length}</span>
      </CardTitle>
      {operations.length === 0 ? (
        <div className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">No operations yet.</div>
      ) : (
        <div className="divide-y divide-slate-100 dark:divide-slate-800">
          {operations.map((op) => (
            <OperationItem key={op.id} op={op} now={now} open={op.status === "running" || op.status === "pending" || op.status === "failed" || op.id === firstWithSteps} />
          ))}
        </div>
      )}
    </Card>
  );
}
