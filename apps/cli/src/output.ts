import { ACCESS_STATES } from "@tandem/contracts/storage";

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

export function formatBytes(v: string | number): string {
  let n = Number(v);
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n >= 100 || u === 0 ? n.toFixed(0) : n.toFixed(1)}${units[u]}`;
}

export function ago(iso: string | null): string {
  if (!iso) return "never";
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.floor(s / 60)}m ago` : new Date(iso).toISOString();
}

/** `label  value` lines with the labels aligned; rows with an undefined value are left out. */
export function fields(rows: [string, string | number | null | undefined][]): string {
  const shown = rows.filter((r): r is [string, string | number | null] => r[1] !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${(k + ":").padEnd(width + 1)}  ${v ?? "-"}`).join("\n");
}

const STATE_LABEL: Record<string, string> = {
  active: "Active",
  transition_to_active: "Transition to Active",
  standby: "Standby",
  transition_to_standby: "Transition to Standby",
};

/** An ALUA access state as people read it, with its code: `Active (0)`, `Standby (2)`. */
export function accessState(name: string, code: number | null | undefined = ACCESS_STATES[name as keyof typeof ACCESS_STATES]): string {
  const label = STATE_LABEL[name] ?? name;
  return code === undefined || code === null || code < 0 ? label : `${label} (${code})`;
}

/** Time as ISO without milliseconds, or "-". */
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, "Z") : "-";
}

/** Bytes per second as people read it, or "-" when nothing (or next to nothing: under 1 KiB/s) moves. */
export function rate(bytesPerSec: number | null | undefined): string {
  return bytesPerSec && bytesPerSec >= 1024 ? `${formatBytes(bytesPerSec)}/s` : "-";
}

/** A duration in seconds: `850ms`, `4.2s`, `3m05s`, `2h10m`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "-";
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
