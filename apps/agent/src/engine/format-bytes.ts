const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** "3.0 GiB", "252 GiB", "512 B": binary units, one decimal below 100. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${Math.abs(value) < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
