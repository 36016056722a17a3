"use client";
// Stage 6: how it ended: the direction now, epoch, client outage, bytes re-copied and the
// verification for a reversal (any other result is listed as it comes), what happened on the
// mirror meanwhile, and the mirror's audit trail.
import Link from "next/link";
import { formatBytes, formatDateTime } from "@/lib/format";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CardTitle } from "@/components/storage/lu-panel";
import { mirrorHref } from "@/components/mirrors/mirrors-view";
import type { MirrorDetail } from "@/components/mirrors/mirror-cache";
import { AuditTrail } from "./audit-trail";
import { formatSpan, LivePanel, type MoveOperation, type OpStep } from "./execute-stage";
import { MOVE_KIND_INFO, type MoveKind } from "./move-kinds";
import { DirectionHero, Fact, FlowWords, MarkIcon } from "./wizard-parts";

type Range = { offset: number; length: number };
type Verification = "skipped" | { equal: boolean; chunks?: number; seconds?: number; differingRanges?: Range[]; differingBytes?: number };
type MoveResult = { from?: string; to?: string; epoch?: number; outageMs?: number | null; bytesRecopied?: number; verification?: Verification } & Record<string, unknown>;

const KNOWN = new Set(["from", "to", "epoch", "outageMs", "bytesRecopied", "verification"]);

function VerificationFact({ v }: { v: Verification | undefined }) {
  if (v === undefined) return null;
  if (v === "skipped")
    return (
      <Fact label="Verification" testId="summary-verification" sub="turned off in the plan: run a verify from the CLI when convenient">
        <span data-verification="skipped">Skipped</span>
      </Fact>
    );
  if (v.equal)
    return (
      <Fact label="Verification" tone="success" testId="summary-verification" sub={`${v.chunks ?? "?"} chunks compared${v.seconds !== undefined ? ` in ${formatSpan(v.seconds)}` : ""}`}>
        <span className="inline-flex items-center gap-1.5" data-verification="equal">
          <MarkIcon mark="pass" className="h-4 w-4" label="" /> Both sides equal
        </span>
      </Fact>
    );
  const ranges = v.differingRanges ?? [];
  return (
    <Fact label="Verification" tone="danger" testId="summary-verification" sub={ranges.slice(0, 4).map((r) => `${formatBytes(r.offset)} +${formatBytes(r.length)}`).join(", ") + (ranges.length > 4 ? ` and ${ranges.length - 4} more` : "")}>
      <span className="inline-flex items-center gap-1.5" data-verification="differ">
        <MarkIcon mark="fail" className="h-4 w-4" label="" /> Differ in {ranges.length} range{ranges.length === 1 ? "" : "s"}
        {v.differingBytes !== undefined && ` (${formatBytes(v.differingBytes)})`}
      </span>
    </Fact>
  );
}

function ResultFacts({ result, op }: { result: MoveResult; op: MoveOperation }) {
  const extra = Object.entries(result).filter(([k, v]) => !KNOWN.has(k) && (typeof v === "number" || typeof v === "string" || typeof v === "boolean"));
  const took = op.finishedAt ? (Date.parse(op.finishedAt) - Date.parse(op.startedAt ?? op.createdAt)) / 1000 : null;
  return (
    <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      {result.epoch !== undefined && (
        <Fact label="Epoch" testId="summary-epoch" sub="raised at every change of direction">
          {result.epoch}
        </Fact>
      )}
      {"outageMs" in result && (
        <Fact label="Client outage" testId="summary-outage" sub={result.outageMs == null ? "no LU: no client was switched" : "from the source's LU going Standby to the target's going Active"}>
          {result.outageMs == null ? "–" : `${result.outageMs} ms`}
        </Fact>
      )}
      {result.bytesRecopied !== undefined && (
        <Fact label="Bytes re-copied" testId="summary-recopied" sub={result.bytesRecopied === 0 ? "nothing was copied again" : "writes made after the switch"}>
          {formatBytes(result.bytesRecopied)}
        </Fact>
      )}
      <VerificationFact v={result.verification} />
      <Fact label="Took" testId="summary-took" sub={op.finishedAt ? `finished ${formatDateTime(op.finishedAt)}` : undefined}>
        {formatSpan(took)}
      </Fact>
      {extra.map(([k, v]) => (
        <Fact key={k} label={k.replace(/([A-Z])/g, " $1").toLowerCase()}>
          {String(v)}
        </Fact>
      ))}
    </div>
  );
}

