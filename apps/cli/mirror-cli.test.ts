// `tandem mirror …` end to end: the real CLI as a child process against a real stack (two host
// agents with their own qemu-storage-daemon, and the console), with a real NBD client (qemu-io)
// writing through the source LU and reading the target's copy afterwards.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, stopStack, type StackState } from "../../e2e/support/stack";
import { cliEnv, MAIN, ROOT, tandem, useCliConfig, type Run } from "./testing/run-cli";


let stack: StackState;
let tmp: string;
let configFile: string;

/**
 * Runs `tandem ARGS` on a pseudo-terminal (util-linux `script`); types `answer` once a
 * confirmation is asked. stdout and stderr arrive mixed, as on a screen.
 */
function onTty(args: string[], answer?: string, timeoutMs = 120_000): Promise<Run> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, "--import", "tsx", MAIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: { ...cliEnv(), COLUMNS: "120" }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stdout += b.toString()));
    let typed = false;
    const poll = setInterval(() => {
      if (!typed && answer !== undefined && /confirm: /.test(stdout)) {
        typed = true;
        child.stdin.write(answer + "\n");
      }
    }, 100);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tandem ${args.join(" ")} on a terminal did not finish:\n${stdout}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, stdout, stderr: "" });
    });
  });
}

async function ok(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Run> {
  const r = await tandem(args, opts);
  if (r.code !== 0) throw new Error(`tandem ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r;
}

async function json<T = unknown>(args: string[]): Promise<T> {
  return JSON.parse((await ok([...args, "--json"])).stdout) as T;
}

/** A refusal: the exit code, and exactly one line `tandem: reason` on stderr, nothing on stdout. */
async function fails(args: string[], code: number, reason: RegExp, env?: Record<string, string>): Promise<Run> {
  const r = await tandem(args, { env });
  expect(r.code, `tandem ${args.join(" ")}: ${r.stderr}`).toBe(code);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^tandem: /);
  expect(lines[0]).toMatch(reason);
  expect(r.stdout).toBe("");
  return r;
}

function qemuIo(uri: string, cmd: string): string {
  return execFileSync("qemu-io", ["-f", "raw", "-c", cmd, uri], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
}

async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type MirrorJson = {
  id: string;
  name: string;
  state: string;
  stateReason: string | null;
  health: { level: string; reason: string };
  mode: string;
  source: { ref: string; host: string; volume: string };
  target: { ref: string; host: string; volume: string };
  sizeBytes: number;
  lagBytes: number;
  speedLimitBytesPerSec: number;
  rpoTargetSeconds: number | null;
  description: string | null;
  progress: { phase: string | null; doneBytes: number; totalBytes: number; percent: number | null };
  operations: { id: string; kind: string; status: string; steps: { name: string; status: string }[] }[];
};
type VolumeJson = { ref: string; lu: { guid: string } | null };
type LuJson = { guid: string; nodes: { host: string; stateCode: number; uri: string | null }[] };

const MiB = 2 ** 20;
/** A console that cannot be reached: a command that still answers did not call it. */
const nowhere = { TANDEM_URL: "http://127.0.0.1:1", TANDEM_TOKEN: "tdm_" + "x".repeat(40) };
let uri = "";
let guid = "";

const showMirror = (name: string) => json<MirrorJson>(["mirror", "show", name]);
/** Settled: in sync with nothing left to copy. */
const settled = (name: string) =>
  eventually(async () => {
    const m = await showMirror(name);
    return m.state === "in_sync" && m.lagBytes === 0 ? m : undefined;
  }, 30_000, `${name} in sync with no lag`);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-mirror-cli-test-"));
  configFile = path.join(tmp, "config.json");
  useCliConfig(configFile);
  stack = await startStack();
  await ok(["login", "--url", stack.consoleUrl, "--user", "admin", "--password-stdin"], { input: stack.adminPassword + "\n" });
  await eventually(async () => {
    const hosts = await json<{ status: string }[]>(["host", "list"]);
    return hosts.length === 2 && hosts.every((h) => h.status === "online");
  }, 30_000, "both hosts online");
}, 180_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("tandem mirror on a real stack", { timeout: 180_000 }, () => {
  it("checks arguments locally, before any call to the console", async () => {
    await fails(["mirror", "create", "m1", "--source", "h1/m-src"], 2, /required option '--target <host\/volume>' not specified/);
    await fails(["mirror", "create", "1m", "--source", "h1/a", "--target", "h2/a"], 2, /NAME "1m": must start with a letter/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "m-src", "--target", "h2/a"], 2, /--source.*write a volume as HOST\/NAME/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "h1/a", "--target", "h1/b"], 2, /--target "h1\/b": must be on another host than the source/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "h1/a", "--target", "h2/a", "--mode", "fast"], 2, /--mode "fast": must be sync or async/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "h1/a", "--target", "h2/a", "--speed-limit", "10X"], 2, /--speed-limit.*"10X" is not a size/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "h1/a", "--target", "h2/a", "--rpo", "-5"], 2, /--rpo "-5": must be whole seconds/, nowhere);
    await fails(["mirror", "modify", "m1"], 2, /nothing to change: give at least one of --mode, --speed-limit, --rpo, --auto-failover, --description/, nowhere);
    await fails(["mirror", "modify", "m1", "--auto-failover", "2s"], 2, /--auto-failover "2s": must be a time from 5 s to 1 h .* or off/, nowhere);
    await fails(["mirror", "create", "m1", "--source", "h1/a", "--target", "h2/a", "--auto-failover", "soon"], 2, /--auto-failover "soon"/, nowhere);
    await fails(["mirror", "modify", "m1", "--rpo", "soon"], 2, /--rpo "soon": .*or none/, nowhere);
    await fails(["mirror", "show", "M1"], 2, /NAME "M1": must be 1-63 characters/, nowhere);
    await fails(["mirror", "delete", "m1"], 1, /refusing to delete mirror m1 without confirmation: no terminal to ask on; pass --yes/, nowhere);
  });

  it("sets up a source volume with an LU and data on it", async () => {
    await ok(["volume", "create", "--host", "h1", "--name", "m-src", "--size", "64M"]);
    const lu = await json<{ guid: string; uri: string }>(["lu", "create", "--volume", "h1/m-src", "--alias", "mirrored"]);
    guid = lu.guid;
    uri = lu.uri;
    expect(uri).toMatch(/^nbd:\/\//);
    // Some real data for the initial copy to move.
    qemuIo(uri, "write -P 0x11 0 16M");
    expect(await json(["mirror", "list"])).toEqual([]);
    expect((await ok(["mirror", "list"])).stdout).toMatch(/^No mirrors\./);
  });

  it("mirror create --wait shows progress and exits 0 once the mirror is in sync", async () => {
    const r = await tandem(["mirror", "create", "m1", "--source", "h1/m-src", "--target", "h2/m-dst", "--create-target", "--rpo", "60", "--description", "db copy", "--wait"], { timeoutMs: 150_000 });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^Mirror m1 is in sync: h1\/m-src → h2\/m-dst \(sync\); 64\.0MiB initialized in \S+\n$/);
    // Not a terminal: plain progress lines, no redrawing; the last one says in_sync 100%.
    expect(r.stderr).not.toMatch(/\r/);
    expect(r.stderr.trimEnd().split("\n").at(-1)).toMatch(/^m1: in_sync 100% \(64\.0MiB\) in \S+$/);

    const m = await showMirror("m1");
    expect(m).toMatchObject({
      name: "m1",
      state: "in_sync",
      mode: "sync",
      source: { ref: "h1/m-src", host: "h1", volume: "m-src" },
      target: { ref: "h2/m-dst", host: "h2", volume: "m-dst" },
      sizeBytes: 64 * MiB,
      rpoTargetSeconds: 60,
      description: "db copy",
      health: { level: expect.any(String), reason: expect.any(String) },
      progress: expect.objectContaining({ totalBytes: expect.any(Number) }),
    });
    expect(m.lagBytes).toEqual(expect.any(Number));
    expect(m.operations[0]).toMatchObject({ kind: "mirror.create", status: "succeeded" });
    expect(m.operations[0]!.steps.map((s) => s.status)).toEqual(m.operations[0]!.steps.map(() => "succeeded"));
    // The target's LU carries the source's GUID, in Standby.
    const lu = (await json<LuJson[]>(["lu", "list"])).find((l) => l.guid === guid)!;
    expect(lu.nodes.map((n) => `${n.host}:${n.stateCode}`).sort()).toEqual(["h1:0", "h2:2"]);
  });

  it("mirror list and show, for people", async () => {
    const list = (await ok(["mirror", "list"])).stdout;
    expect(list).toMatch(/^NAME\s+SOURCE → TARGET\s+MODE\s+STATE\s+HEALTH\s+PROGRESS\/LAG\s+RATE\n/);
    expect(list).toMatch(/\nm1\s+h1\/m-src → h2\/m-dst\s+sync\s+in_sync\s+ok\s+lag 0B\s+\S+\n/);

    const show = (await ok(["mirror", "show", "m1"])).stdout;
    expect(show).toMatch(/^Mirror:\s+m1$/m);
    expect(show).toMatch(/^Source:\s+h1\/m-src$/m);
    expect(show).toMatch(/^Target:\s+h2\/m-dst$/m);
    expect(show).toMatch(/^Mode:\s+sync \(every write reaches both sides/m);
    expect(show).toMatch(/^RPO target:\s+1m00s$/m);
    expect(show).toMatch(/^State:\s+in_sync/m);
    expect(show).toMatch(/^Health:\s+ok: /m);
    expect(show).toMatch(/^Lag:\s+0B$/m);
    expect(show).toMatch(/Operations \(newest first\):\n\s+mirror\.create\s+succeeded\s+by admin/);
    expect(show).toMatch(/Initial copy\s+succeeded/);
  });

  it("writes through the source LU reach the target; modify switches to async in place", async () => {
    qemuIo(uri, "write -P 0x42 0 4M");
    expect(qemuIo(uri, "read -P 0x42 0 4M")).toMatch(/read 4194304\/4194304 bytes/);
    await settled("m1");

    const r = await ok(["mirror", "modify", "m1", "--mode", "async", "--speed-limit", "200M"]);
    expect(r.stdout).toMatch(/^Modified mirror m1: mode async, speed limit 200MiB\/s\n$/);
    expect(await showMirror("m1")).toMatchObject({ mode: "async", speedLimitBytesPerSec: 200 * MiB });
    // The same again changes nothing; settings that live only in Tandem change at once.
    expect((await ok(["mirror", "modify", "m1", "--mode", "async"])).stdout).toMatch(/already has those settings; nothing changed/);
    expect((await ok(["mirror", "modify", "m1", "--rpo", "none", "--description", ""])).stdout).toMatch(/RPO target none, description cleared/);
    expect(await showMirror("m1")).toMatchObject({ rpoTargetSeconds: null, description: null });
    expect((await ok(["mirror", "modify", "m1", "--auto-failover", "1m"])).stdout).toMatch(/automatic failover after 1m00s without the source/);
    expect(await showMirror("m1")).toMatchObject({ autoFailoverAfterSeconds: 60 });
    expect((await ok(["mirror", "show", "m1"])).stdout).toMatch(/^Auto failover:\s+after 1m00s without the source/m);
    expect((await ok(["mirror", "modify", "m1", "--auto-failover", "off"])).stdout).toMatch(/automatic failover off/);
    expect(await showMirror("m1")).toMatchObject({ autoFailoverAfterSeconds: null });

    qemuIo(uri, "write -P 0x43 4M 4M");
    await settled("m1");
  });

  it("pause and resume: writes while paused are copied after the resume", async () => {
    expect((await ok(["mirror", "pause", "m1"])).stdout).toMatch(/^Mirror m1 is paused/);
    const paused = await showMirror("m1");
    expect(paused.state).toBe("paused");
    expect(paused.health.level).toBe("warning");
    expect((await ok(["mirror", "list"])).stdout).toMatch(/\nm1\s+h1\/m-src → h2\/m-dst\s+async\s+paused\s+warning\s+lag /);
    // Clients keep writing to the source while the mirror is paused.
    qemuIo(uri, "write -P 0x44 8M 2M");
    await fails(["mirror", "resume", "nope"], 1, /mirror nope does not exist/);

    expect((await ok(["mirror", "resume", "m1"])).stdout).toMatch(/^Resumed mirror m1: /);
    await settled("m1");
    await fails(["mirror", "resume", "m1"], 1, /mirror m1 is in_sync, not paused/);
  });

  it("refuses what the rules forbid: one line, exit 1, nothing created", async () => {
    await ok(["volume", "create", "--host", "h1", "--name", "m-other", "--size", "64M"]);
    const before = (await json<VolumeJson[]>(["volume", "list"])).map((v) => v.ref).sort();
    await fails(["mirror", "create", "m2", "--source", "h1/m-src", "--target", "h2/m-else", "--create-target"], 1, /single-mirror rule: h1\/m-src is already the source of mirror m1/);
    await fails(["mirror", "create", "m2", "--source", "h1/m-other", "--target", "h2/m-dst"], 1, /single-mirror rule: h2\/m-dst is already the target of mirror m1/);
    await fails(["mirror", "create", "m1", "--source", "h1/m-other", "--target", "h2/m-else", "--create-target"], 1, /a mirror named m1 already exists/);
    await fails(["mirror", "create", "m2", "--source", "h1/nothing", "--target", "h2/m-else", "--create-target"], 1, /source volume h1\/nothing does not exist/);
    expect((await json<VolumeJson[]>(["volume", "list"])).map((v) => v.ref).sort()).toEqual(before);
    expect((await json<MirrorJson[]>(["mirror", "list"])).map((m) => m.name)).toEqual(["m1"]);

    await fails(["mirror", "show", "nope"], 1, /mirror nope does not exist/);
    await fails(["mirror", "pause", "nope"], 1, /mirror nope does not exist/);
    await fails(["mirror", "modify", "nope", "--mode", "sync"], 1, /mirror nope does not exist/);
    await fails(["mirror", "delete", "nope", "--yes"], 1, /mirror nope does not exist/);
    await fails(["mirror", "delete", "m1"], 1, /refusing to delete mirror m1 without confirmation/);
  });

  it("on a terminal: --wait redraws one progress line; delete asks for the mirror's name", async () => {
    await ok(["volume", "create", "--host", "h1", "--name", "m-two", "--size", "32M"]);
    const c = await onTty(["mirror", "create", "m2", "--source", "h1/m-two", "--target", "h2/m-two", "--create-target", "--mode", "async", "--wait"]);
    expect(c.code, c.stdout).toBe(0);
    expect(c.stdout).toMatch(/\r\x1b\[Km2\s+in_sync\s+\[█{10,}\]\s+100%\s+32\.0MiB\/32\.0MiB\s+in \S+\r?\n/);
    expect(c.stdout).toMatch(/Mirror m2 is in sync: h1\/m-two → h2\/m-two \(async\)/);

    const no = await onTty(["mirror", "delete", "m2", "--delete-target"], "m1");
    expect(no.code, no.stdout).toBe(1);
    expect(no.stdout).toMatch(/Delete mirror m2 \(h1\/m-two → h2\/m-two, in_sync\)\? Replication stops; target volume h2\/m-two is deleted with its data \(this cannot be undone\)\.\s+Type m2 to confirm:/);
    expect(no.stdout).toMatch(/tandem: cancelled: did not delete mirror m2/);
    expect((await showMirror("m2")).state).toBe("in_sync");

    const yes = await onTty(["mirror", "delete", "m2", "--delete-target", "--wait"], "m2");
    expect(yes.code, yes.stdout).toBe(0);
    expect(yes.stdout).toMatch(/Deleted mirror m2; target volume h2\/m-two is deleted with its data/);
    await fails(["mirror", "show", "m2"], 1, /mirror m2 does not exist/);
    const refs = (await json<VolumeJson[]>(["volume", "list"])).map((v) => v.ref);
    expect(refs).toContain("h1/m-two");
    expect(refs).not.toContain("h2/m-two");
  });

  it("mirror delete --yes --wait removes the mirror; the target keeps a full copy", async () => {
    const r = await tandem(["mirror", "delete", "m1", "--yes", "--wait", "--json"], { timeoutMs: 150_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: "m1", status: "succeeded", operationId: expect.any(String), targetDeleted: false });
    await fails(["mirror", "show", "m1"], 1, /mirror m1 does not exist/);
    expect(await json(["mirror", "list"])).toEqual([]);

    // The target volume stays, with its Standby LU; made Active, it reads what the source got.
    expect((await json<VolumeJson[]>(["volume", "list"])).map((v) => v.ref)).toContain("h2/m-dst");
    const imported = await json<{ host: string; uri: string }>(["lu", "import", guid, "--host", "h2"]);
    expect(imported.host).toBe("h2");
    expect(qemuIo(imported.uri, "read -P 0x42 0 4M")).toMatch(/read 4194304\/4194304 bytes/);
    expect(qemuIo(imported.uri, "read -P 0x43 4M 4M")).toMatch(/read 4194304\/4194304 bytes/);
    expect(qemuIo(imported.uri, "read -P 0x44 8M 2M")).toMatch(/read 2097152\/2097152 bytes/);
    expect(qemuIo(imported.uri, "read -P 0x11 10M 6M")).toMatch(/read 6291456\/6291456 bytes/);
  });

  it("every mirror command has --help with --json", async () => {
    const commands = ["create", "list", "show", "modify", "pause", "resume", "delete"];
    const helps = await Promise.all(commands.map((c) => tandem(["mirror", c, "--help"])));
    for (const [i, h] of helps.entries()) {
      expect(h.code, commands[i]).toBe(0);
      expect(h.stdout).toContain(`Usage: tandem mirror ${commands[i]}`);
      expect(h.stdout).toContain("--json");
    }
    expect(helps[0]!.stdout).toMatch(/--create-target[\s\S]*--mode <mode>[\s\S]*--speed-limit <rate>[\s\S]*--rpo <seconds>[\s\S]*--wait/);
    expect(helps[6]!.stdout).toMatch(/--delete-target[\s\S]*--yes[\s\S]*--wait/);
  });
});
