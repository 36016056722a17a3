// Starts a real agent process (with its real QSD) for integration and end-to-end tests.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { agentHealth, type AgentHealth } from "@tandem/contracts/agent";
import { dataPaths } from "../config/data-paths";
import { somebodyListens } from "../data-dir-lock";
import { isAlive, signalQuietly, waitForPidExit } from "../engine/process-info";
import { isOurQsd, readPidFile } from "../engine/stale-qsd";
import { freePort } from "./free-port";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const MAIN = path.join(REPO_ROOT, "apps/agent/src/main.ts");

export interface SpawnAgentOptions {
  name?: string;
  /** Reuse a directory (it is then kept); by default a fresh one under os.tmpdir() is removed on stop(). */
  dataDir?: string;
  token?: string;
  nbdPort?: number;
  extraArgs?: string[];
  env?: Record<string, string>;
  /** Wait until /v1/health says ok (QSD up). Default true. */
  waitForQsd?: boolean;
  startTimeoutMs?: number;
}

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnedAgent {
  url: string;
  token: string;
  pid: number;
  nbdPort: number;
  dataDir: string;
  name: string;
  /** What the agent wrote so far (stderr is its log). */
  output(): { stdout: string; stderr: string };
  exited: Promise<AgentExit>;
  health(): Promise<AgentHealth>;
  /** SIGTERM, SIGKILL after 15 s; kills a QSD left behind; removes a data dir it created. */
  stop(): Promise<AgentExit>;
}

// Watches a pipe from the test process. The pipe closes however that process ends (vitest
// ends its workers with SIGTERM, when no exit hook runs), and then the watchdog stops the agent,
// kills a QSD the agent could not stop, and removes a temporary data dir.
const WATCHDOG = `
read _
kill -TERM "$1" 2>/dev/null || exit 0
i=0
while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$1" 2>/dev/null
q=$(cat "$2/qsd.pid" 2>/dev/null)
[ -n "$q" ] && tr '\\0' ' ' < "/proc/$q/cmdline" 2>/dev/null | grep -qF "path=$2/qmp.sock," && kill -KILL "$q"
[ "$3" = remove ] && sleep 0.5 && rm -rf "$2"
exit 0
`;

function startWatchdog(agentPid: number, dataDir: string, removeDir: boolean): ChildProcess {
  const watchdog = spawn("/bin/sh", ["-c", WATCHDOG, "watchdog", String(agentPid), dataDir, removeDir ? "remove" : "keep"], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  watchdog.unref();
  (watchdog.stdin as unknown as { unref(): void }).unref();
  return watchdog;
}

function killLeftoverQsd(dataDir: string): number | null {
  const paths = dataPaths(dataDir);
  const pid = readPidFile(paths.qsdPidFile);
  if (pid === null || !isAlive(pid) || !isOurQsd(pid, paths.qmpSocket)) return null;
  signalQuietly(pid, "SIGKILL");
  return pid;
}

export async function spawnAgent(options: SpawnAgentOptions = {}): Promise<SpawnedAgent> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "tandem-agent-"));
  const token = options.token ?? randomBytes(24).toString("hex");
  const name = options.name ?? "test-host";
  const nbdPort = options.nbdPort ?? (await freePort());
  mkdirSync(dataDir, { recursive: true });
  const tokenFile = path.join(dataDir, "token");
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });

  // The test runner's own TANDEM_AGENT_* settings must not leak into the agent under test.
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("TANDEM_AGENT_") && !options.env?.[key]) delete env[key];
  const args = [
    "--import",
    "tsx",
    MAIN,
    "--name", name,
    "--listen", "127.0.0.1:0",
    "--token-file", tokenFile,
    "--data-dir", dataDir,
    "--nbd-port", String(nbdPort),
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const watchdog = startWatchdog(child.pid!, dataDir, ownDir);

  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  // Once the agent is gone its pid may be reused: the watchdog must not fire any more, and
  // it is gone too by the time `exited` resolves.
  const watchdogGone = new Promise((resolve) => watchdog.once("exit", resolve));
  const exited = new Promise<AgentExit>((resolve) =>
    child.once("exit", (code, signal) => {
      watchdog.kill("SIGKILL");
      void watchdogGone.then(() => resolve({ code, signal }));
    }),
  );

  let stopped: Promise<AgentExit> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        await exited.finally(() => clearTimeout(timer));
      }
      // A QSD in the pid file is ours to kill only if no other agent owns the directory
      // (as when this agent was a second one that the lock turned away).
      if (!(await somebodyListens(dataPaths(dataDir).agentLock))) {
        const leftover = killLeftoverQsd(dataDir);
        if (leftover !== null) await waitForPidExit(leftover, 5_000);
      }
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      return exited;
    })());

  const failStart = async (why: string): Promise<never> => {
    await stop();
    throw new Error(`agent did not start: ${why}\n--- agent stderr ---\n${stderr}`);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  let url: string | undefined;
  while (!url) {
    url = /tandem-agent listening on (http:\/\/\S+)/.exec(stdout)?.[1];
    if (url) break;
    if (child.exitCode !== null || child.signalCode !== null) return failStart(`exited with ${child.exitCode ?? child.signalCode}`);
    if (Date.now() > deadline) return failStart("no 'listening on' line in time");
    await new Promise((r) => setTimeout(r, 25));
  }

  const baseUrl = url;
  const health = async () => {
    const res = await fetch(`${baseUrl}/v1/health`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /v1/health: HTTP ${res.status}`);
    return agentHealth.parse(await res.json());
  };

  if (options.waitForQsd ?? true) {
    let last: AgentHealth | undefined;
    while (last?.status !== "ok") {
      if (Date.now() > deadline) return failStart(`health not ok in time: ${last?.reason}`);
      if (child.exitCode !== null) return failStart(`exited with ${child.exitCode}`);
      last = await health().catch(() => undefined);
      if (last?.status !== "ok") await new Promise((r) => setTimeout(r, 50));
    }
  }

  return {
    url: baseUrl,
    token,
    pid: child.pid!,
    nbdPort,
    dataDir,
    name,
    output: () => ({ stdout, stderr }),
    exited,
    health,
    stop,
  };
}
