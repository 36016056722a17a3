"use client";
// The LU of one volume: its identity, URI and state, or a way to export the volume as one.
import { useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { useCan } from "@/lib/use-role";
import type { VolumeDetail } from "@/lib/api-types";
import { AccessStateBadge } from "@/components/ui/access-state-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";

export function CardTitle({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="flex min-h-14 items-center justify-between gap-4 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
      <h2 className="text-sm font-semibold tracking-tight">{children}</h2>
      {actions && <div className="flex gap-2">{actions}</div>}
    </div>
  );
}

/** An LU's NBD URI with a copy button; `wrap` shows all of it, otherwise it is cut to one line. */
export function UriLine({ uri, wrap = false, compact = false }: { uri: string; wrap?: boolean; compact?: boolean }) {
  return (
    <div className="flex min-w-0 items-start gap-2">
      <code
        data-testid="lu-uri"
        className={`min-w-0 rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs leading-5 text-slate-800 dark:bg-slate-800 dark:text-slate-200 ${wrap ? "break-all" : "truncate"}`}
        title={uri}
      >
        {uri}
      </code>
      <CopyButton text={uri} label="Copy URI" iconOnly={compact} />
    </div>
  );
}

export function LuPanel({ volume }: { volume: VolumeDetail }) {
  const trpc = useTRPC();
  const { can } = useCan();
  const lus = useQuery(trpc.lu.list.queryOptions());
  const [exporting, setExporting] = useState(false);
  const [removing, setRemoving] = useState(false);
  const lu = volume.lu ? lus.data?.find((l) => l.guid === volume.lu!.guid) : undefined;
  const node = lu?.nodes.find((n) => n.hostId === volume.hostId);
  const peers = lu?.nodes.filter((n) => n.hostId !== volume.hostId) ?? [];

  return (
    <Card>
      <CardTitle
        actions={
          volume.lu ? (
            <Button size="sm" variant="danger-ghost" onClick={() => setRemoving(true)} disabled={!can("admin")} title={can("admin") ? "Stop exporting this volume" : "Needs the admin role"}>
              Remove LU
            </Button>
          ) : (
            <Button size="sm" onClick={() => setExporting(true)} disabled={!can("operator") || volume.missing} title={can("operator") ? undefined : "Needs the operator role"}>
              Export as LU
            </Button>
          )
        }
      >
        Logical unit
      </CardTitle>
      {volume.lu ? (
        <dl className="grid grid-cols-[7rem_1fr] gap-x-4 gap-y-3 px-5 py-4 text-sm" data-testid="lu-panel">
          <dt className="text-slate-500 dark:text-slate-400">GUID</dt>
          <dd className="flex items-center gap-2">
            <code data-testid="lu-guid" className="break-all font-mono text-xs">
              {volume.lu.guid}
            </code>
            <CopyButton text={volume.lu.guid} label="Copy" />
          </dd>
          <dt className="text-slate-500 dark:text-slate-400">Alias</dt>
          <dd>{lu?.alias || <span className="text-slate-400">–</span>}</dd>
          <dt className="text-slate-500 dark:text-slate-400">State</dt>
          <dd data-testid="lu-state">
            <AccessStateBadge state={node?.accessState ?? volume.lu.accessState} code={node?.stateCode} />
          </dd>
          <dt className="text-slate-500 dark:text-slate-400">URI</dt>
          <dd className="min-w-0">
            {node?.uri ? (
              <UriLine uri={node.uri} wrap />
            ) : lus.isPending ? (
              <span className="text-slate-400">…</span>
            ) : (
              <span className="text-slate-500 dark:text-slate-400">not exported to clients here ({node ? "Standby" : "unknown"})</span>
            )}
          </dd>
          {peers.length > 0 && (
            <>
              <dt className="text-slate-500 dark:text-slate-400">Other node</dt>
              <dd className="space-y-1">
                {peers.map((p) => (
                  <div key={p.hostId} className="flex flex-wrap items-center gap-2">
                    <span>
                      {p.host}/{p.volume}
                    </span>
                    <AccessStateBadge state={p.accessState} code={p.stateCode} />
                  </div>
                ))}
              </dd>
            </>
          )}
          <dd className="col-span-2 text-xs">
            <Link href={`/lus#lu-${volume.lu.guid}`} className="text-sky-600 hover:underline dark:text-sky-400">
              ALUA states and transitions →
            </Link>
          </dd>
        </dl>
      ) : (
        <div className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">
          Not exported. Export the volume as an LU to give it a GUID and an NBD URI clients can connect to.
        </div>
      )}
      <ExportLuDialog open={exporting} volumeRef={volume.ref} onClose={() => setExporting(false)} />
      {volume.lu && <RemoveLuDialog open={removing} onClose={() => setRemoving(false)} guid={volume.lu.guid} host={volume.host} volumeRef={volume.ref} />}
    </Card>
  );
}

function ExportLuDialog({ open, volumeRef, onClose }: { open: boolean; volumeRef: string; onClose: () => void }) {
  if (!open) return null;
  return <ExportLuForm volumeRef={volumeRef} onClose={onClose} />;
}

function ExportLuForm({ volumeRef, onClose }: { volumeRef: string; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [alias, setAlias] = useState("");
  const create = useMutation(
    trpc.lu.create.mutationOptions({
      onSuccess: (l) => {
        void qc.invalidateQueries(trpc.lu.list.pathFilter());
        void qc.invalidateQueries(trpc.volume.get.pathFilter());
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        toast({ tone: "success", title: `${volumeRef} exported as LU`, body: l.uri ? `Clients connect to ${l.uri}` : `GUID ${l.guid}` });
        onClose();
      },
    }),
  );
  const errs = fieldErrors(create.error, ["alias"]);
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Export ${volumeRef} as an LU`}
      description="The LU gets a new NAA-6 GUID and an NBD export in the Active state (ALUA code 0)."
      size="sm"
      testId="export-lu-dialog"
      onSubmit={() => create.mutate({ volume: volumeRef, alias: alias.trim() || undefined })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Exporting…" : "Export"}
          </Button>
        </>
      }
    >
      <Field label="Alias (optional)" hint="A name people recognise, e.g. “db-prod data”." error={errs.fields.alias}>
        {({ id, describedBy, invalid }) => (
          <input id={id} className={inputClass} value={alias} onChange={(e) => setAlias(e.target.value)} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
      {errs.rest && <Alert tone="error">{errs.rest}</Alert>}
    </Dialog>
  );
}

function RemoveLuDialog({ open, onClose, guid, host, volumeRef }: { open: boolean; onClose: () => void; guid: string; host: string; volumeRef: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const del = useMutation(
    trpc.lu.delete.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries(trpc.lu.list.pathFilter());
        void qc.invalidateQueries(trpc.volume.get.pathFilter());
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        toast({ tone: "success", title: `LU of ${volumeRef} removed` });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onClose={() => {
        del.reset();
        onClose();
      }}
      title={`Remove the LU of ${volumeRef}?`}
      confirmLabel="Remove LU"
      pendingLabel="Removing…"
      onConfirm={() => del.mutate({ guid, host })}
      pending={del.isPending}
      error={del.error ? errorMessage(del.error) : null}
    >
      <p>
        The NBD export of LU <span className="font-mono text-xs">{guid}</span> on {host} is removed: connected clients lose the device. The volume and its data stay.
      </p>
    </ConfirmDialog>
  );
}
