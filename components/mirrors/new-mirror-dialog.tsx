"use client";
// New mirror: only volumes that can be mirrored are offered; the others are listed with the
// reason. Eligibility is worked out here from the volume, mirror and host lists; the server
// checks every rule again and its refusal is shown inline.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { fieldErrors } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { sourceCandidates, targetCandidates, type Ineligible } from "@/lib/mirror-eligibility";
import type { VolumeDto } from "@/server/services/storage/storage-dto";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { Arrow } from "./mirror-badges";
import { ModeChoice } from "./mode-choice";
import { parseAutoFailover, parseRpo, RateInput, rateBytes, rateHint, rateText, type RateValue } from "./rate-input";

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function NewMirrorDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  if (!open) return null;
  return <NewMirrorForm onClose={onClose} />;
}

function volumeLabel(v: VolumeDto) {
  return `${v.ref} · ${formatBytes(v.sizeBytes)}${v.lu ? " · LU" : ""}`;
}

/** A collapsed list of what cannot be chosen, and why. */
function WhyNot({ items, what, testId }: { items: Ineligible<VolumeDto>[]; what: string; testId: string }) {
  if (!items.length) return null;
  return (
    <details className="group mt-2 rounded-lg bg-slate-50 px-3 py-2 text-xs ring-1 ring-inset ring-slate-200 dark:bg-slate-800/40 dark:ring-slate-700" data-testid={testId}>
      <summary className="cursor-pointer select-none font-medium text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
        Why not {items.length === 1 ? "this volume" : `these ${items.length} volumes`}? <span className="font-normal text-slate-500 dark:text-slate-400">({what})</span>
      </summary>
      <ul className="mt-2 space-y-1.5">
        {items.map((i) => (
          <li key={i.volume.ref} className="flex flex-col gap-0.5 sm:flex-row sm:gap-2">
            <span className="flex-none font-mono text-slate-800 dark:text-slate-200">{i.volume.ref}</span>
            <span className="text-slate-600 dark:text-slate-400">{i.reasons.join("; ")}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function NewMirrorForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const volumes = useQuery(trpc.volume.list.queryOptions());
  const mirrors = useQuery(trpc.mirror.list.queryOptions());
  const hosts = useQuery(trpc.host.list.queryOptions());

  const [name, setName] = useState<string | null>(null);
  const [sourceRef, setSourceRef] = useState("");
  const [targetKind, setTargetKind] = useState<"create" | "existing">("create");
  const [newTargetName, setNewTargetName] = useState<string | null>(null);
  const [existingTarget, setExistingTarget] = useState("");
  const [mode, setMode] = useState<"sync" | "async">("sync");
  const [speed, setSpeed] = useState<RateValue>({ amount: "", unit: "M" });
  const [rpo, setRpo] = useState("");
  const [auto, setAuto] = useState("");
  const [description, setDescription] = useState("");
  const [tried, setTried] = useState(false);

  const create = useMutation(
    trpc.mirror.create.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries(trpc.mirror.list.pathFilter());
        void qc.invalidateQueries(trpc.mirror.dashboard.pathFilter());
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        toast({ tone: "success", title: `Mirror ${r.name} created`, body: "The initial copy starts now; follow it in the table." });
        onClose();
      },
    }),
  );

  const loading = volumes.isPending || mirrors.isPending || hosts.isPending;
  const loadError = volumes.error ?? mirrors.error ?? hosts.error;
  const vols = volumes.data ?? [];
  const sources = sourceCandidates(vols, mirrors.data ?? [], hosts.data ?? []);
  const source = sources.eligible.find((v) => v.ref === sourceRef) ?? null;
  const targets = source ? targetCandidates(source, vols, mirrors.data ?? [], hosts.data ?? []) : null;
  const peer = targets?.peer ?? null;

  const mirrorName = name ?? (source ? `${source.name}-mirror` : "");
  const targetName = newTargetName ?? source?.name ?? "";
  const targetTaken = !!peer && targetKind === "create" && vols.some((v) => v.host === peer.name && v.name === targetName.trim());
  const chosenExisting = targets?.eligible.find((v) => v.ref === existingTarget) ?? targets?.eligible[0] ?? null;

  const rpoParsed = parseRpo(rpo);
  const autoParsed = parseAutoFailover(auto);
  const speedBytes = rateBytes(speed);
  const local: Record<string, string> = {};
  if (tried || name !== null) {
    if (!mirrorName.trim()) local.name = "Give the mirror a name";
    else if (!NAME_RE.test(mirrorName.trim())) local.name = "1-63 characters: a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
  }
  if (tried && !source) local.source = "Choose the volume to mirror";
  if (targetKind === "create" && (tried || newTargetName !== null)) {
    if (!NAME_RE.test(targetName.trim())) local.target = "1-63 characters: a-z, 0-9, '.', '_' or '-'";
    else if (targetTaken) local.target = `${peer!.name} already has a volume named ${targetName.trim()}: choose it under “Use an existing volume”, or another name`;
  }
  if (tried && targetKind === "existing" && source && !chosenExisting) local.target = `No volume on ${peer?.name ?? "the other host"} can be the target: create one instead`;
  if (!rpoParsed.ok) local.rpoTargetSeconds = rpoParsed.error;
  if (!autoParsed.ok) local.autoFailoverAfterSeconds = autoParsed.error;
  if (speedBytes === null) local.speedLimit = "Not a number";

  const server = fieldErrors(create.error, ["name", "source", "target", "createTarget", "mode", "speedLimit", "rpoTargetSeconds", "autoFailoverAfterSeconds", "description"]);
  // Refusals that are about one field go next to it; rule violations stay in the alert.
  if (server.rest && /^a mirror named .* already exists/.test(server.rest)) {
    server.fields.name = server.rest;
    server.rest = null;
  } else if (server.rest && /^target volume .* already exists/.test(server.rest)) {
    server.fields.target = server.rest;
    server.rest = null;
  }
  const err = (f: string) => local[f] ?? server.fields[f];

  const submit = () => {
    setTried(true);
    const blocked = !source || !peer || !mirrorName.trim() || !NAME_RE.test(mirrorName.trim()) || !rpoParsed.ok || !autoParsed.ok || speedBytes === null;
    if (blocked) return;
    if (targetKind === "create" ? !NAME_RE.test(targetName.trim()) || targetTaken : !chosenExisting) return;
    create.mutate({
      name: mirrorName.trim(),
      source: source.ref,
      target: targetKind === "create" ? `${peer.name}/${targetName.trim()}` : chosenExisting!.ref,
      createTarget: targetKind === "create",
      mode,
      speedLimit: rateText(speed),
      rpoTargetSeconds: rpoParsed.ok ? rpoParsed.value : null,
      autoFailoverAfterSeconds: autoParsed.ok ? autoParsed.value : null,
      description: description.trim() || undefined,
    });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title="New mirror"
      description="Copies a volume to the other host of its pair and keeps the copy current. The initial copy starts at once."
      testId="new-mirror-dialog"
      onSubmit={submit}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending || loading}>
            {create.isPending ? "Creating…" : "Create mirror"}
          </Button>
        </>
      }
    >
      {loadError && <Alert tone="error">Could not load volumes, mirrors or hosts: {loadError.message}</Alert>}

      <Field label="Source volume" error={err("source")} hint={source ? `${formatBytes(source.sizeBytes)} on ${source.host}${source.lu ? `, LU ${source.lu.guid.slice(0, 8)}… (the target keeps this GUID, in Standby)` : ""}` : "Only volumes that are in no mirror, on a host of a pair, are offered."}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            className={`${inputClass} font-mono`}
            value={source ? source.ref : ""}
            onChange={(e) => {
              setSourceRef(e.target.value);
              setExistingTarget("");
            }}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          >
            <option value="">{loading ? "Loading volumes…" : sources.eligible.length ? "Choose a volume…" : "No volume can be mirrored"}</option>
            {sources.eligible.map((v) => (
              <option key={v.ref} value={v.ref}>
                {volumeLabel(v)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <WhyNot items={sources.ineligible} what="not offered as a source" testId="source-why-not" />

      {source && peer && (
        <fieldset className="rounded-lg p-3 ring-1 ring-inset ring-slate-200 dark:ring-slate-700">
          <legend className="px-1 text-sm font-medium text-slate-800 dark:text-slate-200">Target on {peer.name}</legend>
          <div className="space-y-3">
            <label className="flex items-start gap-2.5">
              <input type="radio" name="target-kind" checked={targetKind === "create"} onChange={() => setTargetKind("create")} className="mt-1 accent-sky-600" />
              <span className="min-w-0 flex-1">
                <span className="block text-sm font-medium">Create a target volume</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">A new {formatBytes(source.sizeBytes)} volume on {peer.name}.</span>
              </span>
            </label>
            {targetKind === "create" && (
              <div className="pl-6">
                <Field label="Target volume name" error={err("target")} hint={`Created as ${peer.name}/${targetName.trim() || "…"}`}>
                  {({ id, describedBy, invalid }) => (
                    <input
                      id={id}
                      className={`${inputClass} font-mono`}
                      value={targetName}
                      onChange={(e) => setNewTargetName(e.target.value)}
                      autoComplete="off"
                      spellCheck={false}
                      aria-describedby={describedBy}
                      aria-invalid={invalid || undefined}
                    />
                  )}
                </Field>
              </div>
            )}
            <label className={`flex items-start gap-2.5 ${targets!.eligible.length ? "" : "opacity-60"}`}>
              <input
                type="radio"
                name="target-kind"
                checked={targetKind === "existing"}
                onChange={() => setTargetKind("existing")}
                disabled={!targets!.eligible.length}
                className="mt-1 accent-sky-600"
              />
              <span className="min-w-0 flex-1">
                <span className="block text-sm font-medium">Use an existing volume</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">
                  {targets!.eligible.length
                    ? `Same size (${formatBytes(source.sizeBytes)}), in no mirror, not an Active LU. Its data is overwritten.`
                    : `No volume on ${peer.name} qualifies (same size, in no mirror, not an Active LU).`}
                </span>
              </span>
            </label>
            {targetKind === "existing" && targets!.eligible.length > 0 && (
              <div className="pl-6">
                <Field label="Target volume" error={err("target")}>
                  {({ id, describedBy, invalid }) => (
                    <select id={id} className={`${inputClass} font-mono`} value={chosenExisting?.ref ?? ""} onChange={(e) => setExistingTarget(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined}>
                      {targets!.eligible.map((v) => (
                        <option key={v.ref} value={v.ref}>
                          {volumeLabel(v)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
            )}
            <WhyNot items={targets!.ineligible} what={`volumes on ${peer.name} that cannot be the target`} testId="target-why-not" />
          </div>
        </fieldset>
      )}

      {source && (
        <div className="flex flex-wrap items-center gap-2 rounded-lg bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-500/10 dark:text-sky-100" data-testid="new-mirror-direction">
          Data will flow FROM <span className="font-mono font-semibold">{source.ref}</span>
          <Arrow />
          TO <span className="font-mono font-semibold">{peer ? (targetKind === "create" ? `${peer.name}/${targetName.trim() || "…"}` : (chosenExisting?.ref ?? "…")) : "…"}</span>
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Mirror name" error={err("name")} hint="a-z, 0-9, '.', '_' or '-'">
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              className={`${inputClass} font-mono`}
              value={mirrorName}
              onChange={(e) => {
                setName(e.target.value);
                if (create.error) create.reset();
              }}
              placeholder="db-mirror"
              autoComplete="off"
              spellCheck={false}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
            />
          )}
        </Field>

        <Field label="Description (optional)" error={err("description")}>
          {({ id, describedBy, invalid }) => (
            <input id={id} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
          )}
        </Field>
      </div>

      <ModeChoice value={mode} onChange={setMode} name="new-mirror-mode" />

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Speed limit (optional)" error={err("speedLimit")} hint={rateHint(speed)}>
          {({ id, describedBy, invalid }) => <RateInput id={id} value={speed} onChange={setSpeed} describedBy={describedBy} invalid={invalid} />}
        </Field>
        <Field label="RPO target, seconds (optional)" error={err("rpoTargetSeconds")} hint="Health turns critical when the lag exceeds it. Empty: none.">
          {({ id, describedBy, invalid }) => (
            <input id={id} inputMode="numeric" className={`${inputClass} tabular-nums`} value={rpo} onChange={(e) => setRpo(e.target.value)} placeholder="none" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
          )}
        </Field>
        <Field
          label="Automatic failover after, seconds (optional)"
          error={err("autoFailoverAfterSeconds")}
          hint={`Empty: off, a person decides. Otherwise ${peer?.name ?? "the target host"} takes over by itself once both the console and it have lost ${source?.host ?? "the source host"} for this long (5 to 3600 s).`}
        >
          {({ id, describedBy, invalid }) => (
            <input id={id} inputMode="numeric" className={`${inputClass} tabular-nums`} value={auto} onChange={(e) => setAuto(e.target.value)} placeholder="off" autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid || undefined} />
          )}
        </Field>
      </div>

      {server.rest && (
        <Alert tone="error" title="The console refused the mirror" testId="new-mirror-error">
          {server.rest}
        </Alert>
      )}
    </Dialog>
  );
}
