"use client";
// Confirmation for destructive or disruptive actions; with `typeToConfirm`, the button stays
// disabled until that exact text is typed.
import { useState } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { inputClass } from "./field";

type Props = {
  open: boolean;
  onClose: () => void;
  title: React.ReactNode;
  children?: React.ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: "danger" | "primary";
  typeToConfirm?: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null;
  testId?: string;
};

export function ConfirmDialog(props: Props) {
  if (!props.open) return null;
  return <ConfirmBody {...props} />;
}

function ConfirmBody({ onClose, title, children, confirmLabel, pendingLabel, tone = "danger", typeToConfirm, onConfirm, pending, error, testId }: Props) {
  const [typed, setTyped] = useState("");
  const matches = !typeToConfirm || typed.trim() === typeToConfirm;
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      size="sm"
      testId={testId}
      onSubmit={() => matches && !pending && onConfirm()}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} data-autofocus={typeToConfirm ? undefined : true}>
            Cancel
          </Button>
          <Button type="submit" variant={tone === "danger" ? "danger" : "primary"} disabled={!matches || pending}>
            {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
          </Button>
        </>
      }
    >
      {children && <div className="space-y-2 text-slate-600 dark:text-slate-300">{children}</div>}
      {typeToConfirm && (
        <label className="block text-sm font-medium text-slate-800 dark:text-slate-200">
          Type <span className="rounded bg-slate-100 px-1 font-mono text-slate-900 dark:bg-slate-800 dark:text-slate-100">{typeToConfirm}</span> to confirm
          <input
            className={`${inputClass} mt-1 font-mono`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
            aria-label={`Type ${typeToConfirm} to confirm`}
          />
        </label>
      )}
      {error && <Alert tone="error">{error}</Alert>}
    </Dialog>
  );
}
