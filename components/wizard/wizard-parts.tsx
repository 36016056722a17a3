// Small pieces the wizard's stages share: pass/fail/warn marks, labelled facts, the big
// direction display and a checkbox with an explanation.
import { useId } from "react";
import { formatBytes } from "@/lib/format";

export type Mark = "pass" | "fail" | "warn" | "pending" | "running";

const markPaths = {
  pass: "M10 18a8 8 0 100-16 8 8 0 000 16zm3.857-9.809a.75.75 0 00-1.214-.882l-3.483 4.79-1.88-1.88a.75.75 0 10-1.06 1.061l2.5 2.5a.75.75 0 001.137-.089l4-5.5z",
  fail: "M10 18a8 8 0 100-16 8 8 0 000 16zM8.28 7.22a.75.75 0 00-1.06 1.06L8.94 10l-1.72 1.72a.75.75 0 101.06 1.06L10 11.06l1.72 1.72a.75.75 0 101.06-1.06L11.06 10l1.72-1.72a.75.75 0 00-1.06-1.06L10 8.94 8.28 7.22z",
  warn: "M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495zM10 5a.75.75 0 01.75.75v3.5a.75.75 0 01-1.5 0v-3.5A.75.75 0 0110 5zm0 9a1 1 0 100-2 1 1 0 000 2z",
};
const markTone = {
  pass: "text-emerald-600 dark:text-emerald-400",
  fail: "text-rose-600 dark:text-rose-400",
  warn: "text-amber-500 dark:text-amber-400",
};
export const MARK_LABEL: Record<Mark, string> = { pass: "passes", fail: "fails", warn: "note", pending: "pending", running: "running" };

/** A round status mark; `label` is read out in place of the icon. */
export function MarkIcon({ mark, className = "h-5 w-5", label }: { mark: Mark; className?: string; label?: string }) {
  if (mark === "running")
    return (
      <span className="text-sky-600 dark:text-sky-400" role="img" aria-label={label ?? "running"}>
        <svg viewBox="0 0 16 16" className={`${className} animate-spin`} fill="none" aria-hidden>
          <circle cx="8" cy="8" r="6" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2" />
          <path d="M14 8a6 6 0 00-6-6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </span>
    );
  if (mark === "pending")
    return (
      <span role="img" aria-label={label ?? "pending"} className="flex items-center justify-center">
        <span className={`${className} block rounded-full border-2 border-slate-300 dark:border-slate-600`} />
      </span>
    );
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" className={`${className} flex-none ${markTone[mark]}`} role="img" aria-label={label ?? MARK_LABEL[mark]}>
      <path fillRule="evenodd" clipRule="evenodd" d={markPaths[mark]} />
    </svg>
  );
}

export function Fact({ label, children, tone, testId, sub }: { label: string; children: React.ReactNode; tone?: "warning" | "danger" | "success"; testId?: string; sub?: React.ReactNode }) {
  const t =
    tone === "warning"
      ? "bg-amber-50/70 ring-amber-600/20 dark:bg-amber-500/5 dark:ring-amber-400/20"
      : tone === "danger"
        ? "bg-rose-50/70 ring-rose-600/20 dark:bg-rose-500/5 dark:ring-rose-400/25"
        : tone === "success"
          ? "bg-emerald-50/60 ring-emerald-600/20 dark:bg-emerald-500/5 dark:ring-emerald-400/20"
          : "bg-slate-50 ring-slate-200 dark:bg-slate-800/40 dark:ring-slate-700/60";
  return (
    <div className={`rounded-lg px-4 py-3 ring-1 ring-inset ${t}`} data-testid={testId}>
      <div className="text-[0.6875rem] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">{label}</div>
      <div className="mt-1 text-sm font-medium text-slate-900 dark:text-slate-100">{children}</div>
      {sub && <div className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{sub}</div>}
    </div>
  );
}

function Ref({ value, size = "lg" }: { value: string; size?: "lg" | "md" }) {
  const i = value.indexOf("/");
  const host = i >= 0 ? value.slice(0, i + 1) : "";
  const vol = i >= 0 ? value.slice(i + 1) : value;
  return (
    <span className={`break-all font-mono font-semibold ${size === "lg" ? "text-2xl" : "text-lg"}`}>
      <span className="text-slate-400 dark:text-slate-500">{host}</span>
      <span className="text-slate-900 dark:text-white">{vol}</span>
    </span>
  );
}

