"use client";
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { formatAgo, formatBytes, formatDateTime } from "@/lib/format";
import { useCan } from "@/lib/use-role";
import { useNow } from "@/lib/use-now";
import type { VolumeDetail } from "@/lib/api-types";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { CardTitle } from "./lu-panel";

type Snap = VolumeDetail["snapshots"][number];

function defaultSnapshotName() {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `snap-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

export function SnapshotsPanel({ volume }: { volume: VolumeDetail }) {
  const { can } = useCan();
  const now = useNow(10_000);
  const [creating, setCreating] = useState(false);
  const [reverting, setReverting] = useState<Snap | null>(null);
  const [cloning, setCloning] = useState<Snap | null>(null);
  const [deleting, setDeleting] = useState<Snap | null>(null);
  const snaps = [...volume.snapshots].sort((a, b) => b.takenAt.localeCompare(a.takenAt));

  return (
    <Card>
      <CardTitle
        actions={
          <Button size="sm" onClick={() => setCreating(true)} disabled={!can("operator") || volume.missing} title={can("operator") ? undefined : "Needs the operator role"}>
            Create snapshot
          </Button>
        }
      >
        Snapshots <span className="ml-1 font-normal text-slate-500 dark:text-slate-400">{snaps.length}</span>
      </CardTitle>
      {snaps.length === 0 ? (
        <div className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">No snapshots. A snapshot keeps the volume&apos;s data as it is now; you can revert to it or clone it later.</div>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900/60 dark:text-slate-400">
            <tr>
              <th className="px-5 py-2.5 font-medium">Name</th>
              <th className="px-5 py-2.5 font-medium">Taken</th>
              <th className="px-5 py-2.5 text-right font-medium">Size</th>
              <th className="px-5 py-2.5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {snaps.map((s) => (
              <tr key={s.name} data-testid={`snapshot-row-${s.name}`} className="hover:bg-slate-50/60 dark:hover:bg-slate-800/30">
                <td className="px-5 py-2.5 font-mono text-xs">{s.name}</td>
                <td className="px-5 py-2.5 text-slate-600 dark:text-slate-300">
                  {formatDateTime(s.takenAt)} <span className="text-xs text-slate-400">· {formatAgo(s.takenAt, now)}</span>
                </td>
                <td className="px-5 py-2.5 text-right tabular-nums">{formatBytes(s.sizeBytes)}</td>
                <td className="px-5 py-2.5">
                  <div className="flex justify-end gap-1">
                    <Button size="sm" variant="ghost" onClick={() => setReverting(s)} disabled={!can("admin")} title={can("admin") ? undefined : "Needs the admin role"}>
                      Revert
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setCloning(s)} disabled={!can("operator")} title={can("operator") ? undefined : "Needs the operator role"}>
                      Clone
                    </Button>
                    <Button size="sm" variant="danger-ghost" onClick={() => setDeleting(s)} disabled={!can("admin")} title={can("admin") ? undefined : "Needs the admin role"}>
                      Delete
                    </Button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {creating && <CreateSnapshotDialog volumeRef={volume.ref} onClose={() => setCreating(false)} />}
      {cloning && <CloneSnapshotDialog volume={volume} snapshot={cloning} onClose={() => setCloning(null)} />}
      <SnapshotActionDialog kind="revert" volume={volume} snapshot={reverting} onClose={() => setReverting(null)} />
      <SnapshotActionDialog kind="delete" volume={volume} snapshot={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}

function useRefreshVolume() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries(trpc.volume.get.pathFilter());
    void qc.invalidateQueries(trpc.volume.list.pathFilter());
  };
}

function CreateSnapshotDialog({ volumeRef, onClose }: { volumeRef: string; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshVolume();
  const [name, setName] = useState(defaultSnapshotName);
  const create = useMutation(
    trpc.snapshot.create.mutationOptions({
      onSuccess: (_r, input) => {
        refresh();
        toast({ tone: "success", title: `Snapshot ${input.snapshot} of ${volumeRef} created` });
        onClose();
      },
    }),
  );
  const errs = fieldErrors(create.error, ["snapshot"]);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Snapshot ${volumeRef}`}
      description="Keeps the volume's data as it is at this moment. Clients keep writing."
      size="sm"
      testId="create-snapshot-dialog"
      onSubmit={() => create.mutate({ volume: volumeRef, snapshot: name.trim() })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending || !name.trim()}>
            {create.isPending ? "Creating…" : "Create snapshot"}
          </Button>
        </>
      }
    >
      <Field label="Snapshot name" error={errs.fields.snapshot} hint="a-z, 0-9, '.', '_' or '-'">
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className={`${inputClass} font-mono`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      {errs.rest && <Alert tone="error">{errs.rest}</Alert>}
    </Dialog>
  );
}

