"use client";
// Stage 4: the admin types the mirror's name (and, for a failover, why). Only operators and
// admins can start a move; a viewer sees the same page read-only, with the reason.
import { useId } from "react";
import { errorMessage } from "@/lib/errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { isForced, MOVE_KIND_INFO, type MoveKind, type MovePlan } from "./move-kinds";
import type { MoveOptions } from "./plan-stage";
import { CheckOption, FlowWords, MarkIcon, readableBytes } from "./wizard-parts";

const capitalize = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

export function reasonMode(kind: MoveKind, plan: MovePlan): "required" | "optional" | "none" {
  if (plan.reasonRequired) return "required";
  // A failback overwrites the old source's own data: why it was done belongs in the audit trail too.
  return kind === "reverse" || kind === "failback" ? "optional" : "none";
}

/** Why the start button is disabled, or null when it is not. */
export function blockedBecause(o: { kind: MoveKind; plan: MovePlan; name: string; opts: MoveOptions; canOperate: boolean }): string | null {
  if (!o.canOperate) return "Needs the operator role";
  if (!o.plan.ready) return "The preflight does not pass";
  if (o.opts.typed.trim() !== o.name) return `Type ${o.name} to confirm`;
  if (reasonMode(o.kind, o.plan) === "required" && !o.opts.reason.trim()) return "A reason is required";
  if (isForced(o.plan) && !o.opts.forceAck) return "Confirm the forced failover";
  return null;
}

export function ConfirmStage({
  kind,
  plan,
  name,
  opts,
  setOpt,
  role,
  canOperate,
  onSubmit,
  pending,
  error,
  formId,
}: {
  kind: MoveKind;
  plan: MovePlan;
  name: string;
  opts: MoveOptions;
  setOpt: <K extends keyof MoveOptions>(k: K, v: MoveOptions[K]) => void;
  role: string | null;
  canOperate: boolean;
  onSubmit: () => void;
  pending: boolean;
  error: unknown;
  /** The start button sits in the wizard's footer and submits this form by its id. */
  formId: string;
}) {
  const id = useId();
  const info = MOVE_KIND_INFO[kind];
  const reason = reasonMode(kind, plan);
  const forced = isForced(plan);
  const blocked = blockedBecause({ kind, plan, name, opts, canOperate });
  const failed = plan.checks.filter((c) => !c.ok);
  const choices = [
    kind === "reverse" && (opts.verify ? "verify both sides at the end" : "no verification at the end"),
    kind === "failback" && (opts.safetySnapshot ? `safety snapshot of ${plan.direction.to} first` : "no safety snapshot"),
    kind === "failback" && (opts.reverseAfter ? "then reverse back to the original direction" : "keep serving from the current host"),
    forced && "forced: the source is online",
  ].filter(Boolean) as string[];

  return (
    <form
      id={formId}
      noValidate
      className="space-y-5"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked && !pending) onSubmit();
      }}
    >
      <div className="rounded-lg bg-slate-50 px-4 py-3 text-sm ring-1 ring-inset ring-slate-200 dark:bg-slate-800/40 dark:ring-slate-700/60" data-testid="confirm-recap">
        <div className="font-semibold text-slate-900 dark:text-white">
          {info.title} of <span className="font-mono">{name}</span>
        </div>
        <div className="mt-1 text-slate-700 dark:text-slate-200">{kind === "failover" ? <span>{plan.direction.sentence}.</span> : <FlowWords lead="Data will flow" from={plan.direction.from} to={plan.direction.to} />}</div>
        {choices.length > 0 && <div className="mt-1 text-slate-500 dark:text-slate-400">{choices.join(" · ")}</div>}
        {kind === "failback" && !/^(nothing|none)\b/i.test(plan.discards) && (
          <div className="mt-2 flex items-start gap-1.5 text-amber-800 dark:text-amber-300" data-testid="confirm-discards">
            <MarkIcon mark="warn" className="mt-0.5 h-4 w-4" label="warning" />
            <span>
              {capitalize(readableBytes(plan.discards))}
              {opts.safetySnapshot ? "; the safety snapshot keeps a copy." : "; without a safety snapshot they are gone for good."}
            </span>
          </div>
        )}
      </div>

      {!plan.ready && (
        <Alert tone="warning" title="The preflight no longer passes" testId="confirm-not-ready">
          {failed.map((c) => `${c.name}: ${c.reason}`).join("; ")}
        </Alert>
      )}

      {!canOperate && (
        <Alert tone="info" title="Read-only" testId="wizard-readonly">
          You are signed in{role ? ` as a ${role}` : ""}: you can walk through the checks and the plan, but only operators and admins can start a {info.title.toLowerCase()}.
        </Alert>
      )}

      {forced && (
        <CheckOption
          testId="option-force"
          checked={opts.forceAck}
          onChange={(v) => setOpt("forceAck", v)}
          disabled={!canOperate}
          label="Force the failover while the source is online"
          hint={`${plan.checks.find((c) => /\bforced\b/.test(c.reason))?.reason ?? "the source is online"}. Its clients lose access until they reconnect to the target.`}
        />
      )}

      {reason !== "none" && (
        <div>
          <label htmlFor={`${id}-reason`} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
            Reason {reason === "required" ? <span className="text-rose-600 dark:text-rose-400">(required)</span> : <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>}
          </label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={500}
            value={opts.reason}
            onChange={(e) => setOpt("reason", e.target.value)}
            disabled={!canOperate}
            required={reason === "required"}
            aria-describedby={`${id}-reason-hint`}
            className={`${inputClass} mt-1`}
            placeholder={kind === "failover" ? "e.g. h1 lost power; ticket OPS-1234" : kind === "failback" ? `e.g. ${plan.direction.to.split("/")[0]} repaired; ticket OPS-1234` : "e.g. host maintenance on h1"}
          />
          <p id={`${id}-reason-hint`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            Recorded in the audit trail with your name.
          </p>
        </div>
      )}

      <div>
        <label htmlFor={`${id}-name`} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
          Type <span className="rounded bg-slate-100 px-1 font-mono text-slate-900 dark:bg-slate-800 dark:text-slate-100">{name}</span> to confirm
        </label>
        <input
          id={`${id}-name`}
          className={`${inputClass} mt-1 max-w-md font-mono`}
          value={opts.typed}
          onChange={(e) => setOpt("typed", e.target.value)}
          autoComplete="off"
          spellCheck={false}
          disabled={!canOperate}
          aria-label={`Type ${name} to confirm`}
          data-testid="confirm-name"
        />
      </div>

      {error != null && (
        <Alert tone="error" title={`${info.title} did not start`} testId="confirm-error">
          {errorMessage(error)}
        </Alert>
      )}

    </form>
  );
}

/** The start button, for the wizard's footer: disabled with the reason next to it until allowed. */
export function ConfirmSubmit({ kind, formId, blocked, pending }: { kind: MoveKind; formId: string; blocked: string | null; pending: boolean }) {
  const info = MOVE_KIND_INFO[kind];
  return (
    <div className="flex flex-wrap items-center justify-end gap-3">
      {blocked && (
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="wizard-submit-blocked">
          {blocked}
        </span>
      )}
      <Button type="submit" form={formId} variant={kind === "failover" ? "danger" : "primary"} disabled={!!blocked || pending} data-testid="wizard-submit">
        {pending ? "Starting…" : info.submit}
      </Button>
    </div>
  );
}