export function SummaryStage({
  op,
  kind,
  mirror,
  steps,
  events,
  onAnother,
}: {
  op: MoveOperation;
  kind: MoveKind;
  mirror: MirrorDto;
  steps: OpStep[] | null;
  events: MirrorDetail["events"];
  onAnother: () => void;
}) {
  const info = MOVE_KIND_INFO[kind];
  const result = (op.result && typeof op.result === "object" ? op.result : {}) as MoveResult;
  const ok = op.status === "succeeded";
  const failedStep = steps?.find((s) => s.status === "failed");
  const since = Date.parse(op.createdAt) - 1000;
  const happened = events.filter((e) => Date.parse(e.at) >= since).slice(0, 10).reverse();

  return (
    <div className="space-y-6">
      {ok ? (
        <Alert tone="success" title={`${info.title} of ${mirror.name} done`} testId="summary-outcome">
          {kind === "failover" ? `${mirror.source.ref} serves clients now.` : "The mirror runs in its new direction."} Every step succeeded.
        </Alert>
      ) : (
        <Alert tone="error" title={`${info.title} of ${mirror.name} ${op.status}`} testId="summary-outcome">
          {failedStep ? (
            <>
              Step “{failedStep.title}” failed: {failedStep.error ?? op.error}
            </>
          ) : (
            (op.error ?? "no reason was recorded")
          )}
          {kind === "reverse" && <span className="mt-1 block">A reversal that fails before the new source is Active puts the original direction back; the mirror&apos;s events below say what was done.</span>}
        </Alert>
      )}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <DirectionHero
            testId="summary-direction"
            from={mirror.source.ref}
            to={mirror.target.ref}
            fromNote="source: serves clients"
            toNote="target: Standby"
            words={<FlowWords lead="Data now flows" from={mirror.source.ref} to={mirror.target.ref} />}
          />
          {ok && <ResultFacts result={result} op={op} />}
        </div>
        <Card className="self-start">
          <LivePanel mirror={mirror} />
        </Card>
      </div>

      {happened.length > 0 && (
        <Card>
          <CardTitle>What happened on the mirror</CardTitle>
          <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="summary-events">
            {happened.map((e) => (
              <li key={e.id} className="flex gap-4 px-5 py-2.5">
                <time dateTime={e.at} className="w-20 flex-none tabular-nums text-xs leading-5 text-slate-500 dark:text-slate-400">
                  {new Date(e.at).toLocaleTimeString()}
                </time>
                <span className={`min-w-0 break-words ${e.kind.includes("rolled_back") || e.kind.endsWith("failed") ? "text-rose-700 dark:text-rose-300" : "text-slate-700 dark:text-slate-200"}`}>{e.message}</span>
              </li>
            ))}
          </ul>
        </Card>
      )}

      <Card>
        <CardTitle>Audit trail of {mirror.name}</CardTitle>
        <AuditTrail subject={mirror.name} operationId={op.id} />
      </Card>

      <div className="flex flex-wrap gap-3">
        <Link href={mirrorHref(mirror.name)} className={buttonClass("primary")} data-testid="summary-back">
          Back to mirror {mirror.name}
        </Link>
        <Link href="/mirrors" className={buttonClass("secondary")}>
          All mirrors
        </Link>
        <Button variant="ghost" onClick={onAnother}>
          Start another move
        </Button>
      </div>
    </div>
  );
}
