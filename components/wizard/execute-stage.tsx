"use client";
// Stage 5: the operation as it runs. Steps come from mirror.get (patched by operation.step
// events), the operation's status from operation.get; rate and ETA are worked out here from the
// byte counts seen and when they were seen. Everything is re-read from the server after a reload.
import { useEffect, useState } from "react";
import { formatBytes, formatDuration, formatRate } from "@/lib/format";
import { etaFrom, pushSample, sampleRate, type ByteSample } from "@/lib/step-rate";
import type { RouterOutputs } from "@/lib/api-types";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { Badge } from "@/components/ui/badge";
import type { MirrorDetail } from "@/components/mirrors/mirror-cache";
import { Direction, MirrorStateBadge, ProgressBar } from "@/components/mirrors/mirror-badges";
import { LuStates } from "./lu-states";
import { MOVE_KIND_INFO, type MoveKind } from "./move-kinds";
import { MarkIcon, type Mark } from "./wizard-parts";

export type MoveOperation = RouterOutputs["operation"]["get"];
export type OpStep = MirrorDetail["operations"][number]["steps"][number];

export const OP_TONE = { pending: "neutral", running: "sky", succeeded: "success", failed: "danger", cancelled: "neutral" } as const;
export const isTerminal = (status: string) => status === "succeeded" || status === "failed" || status === "cancelled";

const stepMark = (s: string): Mark => (s === "succeeded" ? "pass" : s === "failed" ? "fail" : s === "running" ? "running" : "pending");

function elapsed(a: string | null, b: string | null, now: number): number | null {
  if (!a) return null;
  return Math.max(0, ((b ? Date.parse(b) : now) - Date.parse(a)) / 1000);
}

/** Sub-second durations matter here (most steps take milliseconds): "45 ms", "2.3 s", "3 min 5 s". */
export function formatSpan(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return seconds < 10 ? `${seconds.toFixed(1)} s` : formatDuration(seconds);
}

/** Byte samples per running step, taken when a new count arrives. */
function useStepSamples(steps: OpStep[]) {
  const [samples, setSamples] = useState<Record<string, ByteSample[]>>({});
  useEffect(() => {
    const at = Date.now();
    setSamples((prev) => {
      let next = prev;
      for (const s of steps) {
        if (s.status !== "running" || (s.bytesTotal === null && s.bytesDone === 0)) continue;
        const list = prev[s.name] ?? [];
        const pushed = pushSample(list, { at, bytes: s.bytesDone });
        if (pushed !== list) next = { ...next, [s.name]: pushed };
      }
      return next;
    });
  }, [steps]);
  return samples;
}

function StepRow({ step, index, samples, now }: { step: OpStep; index: number; samples: ByteSample[] | undefined; now: number }) {
  const mark = stepMark(step.status);
  const took = elapsed(step.startedAt, step.finishedAt, now);
  const hasBytes = step.bytesTotal !== null || step.bytesDone > 0;
  const pct = step.bytesTotal ? Math.min(100, (step.bytesDone / step.bytesTotal) * 100) : null;
  const rate = samples ? sampleRate(samples) : null;
  const eta = step.status === "running" ? etaFrom(step.bytesDone, step.bytesTotal, rate) : null;
  return (
    <li
      className={`flex gap-3 px-5 py-3 ${step.status === "running" ? "bg-sky-50/60 dark:bg-sky-500/5" : step.status === "failed" ? "bg-rose-50/60 dark:bg-rose-500/5" : ""}`}
      data-testid={`exec-step-${step.name}`}
      data-status={step.status}
    >
      <div className="flex w-6 flex-none justify-center pt-0.5">
        <MarkIcon mark={mark} className="h-5 w-5" label={step.status} />
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5">
          <span className={`text-sm ${step.status === "pending" ? "text-slate-500 dark:text-slate-400" : "font-medium text-slate-900 dark:text-slate-100"}`}>
            <span className="mr-1.5 tabular-nums text-slate-400">{index + 1}.</span>
            {step.title}
          </span>
          <span className="text-xs tabular-nums text-slate-500 dark:text-slate-400" data-testid="step-timing">
            {step.startedAt ? (
              <>
                <time dateTime={step.startedAt}>{new Date(step.startedAt).toLocaleTimeString()}</time>
                {" · "}
                {step.status === "running" ? `running for ${formatSpan(took)}` : `took ${formatSpan(took)}`}
              </>
            ) : (
              "waiting"
            )}
          </span>
        </div>
        {hasBytes && (
          <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1">
            {step.bytesTotal !== null && <ProgressBar percent={pct} label={`${step.title}: bytes done`} className="h-1.5 w-full max-w-64" tone={step.status === "running" ? "sky" : "slate"} />}
            <span className="whitespace-nowrap text-xs tabular-nums text-slate-600 dark:text-slate-300" data-testid="step-bytes">
              {formatBytes(step.bytesDone)}
              {step.bytesTotal !== null && ` of ${formatBytes(step.bytesTotal)}`}
              {rate !== null && ` · ${formatRate(rate)}`}
              {step.status === "running" && step.bytesTotal !== null && ` · ETA ${eta === null ? "–" : formatSpan(eta)}`}
            </span>
          </div>
        )}
        {step.error && (
          <div className="mt-1.5 break-words rounded-md bg-rose-50 px-2.5 py-1.5 text-xs font-medium text-rose-800 ring-1 ring-inset ring-rose-600/20 dark:bg-rose-500/10 dark:text-rose-200 dark:ring-rose-400/30" role="alert">
            {step.error}
          </div>
        )}
      </div>
    </li>
  );
}

