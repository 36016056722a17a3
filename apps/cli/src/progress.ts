// Live progress on stderr while a command waits for an operation: one line redrawn in place on a
// terminal; elsewhere (logs, CI) a plain line when the phase changes and every few seconds.
type Stream = { write(s: string): boolean; isTTY?: boolean; columns?: number };

export type Progress = {
  /** Shows `line`; `key` (e.g. the phase) forces a new line on a non-terminal when it changes. */
  update(line: { tty: string | ((width: number) => string); plain: string }, key?: string): void;
  /** Takes the redrawn line off the screen (before anything else is written to stderr). */
  clear(): void;
  /** Ends the display, leaving `last` (if given) as the final line. */
  done(last?: string | ((width: number) => string)): void;
  readonly tty: boolean;
};

export function createProgress(stream: Stream = process.stderr, everyMs = 5000): Progress {
  const tty = Boolean(stream.isTTY);
  let drawn = false;
  let lastKey: string | undefined;
  let lastAt = 0;
  let lastPlain = "";
  const width = () => Math.max(20, (stream.columns || 80) - 1);
  const fit = (line: string | ((width: number) => string)) => {
    const w = width();
    const s = typeof line === "function" ? line(w) : line;
    return s.length > w ? s.slice(0, w - 1) + "…" : s;
  };
  return {
    tty,
    update(line, key = "") {
      if (tty) {
        stream.write(`\r\x1b[K${fit(line.tty)}`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (key !== lastKey || now - lastAt >= everyMs) {
        stream.write(line.plain + "\n");
        lastKey = key;
        lastAt = now;
        lastPlain = line.plain;
      }
    },
    clear() {
      if (tty && drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
    done(last) {
      if (tty) {
        if (last) stream.write(`\r\x1b[K${fit(last)}\n`);
        else if (drawn) stream.write("\n");
      } else if (last && typeof last === "string" && last !== lastPlain) {
        stream.write(last + "\n");
      }
      drawn = false;
    },
  };
}

/**
 * A progress line that fits `width`: `head [██████░░░░░░] tail`, the bar taking what is left
 * (10 to 30 cells) after an allowance for the tail.
 */
export function barLine(head: string, percent: number | null, tail: string, width: number): string {
  // A fixed allowance for the tail, so the bar keeps its size while the numbers change.
  const room = width - head.length - Math.max(tail.length, 44) - 6;
  return `${head}  ${bar(percent, Math.max(10, Math.min(30, room)))}  ${tail}`.trimEnd();
}

/** `[██████░░░░░░]` for a percentage (0-100), or an empty bar when it is unknown. */
export function bar(percent: number | null, width = 24): string {
  const filled = percent === null ? 0 : Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}]`;
}

/** A rate measured from successive byte counts over a sliding window (when the console has none). */
export function rateMeter(windowMs = 3000) {
  const samples: { t: number; bytes: number }[] = [];
  return (bytes: number, t = Date.now()): number => {
    if (samples.length && bytes < samples[samples.length - 1]!.bytes) samples.length = 0; // a restart
    samples.push({ t, bytes });
    while (samples.length > 2 && t - samples[0]!.t > windowMs) samples.shift();
    const first = samples[0]!;
    const dt = (t - first.t) / 1000;
    return dt > 0.2 ? (bytes - first.bytes) / dt : 0;
  };
}
