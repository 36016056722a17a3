"use client";
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { VolumeDto } from "@/server/services/storage/storage-dto";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { AccessStateBadge } from "@/components/ui/access-state-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { UsageBar } from "@/components/ui/usage-bar";
import { DeleteVolumeDialog } from "./delete-volume-dialog";
import { DriftBanner } from "./drift-banner";
import { NewVolumeDialog } from "./new-volume-dialog";
import { ResizeVolumeDialog } from "./resize-volume-dialog";

export const volumeHref = (v: { host: string; name: string }) => `/volumes/${encodeURIComponent(v.host)}/${encodeURIComponent(v.name)}`;

export function shortGuid(guid: string) {
  return `${guid.slice(0, 8)}…${guid.slice(-4)}`;
}

export function VolumesView() {
  const trpc = useTRPC();
  const { can } = useCan();
  const volumes = useQuery(trpc.volume.list.queryOptions());
  const drift = useQuery(trpc.operation.drift.queryOptions());
  const [creating, setCreating] = useState(false);
  const [resizing, setResizing] = useState<VolumeDto | null>(null);
  const [deleting, setDeleting] = useState<VolumeDto | null>(null);

  const driftOf = (v: VolumeDto) =>
    (drift.data ?? []).filter((d) => d.host === v.host && ((d.kind === "volume" && d.name === v.name) || (d.kind === "lu" && (d.name === v.lu?.guid || d.problem.includes(`/${v.name} `)))));

  return (
    <>
      <PageHeader
        title="Volumes"
        description="qcow2 volumes in the pools of each host. Changes made anywhere appear here live."
        actions={
          <Button onClick={() => setCreating(true)} disabled={!can("operator")} title={can("operator") ? undefined : "Needs the operator role"}>
            <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden>
              <path d="M10.75 4.75a.75.75 0 00-1.5 0v4.5h-4.5a.75.75 0 000 1.5h4.5v4.5a.75.75 0 001.5 0v-4.5h4.5a.75.75 0 000-1.5h-4.5v-4.5z" />
            </svg>
            New volume
          </Button>
        }
      />
      <DriftBanner />
      {volumes.isPending ? (
        <Card className="p-8 text-sm text-slate-500">Loading volumes…</Card>
      ) : volumes.isError ? (
        <Card className="p-8 text-sm text-rose-600">Could not load volumes: {errorMessage(volumes.error)}</Card>
      ) : volumes.data.length === 0 ? (
        <Card className="p-10 text-center text-sm text-slate-500 dark:text-slate-400">
          <div className="font-medium text-slate-700 dark:text-slate-200">No volumes yet</div>
          <p className="mt-1">Create one with “New volume”, then export it as an LU so a client can reach it.</p>
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
              <tr>
                <th className="px-4 py-3 font-medium">Volume</th>
                <th className="px-4 py-3 font-medium">Pool</th>
                <th className="px-4 py-3 text-right font-medium">Size</th>
                <th className="px-4 py-3 font-medium">Allocated</th>
                <th className="px-4 py-3 font-medium">LU</th>
                <th className="px-4 py-3 text-right font-medium">Snapshots</th>
                <th className="px-4 py-3 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {volumes.data.map((v) => {
                const problems = driftOf(v);
                return (
                  <tr key={v.id} data-testid={`volume-row-${v.host}-${v.name}`} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
                    <td className="px-4 py-3">
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={volumeHref(v)} className="font-medium hover:text-sky-600 hover:underline dark:hover:text-sky-400">
                          <span className="text-slate-500 dark:text-slate-400">{v.host}/</span>
                          {v.name}
                        </Link>
                        {v.missing && (
                          <Badge tone="danger" title={`In Tandem's database but not on ${v.host}`}>
                            missing
                          </Badge>
                        )}
                        {problems.length > 0 && (
                          <Badge tone="warning" title={problems.map((p) => p.problem).join("\n")}>
                            drift
                          </Badge>
                        )}
                      </div>
                    </td>
                    <td className="px-4 py-3 text-slate-600 dark:text-slate-300">{v.pool}</td>
                    <td className="px-4 py-3 text-right tabular-nums">{formatBytes(v.sizeBytes)}</td>
                    <td className="px-4 py-3">
                      <UsageBar
                        used={v.allocatedBytes}
                        total={v.sizeBytes}
                        label={`allocated of ${v.ref}`}
                        caption={`${formatBytes(v.allocatedBytes)} of ${formatBytes(v.sizeBytes)} (${v.sizeBytes ? Math.round((v.allocatedBytes / v.sizeBytes) * 100) : 0}%)`}
                      />
                    </td>
                    <td className="px-4 py-3">
                      {v.lu ? (
                        <Link href={`/lus#lu-${v.lu.guid}`} className="group inline-flex flex-col gap-1" title={`LU ${v.lu.guid}`}>
                          <AccessStateBadge state={v.lu.accessState} />
                          <span className="font-mono text-xs text-slate-500 group-hover:text-sky-600 dark:text-slate-400 dark:group-hover:text-sky-400">{shortGuid(v.lu.guid)}</span>
                        </Link>
                      ) : (
                        <span className="text-xs text-slate-400 dark:text-slate-500">not exported</span>
                      )}
                    </td>
                    <td className="px-4 py-3 text-right tabular-nums">{v.snapshotCount}</td>
                    <td className="px-4 py-3">
                      <div className="flex justify-end gap-1">
                        <Button size="sm" variant="ghost" onClick={() => setResizing(v)} disabled={!can("operator") || v.missing} title={can("operator") ? undefined : "Needs the operator role"}>
                          Resize
                        </Button>
                        <Button size="sm" variant="danger-ghost" onClick={() => setDeleting(v)} disabled={!can("admin")} title={can("admin") ? undefined : "Needs the admin role"}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      )}
      <NewVolumeDialog open={creating} onClose={() => setCreating(false)} />
      <ResizeVolumeDialog volume={resizing} onClose={() => setResizing(null)} />
      <DeleteVolumeDialog volume={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
