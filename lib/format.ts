const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(value: number | bigint | string): string {
  let n = Number(value);
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n >= 100 || u === 0 ? n.toFixed(0) : n.toFixed(1)} ${UNITS[u]}`;
}

export function formatAgo(iso: string | null, now: number): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

/** Binary units the size inputs offer; the letter is what the API's size parser reads. */
export const SIZE_UNITS = [
  { unit: "M", label: "MiB", bytes: 2 ** 20 },
  { unit: "G", label: "GiB", bytes: 2 ** 30 },
  { unit: "T", label: "TiB", bytes: 2 ** 40 },
] as const;
export type SizeUnit = (typeof SIZE_UNITS)[number]["unit"];

/** The largest unit in which a byte count is a whole number (for pre-filling size inputs). */
export function splitSize(bytes: number): { amount: string; unit: SizeUnit } {
  for (const u of [...SIZE_UNITS].reverse()) if (bytes >= u.bytes && bytes % u.bytes === 0) return { amount: String(bytes / u.bytes), unit: u.unit };
  const mib = SIZE_UNITS[0];
  return { amount: String(Math.ceil((bytes / mib.bytes) * 100) / 100), unit: mib.unit };
}

/** Bytes of an amount typed into a size field, or null when it is not a number yet. */
export function sizeBytes(amount: string, unit: SizeUnit): number | null {
  const n = Number(amount.trim());
  if (!amount.trim() || !Number.isFinite(n)) return null;
  return Math.round(n * SIZE_UNITS.find((u) => u.unit === unit)!.bytes);
}

/** A transfer rate, e.g. "8.0 MiB/s"; "–" when nothing moves. */
export function formatRate(bytesPerSec: number | null | undefined): string {
  if (bytesPerSec == null || !Number.isFinite(bytesPerSec) || bytesPerSec < 1) return "–";
  return `${formatBytes(Math.round(bytesPerSec))}/s`;
}

/** A duration for ETAs and lag: "0 s", "42 s", "3 min 5 s", "2 h 10 min", "3 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86400)} d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ""}`;
}
