// A client that keeps writing while a test or benchmark moves an LU between hosts: batches of
// qemu-io pattern writes, one process per batch, against whatever URI it is pointed at. Every
// batch is recorded (URI, outcome, times), so tests can tell where writes landed and how long
// the client could not write (the client-side outage of a switch).
import { execFile } from "node:child_process";

export interface WriteBatch {
  uri: string;
  ok: boolean;
  /** performance.now() at start and end. */
  start: number;
  end: number;
  bytes: number;
}

export interface LiveWriter {
  /** Point the writer elsewhere (null: pause). Takes effect with the next batch. */
  setTarget(uri: string | null): void;
  readonly batches: readonly WriteBatch[];
  /** Bytes of successful batches on `uri`. */
  bytesOn(uri: string): number;
  /** Waits until a batch on `uri` succeeded (after `since`, performance.now()). */
  waitForOk(uri: string, since?: number, timeoutMs?: number): Promise<WriteBatch>;
  /** Stops after the batch in flight; resolves when it has ended. */
  stop(): Promise<void>;
}

export interface LiveWriterOptions {
  uri: string | null;
  /** Writes land in [0, regionBytes), block-aligned. */
  regionBytes: number;
  blockBytes?: number;
  writesPerBatch?: number;
  /** Pause between batches. */
  pauseMs?: number;
}

function runBatch(uri: string, commands: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("qemu-io", ["-f", "raw", ...commands.flatMap((c) => ["-c", c]), uri], { timeout: 10_000 }, (err, stdout, stderr) => {
      // Not only the exit code: a failed command in the middle of a batch only prints an error.
      resolve(!err && !/(error|failed|can't open)/i.test(`${stdout}${stderr}`));
    });
  });
}

export function startLiveWriter(options: LiveWriterOptions): LiveWriter {
  const block = options.blockBytes ?? 64 * 1024;
  const perBatch = options.writesPerBatch ?? 4;
  const blocks = Math.floor(options.regionBytes / block);
  let target = options.uri;
  let stopped = false;
  let pattern = 1;
  const batches: WriteBatch[] = [];
  const waiters: { uri: string; since: number; resolve: (b: WriteBatch) => void }[] = [];

  const loop = (async () => {
    while (!stopped) {
      const uri = target;
      if (!uri) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const commands = Array.from({ length: perBatch }, () => {
        pattern = (pattern % 250) + 1;
        return `write -P ${pattern} ${Math.floor(Math.random() * blocks) * block} ${block}`;
      });
      const start = performance.now();
      const ok = await runBatch(uri, commands);
      const batch = { uri, ok, start, end: performance.now(), bytes: ok ? perBatch * block : 0 };
      batches.push(batch);
      for (const w of [...waiters]) {
        if (ok && w.uri === uri && batch.start >= w.since) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(batch);
        }
      }
      if (!ok) await new Promise((r) => setTimeout(r, 5));
      else if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  })();

  return {
    setTarget: (uri) => (target = uri),
    batches,
    bytesOn: (uri) => batches.filter((b) => b.uri === uri).reduce((n, b) => n + b.bytes, 0),
    waitForOk(uri, since = 0, timeoutMs = 15_000) {
      const found = batches.find((b) => b.ok && b.uri === uri && b.start >= since);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { uri, since, resolve: (b: WriteBatch) => (clearTimeout(timer), resolve(b)) };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no successful write on ${uri} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** Client-side outage of a switch: from the last good batch on `from` to the first good one on `to`. */
export function clientGapMs(batches: readonly WriteBatch[], from: string, to: string): number | null {
  const lastFrom = batches.filter((b) => b.ok && b.uri === from).at(-1);
  const firstTo = lastFrom ? batches.find((b) => b.ok && b.uri === to && b.start >= lastFrom.end) : undefined;
  return lastFrom && firstTo ? firstTo.end - lastFrom.end : null;
}
