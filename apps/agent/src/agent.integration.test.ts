// A real agent process with a real qemu-storage-daemon, driven over its API and by signals.
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { agentError } from "@tandem/contracts/agent";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { dataPaths } from "./config/data-paths";
import { isAlive, readCmdline, signalQuietly } from "./engine/process-info";
import { QSD_BINARY, qsdArgs } from "./engine/qsd-args";
import { openEventStream } from "./testing/event-stream";
import { freePort } from "./testing/free-port";
import { rawGet } from "./testing/raw-get";
import { spawnAgent, type SpawnedAgent } from "./testing/spawn-agent";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/** "pid argv" of every live process whose command line mentions dir (our QSDs name their socket in it). */
function processesUsing(dir: string): string[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .map((p) => ({ pid: Number(p), argv: readCmdline(Number(p)) ?? [] }))
    .filter(({ pid, argv }) => isAlive(pid) && argv.some((a) => a.includes(dir)))
    .map(({ pid, argv }) => `${pid} ${argv.join(" ").slice(0, 200)}`);
}

describe("agent lifecycle with a real QSD", () => {
  let agent: SpawnedAgent;
  const auth = () => ({ authorization: `Bearer ${agent.token}` });

  beforeAll(async () => {
    agent = await spawnAgent({ name: "host-a" });
  });
  afterAll(async () => {
    await agent?.stop();
  });

  it("reports health ok with the QSD version, pools and NBD address", async () => {
    const health = await agent.health();
    expect(health).toMatchObject({
      status: "ok",
      reason: null,
      hostName: "host-a",
      apiVersion: 1,
      qsd: { running: true, restarts: 0 },
      nbd: { host: "127.0.0.1", port: agent.nbdPort },
    });
    expect(health.qsd.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(health.pools).toEqual([expect.objectContaining({ name: "default" })]);
    expect(health.pools[0]!.capacityBytes).toBeGreaterThan(health.pools[0]!.freeBytes);
  });

  it("serves NBD on the configured port", async () => {
    const { stdout } = await promisify(execFile)("nbdinfo", ["--list", "--json", `nbd://127.0.0.1:${agent.nbdPort}`]);
    expect(JSON.parse(stdout)).toMatchObject({ exports: [] });
  });

  it("refuses requests without the token or with a wrong one", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer not-the-token-at-all" }];
    for (const headers of attempts) {
      const res = await rawGet(agent.url, "/v1/health", headers);
      expect(res.status).toBe(401);
      expect(agentError.parse(res.json).error.code).toBe("unauthorized");
    }
  });

  it("answers bad input with 400 and unknown things with 404", async () => {
    for (const p of ["/v1/pools/..", "/v1/pools/%2e%2e", "/v1/pools/UPPER", `/v1/pools/${"a".repeat(100)}`, "/v1/events?since=abc"]) {
      const res = await rawGet(agent.url, p, auth());
      expect(res.status, p).toBe(400);
      expect(agentError.parse(res.json).error.message).toMatch(/^(pool name|since): /);
    }
    expect((await rawGet(agent.url, "/v1/pools/nope", auth())).status).toBe(404);
    expect((await rawGet(agent.url, "/v1/nothing-here", auth())).status).toBe(404);
    expect((await rawGet(agent.url, "/v1/pools/default", auth())).json).toMatchObject({ name: "default" });
  });

  it("restarts QSD after kill -9 and says so on the event stream", async () => {
    const before = await agent.health();
    const oldPid = before.qsd.pid!;
    const stream = await openEventStream(agent.url, agent.token);
    let rebuiltSeq = 0;
    try {
      const hello = await stream.waitFor((e) => e.type === "hello");
      process.kill(oldPid, "SIGKILL");
      const exited = await stream.waitFor((e) => e.type === "qsd.exited");
      expect(exited.data).toMatchObject({ pid: oldPid, signal: "SIGKILL", expected: false });
      const restarted = await stream.waitFor((e) => e.type === "qsd.restarted");
      expect(restarted.data).toMatchObject({ restarts: 1 });
      expect(restarted.seq).toBeGreaterThan(exited.seq);
      expect(exited.seq).toBeGreaterThan(hello.seq);
      // Health is ok again only once the new QSD's graph is rebuilt from the state file.
      const rebuilt = await stream.waitFor((e) => e.type === "qsd.rebuilt");
      expect(rebuilt.data).toMatchObject({ volumes: 0, exports: 0, failures: 0 });
      rebuiltSeq = rebuilt.seq;
    } finally {
      stream.close();
    }
    const after = await agent.health();
    expect(after).toMatchObject({ status: "ok", qsd: { running: true, restarts: 1 } });
    expect(after.qsd.pid).not.toBe(oldPid);
    expect(isAlive(oldPid)).toBe(false);

    // A late subscriber replays the same history with since=0.
    const replay = await openEventStream(agent.url, agent.token, 0);
    try {
      await replay.waitFor((e) => e.seq === rebuiltSeq);
      expect(replay.events.map((e) => e.type)).toEqual(["hello", "qsd.started", "qsd.rebuilt", "qsd.exited", "qsd.restarted", "qsd.rebuilt"]);
    } finally {
      replay.close();
    }
  });

  it("stops QSD and exits 0 on SIGTERM, leaving no QSD behind", async () => {
    const qsdPid = (await agent.health()).qsd.pid!;
    const stream = await openEventStream(agent.url, agent.token);
    process.kill(agent.pid, "SIGTERM");
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    stream.close();
    expect(isAlive(qsdPid)).toBe(false);
    expect(processesUsing(agent.dataDir)).toEqual([]);
    expect(agent.output().stderr).toMatch(/qemu-storage-daemon stopped pid=\d+ how=quit/);
    expect(agent.output().stderr).not.toContain(agent.token);
  });
});

