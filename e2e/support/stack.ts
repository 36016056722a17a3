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

export type AgentSpec = {
  name: string;
  dataDir: string;
  token: string;
  port: number;
  nbdPort: number;
  /** The address the agent API and the NBD server listen on (default 127.0.0.1). */
  host?: string;
  /** A network namespace to run the agent (and so its QSD) in; see netns.ts. */
  netns?: string;
};
/** Where an agent of a stack runs: its namespace and its address there. */
export type AgentPlacement = { netns: string; address: string };
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

type Logged = { args: string[]; env: NodeJS.ProcessEnv; log: string; netns?: string; ready: RegExp; what: string; timeoutMs: number };

/**
 * Starts a node process (in `netns` when given) and waits until its log matches `ready`. Its
 * output goes to the log file, not a pipe: a pipe would tie the process to the test process that
 * reads it (when a Playwright worker is replaced after a failure, a process it started would die
 * of EPIPE on its next log line), and the file is there to read when a test fails. A restart
 * appends to the same file; only what it wrote counts.
 */
async function startLogged({ args, env, log, netns, ready, what, timeoutMs }: Logged): Promise<{ proc: ChildProcess; match: RegExpMatchArray }> {
  fs.mkdirSync(path.dirname(log), { recursive: true });
  const from = fs.statSync(log, { throwIfNoEntry: false })?.size ?? 0;
  const fd = fs.openSync(log, "a");
  // `ip netns exec` execs the command itself, so the pid is still the node process's.
  const [file, argv] = netns ? ["ip", ["netns", "exec", netns, process.execPath, ...args]] : [process.execPath, args];
  let proc: ChildProcess;
  try {
    proc = spawn(file, argv, { cwd: ROOT, env, stdio: ["ignore", fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  let exited: number | null | undefined;
  proc.once("exit", (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = fs.readFileSync(log, "utf8").slice(from);
    const match = out.match(ready);
    if (match) return { proc, match };
    if (exited !== undefined) throw new Error(`${what} exited with ${exited} before it was ready:\n${out}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An agent's log file: beside its data directory, so a restart appends to the same file. */
export function agentLogFile(spec: Pick<AgentSpec, "dataDir">): string {
  return `${spec.dataDir}.log`;
}

export async function startAgent(spec: AgentSpec): Promise<{ pid: number; url: string; proc: ChildProcess }> {
  fs.mkdirSync(spec.dataDir, { recursive: true });
  const host = spec.host ?? "127.0.0.1";
  const { proc, match } = await startLogged({
    args: ["--import", "tsx", "apps/agent/src/main.ts", "--name", spec.name, "--listen", `${host}:${spec.port}`, "--data-dir", spec.dataDir, "--nbd-host", host, "--nbd-port", String(spec.nbdPort)],
    env: { ...process.env, TANDEM_AGENT_TOKEN: spec.token },
    log: agentLogFile(spec),
    netns: spec.netns,
    ready: /listening on (http:\/\/\S+)/,
    what: `agent ${spec.name}`,
    timeoutMs: 30_000,
  });
  return { pid: proc.pid!, url: match[1]!, proc };
}

export async function startConsoleProcess(opts: { dataDir: string; port: number; hostsFile: string; adminPassword: string; env?: Record<string, string> }) {
  const { proc, match } = await startLogged({
    args: ["--import", "tsx", "server.ts"],
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
    log: `${opts.dataDir}.log`,
    ready: /listening on (http:\/\/\S+)/,
    what: "console",
    timeoutMs: 60_000,
  });
  return { pid: proc.pid!, url: match[1]!, proc };
}

/** The last lines of every log of a stack, for a failing test's report. */
export function stackLogTails(state: Pick<StackState, "dir">, lines = 60): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".log") && !p.includes(`${path.sep}qsd`)) files.push(p);
    }
  };
  try {
    walk(state.dir);
  } catch {
    return "";
  }
  return files
    .map((f) => {
      const tail = fs.readFileSync(f, "utf8").split("\n").slice(-lines).join("\n");
      return `----- ${path.relative(state.dir, f)} (last ${lines} lines)\n${tail}`;
    })
    .join("\n");
}

export async function startStack(opts: { agents?: string[]; env?: Record<string, string>; placement?: Record<string, AgentPlacement> } = {}): Promise<StackState> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-stack-"));
  const agents: StackState["agents"] = [];
  for (const name of opts.agents ?? ["h1", "h2"]) {
    const spec: AgentSpec = {
      name,
      dataDir: path.join(dir, "agents", name),
      token: crypto.randomBytes(24).toString("base64url"),
      port: await freePort(),
      nbdPort: await freePort(),
      ...(opts.placement?.[name] ? { netns: opts.placement[name].netns, host: opts.placement[name].address } : {}),
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
  } catch (e) {
    // EPERM: the process exists, it is just not ours to signal.
    return (e as NodeJS.ErrnoException).code === "EPERM";
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
  const { proc } = await startLogged({
    args: ["--import", "tsx", "server/worker.ts"],
    env: { ...process.env, NODE_ENV: "production", TANDEM_DATA_DIR: path.join(state.dir, "console"), DATABASE_URL: state.pgDatabase ? state.databaseUrl : "", ...env },
    log: path.join(state.dir, `worker-${crypto.randomBytes(3).toString("hex")}.log`),
    ready: /tandem worker \S+ running/,
    what: "worker",
    timeoutMs: 60_000,
  });
  return { pid: proc.pid!, proc };
}
