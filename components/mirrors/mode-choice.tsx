"use client";
import { MODE_HELP } from "./mirror-badges";

const MODES = [
  { mode: "sync", title: "Synchronous", line: "Every write reaches both sides before it completes. RPO 0." },
  { mode: "async", title: "Asynchronous", line: "Background copy of every change. RPO = the lag." },
] as const;

/** Sync or async as two radio cards, each with its one-line meaning. */
export function ModeChoice({ value, onChange, name }: { value: "sync" | "async"; onChange: (v: "sync" | "async") => void; name: string }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Mode</legend>
      <div className="mt-1 grid gap-2 sm:grid-cols-2">
        {MODES.map((m) => (
          <label
            key={m.mode}
            title={MODE_HELP[m.mode]}
            className={`flex cursor-pointer gap-2.5 rounded-lg p-3 ring-1 ring-inset transition ${value === m.mode ? "bg-sky-50 ring-2 ring-sky-600 dark:bg-sky-500/10 dark:ring-sky-400" : "ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800/60"}`}
          >
            <input type="radio" name={name} value={m.mode} checked={value === m.mode} onChange={() => onChange(m.mode)} className="mt-0.5 accent-sky-600" />
            <span>
              <span className="block text-sm font-medium">
                {m.title} <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{m.mode}</span>
              </span>
              <span className="block text-xs text-slate-600 dark:text-slate-400">{m.line}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