function CloneSnapshotDialog({ volume, snapshot, onClose }: { volume: VolumeDetail; snapshot: Snap; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshVolume();
  const [target, setTarget] = useState(`${volume.name}-${snapshot.name}`.slice(0, 63));
  const clone = useMutation(
    trpc.snapshot.clone.mutationOptions({
      onSuccess: (_r, input) => {
        refresh();
        toast({ tone: "success", title: `Cloned to ${volume.host}/${input.target}`, body: `from ${volume.ref}@${snapshot.name}` });
        onClose();
      },
    }),
  );
  const errs = fieldErrors(clone.error, ["target"]);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Clone snapshot ${snapshot.name}`}
      description={
        <>
          Creates a new, independent volume on {volume.host} with the data of {volume.ref} as it was at {formatDateTime(snapshot.takenAt)}. The copy takes a moment for
          large volumes.
        </>
      }
      size="sm"
      testId="clone-snapshot-dialog"
      onSubmit={() => clone.mutate({ volume: volume.ref, snapshot: snapshot.name, target: target.trim() })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={clone.isPending || !target.trim()}>
            {clone.isPending ? "Cloning…" : "Clone"}
          </Button>
        </>
      }
    >
      <Field label="New volume name" error={errs.fields.target} hint={<>Created as {volume.host}/{target.trim() || "…"}</>}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className={`${inputClass} font-mono`}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      {errs.rest && <Alert tone="error">{errs.rest}</Alert>}
      {clone.isSuccess && (
        <Link href={`/volumes/${volume.host}/${target.trim()}`} className="text-sky-600 hover:underline">
          Open the clone
        </Link>
      )}
    </Dialog>
  );
}

function SnapshotActionDialog({ kind, volume, snapshot, onClose }: { kind: "revert" | "delete"; volume: VolumeDetail; snapshot: Snap | null; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshVolume();
  const now = useNow(10_000);
  const opts = {
    onSuccess: (_r: unknown, input: { snapshot: string }) => {
      refresh();
      toast({ tone: "success", title: kind === "revert" ? `${volume.ref} reverted to ${input.snapshot}` : `Snapshot ${input.snapshot} deleted` });
      onClose();
    },
  };
  const revert = useMutation(trpc.snapshot.revert.mutationOptions(opts));
  const del = useMutation(trpc.snapshot.delete.mutationOptions(opts));
  const m = kind === "revert" ? revert : del;
  const close = () => {
    m.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={!!snapshot}
      onClose={close}
      title={kind === "revert" ? `Revert ${volume.ref} to ${snapshot?.name}?` : `Delete snapshot ${snapshot?.name}?`}
      confirmLabel={kind === "revert" ? "Revert volume" : "Delete snapshot"}
      pendingLabel={kind === "revert" ? "Reverting…" : "Deleting…"}
      onConfirm={() => snapshot && m.mutate({ volume: volume.ref, snapshot: snapshot.name })}
      pending={m.isPending}
      error={m.error ? errorMessage(m.error) : null}
      testId={`${kind}-snapshot-dialog`}
    >
      {snapshot && kind === "revert" && (
        <>
          <p>
            The volume goes back to its data of <strong className="font-semibold text-slate-900 dark:text-slate-100">{formatDateTime(snapshot.takenAt)}</strong> (
            {formatAgo(snapshot.takenAt, now)}).
          </p>
          <Alert tone="warning">Everything written to {volume.ref} since then is lost. This cannot be undone — take a snapshot first if you may need the current data.</Alert>
          {volume.lu && <p>The volume is exported as an LU: its clients are disconnected briefly and then read the reverted data.</p>}
        </>
      )}
      {snapshot && kind === "delete" && (
        <p>
          The snapshot of {formatDateTime(snapshot.takenAt)} is removed from {volume.ref}. The volume&apos;s current data is not touched.
        </p>
      )}
    </ConfirmDialog>
  );
}
