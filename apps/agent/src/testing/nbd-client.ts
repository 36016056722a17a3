// Real NBD clients against LU exports: qemu-io for data, nbdinfo for sizes.
import { execFile } from "node:child_process";

export interface ToolRun {
  code: number;
  out: string;
}

function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<ToolRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, out: `${stdout}${stderr}`.trim() });
    });
  });
}

/** qemu-io commands ("write -P 0xab 0 1M", "read -P 0xab 0 1M") over one NBD connection. */
export function qemuIo(uri: string, ...commands: string[]): Promise<ToolRun> {
  return run("qemu-io", ["-f", "raw", ...commands.flatMap((c) => ["-c", c]), uri]);
}

/** Writes a byte pattern; throws if the client fails. */
export async function writePattern(uri: string, pattern: number, offset: string, length: string): Promise<void> {
  const r = await qemuIo(uri, `write -P ${pattern} ${offset} ${length}`);
  if (r.code !== 0) throw new Error(`qemu-io write to ${uri} failed: ${r.out}`);
}

/** Whether the range holds the pattern (qemu-io exits 1 on a mismatch). */
export async function holdsPattern(uri: string, pattern: number, offset: string, length: string): Promise<boolean> {
  const r = await qemuIo(uri, `read -P ${pattern} ${offset} ${length}`);
  if (r.code !== 0 && !/Pattern verification failed/.test(r.out)) throw new Error(`qemu-io read from ${uri} failed: ${r.out}`);
  return r.code === 0;
}

/** The export size nbdinfo sees, or the error it printed. */
export async function nbdSize(uri: string): Promise<{ size: number | null; out: string }> {
  const r = await run("nbdinfo", ["--size", uri]);
  return { size: r.code === 0 ? Number(r.out) : null, out: r.out };
}