describe("agent start-up safety", () => {
  const dirs: string[] = [];
  const agents: SpawnedAgent[] = [];
  const strayPids: number[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tandem-agent-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    for (const pid of strayPids) signalQuietly(pid, "SIGKILL");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("stops a QSD left over from an earlier run before starting its own", async () => {
    const dataDir = tempDir();
    const paths = dataPaths(dataDir);
    const nbdPort = await freePort();
    const stale = spawn(QSD_BINARY, qsdArgs({ qmpSocket: paths.qmpSocket, nbd: { host: "127.0.0.1", port: nbdPort } }), {
      stdio: "ignore",
      detached: true,
    });
    strayPids.push(stale.pid!);
    const staleExit = new Promise((r) => stale.once("exit", r));
    writeFileSync(paths.qsdPidFile, `${stale.pid}\n`);
    await vi.waitFor(() => expect(readdirSync(dataDir)).toContain("qmp.sock"));

    // Same NBD port: the new QSD can only start once the stale one is gone.
    const agent = await spawnAgent({ dataDir, nbdPort });
    agents.push(agent);
    await staleExit;
    expect(isAlive(stale.pid!)).toBe(false);
    const health = await agent.health();
    expect(health.qsd.pid).not.toBe(stale.pid);
    expect(agent.output().stderr).toMatch(/stopping a qemu-storage-daemon left over from an earlier run/);
    expect(agent.output().stderr).toMatch(/stale qemu-storage-daemon stopped .* how=quit/);
  });

  it("recovers the directory of an agent that was killed with SIGKILL", async () => {
    const dataDir = tempDir();
    const crashed = await spawnAgent({ dataDir });
    const orphanQsd = (await crashed.health()).qsd.pid!;
    process.kill(crashed.pid, "SIGKILL");
    await crashed.exited;
    strayPids.push(orphanQsd);
    expect(isAlive(orphanQsd)).toBe(true); // nothing can stop it when the agent dies this way

    const next = await spawnAgent({ dataDir, nbdPort: crashed.nbdPort });
    agents.push(next);
    expect(isAlive(orphanQsd)).toBe(false);
    expect((await next.health()).qsd.pid).not.toBe(orphanQsd);
    await next.stop();
    expect(processesUsing(dataDir)).toEqual([]);
  });

  it("refuses a second agent on the same data directory", async () => {
    const first = agents[0]!;
    await expect(spawnAgent({ dataDir: first.dataDir, startTimeoutMs: 10_000 })).rejects.toThrow(
      /another agent is running with this data directory/,
    );
    expect((await first.health()).status).toBe("ok");
  });

  it("reports degraded with QSD's own words when the NBD port is taken", async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    try {
      const agent = await spawnAgent({ nbdPort: port, waitForQsd: false });
      agents.push(agent);
      await vi.waitFor(
        async () => {
          const health = await agent.health();
          expect(health.status).toBe("degraded");
          expect(health.qsd.running).toBe(false);
          expect(health.reason).toMatch(/not running: .*Address already in use/);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      blocker.close();
    }
  });

  it("exits 2 with one line on bad configuration, without echoing the token", () => {
    const secret = "short-secret";
    const result = spawnSync(process.execPath, ["--import", "tsx", "apps/agent/src/main.ts", "--name", "x", "--data-dir", tempDir()], {
      cwd: REPO_ROOT,
      env: { ...process.env, TANDEM_AGENT_TOKEN: secret },
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe("tandem-agent: TANDEM_AGENT_TOKEN: must be at least 16 characters (see --help)\n");
    expect(result.stdout).toBe("");
  });

  it("prints the help text", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "apps/agent/src/main.ts", "--help"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(readFileSync(path.join(REPO_ROOT, "apps/agent/src/config/help-text.ts"), "utf8").match(/`([\s\S]*)`/)![1]);
  });
});
