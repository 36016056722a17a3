"use client";
// The move wizard (DESIGN §5): choose → preflight → plan → confirm → execute → summary. Before
// the start everything is a read of mirror.plan, refreshed live; after it the page follows one
// operation, whose id is in the address (?op=ID), so a reload or a console restart comes back to
// the same live view.
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import { skipToken, useMutation, useQueries, useQuery, useQueryClient, type UseQueryResult } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { useCan } from "@/lib/use-role";
import { useNow } from "@/lib/use-now";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { MirrorQueryState } from "@/components/mirrors/mirror-query-state";
import { keepLiveSamples } from "@/components/mirrors/mirror-cache";
import { HealthBadge, MirrorStateBadge } from "@/components/mirrors/mirror-badges";
import { mirrorHref } from "@/components/mirrors/mirrors-view";
import { ChooseStage } from "./choose-stage";
import { blockedBecause, ConfirmStage, ConfirmSubmit } from "./confirm-stage";
import { CurrentFlow, isTerminal, LivePanel, OperationHeader, StepList } from "./execute-stage";
import { MOVE_KIND_INFO, MOVE_KINDS, moveHref, moveKindOf, type MoveKind, type MovePlan } from "./move-kinds";
import { PlanStage, type MoveOptions } from "./plan-stage";
import { PreflightStage } from "./preflight-stage";
import { submitMove, type MoveRequest } from "./submit-move";
import { SummaryStage } from "./summary-stage";
import { stageIndex, WizardStepper, type Stage } from "./wizard-stepper";

type Before = "choose" | "preflight" | "plan" | "confirm";

const FRESH: MoveOptions = { verify: true, safetySnapshot: true, reverseAfter: true, reason: "", typed: "", forceAck: false };

const STAGE_TITLE: Record<Stage, string> = {
  choose: "Choose what to do",
  preflight: "Preflight checks",
  plan: "The plan",
  confirm: "Confirm",
  execute: "Running",
  summary: "Summary",
};

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500 dark:text-slate-400">
      <Link href="/mirrors" className="hover:text-slate-900 hover:underline dark:hover:text-white">
        Mirrors
      </Link>
      <span className="mx-1.5" aria-hidden>
        /
      </span>
      <Link href={mirrorHref(name)} className="hover:text-slate-900 hover:underline dark:hover:text-white">
        {name}
      </Link>
      <span className="mx-1.5" aria-hidden>
        /
      </span>
      <span className="text-slate-700 dark:text-slate-200">Reverse / fail over</span>
    </nav>
  );
}

function NextButton({ onClick, disabled, label, title }: { onClick: () => void; disabled?: boolean; label: string; title?: string }) {
  return (
    <Button onClick={onClick} disabled={disabled} title={title} data-testid="wizard-next">
      {label}
      <svg viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4" aria-hidden>
        <path fillRule="evenodd" d="M3 10a.75.75 0 01.75-.75h10.638L10.23 5.29a.75.75 0 111.04-1.08l5.5 5.25a.75.75 0 010 1.08l-5.5 5.25a.75.75 0 11-1.04-1.08l4.158-3.96H3.75A.75.75 0 013 10z" clipRule="evenodd" />
      </svg>
    </Button>
  );
}

