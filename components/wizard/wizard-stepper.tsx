"use client";
// The six stages of the move wizard as a numbered progress list. A stage that can be revisited
// is a button; the current one is marked aria-current="step".
export type Stage = "choose" | "preflight" | "plan" | "confirm" | "execute" | "summary";

export const STAGES: { id: Stage; label: string }[] = [
  { id: "choose", label: "Choose" },
  { id: "preflight", label: "Preflight" },
  { id: "plan", label: "Plan" },
  { id: "confirm", label: "Confirm" },
  { id: "execute", label: "Execute" },
  { id: "summary", label: "Summary" },
];

export function stageIndex(s: Stage) {
  return STAGES.findIndex((x) => x.id === s);
}

function Check() {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className="h-3.5 w-3.5" aria-hidden>
      <path fillRule="evenodd" d="M16.704 4.153a.75.75 0 01.143 1.052l-8 10.5a.75.75 0 01-1.127.075l-4.5-4.5a.75.75 0 011.06-1.06l3.894 3.893 7.48-9.817a.75.75 0 011.05-.143z" clipRule="evenodd" />
    </svg>
  );
}

export function WizardStepper({ current, reachable, done, onGo }: { current: Stage; reachable: (s: Stage) => boolean; done: (s: Stage) => boolean; onGo: (s: Stage) => void }) {
  return (
    <nav aria-label="Wizard progress" className="mb-5">
      <ol className="flex flex-wrap items-center gap-y-2">
        {STAGES.map((s, i) => {
          const isCurrent = s.id === current;
          const isDone = done(s.id);
          const enabled = !isCurrent && reachable(s.id);
          return (
            <li key={s.id} className="flex items-center">
              {i > 0 && <span aria-hidden className={`mx-1.5 h-px w-5 sm:w-8 lg:w-12 ${isDone || isCurrent ? "bg-sky-500/70" : "bg-slate-300 dark:bg-slate-700"}`} />}
              <button
                type="button"
                disabled={!enabled}
                onClick={() => onGo(s.id)}
                aria-current={isCurrent ? "step" : undefined}
                data-testid={`wizard-stage-${s.id}`}
                data-done={isDone ? "true" : undefined}
                className="inline-flex items-center gap-2 rounded-full py-1 pl-1 pr-3 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-default enabled:hover:bg-slate-100 dark:enabled:hover:bg-slate-800"
              >
                <span
                  className={`flex h-7 w-7 flex-none items-center justify-center rounded-full text-xs font-semibold tabular-nums ${
                    isCurrent
                      ? "bg-sky-600 text-white shadow-sm"
                      : isDone
                        ? "bg-sky-100 text-sky-700 dark:bg-sky-500/20 dark:text-sky-300"
                        : "bg-white text-slate-500 ring-1 ring-inset ring-slate-300 dark:bg-slate-900 dark:text-slate-400 dark:ring-slate-700"
                  }`}
                >
                  {isDone && !isCurrent ? <Check /> : i + 1}
                </span>
                <span className={isCurrent ? "text-slate-900 dark:text-white" : isDone ? "text-slate-700 dark:text-slate-200" : "text-slate-500 dark:text-slate-400"}>
                  <span className="sr-only">Step {i + 1}: </span>
                  {s.label}
                  {isDone && !isCurrent && <span className="sr-only"> (done)</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
