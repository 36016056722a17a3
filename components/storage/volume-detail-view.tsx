"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorCode, errorMessage } from "@/lib/errors";
import { formatAgo, formatBytes, formatDateTime } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { useNow } from "@/lib/use-now";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { UsageBar } from "@/components/ui/usage-bar";
import { DeleteVolumeDialog } from "./delete-volume-dialog";
import { CardTitle, LuPanel } from "./lu-panel";
import { ResizeVolumeDialog } from "./resize-volume-dialog";
import { SnapshotsPanel } from "./snapshots-panel";

function Breadcrumb({ host, name }: { host: string; name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500 dark:text-slate-400">
      <Link href="/volumes" className="hover:text-slate-900 hover:underline dark:hover:text-white">
        Volumes
      </Link>
      <span className="mx-1.5" aria-hidden>
        /
      </span>
      <span>{host}</span>
      <span className="mx-1.5" aria-hidden>
        /
      </span>
      <span className="text-slate-700 dark:text-slate-200">{name}</span>
    </nav>
  );
}

export function VolumeDetailView({ host, name }: { host: string; name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { can } = useCan();
  const now = useNow(10_000);
  const ref = `${host}/${name}`;
  const vol = useQuery(trpc.volume.get.queryOptions({ volume: ref }));
  const [resizing, setResizing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  if (vol.isPending)
    return (
      <>
        <Breadcrumb host={host} name={name} />
        <Card className="p-8 text-sm text-slate-500">Loading {ref}…</Card>
      </>
    );
  if (vol.isError)
    return (
      <>
        <Breadcrumb host={host} name={name} />
        <Card className="p-8 text-sm">
          {errorCode(vol.error) === "NOT_FOUND" ? (
            <>
              <div className="font-medium">Volume {ref} does not exist</div>
              <p className="mt-1 text-slate-500 dark:text-slate-400">
                It may have been deleted.{" "}
                <Link href="/volumes" className="text-sky-600 hover:underline dark:text-sky-400">
                  Back to all volumes
                </Link>
              </p>
            </>
          ) : (
            <span className="text-rose-600">Could not load {ref}: {errorMessage(vol.error)}</span>
          )}
        </Card>
      </>
    );

  const v = vol.data;
  const pct = v.sizeBytes ? Math.round((v.allocatedBytes / v.sizeBytes) * 100) : 0;
  return (
    <>
      <Breadcrumb host={v.host} name={v.name} />
      <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">
            <span className="text-slate-400 dark:text-slate-500">{v.host}/</span>
            {v.name}
          </h1>
          {v.missing && <Badge tone="danger">missing on {v.host}</Badge>}
          {v.drift.length > 0 && <Badge tone="warning">drift</Badge>}
        </div>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => setResizing(true)} disabled={!can("operator") || v.missing}>
            Resize
          </Button>
          <Button variant="secondary" className="text-rose-600! dark:text-rose-400!" onClick={() => setDeleting(true)} disabled={!can("admin")} title={can("admin") ? undefined : "Needs the admin role"}>
            Delete
          </Button>
        </div>
      </div>

      {(v.missing || v.drift.length > 0) && (
        <Alert tone="warning" className="mb-4" title="Tandem and the host disagree about this volume">
          <ul className="list-inside list-disc">
            {v.missing && <li>It is in Tandem&apos;s database but {v.host} does not report it.</li>}
            {v.drift.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardTitle>Details</CardTitle>
          <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-3 px-5 py-4 text-sm" data-testid="volume-facts">
            <dt className="text-slate-500 dark:text-slate-400">Host</dt>
            <dd>{v.host}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Pool</dt>
            <dd>{v.pool}</dd>
            <dt className="text-slate-500 dark:text-slate-400">Size</dt>
            <dd className="tabular-nums">
              {formatBytes(v.sizeBytes)} <span className="text-xs text-slate-400">({v.sizeBytes.toLocaleString("en-US")} bytes)</span>
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Allocated</dt>
            <dd className="max-w-64">
              <UsageBar used={v.allocatedBytes} total={v.sizeBytes} label={`allocated of ${v.ref}`} caption={`${formatBytes(v.allocatedBytes)} (${pct}%) · thin provisioned`} />
            </dd>
            <dt className="text-slate-500 dark:text-slate-400">Format</dt>
            <dd>qcow2</dd>
            <dt className="text-slate-500 dark:text-slate-400">Created</dt>
            <dd>
              {formatDateTime(v.createdAt)} <span className="text-xs text-slate-400">· {formatAgo(v.createdAt, now)}</span>
            </dd>
          </dl>
        </Card>
        <LuPanel volume={v} />
        <div className="lg:col-span-2">
          <SnapshotsPanel volume={v} />
        </div>
      </div>

      <ResizeVolumeDialog volume={resizing ? v : null} onClose={() => setResizing(false)} />
      <DeleteVolumeDialog volume={deleting ? v : null} onClose={() => setDeleting(false)} onDeleted={() => router.push("/volumes")} />
    </>
  );
}
