"use client";
// Stage 3: what will happen, before anything does: the direction (big, in words and arrows),
// every step, bytes to copy, the client outage, what is discarded, and the options.
import { formatBytes } from "@/lib/format";
import type { MirrorDto } from "@/server/services/mirrors/mirror-dto";
import type { MoveKind, MovePlan } from "./move-kinds";
import { CheckOption, DirectionHero, Fact, FlowWords, readableBytes, SectionTitle } from "./wizard-parts";

export type MoveOptions = { verify: boolean; safetySnapshot: boolean; reverseAfter: boolean; reason: string; typed: string; forceAck: boolean };

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const host = (ref: string) => ref.split("/")[0] ?? ref;

export function bytesToCopyText(n: number) {
  if (n < 0) return "Measured during the compare";
  if (n === 0) return "Nothing";
  return formatBytes(n);
}

function bytesToCopySub(kind: MoveKind, plan: MovePlan) {
  const n = plan.bytesToCopy;
  if (n < 0) return "the divergent chunks, shown before anything is overwritten";
  if (n === 0) return kind === "reverse" ? "the sides are equal" : kind === "failover" ? "a failover copies nothing" : "the sides are equal";
  const exact = `${n.toLocaleString()} bytes`;
  // A failback copies two things: the chunks the old source has of its own, and the promoted side's writes.
  return kind === "failback" ? `${exact}: the chunks that differ on ${host(plan.direction.to)}, then every write ${host(plan.direction.from)} took since promotion` : exact;
}

export function PlanDirection({ kind, plan, reverseAfter }: { kind: MoveKind; plan: MovePlan; reverseAfter: boolean }) {
  const { from, to } = plan.direction;
  if (kind === "failover")
    return (
      <DirectionHero
        testId="plan-direction"
        broken
        from={from}
        to={to}
        fromNote={`promoted: its LU goes Active · 0 and serves clients from ${host(from)}`}
        toNote="fenced: it is never written by the mirror again until failback"
        words={<>{plan.direction.sentence}.</>}
      />
    );
  return (
    <DirectionHero
      testId="plan-direction"
      from={from}
      to={to}
      fromNote={kind === "reverse" ? "becomes the source: its LU goes Active · 0 and serves clients" : "keeps serving clients: what changed since the failover is copied"}
      toNote={kind === "reverse" ? "becomes the target: its LU goes Standby · 2" : "held in Standby: only its differing chunks are overwritten"}
      words={
        <>
          <FlowWords lead="Data will flow" from={from} to={to} />
          {kind === "failback" && reverseAfter && (
            <span className="mt-1 block text-sm text-slate-500 dark:text-slate-400">
              Then a planned reversal makes it flow FROM {to} TO {from} again.
            </span>
          )}
        </>
      }
    />
  );
}

export function PlanStage({ kind, plan, mirror, opts, setOpt }: { kind: MoveKind; plan: MovePlan; mirror: MirrorDto; opts: MoveOptions; setOpt: <K extends keyof MoveOptions>(k: K, v: MoveOptions[K]) => void }) {
  const discardsNothing = /^(nothing|none)\b/i.test(plan.discards);
  return (
    <div className="space-y-6">
      <div>
        <p className="mb-2 text-sm text-slate-500 dark:text-slate-400" data-testid="plan-today">
          {mirror.state === "failed_over" ? (
            // The mirror keeps its original direction on record until a failback commits; in fact nothing flows.
            <>
              Today <span className="font-mono">{mirror.target.ref}</span> serves clients and nothing flows: <span className="font-mono">{mirror.source.ref}</span> is fenced since the failover.
            </>
          ) : (
            <>
              Today data flows FROM <span className="font-mono">{mirror.source.ref}</span> TO <span className="font-mono">{mirror.target.ref}</span>.
            </>
          )}{" "}
          After this {kind === "failover" ? "failover" : kind === "failback" ? "failback" : "reversal"}:
        </p>
        <PlanDirection kind={kind} plan={plan} reverseAfter={opts.reverseAfter} />
      </div>

      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <Fact label="Bytes to copy" testId="plan-bytes" sub={bytesToCopySub(kind, plan)}>
          {bytesToCopyText(plan.bytesToCopy)}
        </Fact>
        <Fact label="Expected client outage" testId="plan-outage">
          <span className="block first-letter:uppercase">{plan.expectedOutage}</span>
        </Fact>
        <Fact label="Discarded" tone={discardsNothing ? undefined : "warning"} testId="plan-discards">
          <span className="block first-letter:uppercase">{readableBytes(plan.discards)}</span>
        </Fact>
        <Fact label="Safety snapshot" testId="plan-snapshot" sub={plan.safetySnapshot.reason}>
          {plan.safetySnapshot.offered ? (opts.safetySnapshot ? "Will be taken" : "Declined") : "Not needed"}
        </Fact>
      </div>

      <section aria-labelledby="plan-steps-title">
        <SectionTitle id="plan-steps-title">Steps, in order</SectionTitle>
        <ol className="mt-2 space-y-2" data-testid="plan-steps">
          {plan.steps.map((s, i) => (
            <li key={i} className="flex gap-3 text-sm">
              <span className="flex h-6 w-6 flex-none items-center justify-center rounded-full bg-slate-100 text-xs font-semibold tabular-nums text-slate-600 ring-1 ring-inset ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700">
                {i + 1}
              </span>
              <span className="pt-0.5 text-slate-700 dark:text-slate-200">{s}</span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="plan-options-title" className="space-y-2">
        <SectionTitle id="plan-options-title">Options</SectionTitle>
        {kind === "reverse" && (
          <CheckOption
            testId="option-verify"
            checked={opts.verify}
            onChange={(v) => setOpt("verify", v)}
            label="Verify at the end"
            hint="After the switch, both sides are compared chunk by chunk over NBD and the result is shown in the summary. It reads the whole volume on both hosts: for very large volumes you may turn it off and run a verify later."
          />
        )}
        {kind === "failback" && (
          <>
            <CheckOption
              testId="option-snapshot"
              checked={opts.safetySnapshot}
              onChange={(v) => setOpt("safetySnapshot", v)}
              label={`Take a safety snapshot of ${plan.direction.to} first`}
              hint={`${cap(plan.safetySnapshot.reason)}. Without it, the writes ${host(plan.direction.to)} took that never reached ${host(plan.direction.from)} are gone for good.`}
            />
            <CheckOption
              testId="option-reverse-after"
              checked={opts.reverseAfter}
              onChange={(v) => setOpt("reverseAfter", v)}
              label={`Then reverse back: data flows FROM ${plan.direction.to} TO ${plan.direction.from} again`}
              hint="A planned reversal once the sides are equal (under a second of client outage); the overlay is merged in a short maintenance step. Leave it off to keep serving from the current host."
            />
          </>
        )}
        {kind === "failover" && <p className="text-sm text-slate-500 dark:text-slate-400">No options: a failover always fences the old source before it promotes the target. A reason is asked for on the next page.</p>}
      </section>
    </div>
  );
}
