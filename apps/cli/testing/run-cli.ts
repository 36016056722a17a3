// Runs the real tandem CLI as a child process for tests: stdin is a pipe (never a terminal),
// the login lives in a test's own config file, and a hung command fails instead of waiting.
import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const MAIN = "apps/cli/src/main.ts";

export type Run = { code: number | null; stdout: string; stderr: string };

let configFile = "";

/** Every later call uses this config file (TANDEM_CONFIG). */
export function useCliConfig(file: string) {
  configFile = file;
}

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TANDEM_CONFIG: configFile, NO_COLOR: "1" };
  delete env.TANDEM_URL;
  delete env.TANDEM_TOKEN;
  return { ...env, ...extra };
}

/** Runs `tandem ARGS`, feeding `input` on stdin and closing it. */
export function tandem(args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { cwd: ROOT, env: cliEnv(opts.env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tandem ${args.join(" ")} did not finish within ${opts.timeoutMs ?? 90_000} ms (hung?)\n${stdout}\n${stderr}`));
    }, opts.timeoutMs ?? 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}
