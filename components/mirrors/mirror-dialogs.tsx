"use client";
// Modify, pause and delete a mirror.
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrors } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { ModeChoice } from "./mode-choice";
import { parseAutoFailover, parseRpo, RateInput, rateBytes, rateHint, rateValue, type RateValue } from "./rate-input";

function useRefreshMirrors() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries(trpc.mirror.list.pathFilter());
    void qc.invalidateQueries(trpc.mirror.get.pathFilter());
    void qc.invalidateQueries(trpc.mirror.dashboard.pathFilter());
  };
}

const SETTING_LABEL: Record<string, string> = {
  mode: "mode",
  speedLimitBytesPerSec: "speed limit",
  rpoTargetSeconds: "RPO target",
  autoFailoverAfterSeconds: "automatic failover",
  description: "description",
};

export function ModifyMirrorDialog({ mirror, open, onClose }: { mirror: MirrorDto; open: boolean; onClose: () => void }) {
  if (!open) return null;
  return <ModifyForm mirror={mirror} onClose={onClose} />;
}

function ModifyForm({ mirror, onClose }: { mirror: MirrorDto; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshMirrors();
  const [mode, setMode] = useState<"sync" | "async">(mirror.mode);
  const [speed, setSpeed] = useState<RateValue>(() => rateValue(mirror.speedLimitBytesPerSec));
  const [rpo, setRpo] = useState(mirror.rpoTargetSeconds === null ? "" : String(mirror.rpoTargetSeconds));
  const [auto, setAuto] = useState(mirror.autoFailoverAfterSeconds === null ? "" : String(mirror.autoFailoverAfterSeconds));
  const [description, setDescription] = useState(mirror.description ?? "");
  const modify = useMutation(
    trpc.mirror.modify.mutationOptions({
      onSuccess: (r) => {
        refresh();
        toast({
          tone: "success",
          title: r.changed.length ? `Mirror ${r.name} modified` : `Mirror ${r.name}: nothing changed`,
          body: r.changed.length ? `Changed ${r.changed.map((c) => SETTING_LABEL[c] ?? c).join(", ")}.` : undefined,
        });
        onClose();
      },
    }),
  );
  const rpoParsed = parseRpo(rpo);
  const speedBytes = rateBytes(speed);
  const autoParsed = parseAutoFailover(auto);
  const server = fieldErrors(modify.error, ["mode", "speedLimit", "rpoTargetSeconds", "autoFailoverAfterSeconds", "description"]);
  const err = (f: "speedLimit" | "rpoTargetSeconds" | "autoFailoverAfterSeconds" | "mode" | "description") =>
    f === "rpoTargetSeconds" && !rpoParsed.ok
      ? rpoParsed.error
      : f === "autoFailoverAfterSeconds" && !autoParsed.ok
        ? autoParsed.error
        : f === "speedLimit" && speedBytes === null
          ? "Not a number"
          : server.fields[f];

  const submit = () => {
    if (!rpoParsed.ok || !autoParsed.ok || speedBytes === null) return;
    const input: Parameters<typeof modify.mutate>[0] = { name: mirror.name };
    if (mode !== mirror.mode) input.mode = mode;
    if (speedBytes !== mirror.speedLimitBytesPerSec) input.speedLimit = speedBytes === 0 ? 0 : speedBytes;
    if (rpoParsed.value !== mirror.rpoTargetSeconds) input.rpoTargetSeconds = rpoParsed.value;
    if (autoParsed.value !== mirror.autoFailoverAfterSeconds) input.autoFailoverAfterSeconds = autoParsed.value;
    const d = description.trim();
    if (d !== (mirror.description ?? "")) input.description = d === "" ? null : d;
    modify.mutate(input);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Modify mirror ${mirror.name}`}
      description="Settings change in place: the mirror keeps its name, direction and data. Mode and speed are applied to the running job."
      testId="modify-mirror-dialog"
      onSubmit={submit}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={modify.isPending}>
            {modify.isPending ? "Saving…" : "Save changes"}
          </Button>
        </>
      }
    >
      <ModeChoice value={mode} onChange={setMode} name="modify-mode" />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Speed limit" error={err("speedLimit")} hint={rateHint(speed)}>
          {({ id, describedBy, invalid }) => <RateInput id={id} value={speed} onChange={setSpeed} describedBy={describedBy} invalid={invalid} />}
        </Field>
        <Field label="RPO target, seconds" error={err("rpoTargetSeconds")} hint="Empty: no target.">
          {({ id, describedBy, invalid }) => (
            <input id={id} inputMode="numeric" className={`${inputClass} tabular-nums`} value={rpo} onChange={(e) => setRpo(e.target.value)} placeholder="none" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
          )}
        </Field>
      </div>
      <Field
        label="Automatic failover after, seconds"
        error={err("autoFailoverAfterSeconds")}
        hint={`Empty: off, a person decides. Otherwise the target takes over by itself once both the console and ${mirror.target.host} have lost ${mirror.source.host} for this long (5 to 3600 s).`}
      >
        {({ id, describedBy, invalid }) => (
          <input id={id} inputMode="numeric" className={`${inputClass} tabular-nums`} value={auto} onChange={(e) => setAuto(e.target.value)} placeholder="off" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
      <Field label="Description" error={err("description")}>
        {({ id, describedBy, invalid }) => (
          <input id={id} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        )}
      </Field>
      {server.rest && <Alert tone="error">{server.rest}</Alert>}
    </Dialog>
  );
}

export function PauseMirrorDialog({ mirror, open, onClose }: { mirror: MirrorDto; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshMirrors();
  const pause = useMutation(
    trpc.mirror.pause.mutationOptions({
      onSuccess: () => {
        refresh();
        toast({ tone: "success", title: `Mirror ${mirror.name} paused` });
        onClose();
      },
    }),
  );
  return (
    <ConfirmDialog
      open={open}
      onClose={() => {
        pause.reset();
        onClose();
      }}
      title={`Pause mirror ${mirror.name}?`}
      confirmLabel="Pause mirror"
      pendingLabel="Pausing…"
      tone="primary"
      onConfirm={() => pause.mutate({ name: mirror.name })}
      pending={pause.isPending}
      error={pause.error ? errorMessage(pause.error) : null}
      testId="pause-mirror-dialog"
    >
      <p>
        Copying to {mirror.target.ref} stops. {mirror.source.ref} keeps serving clients; what they write is tracked and copied when you resume. While paused, the target falls behind
        {mirror.mode === "sync" ? ": sync mode no longer protects every write." : "."}
      </p>
    </ConfirmDialog>
  );
}

export function DeleteMirrorDialog({ mirror, open, onClose, onDeleted }: { mirror: MirrorDto; open: boolean; onClose: () => void; onDeleted: () => void }) {
  if (!open) return null;
  return <DeleteForm mirror={mirror} onClose={onClose} onDeleted={onDeleted} />;
}

function DeleteForm({ mirror, onClose, onDeleted }: { mirror: MirrorDto; onClose: () => void; onDeleted: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshMirrors();
  const [deleteTarget, setDeleteTarget] = useState(false);
  const del = useMutation(
    trpc.mirror.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        toast({ tone: "info", title: `Deleting mirror ${mirror.name}`, body: deleteTarget ? `${mirror.target.ref} is deleted too.` : `${mirror.target.ref} is kept.` });
        onDeleted();
      },
    }),
  );
  return (
    <ConfirmDialog
      open
      onClose={onClose}
      title={`Delete mirror ${mirror.name}?`}
      confirmLabel="Delete mirror"
      pendingLabel="Deleting…"
      typeToConfirm={mirror.name}
      onConfirm={() => del.mutate({ name: mirror.name, deleteTarget })}
      pending={del.isPending}
      error={del.error ? errorMessage(del.error) : null}
      testId="delete-mirror-dialog"
    >
      <p>
        Replication from {mirror.source.ref} to {mirror.target.ref} stops for good (the job drains first; nothing is pivoted). {mirror.source.ref} and its clients are not touched.
      </p>
      <fieldset className="space-y-2">
        <legend className="mb-1 text-sm font-medium text-slate-800 dark:text-slate-200">The target volume {mirror.target.ref}</legend>
        <label className="flex items-start gap-2.5">
          <input type="radio" name="delete-target" checked={!deleteTarget} onChange={() => setDeleteTarget(false)} className="mt-1 accent-sky-600" />
          <span>
            <span className="block text-sm font-medium text-slate-800 dark:text-slate-200">Keep the target volume</span>
            <span className="block text-xs">It keeps the copy as of now ({formatBytes(mirror.sizeBytes)}), no longer updated.</span>
          </span>
        </label>
        <label className="flex items-start gap-2.5">
          <input type="radio" name="delete-target" checked={deleteTarget} onChange={() => setDeleteTarget(true)} className="mt-1 accent-rose-600" />
          <span>
            <span className="block text-sm font-medium text-slate-800 dark:text-slate-200">Delete the target volume</span>
            <span className="block text-xs">{mirror.target.ref} and its Standby LU are removed from {mirror.target.host}. This cannot be undone.</span>
          </span>
        </label>
      </fieldset>
      {deleteTarget && <Alert tone="warning">The copy on {mirror.target.host} will be gone: only {mirror.source.ref} holds the data afterwards.</Alert>}
    </ConfirmDialog>
  );
}