/** A wide arrow; with `flowing`, its dashes move (not when the user asks for reduced motion). */
export function FlowArrow({ flowing = true, broken = false, className = "h-10 w-32" }: { flowing?: boolean; broken?: boolean; className?: string }) {
  return (
    <svg viewBox="0 0 128 32" fill="none" className={`${className} flex-none ${broken ? "text-slate-400 dark:text-slate-500" : "text-sky-600 dark:text-sky-400"}`} aria-hidden>
      {broken ? (
        <>
          <path d="M4 16h46M78 16h34" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeDasharray="2 7" />
          <path d="M58 8l12 16M70 8L58 24" stroke="currentColor" strokeWidth="3" strokeLinecap="round" className="text-rose-500" />
        </>
      ) : (
        <>
          <path d="M4 16h108" stroke="currentColor" strokeWidth="3" strokeLinecap="round" className={flowing ? "flow-dash" : ""} />
          <path d="M104 6l14 10-14 10" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
        </>
      )}
    </svg>
  );
}

/**
 * The direction, big: FROM on the left, an arrow, TO on the right, and the same in words below.
 * `broken` is a failover's picture: one side serves, nothing flows.
 */
export function DirectionHero({
  from,
  to,
  fromNote,
  toNote,
  words,
  broken = false,
  testId,
}: {
  from: string;
  to: string;
  fromNote: string;
  toNote: string;
  words: React.ReactNode;
  broken?: boolean;
  testId?: string;
}) {
  return (
    <div className="rounded-xl bg-gradient-to-r from-sky-50 via-white to-sky-50 p-5 ring-1 ring-inset ring-sky-600/15 dark:from-sky-500/10 dark:via-slate-900 dark:to-sky-500/10 dark:ring-sky-400/20" data-testid={testId}>
      <div className="grid items-center gap-4 sm:grid-cols-[1fr_auto_1fr]" aria-hidden>
        <div className="min-w-0">
          <div className="text-xs font-bold uppercase tracking-widest text-sky-700 dark:text-sky-300">{broken ? "Serves clients" : "From"}</div>
          <div className="mt-1">
            <Ref value={from} />
          </div>
          <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{fromNote}</div>
        </div>
        <div className="flex flex-col items-center">
          <FlowArrow broken={broken} />
          <span className="text-[0.6875rem] font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">{broken ? "nothing flows" : "data flow"}</span>
        </div>
        <div className="min-w-0 sm:text-right">
          <div className="text-xs font-bold uppercase tracking-widest text-sky-700 dark:text-sky-300">{broken ? "Fenced" : "To"}</div>
          <div className="mt-1">
            <Ref value={to} />
          </div>
          <div className="mt-1 text-xs text-slate-500 dark:text-slate-400">{toNote}</div>
        </div>
      </div>
      <p className="mt-4 border-t border-sky-600/10 pt-3 text-base text-slate-700 dark:border-sky-400/10 dark:text-slate-200" data-testid={testId ? `${testId}-words` : undefined}>
        {words}
      </p>
    </div>
  );
}

/** "Data will flow FROM a TO b", with the ends in monospace. */
export function FlowWords({ lead, from, to }: { lead: string; from: string; to: string }) {
  return (
    <>
      {lead} <strong className="font-bold">FROM</strong> <code className="font-mono font-semibold">{from}</code> <strong className="font-bold">TO</strong> <code className="font-mono font-semibold">{to}</code>.
    </>
  );
}

export function CheckOption({ checked, onChange, label, hint, disabled, testId }: { checked: boolean; onChange: (v: boolean) => void; label: React.ReactNode; hint?: React.ReactNode; disabled?: boolean; testId?: string }) {
  const id = useId();
  return (
    <div className="flex gap-3 rounded-lg p-3 ring-1 ring-inset ring-slate-200 dark:ring-slate-700/70" data-testid={testId}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="mt-0.5 h-4 w-4 flex-none accent-sky-600"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-900 dark:text-slate-100">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * The plan's and the events' sentences count bytes exactly ("8388608 bytes never reached …");
 * shown with the size first, so "8.0 MiB (8,388,608 bytes) never reached …" reads at a glance.
 */
export function readableBytes(text: string): string {
  return text.replace(/\b(\d{4,}) bytes\b/g, (_, n: string) => `${formatBytes(Number(n))} (${Number(n).toLocaleString()} bytes)`);
}

export function SectionTitle({ children, id }: { children: React.ReactNode; id?: string }) {
  return (
    <h3 id={id} className="text-xs font-semibold uppercase tracking-wider text-slate-500 dark:text-slate-400">
      {children}
    </h3>
  );
}
