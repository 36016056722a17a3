"use client";
import { formatAgo, formatDateTime } from "@/lib/format";
import { Card } from "@/components/ui/card";
import { CardTitle } from "@/components/storage/lu-panel";
import type { MirrorDetail } from "./mirror-cache";

type Ev = MirrorDetail["events"][number];

function dot(kind: string, message: string) {
  if (/failed|error|broken/.test(kind) || /→ (error|broken|failed_over)/.test(message)) return "bg-rose-500 ring-rose-500/20";
  if (/→ in_sync|succeeded/.test(`${kind} ${message}`)) return "bg-emerald-500 ring-emerald-500/20";
  if (/→ (lagging|paused)/.test(message)) return "bg-amber-500 ring-amber-500/20";
  if (kind === "mirror.state") return "bg-sky-500 ring-sky-500/20";
  return "bg-slate-400 ring-slate-400/20";
}

/** What happened to the mirror, newest first. */
export function EventsTimeline({ events, now }: { events: Ev[]; now: number }) {
  const sorted = [...events].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <Card data-testid="mirror-events">
      <CardTitle>
        Events <span className="ml-1 font-normal text-slate-500 dark:text-slate-400">{events.length}</span>
      </CardTitle>
      {sorted.length === 0 ? (
        <div className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">Nothing recorded yet.</div>
      ) : (
        <ol className="max-h-[32rem] overflow-y-auto px-5 py-4">
          {sorted.map((e, i) => (
            <li key={e.id} className="relative flex gap-3 pb-4 last:pb-0" data-testid="mirror-event" data-kind={e.kind}>
              {i < sorted.length - 1 && <span className="absolute left-[5px] top-4 h-full w-px bg-slate-200 dark:bg-slate-800" aria-hidden />}
              <span className={`relative mt-1.5 h-2.5 w-2.5 flex-none rounded-full ring-4 ${dot(e.kind, e.message)}`} aria-hidden />
              <div className="min-w-0 flex-1">
                <div className="break-words text-sm text-slate-800 dark:text-slate-200">{e.message}</div>
                <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400" title={formatDateTime(e.at)}>
                  {formatAgo(e.at, now)} · {e.actor} · <span className="font-mono">{e.kind}</span>
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
