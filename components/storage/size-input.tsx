"use client";
import { formatBytes, sizeBytes, SIZE_UNITS, type SizeUnit } from "@/lib/format";
import { inputClass } from "@/components/ui/field";

export type SizeValue = { amount: string; unit: SizeUnit };

/** The size as the API reads it, e.g. "10G". */
export function sizeText(v: SizeValue) {
  return `${v.amount.trim()}${v.unit}`;
}

/** A number with a binary unit next to it; shows the exact byte count as a hint. */
export function SizeInput({
  value,
  onChange,
  id,
  describedBy,
  invalid,
  disabled,
}: {
  value: SizeValue;
  onChange: (v: SizeValue) => void;
  id?: string;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
}) {
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
        disabled={disabled}
        placeholder="10"
      />
      <select
        aria-label="Unit"
        className={`${inputClass} w-28! flex-none`}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.target.value as SizeUnit })}
        disabled={disabled}
      >
        {SIZE_UNITS.map((u) => (
          <option key={u.unit} value={u.unit}>
            {u.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function sizeHint(v: SizeValue): string | undefined {
  const b = sizeBytes(v.amount, v.unit);
  if (b === null || b <= 0) return undefined;
  return `${formatBytes(b)} (${b.toLocaleString("en-US")} bytes)`;
}
