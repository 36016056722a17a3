// A real Tandem stack for tests: host agents (each with its own QSD) and a console, on free
// ports, in a temporary directory. Used by Playwright's global set-up and by integration tests.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export type AgentSpec = { name: string; dataDir: string; token: string; port: number; nbdPort: number };
export type StackState = {
  dir: string;
  /** Set when the stack runs on its own PostgreSQL database (TANDEM_TEST_DATABASE=postgresql). */
  pgDatabase?: string;
  /** The console's database, for tests that look into it. */
  databaseUrl: string;
  consoleUrl: string;
  consolePid: number;
  adminPassword: string;
  agents: (AgentSpec & { pid: number; url: string })[];
};

function waitForLine(proc: ChildProcess, pattern: RegExp, what: string, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        proc.stdout?.off("data", onData);
        resolve(m);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", (b: Buffer) => (out += b.toString()));
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export async function startAgent(spec: AgentSpec): Promise<{ pid: number; url: string; proc: ChildProcess }> {
  fs.mkdirSync(spec.dataDir, { recursive: true });
  const proc = spawn(
    process.execPath,
    ["--import", "tsx", "apps/agent/src/main.ts", "--name", spec.name, "--listen", `127.0.0.1:${spec.port}`, "--data-dir", spec.dataDir, "--nbd-port", String(spec.nbdPort)],
    { cwd: ROOT, env: { ...process.env, TANDEM_AGENT_TOKEN: spec.token }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const m = await waitForLine(proc, /listening on (http:\/\/\S+)/, `agent ${spec.name}`, 30_000);
  // Keep draining output so a chatty agent never blocks on a full pipe.
  proc.stdout?.resume();
  proc.stderr?.resume();
  return { pid: proc.pid!, url: m[1]!, proc };
}

export async function startConsoleProcess(opts: { dataDir: string; port: number; hostsFile: string; adminPassword: string; env?: Record<string, string> }) {
  const proc = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(opts.port),
      HOST: "127.0.0.1",
      TANDEM_DATA_DIR: opts.dataDir,
      TANDEM_HOSTS_FILE: opts.hostsFile,
      TANDEM_ADMIN_PASSWORD: opts.adminPassword,
      TANDEM_PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
      DATABASE_URL: "",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const m = await waitForLine(proc, /listening on (http:\/\/\S+)/, "console", 60_000);
  proc.stdout?.resume();
  proc.stderr?.resume();
  return { pid: proc.pid!, url: m[1]!, proc };
}

export async function startStack(opts: { agents?: string[]; env?: Record<string, string> } = {}): Promise<StackState> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-stack-"));
  const agents: StackState["agents"] = [];
  for (const name of opts.agents ?? ["h1", "h2"]) {
    const spec: AgentSpec = {
      name,
      dataDir: path.join(dir, "agents", name),
      token: crypto.randomBytes(24).toString("base64url"),
      port: await freePort(),
      nbdPort: await freePort(),
    };
    // A port found free a moment ago can be taken by a parallel test before the agent binds it:
    // pick new ones and try again.
    let a;
    for (let attempt = 1; ; attempt++) {
      try {
        a = await startAgent(spec);
        break;
      } catch (e) {
        if (attempt >= 5 || !/EADDRINUSE/.test(String(e))) throw e;
        spec.port = await freePort();
        spec.nbdPort = await freePort();
      }
    }
    agents.push({ ...spec, pid: a.pid, url: a.url });
  }
  const hostsFile = path.join(dir, "hosts.json");
  fs.writeFileSync(
    hostsFile,
    JSON.stringify({
      hosts: agents.map((a) => ({ name: a.name, agentUrl: a.url, agentToken: a.token })),
      pair: agents.length === 2 ? { name: "pair1", members: [agents[0]!.name, agents[1]!.name] } : undefined,
    }),
  );
  const adminPassword = crypto.randomBytes(12).toString("base64url");
  // The same tests run on PostgreSQL when asked: a database of their own, dropped at the end.
  let pgDatabase: string | undefined;
  const env = { ...opts.env };
  if (process.env.TANDEM_TEST_DATABASE === "postgresql") {
    const { pgAdminConfig } = await import("../../scripts/db");
    const { createPgDatabase, randomDbName } = await import("../../scripts/db-engine");
    const admin = pgAdminConfig();
    pgDatabase = `tandem_${randomDbName("test")}`;
    await createPgDatabase(admin, pgDatabase);
    env.DATABASE_URL = `postgresql://${encodeURIComponent(admin.user ?? "postgres")}@${admin.host}:${admin.port ?? 5432}/${pgDatabase}`;
  }
  let c;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        c = await startConsoleProcess({ dataDir: path.join(dir, "console"), port: await freePort(), hostsFile, adminPassword, env });
        break;
      } catch (e) {
        if (attempt >= 5 || !/EADDRINUSE/.test(String(e))) throw e;
      }
    }
  } catch (e) {
    // Leave nothing behind when the console cannot start.
    await Promise.all(agents.map((a) => stopPid(a.pid)));
    throw e;
  }
  const databaseUrl = env.DATABASE_URL ?? `file:${path.join(dir, "console", "tandem.db")}`;
  return { dir, consoleUrl: c.url, consolePid: c.pid, adminPassword, agents, pgDatabase, databaseUrl };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPid(pid: number, timeoutMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

export async function stopStack(state: StackState, opts: { keepDir?: boolean } = {}) {
  await stopPid(state.consolePid);
  await Promise.all(state.agents.map((a) => stopPid(a.pid)));
  if (state.pgDatabase) {
    const { pgAdminConfig } = await import("../../scripts/db");
    const { dropPgDatabase } = await import("../../scripts/db-engine");
    await dropPgDatabase(pgAdminConfig(), state.pgDatabase).catch((e: Error) => console.error(`could not drop ${state.pgDatabase}: ${e.message}`));
  }
  if (!opts.keepDir) fs.rmSync(state.dir, { recursive: true, force: true });
}

/** A standalone worker process (server/worker.ts) on a stack's database. */
export async function startWorkerProcess(state: StackState, env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", TANDEM_DATA_DIR: path.join(state.dir, "console"), DATABASE_URL: state.pgDatabase ? state.databaseUrl : "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await waitForLine(proc, /tandem worker \S+ running/, "worker", 60_000);
  proc.stdout?.resume();
  proc.stderr?.resume();
  return { pid: proc.pid!, proc };
}
