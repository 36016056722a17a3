"use client";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/lib/trpc";
import { fieldErrors } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClass } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { SizeInput, sizeHint, sizeText, type SizeValue } from "./size-input";

export function NewVolumeDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  if (!open) return null;
  return <NewVolumeForm onClose={onClose} />;
}

function NewVolumeForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const hosts = useQuery(trpc.host.list.queryOptions());
  const [host, setHost] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [size, setSize] = useState<SizeValue>({ amount: "10", unit: "G" });

  const chosenHost = host ?? hosts.data?.find((h) => h.status === "online")?.name ?? hosts.data?.[0]?.name ?? "";
  const create = useMutation(
    trpc.volume.create.mutationOptions({
      onSuccess: (v) => {
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        toast({ tone: "success", title: `Volume ${v.host}/${v.name} created`, body: `${formatBytes(v.sizeBytes)} in pool ${v.pool}` });
        onClose();
        router.push(`/volumes/${encodeURIComponent(v.host)}/${encodeURIComponent(v.name)}`);
      },
    }),
  );
  const errs = fieldErrors(create.error, ["host", "name", "size"]);
  const selected = hosts.data?.find((h) => h.name === chosenHost);

  return (
    <Dialog
      open
      onClose={onClose}
      title="New volume"
      description="A thin-provisioned qcow2 volume in the host's pool."
      testId="new-volume-dialog"
      onSubmit={() => create.mutate({ host: chosenHost, name: name.trim(), size: sizeText(size) })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending || !chosenHost}>
            {create.isPending ? "Creating…" : "Create volume"}
          </Button>
        </>
      }
    >
      <Field
        label="Host"
        error={errs.fields.host}
        hint={selected ? `${selected.status} · ${formatBytes(selected.freeBytes)} free of ${formatBytes(selected.capacityBytes)}` : undefined}
      >
        {({ id, describedBy, invalid }) => (
          <select id={id} className={inputClass} value={chosenHost} onChange={(e) => setHost(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined}>
            {hosts.isPending && <option value="">Loading hosts…</option>}
            {hosts.data?.map((h) => (
              <option key={h.id} value={h.name}>
                {h.name}
                {h.status !== "online" ? ` (${h.status})` : ""}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name" error={errs.fields.name} hint="a-z, 0-9, '.', '_' or '-'; up to 63 characters">
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            className={`${inputClass} font-mono`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="vol-a"
            autoComplete="off"
            spellCheck={false}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )}
      </Field>
      <Field label="Size" error={errs.fields.size} hint={sizeHint(size)}>
        {({ id, describedBy, invalid }) => <SizeInput id={id} value={size} onChange={setSize} describedBy={describedBy} invalid={invalid} />}
      </Field>
      {errs.rest && <Alert tone="error">{errs.rest}</Alert>}
    </Dialog>
  );
}
