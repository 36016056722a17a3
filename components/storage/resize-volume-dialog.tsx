"use client";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { fieldErrors } from "@/lib/errors";
import { formatBytes, sizeBytes, splitSize } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { SizeInput, sizeHint, sizeText, type SizeValue } from "./size-input";

type Vol = { ref: string; sizeBytes: number };

export function ResizeVolumeDialog({ volume, onClose }: { volume: Vol | null; onClose: () => void }) {
  if (!volume) return null;
  return <ResizeForm volume={volume} onClose={onClose} />;
}

function ResizeForm({ volume, onClose }: { volume: Vol; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [size, setSize] = useState<SizeValue>(() => splitSize(volume.sizeBytes));
  const resize = useMutation(
    trpc.volume.resize.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        void qc.invalidateQueries(trpc.volume.get.pathFilter());
        toast({ tone: "success", title: `${volume.ref} resized`, body: `now ${formatBytes(Number((r as { sizeBytes: number }).sizeBytes))}` });
        onClose();
      },
    }),
  );
  const bytes = sizeBytes(size.amount, size.unit);
  const grows = bytes !== null && bytes > volume.sizeBytes;
  const shrink = bytes !== null && bytes < volume.sizeBytes;
  const errs = fieldErrors(resize.error, ["size"]);

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Resize ${volume.ref}`}
      description={`Volumes only grow. Currently ${formatBytes(volume.sizeBytes)}; clients see the new size at once, file systems on it need to be grown by their owner.`}
      size="sm"
      testId="resize-dialog"
      onSubmit={() => grows && resize.mutate({ volume: volume.ref, size: sizeText(size) })}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={!grows || resize.isPending}>
            {resize.isPending ? "Resizing…" : "Resize"}
          </Button>
        </>
      }
    >
      <Field label="New size" error={errs.fields.size ?? (shrink ? `Volumes only grow: enter more than ${formatBytes(volume.sizeBytes)}` : null)} hint={sizeHint(size)}>
        {({ id, describedBy, invalid }) => <SizeInput id={id} value={size} onChange={setSize} describedBy={describedBy} invalid={invalid} />}
      </Field>
      {errs.rest && <Alert tone="error">{errs.rest}</Alert>}
    </Dialog>
  );
}
