// The state file brings QSD's graph back: after QSD is killed, after the agent restarts, and
// after a crash left an LU half way through a transition.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lu, rebuildStatus, snapshot, type Lu } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { dataPaths } from "./config/data-paths";
import { agentApi, type AgentApi } from "./testing/agent-api";
import { openEventStream } from "./testing/event-stream";
import { freePort } from "./testing/free-port";
import { holdsPattern, nbdSize, writePattern } from "./testing/nbd-client";
import { spawnAgent, type SpawnedAgent } from "./testing/spawn-agent";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

describe("rebuild from the state file", () => {
  let dataDir: string;
  let nbdPort: number;
  let agent: SpawnedAgent;
  let api: AgentApi;
  let active: Lu;
  let standby: Lu;

  const start = async () => {
    agent = await spawnAgent({ name: "host-r", dataDir, nbdPort });
    api = agentApi(agent);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "tandem-rebuild-"));
    nbdPort = await freePort();
    await start();
    for (const name of ["keep-a", "keep-b", "plain"]) expect((await api("POST", "/v1/volumes", { name, size: "32M" })).status).toBe(201);
    active = lu.parse((await api("POST", "/v1/lus", { volume: "keep-a", alias: "kept" })).json);
    standby = lu.parse((await api("POST", "/v1/lus", { volume: "keep-b", state: "standby" })).json);
    await writePattern(active.uri!, 0x71, "0", "1M");
    expect((await api("POST", "/v1/volumes/keep-a/snapshots", { name: "s0" })).status).toBe(201);
    await writePattern(active.uri!, 0x72, "4M", "1M");
  });
  afterAll(async () => {
    await agent?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps the state file private (0600)", () => {
    expect(statSync(dataPaths(dataDir).stateFile).mode & 0o777).toBe(0o600);
  });

  it("after QSD is killed with SIGKILL: volumes reopened, the Active LU exported again, same data", async () => {
    const stream = await openEventStream(agent.url, agent.token);
    try {
      await stream.waitFor((e) => e.type === "hello");
      process.kill((await agent.health()).qsd.pid!, "SIGKILL");
      const rebuilt = await stream.waitFor((e) => e.type === "qsd.rebuilt");
      expect(rebuilt.data).toMatchObject({ volumes: 3, exports: 1, failures: 0, transitions: 0 });
    } finally {
      stream.close();
    }
    expect(await holdsPattern(active.uri!, 0x71, "0", "1M")).toBe(true);
    expect(await holdsPattern(active.uri!, 0x72, "4M", "1M")).toBe(true);
    expect((await nbdSize(`nbd://127.0.0.1:${nbdPort}/${standby.guid}`)).size).toBeNull();
    const status = rebuildStatus.parse((await api("GET", "/v1/state/rebuild")).json);
    expect(status).toMatchObject({ inProgress: false, last: { volumes: 3, exports: 1, failures: [], adjustments: [] } });
    // The graph is usable: snapshots still work on the reopened node.
    expect((await api("POST", "/v1/volumes/keep-a/snapshots", { name: "s1" })).status).toBe(201);
    expect(agent.output().stderr).toMatch(/graph rebuilt from the state file .*volumes=3 exports=1/);
  });

  it("after the agent restarts: the same LUs, snapshots and data", async () => {
    await agent.stop();
    await start();
    expect(lu.parse((await api("GET", `/v1/lus/${active.guid}`)).json)).toMatchObject({ state: "active", alias: "kept", uri: active.uri });
    expect(await holdsPattern(active.uri!, 0x71, "0", "1M")).toBe(true);
    const snaps = z.array(snapshot).parse((await api("GET", "/v1/volumes/keep-a/snapshots")).json);
    expect(snaps.map((s) => s.name)).toEqual(["s0", "s1"]);
    // The snapshot taken before the restart still reverts.
    expect((await api("POST", "/v1/volumes/keep-a/snapshots/s0/revert")).status).toBe(200);
    expect(await holdsPattern(active.uri!, 0x00, "4M", "1M")).toBe(true);
  });

  it("after a crash mid-transition: the LU ends in Standby with the reason recorded; strays are reported", async () => {
    await agent.stop();
    const file = dataPaths(dataDir).stateFile;
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.lus.find((l: Lu) => l.guid === active.guid).state = "transition_to_standby";
    state.lus.find((l: Lu) => l.guid === standby.guid).state = "transition_to_active";
    writeFileSync(file, JSON.stringify(state));
    const pool = path.join(dataDir, "pools", "default");
    execFileSync("qemu-img", ["snapshot", "-c", "outside", path.join(pool, "plain.qcow2")]); // the agent never saw it
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", path.join(pool, "stray.qcow2"), "1M"]);

    await start();
    for (const l of [active, standby]) {
      const now = lu.parse((await api("GET", `/v1/lus/${l.guid}`)).json);
      expect(now).toMatchObject({ state: "standby", uri: null });
      const last = z.array(z.object({ from: z.string(), to: z.string(), reason: z.string() })).parse((await api("GET", `/v1/lus/${l.guid}/transitions`)).json).at(-1)!;
      expect(last.to).toBe("standby");
      expect(last.reason).toMatch(/^found in transition_to_(standby|active) when qemu-storage-daemon started \(an operation was interrupted\)/);
    }
    expect((await nbdSize(active.uri!)).size).toBeNull();
    const { last } = rebuildStatus.parse((await api("GET", "/v1/state/rebuild")).json);
    expect(last).toMatchObject({ volumes: 3, exports: 0, unmanagedFiles: ["default/stray.qcow2"] });
    expect(last!.transitions.map((t) => t.guid).sort()).toEqual([active.guid, standby.guid].sort());
    expect(last!.adjustments).toEqual(["volume plain: snapshot outside found in the image; adopted"]);
    expect(z.array(snapshot).parse((await api("GET", "/v1/volumes/plain/snapshots")).json).map((s) => s.name)).toEqual(["outside"]);
    // A file the agent does not manage is never overwritten.
    const taken = await api("POST", "/v1/volumes", { name: "stray", size: "1M" });
    expect(taken.status).toBe(409);
    expect(JSON.stringify(taken.json)).toMatch(/does not manage/);
  });

  it("a volume whose image vanished is reported, stays listed, and can still be deleted", async () => {
    await agent.stop();
    rmSync(path.join(dataDir, "pools", "default", "plain.qcow2"));
    await start();
    const { last } = rebuildStatus.parse((await api("GET", "/v1/state/rebuild")).json);
    expect(last!.volumes).toBe(2);
    expect(last!.failures).toEqual([expect.stringMatching(/^volume plain: open .*plain\.qcow2 in qemu-storage-daemon: Could not open .*No such file or directory/)]);
    expect((await api("GET", "/v1/volumes/plain")).json).toMatchObject({ name: "plain", allocatedBytes: 0 });
    // An engine step that fails is a 500 with QSD's words, and leaves nothing behind.
    const lusBefore = (await api("GET", "/v1/lus")).json;
    const failed = await api("POST", "/v1/lus", { volume: "plain" });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ error: { code: "engine_error", message: expect.stringMatching(/^export LU 6[0-9a-f]+: .*vol\d+/) } });
    expect((await api("GET", "/v1/lus")).json).toEqual(lusBefore);
    expect((await api("DELETE", "/v1/volumes/plain")).status).toBe(204);
    expect((await api("GET", "/v1/volumes/plain")).status).toBe(404);
  });

  it("refuses to start on a state file it cannot read, and leaves the file alone", async () => {
    await agent.stop();
    const file = dataPaths(dataDir).stateFile;
    writeFileSync(file, '{"version": 1, "volumes": "oops"}');
    const result = spawnSync(process.execPath, ["--import", "tsx", "apps/agent/src/main.ts", "--name", "x", "--data-dir", dataDir, "--listen", "127.0.0.1:0"], {
      cwd: REPO_ROOT,
      env: { ...process.env, TANDEM_AGENT_TOKEN: agent.token },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/tandem-agent: cannot start: the state file .*state\.json is not a version 1 agent state: nextNodeNumber/);
    expect(readFileSync(file, "utf8")).toBe('{"version": 1, "volumes": "oops"}');
  });
});
