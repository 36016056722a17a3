// Compares two lists of chunk checksums and merges adjacent differing chunks into ranges.
export type ByteRange = { offset: number; length: number };

export function differingRanges(a: string[], b: string[], chunkBytes: number, sizeBytes: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) continue;
    const offset = i * chunkBytes;
    const length = Math.min(chunkBytes, Math.max(0, sizeBytes - offset));
    const last = ranges[ranges.length - 1];
    if (last && last.offset + last.length === offset) last.length += length;
    else ranges.push({ offset, length });
  }
  return ranges;
}
