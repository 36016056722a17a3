"use client";
// Stage 6: how it ended: the direction now, epoch, client outage, bytes re-copied and the
// verification for a reversal; what a failover promoted, or what a failback replaced and copied
// (with the reversal back it queued); any other result is listed as it comes. Then what happened
// on the mirror meanwhile, and the mirror's audit trail.
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
import { MOVE_KIND_INFO, moveHref, type MoveKind } from "./move-kinds";
import { DirectionHero, Fact, FlowWords, MarkIcon, readableBytes } from "./wizard-parts";

type Range = { offset: number; length: number };
type Verification = "skipped" | { equal: boolean; chunks?: number; seconds?: number; differingRanges?: Range[]; differingBytes?: number };
type MoveResult = {
  from?: string;
  to?: string;
  epoch?: number;
  outageMs?: number | null;
  bytesRecopied?: number;
  verification?: Verification;
  /** Failover: the promoted side, its clients' URI, and whether the old source answered the fence. */
  servedBy?: string;
  uri?: string | null;
  oldSourceReachable?: boolean;
  /** Failback: the old source's own data that was replaced, what was copied, the snapshot, the overlay merge. */
  divergentBytes?: number;
  bytesCopied?: number;
  safetySnapshot?: string | null;
  merge?: { merged?: boolean; clientOutageMs?: number | null; committedBytes?: number };
} & Record<string, unknown>;

const KNOWN = new Set(["from", "to", "epoch", "outageMs", "bytesRecopied", "verification", "servedBy", "uri", "oldSourceReachable", "divergentBytes", "bytesCopied", "safetySnapshot", "merge"]);
const hostOf = (ref: string | undefined) => ref?.split("/")[0] ?? "?";

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

function FailoverFacts({ result }: { result: MoveResult }) {
  return (
    <>
      {result.uri && (
        <Fact label="Client URI" testId="summary-uri" sub="clients reconnect here">
          <span className="block break-all font-mono text-xs">{result.uri}</span>
        </Fact>
      )}
      {result.oldSourceReachable !== undefined && (
        <Fact label="Old source" testId="summary-old-source" sub={result.oldSourceReachable ? "its LU is Standby and it remembers the fence" : "it will be held in Standby when it returns"}>
          {result.oldSourceReachable ? "Demoted and fenced" : "Unreachable"}
        </Fact>
      )}
    </>
  );
}

function FailbackFacts({ result }: { result: MoveResult }) {
  const old = hostOf(result.to);
  const promoted = hostOf(result.from);
  const merge = result.merge;
  // "h1/vol@before-failback-e2": the snapshot's name, and the volume it belongs to.
  const [snapshotVolume, snapshotName] = result.safetySnapshot?.includes("@") ? result.safetySnapshot.split("@") : [result.to ?? old, result.safetySnapshot ?? ""];
  return (
    <>
      {result.divergentBytes !== undefined && (
        <Fact
          label={`Replaced on ${old}`}
          tone={result.divergentBytes > 0 ? "warning" : undefined}
          testId="summary-discarded"
          sub={result.divergentBytes > 0 ? `data ${old} held that never reached ${promoted}${result.safetySnapshot ? "; kept in the safety snapshot" : ""}` : `${old} held nothing that ${promoted} lacked`}
        >
          {result.divergentBytes > 0 ? formatBytes(result.divergentBytes) : "Nothing"}
        </Fact>
      )}
      {result.bytesCopied !== undefined && (
        <Fact label="Bytes copied" testId="summary-copied" sub={`the differing chunks, then every write ${promoted} took since promotion`}>
          {formatBytes(result.bytesCopied)}
        </Fact>
      )}
      {result.safetySnapshot !== undefined && (
        <Fact label="Safety snapshot" testId="summary-snapshot" sub={result.safetySnapshot ? `of ${snapshotVolume}, as it was before the failback: clone it to read what was replaced` : "declined in the plan"}>
          {result.safetySnapshot ? <span className="break-all font-mono">{snapshotName}</span> : "None"}
        </Fact>
      )}
      {merge && (
        <Fact label="Overlay merge" testId="summary-merge" sub={merge.merged ? `client outage while the overlay was merged into ${result.from ?? "the volume"}` : "nothing to merge"}>
          {merge.merged ? (merge.clientOutageMs == null ? "Merged" : `${Math.round(merge.clientOutageMs)} ms`) : "–"}
        </Fact>
      )}
    </>
  );
}

