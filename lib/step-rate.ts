// Rate and ETA of a step from the byte counts the browser has seen and when it saw them: the
// rate is the bytes moved over the last few seconds (not the average since the step began,
// whose counter may start far from zero, e.g. a drain reports the job's whole offset).

export type ByteSample = { at: number; bytes: number };

/** Adds a sample (a new value only) and drops those older than `windowMs` before it, keeping at least one. */
export function pushSample(samples: ByteSample[], s: ByteSample, windowMs = 10_000): ByteSample[] {
  const last = samples[samples.length - 1];
  if (last && (last.bytes === s.bytes || s.at <= last.at)) return samples;
  const from = s.at - windowMs;
  const kept = samples.filter((x) => x.at >= from);
  if (!kept.length && last) kept.push(last);
  return [...kept, s];
}

/** Bytes per second over the samples, or null with too little to go on (two samples 0.5 s apart). */
export function sampleRate(samples: ByteSample[], minSpanMs = 500): number | null {
  if (samples.length < 2) return null;
  const a = samples[0]!;
  const z = samples[samples.length - 1]!;
  const span = z.at - a.at;
  if (span < minSpanMs || z.bytes < a.bytes) return null;
  return ((z.bytes - a.bytes) * 1000) / span;
}

/** Seconds left at `rate`; null when unknown, 0 when done. */
export function etaFrom(done: number, total: number | null, rate: number | null): number | null {
  if (total === null) return null;
  if (done >= total) return 0;
  if (!rate || rate < 1) return null;
  return (total - done) / rate;
}
