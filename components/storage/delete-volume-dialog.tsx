"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { Alert } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";

type Vol = { ref: string; name: string; sizeBytes: number; snapshotCount: number; lu: { guid: string } | null };

export function DeleteVolumeDialog({ volume, onClose, onDeleted }: { volume: Vol | null; onClose: () => void; onDeleted?: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const del = useMutation(
    trpc.volume.delete.mutationOptions({
      onSuccess: (_r, input) => {
        void qc.invalidateQueries(trpc.volume.list.pathFilter());
        toast({ tone: "success", title: `Volume ${input.volume} deleted` });
        onDeleted?.();
        onClose();
      },
    }),
  );
  const close = () => {
    del.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={!!volume}
      onClose={close}
      title={`Delete volume ${volume?.ref}?`}
      confirmLabel="Delete volume"
      pendingLabel="Deleting…"
      typeToConfirm={volume?.name}
      onConfirm={() => volume && del.mutate({ volume: volume.ref })}
      pending={del.isPending}
      error={del.error ? errorMessage(del.error) : null}
      testId="delete-volume-dialog"
    >
      {volume && (
        <>
          <p>
            The volume ({formatBytes(volume.sizeBytes)}) and its {volume.snapshotCount === 1 ? "snapshot" : `${volume.snapshotCount} snapshots`} are removed from the host. This
            cannot be undone.
          </p>
          {volume.lu && (
            <Alert tone="warning">
              It is exported as LU <span className="font-mono">{volume.lu.guid}</span>; the host refuses to delete a volume in use. Remove the LU first.
            </Alert>
          )}
        </>
      )}
    </ConfirmDialog>
  );
}
