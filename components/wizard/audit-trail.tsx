"use client";
// The mirror's audit records, newest first: who asked for what, why, by hand or automatically.
// The records of the operation being followed are marked.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorCode, errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { Badge } from "@/components/ui/badge";

function operationOf(after: unknown): string | null {
  const id = (after as { operationId?: unknown } | null)?.operationId;
  return typeof id === "string" ? id : null;
}

export function AuditTrail({ subject, operationId, limit = 30 }: { subject: string; operationId: string | null; limit?: number }) {
  const trpc = useTRPC();
  const audit = useQuery(trpc.audit.list.queryOptions({ limit, subject }));
  if (audit.isPending) return <p className="px-5 py-4 text-sm text-slate-400">Loading the audit trail…</p>;
  if (audit.isError)
    return (
      <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400" data-testid="audit-unavailable">
        {errorCode(audit.error) === "FORBIDDEN" ? "The audit trail is shown to operators and admins." : `The audit trail could not be loaded: ${errorMessage(audit.error)}`}
      </p>
    );
  if (!audit.data.length) return <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">No audit records for {subject} yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="audit-trail">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
          <tr>
            <th className="px-5 py-2.5 font-medium">Time</th>
            <th className="px-3 py-2.5 font-medium">Actor</th>
            <th className="px-3 py-2.5 font-medium">Action</th>
            <th className="px-3 py-2.5 font-medium">Manual / auto</th>
            <th className="px-5 py-2.5 font-medium">Reason</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {audit.data.map((r) => {
            const mine = operationId !== null && operationOf(r.after) === operationId;
            const outcome = r.action.endsWith(".failed") ? "danger" : r.action.endsWith(".succeeded") ? "success" : null;
            return (
              <tr key={r.seq} data-testid="audit-row" data-action={r.action} data-mine={mine ? "true" : undefined} className={mine ? "bg-sky-50/70 dark:bg-sky-500/5" : ""}>
                <td className="whitespace-nowrap px-5 py-2.5 tabular-nums text-slate-600 dark:text-slate-300">
                  <time dateTime={r.at}>{formatDateTime(r.at)}</time>
                </td>
                <td className="px-3 py-2.5">{r.actor}</td>
                <td className="px-3 py-2.5">
                  <span className="inline-flex flex-wrap items-center gap-1.5">
                    <code className={`font-mono text-xs ${outcome === "danger" ? "text-rose-700 dark:text-rose-300" : outcome === "success" ? "text-emerald-700 dark:text-emerald-300" : "text-slate-800 dark:text-slate-200"}`}>{r.action}</code>
                    {mine && <Badge tone="sky">this move</Badge>}
                  </span>
                </td>
                <td className="px-3 py-2.5">
                  <Badge tone={r.manual ? "neutral" : "warning"}>{r.manual ? "manual" : "automatic"}</Badge>
                </td>
                <td className="px-5 py-2.5 text-slate-600 dark:text-slate-300">{r.reason || <span className="text-slate-400">–</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