function ResultFacts({ result, op, kind }: { result: MoveResult; op: MoveOperation; kind: MoveKind }) {
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
      {kind === "failover" && <FailoverFacts result={result} />}
      {kind === "failback" && <FailbackFacts result={result} />}
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

type RecentOperation = MirrorDetail["operations"][number];

/**
 * The planned reversal a failback queues when it succeeds ("then reverse back"): an operation of
 * its own, so it is looked for among the mirror's operations started once the failback ended.
 */
export function followUpOf(kind: MoveKind, op: MoveOperation, operations: RecentOperation[]): RecentOperation | undefined {
  if (kind !== "failback" || op.status !== "succeeded" || !op.finishedAt) return undefined;
  // Queued as the failback ends; a reversal started by hand much later is not this one.
  const ended = Date.parse(op.finishedAt);
  return operations.filter((o) => o.kind === "mirror.reverse" && Math.abs(Date.parse(o.createdAt) - ended) <= 30_000).at(-1);
}

function FollowUp({ next, mirror, onFollow }: { next: RecentOperation; mirror: MirrorDto; onFollow: (id: string) => void }) {
  const done = next.steps.filter((st) => st.status === "succeeded").length;
  const link = (label: string) => (
    <Link
      href={moveHref(mirror.name, { op: next.id })}
      className="font-medium underline"
      data-testid="summary-follow-up-link"
      onClick={(e) => {
        e.preventDefault();
        onFollow(next.id);
      }}
    >
      {label}
    </Link>
  );
  const title = "Then: a planned reversal back";
  if (next.status === "succeeded")
    return (
      <Alert tone="success" title={`${title}, done`} testId="summary-follow-up">
        <span data-status={next.status}>Data flows FROM {mirror.source.ref} TO {mirror.target.ref} again.</span> {link("See its summary")}
      </Alert>
    );
  if (next.status === "failed" || next.status === "cancelled")
    return (
      <Alert tone="error" title={`${title}, ${next.status}`} testId="summary-follow-up">
        <span data-status={next.status}>{next.error ?? "no reason was recorded"}. The failback itself stands: the mirror runs from the promoted side.</span> {link("See what happened")}
      </Alert>
    );
  return (
    <Alert tone="info" title={`${title}, ${next.status}`} testId="summary-follow-up">
      <span data-status={next.status}>
        Requested with the failback{next.steps.length ? `: ${done} of ${next.steps.length} steps done` : ""}. Clients move back in under a second.
      </span>{" "}
      {link("Follow it live")}
    </Alert>
  );
}

export function SummaryStage({
  op,
  kind,
  mirror,
  steps,
  events,
  operations,
  onAnother,
  onFollow,
}: {
  op: MoveOperation;
  kind: MoveKind;
  mirror: MirrorDto;
  steps: OpStep[] | null;
  events: MirrorDetail["events"];
  operations: RecentOperation[];
  onAnother: () => void;
  /** Follows another move of this mirror in the wizard (the reversal a failback queued). */
  onFollow: (id: string) => void;
}) {
  const info = MOVE_KIND_INFO[kind];
  const result = (op.result && typeof op.result === "object" ? op.result : {}) as MoveResult;
  const ok = op.status === "succeeded";
  const failedStep = steps?.find((s) => s.status === "failed");
  const since = Date.parse(op.createdAt) - 1000;
  const happened = events.filter((e) => Date.parse(e.at) >= since).slice(0, 10).reverse();
  const next = followUpOf(kind, op, operations);
  const failedOver = mirror.state === "failed_over";

  return (
    <div className="space-y-6">
      {ok ? (
        <Alert tone="success" title={`${info.title} of ${mirror.name} done`} testId="summary-outcome">
          {kind === "failover"
            ? `${result.servedBy ?? mirror.target.ref} serves clients now; ${mirror.source.ref} is fenced until a failback.`
            : kind === "failback"
              ? `${result.to ?? mirror.target.ref} holds the same data as ${result.from ?? mirror.source.ref} again.`
              : "The mirror runs in its new direction."}{" "}
          Every step succeeded.
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

      {next && <FollowUp next={next} mirror={mirror} onFollow={onFollow} />}

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          {failedOver ? (
            <DirectionHero
              testId="summary-direction"
              broken
              from={mirror.target.ref}
              to={mirror.source.ref}
              fromNote="promoted: its LU is Active and serves clients"
              toNote="fenced: held in Standby until a failback"
              words={<>{mirror.target.ref} serves clients; nothing flows until a failback.</>}
            />
          ) : (
            <DirectionHero
              testId="summary-direction"
              from={mirror.source.ref}
              to={mirror.target.ref}
              fromNote="source: serves clients"
              toNote="target: Standby"
              words={<FlowWords lead="Data now flows" from={mirror.source.ref} to={mirror.target.ref} />}
            />
          )}
          {ok && <ResultFacts result={result} op={op} kind={kind} />}
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
                <span className={`min-w-0 break-words ${e.kind.includes("rolled_back") || e.kind.endsWith("failed") ? "text-rose-700 dark:text-rose-300" : "text-slate-700 dark:text-slate-200"}`}>{readableBytes(e.message)}</span>
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