export function MoveWizard({ name, initialOp, initialKind }: { name: string; initialOp: string | null; initialKind: MoveKind | null }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  const { can, role } = useCan();
  const canOperate = can("operator");

  const [kind, setKind] = useState<MoveKind>(initialKind ?? "reverse");
  const [stage, setStage] = useState<Before>("choose");
  const [furthest, setFurthest] = useState<Before>("choose");
  const [opts, setOpts] = useState<MoveOptions>(FRESH);
  const [opId, setOpId] = useState<string | null>(initialOp);
  const [view, setView] = useState<"execute" | "summary" | null>(null);
  const setOpt = <K extends keyof MoveOptions>(k: K, v: MoveOptions[K]) => setOpts((o) => ({ ...o, [k]: v }));

  const detail = useQuery({ ...trpc.mirror.get.queryOptions({ name }), structuralSharing: keepLiveSamples });
  const op = useQuery(trpc.operation.get.queryOptions(opId ? { id: opId } : skipToken));
  // The plans of all three kinds while choosing (each kind says whether it could start);
  // none once an operation is followed, so no refetches run in the background then.
  const planQueries = useQueries({ queries: MOVE_KINDS.map((k) => ({ ...trpc.mirror.plan.queryOptions({ name, kind: k }), enabled: !opId })) });
  const plans = Object.fromEntries(MOVE_KINDS.map((k, i) => [k, planQueries[i]!])) as Record<MoveKind, UseQueryResult<MovePlan>>;
  const plan = plans[kind];

  const running = op.data && !isTerminal(op.data.status);
  const now = useNow(running ? 1000 : 10_000);

  const submit = useMutation({
    mutationFn: (req: MoveRequest) => submitMove(client, req),
    onSuccess: ({ operationId }) => {
      // In the address at once: from here on a reload follows this operation.
      window.history.replaceState(null, "", moveHref(name, { op: operationId }));
      setOpId(operationId);
      setView(null);
      void qc.invalidateQueries(trpc.mirror.get.queryFilter({ name }));
    },
  });

  const opKind = op.data ? moveKindOf(op.data.kind) : null;
  const shownKind = opKind ?? kind;
  const shown: Stage = opId ? (view ?? (op.data && isTerminal(op.data.status) ? "summary" : "execute")) : stage;

  // Focus follows the stage (not on the first render), so keyboard and screen-reader users land on it.
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    // The new stage starts at the top of the page, with the stepper in view.
    window.scrollTo({ top: 0 });
    heading.current?.focus({ preventScroll: true });
  }, [shown]);

  const go = (s: Before) => {
    setStage(s);
    if (stageIndex(s) > stageIndex(furthest)) setFurthest(s);
  };

  // A typed confirmation (and a force) is for one kind of move only.
  const chooseKind = (k: MoveKind) => {
    setKind(k);
    setOpts((o) => ({ ...o, typed: "", forceAck: false }));
    submit.reset();
  };

  /** Follows another move of this mirror (the reversal a failback queued), as a reload would. */
  const follow = (id: string) => {
    window.history.replaceState(null, "", moveHref(name, { op: id }));
    setOpId(id);
    setView(null);
    window.scrollTo({ top: 0 });
    heading.current?.focus({ preventScroll: true });
  };

  const startOver = () => {
    window.history.replaceState(null, "", moveHref(name));
    submit.reset();
    setOpId(null);
    setView(null);
    setOpts(FRESH);
    setStage("choose");
    setFurthest("choose");
  };

  if (detail.isPending || detail.isError) return <MirrorQueryState name={name} query={detail} breadcrumb={<Breadcrumb name={name} />} />;

  const d = detail.data;
  const m = d.mirror;
  const detailOp = opId ? d.operations.find((o) => o.id === opId) : undefined;
  const steps = detailOp ? detailOp.steps : op.data && isTerminal(op.data.status) ? null : [];
  const readyToPlan = plan.data?.ready === true;
  const blocked = plan.data ? blockedBecause({ kind, plan: plan.data, name: m.name, opts, canOperate }) : "Checking…";
  const formId = "move-confirm";
  const busyElsewhere = !opId ? d.operations.find((o) => (o.status === "running" || o.status === "pending") && moveKindOf(o.kind)) : undefined;

  const reachable = (s: Stage) => {
    if (opId) return s === "execute" || (s === "summary" && !!op.data && isTerminal(op.data.status));
    if (s === "execute" || s === "summary") return false;
    if (stageIndex(s) > stageIndex(furthest)) return false;
    return stageIndex(s) <= stageIndex("preflight") || readyToPlan;
  };
  const done = (s: Stage) => {
    if (opId) return stageIndex(s) < stageIndex("execute") || (s === "execute" && !!op.data && isTerminal(op.data.status)) || (s === "summary" && op.data?.status === "succeeded");
    return stageIndex(s) < stageIndex(stage);
  };
  const goStage = (s: Stage) => {
    if (s === "execute" || s === "summary") setView(s);
    else go(s);
  };

  let body: React.ReactNode;
  let footer: React.ReactNode = null;
  if (opId) {
    if (op.isPending) body = <p className="py-6 text-sm text-slate-500 dark:text-slate-400">Loading operation {opId}…</p>;
    else if (op.isError || !opKind || op.data.subject !== m.name)
      body = (
        <div className="space-y-4">
          <Alert tone="error" title="This operation cannot be followed here" testId="op-not-found">
            {op.isError ? errorMessage(op.error) : !opKind ? `operation ${opId} is a ${op.data.kind}, not a reversal, failover or failback` : `operation ${opId} belongs to ${op.data.subject}, not to ${m.name}`}
          </Alert>
          <Button variant="secondary" onClick={startOver}>
            Start a new move of {m.name}
          </Button>
        </div>
      );
    else if (shown === "execute")
      body = (
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="overflow-hidden rounded-lg ring-1 ring-inset ring-slate-200 lg:col-span-2 dark:ring-slate-700/70">
            <OperationHeader op={op.data} kind={opKind} steps={steps} now={now} />
            <StepList steps={steps} status={op.data.status} now={now} />
            {op.data.error && !isTerminal(op.data.status) && <p className="border-t border-slate-200 px-5 py-2 text-xs text-amber-700 dark:border-slate-800 dark:text-amber-300">Last attempt: {op.data.error} (it is retried)</p>}
          </div>
          <div className="self-start rounded-lg ring-1 ring-inset ring-slate-200 dark:ring-slate-700/70">
            <LivePanel mirror={m} />
            <p className="border-t border-slate-200 px-5 py-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
              You may leave or reload this page: the operation runs on the console&apos;s workers, and this address brings its live view back.
            </p>
          </div>
        </div>
      );
    else body = <SummaryStage op={op.data} kind={opKind} mirror={m} steps={steps} events={d.events} operations={d.operations} onAnother={startOver} onFollow={follow} />;
    if (shown === "execute" && op.data && isTerminal(op.data.status))
      footer = (
        <div className="flex justify-end">
          <NextButton onClick={() => setView("summary")} label="Summary" />
        </div>
      );
  } else {
    const back = (to: Before) => (
      <Button variant="secondary" onClick={() => go(to)} data-testid="wizard-back">
        Back
      </Button>
    );
    if (stage === "choose") {
      body = <ChooseStage kind={kind} onKind={chooseKind} plans={plans} />;
      footer = (
        <div className="flex justify-end">
          <NextButton onClick={() => go("preflight")} label={`Preflight for ${MOVE_KIND_INFO[kind].title.toLowerCase()}`} />
        </div>
      );
    } else if (stage === "preflight") {
      body = <PreflightStage kind={kind} q={plan} />;
      footer = (
        <div className="flex items-center justify-between gap-3">
          {back("choose")}
          <NextButton onClick={() => go("plan")} disabled={!readyToPlan} label="See the plan" title={readyToPlan ? undefined : "Every check must pass first"} />
        </div>
      );
    } else if (!plan.data) {
      body = <PreflightStage kind={kind} q={plan} />;
      footer = <div>{back("preflight")}</div>;
    } else if (stage === "plan") {
      body = (
        <>
          {!plan.data.ready && (
            <Alert tone="warning" className="mb-4" title="The preflight no longer passes">
              {plan.data.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`).join("; ")}
            </Alert>
          )}
          <PlanStage kind={kind} plan={plan.data} mirror={m} opts={opts} setOpt={setOpt} />
        </>
      );
      footer = (
        <div className="flex items-center justify-between gap-3">
          {back("preflight")}
          <NextButton onClick={() => go("confirm")} label="Confirm" />
        </div>
      );
    } else {
      body = (
        <ConfirmStage
          kind={kind}
          plan={plan.data}
          name={m.name}
          opts={opts}
          setOpt={setOpt}
          role={role}
          canOperate={canOperate}
          formId={formId}
          pending={submit.isPending}
          error={submit.error}
          onSubmit={() =>
            submit.mutate({ kind, name: m.name, verify: opts.verify, reason: opts.reason, force: opts.forceAck, safetySnapshot: opts.safetySnapshot, reverseAfter: opts.reverseAfter })
          }
        />
      );
      footer = (
        <div className="flex items-center justify-between gap-3">
          {back("plan")}
          <ConfirmSubmit kind={kind} formId={formId} blocked={blocked} pending={submit.isPending} />
        </div>
      );
    }
  }

  return (
    <>
      <Breadcrumb name={m.name} />
      <div className="mb-5 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">
              {opId ? `${MOVE_KIND_INFO[shownKind].title} of ${m.name}` : `Reverse or fail over ${m.name}`}
            </h1>
            <MirrorStateBadge state={m.state} reason={m.stateReason} size="lg" />
            <HealthBadge health={m.health} size="lg" />
          </div>
          <div className="mt-1.5 flex flex-wrap items-center gap-2 text-sm text-slate-500 dark:text-slate-400" data-testid="wizard-current-direction">
            <span>Now:</span>
            <CurrentFlow mirror={m} />
            <span className="text-xs">· epoch {m.epoch}</span>
          </div>
        </div>
        <Link href={mirrorHref(m.name)} className={buttonClass("secondary")}>
          {opId ? "Back to the mirror" : "Cancel"}
        </Link>
      </div>

      {busyElsewhere && (
        <Alert tone="info" className="mb-4" testId="wizard-busy">
          A {MOVE_KIND_INFO[moveKindOf(busyElsewhere.kind)!].title.toLowerCase()} of {m.name} is {busyElsewhere.status} (asked by {busyElsewhere.actor}).{" "}
          <Link className="font-medium underline" href={moveHref(m.name, { op: busyElsewhere.id })} onClick={() => setOpId(busyElsewhere.id)}>
            Follow it live
          </Link>
        </Alert>
      )}

      <WizardStepper current={shown} reachable={reachable} done={done} onGo={goStage} />

      <Card data-testid={`wizard-${shown}`}>
        <div className="border-b border-slate-200 px-6 py-4 dark:border-slate-800">
          <h2 ref={heading} tabIndex={-1} className="text-lg font-semibold tracking-tight outline-none" data-testid="wizard-heading">
            <span className="mr-2 text-slate-400">{stageIndex(shown) + 1}.</span>
            {STAGE_TITLE[shown]}
            {!opId && stage !== "choose" && <span className="ml-2 text-sm font-normal text-slate-500 dark:text-slate-400">· {MOVE_KIND_INFO[kind].title}</span>}
          </h2>
        </div>
        <div className="px-6 py-5">{body}</div>
        {footer && <div className="rounded-b-xl border-t border-slate-200 bg-slate-50 px-6 py-3 dark:border-slate-800 dark:bg-slate-900/60">{footer}</div>}
      </Card>
    </>
  );
}
