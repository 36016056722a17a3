"use client";
import { formatRate } from "@/lib/format";
import { inputClass } from "@/components/ui/field";

const RATE_UNITS = [
  { unit: "K", label: "KiB/s", bytes: 2 ** 10 },
  { unit: "M", label: "MiB/s", bytes: 2 ** 20 },
  { unit: "G", label: "GiB/s", bytes: 2 ** 30 },
] as const;
export type RateUnit = (typeof RATE_UNITS)[number]["unit"];
export type RateValue = { amount: string; unit: RateUnit };

/** The limit as the API reads it ("8M"), 0 for "no limit" when the field is empty. */
export function rateText(v: RateValue): string | 0 {
  const a = v.amount.trim();
  return a === "" || Number(a) === 0 ? 0 : `${a}${v.unit}`;
}

export function rateBytes(v: RateValue): number | null {
  const a = v.amount.trim();
  if (a === "") return 0;
  const n = Number(a);
  if (!Number.isFinite(n) || n < 0) return null;
  return Math.round(n * RATE_UNITS.find((u) => u.unit === v.unit)!.bytes);
}

export function rateValue(bytesPerSec: number): RateValue {
  if (!bytesPerSec) return { amount: "", unit: "M" };
  for (const u of [...RATE_UNITS].reverse()) if (bytesPerSec >= u.bytes && bytesPerSec % u.bytes === 0) return { amount: String(bytesPerSec / u.bytes), unit: u.unit };
  return { amount: String(Math.round((bytesPerSec / 2 ** 10) * 100) / 100), unit: "K" };
}

export function rateHint(v: RateValue): string {
  const b = rateBytes(v);
  if (b === null) return "Not a number";
  return b === 0 ? "Empty: no limit" : `${formatRate(b)}: throttles the background copy, not sync-mode client writes`;
}

export function RateInput({ value, onChange, id, describedBy, invalid }: { value: RateValue; onChange: (v: RateValue) => void; id?: string; describedBy?: string; invalid?: boolean }) {
  return (
    <div className="flex gap-2">
      <input
        id={id}
        inputMode="decimal"
        autoComplete="off"
        className={`${inputClass} min-w-0 flex-1 tabular-nums`}
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: e.target.value })}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        placeholder="no limit"
      />
      <select aria-label="Speed unit" className={`${inputClass} w-28! flex-none`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as RateUnit })}>
        {RATE_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}

type SecondsField = { ok: true; value: number | null } | { ok: false; error: string };

/** An optional field of whole seconds: empty is null; `check` says what is wrong with a number. */
function optionalSeconds(text: string, check: (n: number) => string | null): SecondsField {
  const t = text.trim();
  if (t === "") return { ok: true, value: null };
  const n = Number(t);
  const error = check(n);
  return error ? { ok: false, error } : { ok: true, value: n };
}

/** Automatic failover delay: empty = off, else whole seconds from 5 to 3600. */
export function parseAutoFailover(text: string): SecondsField {
  return optionalSeconds(text, (n) => (!Number.isInteger(n) || n < 5 || n > 3600 ? "whole seconds from 5 to 3600, or empty for off" : null));
}

/** RPO target in seconds: empty means none. */
export function parseRpo(text: string): SecondsField {
  return optionalSeconds(text, (n) =>
    !Number.isInteger(n) || n < 0 ? "a whole number of seconds, 0 or more" : n > 86_400 * 7 ? "at most 604800 seconds (7 days)" : null,
  );
}
