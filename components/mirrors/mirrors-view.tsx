"use client";
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatRate } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { Direction, HealthBadge, LagText, MirrorProgress, MirrorStateBadge, ModeBadge } from "./mirror-badges";
import { NewMirrorDialog } from "./new-mirror-dialog";
import { moveHref } from "@/components/wizard/move-kinds";

export const mirrorHref = (name: string) => `/mirrors/${encodeURIComponent(name)}`;

export function MirrorsView() {
  const trpc = useTRPC();
  const { can } = useCan();
  const mirrors = useQuery(trpc.mirror.list.queryOptions());
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Mirrors"
        description="Each mirror copies a volume on one host of a pair to a volume on the other. Progress, lag and rate update live."
        actions={
          <Button onClick={() => setCreating(true)} disabled={!can("operator")} title={can("operator") ? undefined : "Needs the operator role"}>
            <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden>
              <path d="M10.75 4.75a.75.75 0 00-1.5 0v4.5h-4.5a.75.75 0 000 1.5h4.5v4.5a.75.75 0 001.5 0v-4.5h4.5a.75.75 0 000-1.5h-4.5v-4.5z" />
            </svg>
            New mirror
          </Button>
        }
      />
      {mirrors.isPending ? (
        <Card className="p-8 text-sm text-slate-500">Loading mirrors…</Card>
      ) : mirrors.isError ? (
        <Card className="p-8 text-sm text-rose-600">Could not load mirrors: {errorMessage(mirrors.error)}</Card>
      ) : mirrors.data.length === 0 ? (
        <Card className="p-10 text-center text-sm text-slate-500 dark:text-slate-400">
          <div className="font-medium text-slate-700 dark:text-slate-200">No mirrors yet</div>
          <p className="mt-1">
            Create one with “New mirror”: pick a volume on one host of a pair, and Tandem copies it to the other host and keeps the copy current.
          </p>
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
              <tr>
                <th className="px-4 py-3 font-medium">Mirror</th>
                <th className="px-4 py-3 font-medium">Direction</th>
                <th className="px-4 py-3 font-medium">Mode</th>
                <th className="px-4 py-3 font-medium">State</th>
                <th className="px-4 py-3 font-medium">Health</th>
                <th className="w-52 px-4 py-3 font-medium">Copy progress</th>
                <th className="px-4 py-3 text-right font-medium">Lag</th>
                <th className="px-4 py-3 text-right font-medium">Rate</th>
                <th className="px-4 py-3 text-right font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {mirrors.data.map((m) => (
                <tr key={m.id} data-testid={`mirror-row-${m.name}`} className="align-top hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
                  <td className="px-4 py-3">
                    <Link href={mirrorHref(m.name)} className="font-medium hover:text-sky-600 hover:underline dark:hover:text-sky-400">
                      {m.name}
                    </Link>
                    {m.description && <div className="mt-0.5 max-w-48 truncate text-xs text-slate-500 dark:text-slate-400" title={m.description}>{m.description}</div>}
                  </td>
                  <td className="px-4 py-3">
                    <Direction source={m.source} target={m.target} failedOver={m.state === "failed_over"} />
                  </td>
                  <td className="px-4 py-3">
                    <ModeBadge mode={m.mode} />
                  </td>
                  <td className="px-4 py-3">
                    <MirrorStateBadge state={m.state} reason={m.stateReason} />
                  </td>
                  <td className="px-4 py-3">
                    <HealthBadge health={m.health} showReason={m.health.level !== "ok"} />
                  </td>
                  <td className="px-4 py-3">
                    <MirrorProgress mirror={m} />
                  </td>
                  <td className="px-4 py-3 text-right">
                    <LagText mirror={m} />
                  </td>
                  <td className="px-4 py-3 text-right tabular-nums" data-testid="mirror-rate">
                    {formatRate(m.rateBytesPerSec)}
                  </td>
                  <td className="px-4 py-3 text-right">
                    <Link
                      href={moveHref(m.name)}
                      className="whitespace-nowrap rounded-md px-2 py-1 text-xs font-semibold text-sky-700 ring-1 ring-inset ring-sky-600/30 hover:bg-sky-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-sky-300 dark:ring-sky-400/30 dark:hover:bg-sky-500/10"
                      data-testid="mirror-move-link"
                    >
                      Reverse / fail over…
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <NewMirrorDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