export function StepList({ steps, status, now }: { steps: OpStep[] | null; status: string; now: number }) {
  const samples = useStepSamples(steps ?? []);
  if (!steps) return <p className="px-5 py-6 text-sm text-slate-500 dark:text-slate-400">The steps of this operation are not in the mirror&apos;s recent history.</p>;
  if (!steps.length)
    return (
      <p className="flex items-center gap-2 px-5 py-6 text-sm text-slate-500 dark:text-slate-400">
        {status === "pending" || status === "running" ? (
          <>
            <MarkIcon mark="running" className="h-4 w-4" label="" /> Waiting for a worker to pick up the operation…
          </>
        ) : (
          "This operation has no separate steps."
        )}
      </p>
    );
  return (
    <ol className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="exec-steps">
      {steps.map((s, i) => (
        <StepRow key={s.name} step={s} index={i} samples={samples[s.name]} now={now} />
      ))}
    </ol>
  );
}

export function OperationHeader({ op, kind, steps, now }: { op: MoveOperation; kind: MoveKind; steps: OpStep[] | null; now: number }) {
  const done = steps?.filter((s) => s.status === "succeeded").length ?? 0;
  const total = steps?.length ?? 0;
  const took = elapsed(op.startedAt ?? op.createdAt, op.finishedAt, now);
  return (
    <div className="border-b border-slate-200 px-5 py-4 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="text-base font-semibold">{MOVE_KIND_INFO[kind].title}</h3>
        <Badge tone={OP_TONE[op.status as keyof typeof OP_TONE] ?? "neutral"}>
          <span data-testid="op-status" data-status={op.status}>
            {op.status}
          </span>
        </Badge>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          by {op.actor}
          {op.manual ? "" : " (automatic)"} · {op.finishedAt ? "took" : "running for"} {formatSpan(took)}
          {op.attempts > 1 && ` · attempt ${op.attempts}`}
        </span>
        <span className="ml-auto text-xs tabular-nums text-slate-500 dark:text-slate-400" data-testid="op-progress" aria-live="polite">
          {total ? `${done} of ${total} steps done` : ""}
        </span>
      </div>
      {total > 0 && <ProgressBar percent={(done / total) * 100} label="steps done" className="mt-3 h-1.5" tone={op.status === "failed" ? "amber" : "sky"} />}
      {op.reason && <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Reason: {op.reason}</p>}
      <p className="mt-1 font-mono text-[0.6875rem] text-slate-400">operation {op.id}</p>
    </div>
  );
}

/**
 * Where the mirror's data is now. A failed-over mirror copies nothing: its target serves clients
 * and its source is fenced (the database keeps the original direction until a failback commits);
 * while a failback copies back, data flows from the promoted side to the old source.
 */
export function CurrentFlow({ mirror }: { mirror: MirrorDto }) {
  if (mirror.state === "failed_over") return <Direction source={mirror.source} target={mirror.target} failedOver />;
  if (mirror.state === "resyncing" && mirror.stateReason === "failback")
    return (
      <span className="inline-flex flex-wrap items-center gap-x-1.5">
        <Direction source={mirror.target} target={mirror.source} />
        <span className="text-xs text-slate-500 dark:text-slate-400">copying back</span>
      </span>
    );
  return <Direction source={mirror.source} target={mirror.target} />;
}

export function LivePanel({ mirror }: { mirror: MirrorDto }) {
  return (
    <div className="space-y-4 px-5 py-4" data-testid="wizard-live">
      <div>
        <div className="text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">Mirror now</div>
        <div className="mt-1.5 flex flex-wrap items-center gap-2">
          <MirrorStateBadge state={mirror.state} reason={mirror.stateReason} />
          <span className="text-xs tabular-nums text-slate-500 dark:text-slate-400">epoch {mirror.epoch}</span>
        </div>
        <div className="mt-2" data-testid="live-direction">
          <CurrentFlow mirror={mirror} />
        </div>
      </div>
      <LuStates mirror={mirror} />
    </div>
  );
}
