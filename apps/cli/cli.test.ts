// The tandem CLI end to end: the real binary as a child process, against a real stack (two host
// agents, each with its own QSD, and the console), with a real NBD client (qemu-io) on the LUs.
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

/** Runs `tandem ARGS` on a pseudo-terminal (util-linux `script`), typing `answer`. */
function tandemOnTty(args: string[], answer: string): Promise<Run> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, "--import", "tsx", MAIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: ROOT, env: cliEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stdout += b.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`tandem ${args.join(" ")} on a terminal did not finish:\n${stdout}`));
    }, 90_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: "" });
    });
    // Type the answer once the question is on the screen.
    const typeWhenAsked = () => {
      if (/confirm: |\[y\/N\]/.test(stdout)) child.stdin.end(answer + "\n");
      else setTimeout(typeWhenAsked, 100);
    };
    typeWhenAsked();
  });
}

async function ok(args: string[], input?: string): Promise<string> {
  const r = await tandem(args, { input });
  if (r.code !== 0) throw new Error(`tandem ${args.join(" ")} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function json<T = unknown>(args: string[]): Promise<T> {
  const out = await ok([...args, "--json"]);
  return JSON.parse(out) as T;
}

/** A refusal: the exit code, and exactly one line `tandem: reason` on stderr, nothing on stdout. */
async function fails(args: string[], code: number, reason: RegExp, env?: Record<string, string>): Promise<Run> {
  const r = await tandem(args, { env });
  expect(r.code, `tandem ${args.join(" ")}: ${r.stderr}`).toBe(code);
  expect(r.stderr.endsWith("\n")).toBe(true);
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
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type VolumeJson = { ref: string; sizeBytes: number; snapshotCount: number; lu: { guid: string } | null };
type LuJson = { guid: string; alias: string | null; nodes: { host: string; accessState: string; stateCode: number; uri: string | null }[] };
type PairJson = { name: string; aluaEnabled: boolean; hosts: { name: string; nodeId: number | null; agent: { enabled: boolean; nodeId: number } | null }[] };

const MiB = 2 ** 20;
/** A console that cannot be reached: a command that still answers did not call it. */
const nowhere = { TANDEM_URL: "http://127.0.0.1:1", TANDEM_TOKEN: "tdm_" + "x".repeat(40) };
let guid = "";
let uri = "";

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-cli-test-"));
  configFile = path.join(tmp, "config.json");
  useCliConfig(configFile);
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("tandem CLI on a real stack", { timeout: 180_000 }, () => {
  it("logs in with --password-stdin and sees both hosts online with ALUA set up", async () => {
    await fails(["volume", "list"], 1, /not logged in/);
    await fails(["login", "--url", stack.consoleUrl, "--user", "admin", "--password-stdin"], 1, /empty password/);
    const r = await tandem(["login", "--url", stack.consoleUrl, "--user", "admin", "--password-stdin", "--json"], { input: stack.adminPassword + "\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ url: stack.consoleUrl, username: "admin" });
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);

    await eventually(async () => {
      const hosts = await json<{ name: string; status: string }[]>(["host", "list"]);
      return hosts.length === 2 && hosts.every((h) => h.status === "online");
    }, 30_000, "both hosts online");
    await eventually(async () => {
      const [pair] = await json<PairJson[]>(["alua", "get"]);
      return pair?.hosts.every((h) => h.agent?.enabled && h.agent.nodeId === h.nodeId);
    }, 30_000, "ALUA settings on both agents");
    const text = await ok(["alua", "get"]);
    expect(text).toMatch(/Pair pair1: ALUA enabled/);
    expect(text).toMatch(/h1\s+online\s+0\s+enabled, node 0, peer h2/);
  });

  it("creates, lists, shows and resizes a volume", async () => {
    expect(await ok(["volume", "create", "--host", "h1", "--name", "vol-a", "--size", "64M"])).toMatch(/^Created volume h1\/vol-a: 64\.0MiB in pool \S+\n$/);
    const list = await json<VolumeJson[]>(["volume", "list"]);
    expect(list.find((v) => v.ref === "h1/vol-a")).toMatchObject({ sizeBytes: 64 * MiB, snapshotCount: 0, lu: null });
    expect(await ok(["volume", "list"])).toMatch(/^VOLUME\s+POOL\s+SIZE.*\nh1\/vol-a\s+\S+\s+64\.0MiB/);

    const shown = await ok(["volume", "show", "h1/vol-a"]);
    expect(shown).toMatch(/Volume:\s+h1\/vol-a/);
    expect(shown).toMatch(/No snapshots\./);

    expect(await ok(["volume", "resize", "h1/vol-a", "--size", "128M"])).toMatch(/h1\/vol-a is now 128MiB/);
    expect(await json<VolumeJson>(["volume", "show", "h1/vol-a"])).toMatchObject({ ref: "h1/vol-a", sizeBytes: 128 * MiB });
    // Volumes only grow: the console refuses, the CLI says why in one line.
    await fails(["volume", "resize", "h1/vol-a", "--size", "64M"], 1, /only grow/);
  });

  it("refuses bad input at once, in one line, and creates nothing", async () => {
    const before = await json<VolumeJson[]>(["volume", "list"]);
    await fails(["volume", "create", "--host", "h1", "--name", "ok", "--size", "10X"], 2, /--size.*"10X" is not a size/);
    await fails(["volume", "create", "--host", "h1", "--name", "../x", "--size", "1G"], 2, /--name "\.\.\/x": must be 1-63 characters/);
    await fails(["volume", "create", "--host", "h1", "--name", "ok", "--size", "-1G"], 2, /not a size/);
    await fails(["volume", "create", "--host", "h1", "--name", "ok"], 2, /required option '--size <size>' not specified/);
    await fails(["volume", "show", "vol-a"], 2, /write a volume as HOST\/NAME/);
    await fails(["volume", "show", "h1/../etc"], 2, /write a volume as HOST\/NAME/);
    await fails(["lu", "standby", "not-a-guid", "--yes"], 2, /GUID "not-a-guid": must be 32 hex digits/);
    await fails(["alua", "set", "--enabled", "maybe"], 2, /--enabled "maybe": must be on or off/);
    await fails(["operation", "list", "--limit", "0"], 2, /--limit "0": must be at least 1/);
    await fails(["volume", "frobnicate"], 2, /unknown command 'frobnicate'/);
    // What only the console can know: still one line, exit 1.
    await fails(["volume", "create", "--host", "nohost", "--name", "ok", "--size", "1G"], 1, /host nohost does not exist/);
    await fails(["volume", "show", "h1/nothing"], 1, /volume h1\/nothing does not exist/);
    // Local checks answer without a round trip: the same with a console that cannot be reached.
    await fails(["volume", "create", "--host", "h1", "--name", "ok", "--size", "10X"], 2, /"10X" is not a size/, nowhere);
    await fails(["snapshot", "clone", "h1/vol-a", "before", "Bad/Name"], 2, /NEWNAME "Bad\/Name": must be 1-63 characters/, nowhere);
    expect(await json<VolumeJson[]>(["volume", "list"])).toEqual(before);
  });

  it("exports a volume as an LU: GUID and URI printed, a real NBD client's data round-trips", async () => {
    const out = await ok(["lu", "create", "--volume", "h1/vol-a", "--alias", "db data"]);
    guid = /^GUID:\s+(6[0-9a-f]{31})$/m.exec(out)?.[1] ?? "";
    uri = /^URI:\s+(nbd:\/\/\S+)$/m.exec(out)?.[1] ?? "";
    expect(guid, out).not.toBe("");
    expect(uri, out).toBe(`nbd://127.0.0.1:${stack.agents[0]!.nbdPort}/${guid}`);
    expect(out).toMatch(/State:\s+Active \(0\)/);

    qemuIo(uri, "write -P 0x5a 0 1M");
    expect(qemuIo(uri, "read -P 0x5a 0 1M")).toMatch(/read 1048576\/1048576 bytes/);

    const lus = await json<LuJson[]>(["lu", "list"]);
    expect(lus.find((l) => l.guid === guid)).toMatchObject({ alias: "db data", nodes: [{ host: "h1", accessState: "active", stateCode: 0, uri }] });
    expect(await ok(["lu", "list"])).toMatch(new RegExp(`${guid}\\s+db data\\s+128MiB\\s+h1/vol-a\\s+h1: Active \\(0\\)\\s+${uri.replace(/[/.]/g, "\\$&")}`));
  });

  it("snapshot, overwrite, revert --yes brings the data back; without --yes and a terminal it refuses", async () => {
    expect(await ok(["snapshot", "create", "h1/vol-a", "before"])).toMatch(/Created snapshot before of h1\/vol-a/);
    expect(await json<{ name: string }[]>(["snapshot", "list", "h1/vol-a"])).toMatchObject([{ name: "before" }]);
    expect(await ok(["snapshot", "list", "h1/vol-a"])).toMatch(/^SNAPSHOT\s+SIZE\s+TAKEN\nbefore\s+128MiB\s+\d{4}-/);

    qemuIo(uri, "write -P 0x33 0 1M");
    expect(qemuIo(uri, "read -P 0x33 0 1M")).toMatch(/read 1048576\/1048576 bytes/);

    await fails(["snapshot", "revert", "h1/vol-a", "before"], 1, /refusing to revert h1\/vol-a to snapshot before without confirmation: .*--yes/);
    // The refusal comes before any call to the console.
    await fails(["snapshot", "revert", "h1/vol-a", "before"], 1, /refusing to revert/, nowhere);
    expect(qemuIo(uri, "read -P 0x33 0 1M")).toMatch(/read 1048576\/1048576 bytes/);

    const r = await json<{ reverted: boolean }>(["snapshot", "revert", "h1/vol-a", "before", "--yes"]);
    expect(r).toMatchObject({ reverted: true });
    expect(qemuIo(uri, "read -P 0x5a 0 1M")).toMatch(/read 1048576\/1048576 bytes/);
  });

  it("destructive commands refuse without --yes when there is no terminal, and change nothing", async () => {
    await fails(["volume", "delete", "h1/vol-a"], 1, /refusing to delete volume h1\/vol-a without confirmation: no terminal to ask on; pass --yes/);
    await fails(["snapshot", "delete", "h1/vol-a", "before"], 1, /refusing to delete snapshot before of h1\/vol-a without confirmation/);
    await fails(["lu", "delete", guid], 1, /refusing to delete LU .* without confirmation/);
    await fails(["lu", "standby", guid], 1, /refusing to put LU .* into Standby without confirmation/);
    expect(await json<VolumeJson>(["volume", "show", "h1/vol-a"])).toMatchObject({ snapshotCount: 1, lu: { guid } });
    // With --yes the console still refuses what is not allowed: the volume is exported.
    await fails(["volume", "delete", "h1/vol-a", "--yes"], 1, /in use by LU/);
  });

  it("on a terminal, asks; a wrong answer cancels, the right one goes ahead", async () => {
    const no = await tandemOnTty(["snapshot", "delete", "h1/vol-a", "before"], "n");
    expect(no.code, no.stdout).toBe(1);
    expect(no.stdout).toMatch(/Delete snapshot before of h1\/vol-a\? This cannot be undone\.\s+Type before to confirm:/);
    expect(no.stdout).toMatch(/tandem: cancelled: did not delete snapshot before of h1\/vol-a/);
    expect((await json<VolumeJson>(["volume", "show", "h1/vol-a"])).snapshotCount).toBe(1);

    await ok(["snapshot", "create", "h1/vol-a", "scratch"]);
    const yes = await tandemOnTty(["snapshot", "delete", "h1/vol-a", "scratch"], "scratch");
    expect(yes.code, yes.stdout).toBe(0);
    expect(yes.stdout).toMatch(/Deleted snapshot scratch of h1\/vol-a/);
    expect((await json<{ name: string }[]>(["snapshot", "list", "h1/vol-a"])).map((s) => s.name)).toEqual(["before"]);
  });

  it("lu standby --yes cuts clients off; lu import brings the LU back with its data", async () => {
    const s = await ok(["lu", "standby", guid, "--yes"]);
    expect(s).toMatch(new RegExp(`LU ${guid} on h1 is now Standby \\(2\\)`));
    expect(() => qemuIo(uri, "read 0 4k")).toThrow();
    expect((await json<LuJson[]>(["lu", "list"])).find((l) => l.guid === guid)?.nodes).toMatchObject([{ host: "h1", accessState: "standby", stateCode: 2, uri: null }]);

    const i = await ok(["lu", "import", guid]);
    expect(i).toMatch(new RegExp(`LU ${guid} on h1 is now Active \\(0\\)`));
    expect(i).toContain(uri);
    expect(qemuIo(uri, "read -P 0x5a 0 1M")).toMatch(/read 1048576\/1048576 bytes/);
  });

  it("one GUID on both hosts: per-node states with codes, import flips them", async () => {
    await ok(["volume", "create", "--host", "h2", "--name", "vol-a", "--size", "128M"]);
    const c = await json<{ guid: string; uri: string | null; stateCode: number }>(["lu", "create", "--volume", "h2/vol-a", "--guid", guid.toUpperCase(), "--standby"]);
    expect(c).toMatchObject({ guid, uri: null, stateCode: 2 });
    const row = (await ok(["lu", "list"])).split("\n").find((l) => l.startsWith(guid))!;
    expect(row).toMatch(/h1: Active \(0\)  h2: Standby \(2\)/);

    // The GUID is on two hosts: which one must be said.
    await fails(["lu", "standby", guid, "--yes"], 1, /exists on h1 and h2: say which host \(--host\)/);

    const flipped = await json<{ host: string; stateCode: number; uri: string }>(["lu", "import", guid]);
    expect(flipped).toMatchObject({ host: "h2", stateCode: 0 });
    const nodes = await eventually(async () => {
      const l = (await json<LuJson[]>(["lu", "list"])).find((x) => x.guid === guid)!;
      return l.nodes.find((n) => n.host === "h1")?.stateCode === 2 ? l.nodes : undefined;
    }, 15_000, "h1 in Standby");
    expect(nodes.map((n) => `${n.host}:${n.stateCode}`)).toEqual(["h1:2", "h2:0"]);
    expect(() => qemuIo(uri, "read 0 4k")).toThrow();
    qemuIo(flipped.uri, "read 0 4k");
  });

  it("clones a snapshot, and cleans up with --yes", async () => {
    expect(await ok(["snapshot", "clone", "h1/vol-a", "before", "vol-b"])).toMatch(/Cloned h1\/vol-a@before to new volume h1\/vol-b \(128MiB\)/);
    const b = await json<{ guid: string; uri: string }>(["lu", "create", "--volume", "h1/vol-b"]);
    expect(qemuIo(b.uri, "read -P 0x5a 0 1M")).toMatch(/read 1048576\/1048576 bytes/);

    expect(await ok(["lu", "delete", b.guid, "--yes"])).toMatch(new RegExp(`Deleted LU ${b.guid} on h1`));
    expect(await ok(["volume", "delete", "h1/vol-b", "--yes"])).toMatch(/Deleted volume h1\/vol-b/);
    expect(await json(["snapshot", "delete", "h1/vol-a", "before", "--yes"])).toMatchObject({ deleted: true });
    expect((await json<VolumeJson[]>(["volume", "list"])).map((v) => v.ref).sort()).toEqual(["h1/vol-a", "h2/vol-a"]);
  });

  it("lists and shows operations; alua set validates before calling", async () => {
    const ops = await json<{ id: string; kind: string; status: string }[]>(["operation", "list", "--limit", "100"]);
    const create = ops.find((o) => o.kind === "volume.create")!;
    expect(create.status).toBe("succeeded");
    expect(ops.map((o) => o.kind)).toEqual(expect.arrayContaining(["volume.resize", "lu.create", "snapshot.revert", "lu.standby", "lu.import"]));
    expect(await ok(["operation", "list", "--limit", "3"])).toMatch(/^ID\s+KIND\s+SUBJECT\s+STATUS/);
    expect(await ok(["operation", "show", create.id])).toMatch(/Status:\s+succeeded/);
    expect(await json(["operation", "show", create.id])).toMatchObject({ id: create.id, kind: "volume.create" });
    await fails(["operation", "show", "no-such-op"], 1, /operation no-such-op does not exist/);

    await fails(["alua", "set", "--enabled", "on", "--node", "h1=0", "--node", "h1=1"], 2, /host h1 is given twice/);
    await fails(["alua", "set", "--enabled", "on", "--node", "h1=1", "--node", "h2=1"], 1, /node ids 0 and 1, one each/);
    expect(await ok(["alua", "set", "--enabled", "on", "--node", "h1=0", "--node", "h2=1"])).toMatch(/ALUA enabled; h1: node 0, h2: node 1/);
  });

  it("every command has --help", async () => {
    const commands = [
      ["volume", "create"], ["volume", "list"], ["volume", "show"], ["volume", "resize"], ["volume", "delete"],
      ["snapshot", "create"], ["snapshot", "list"], ["snapshot", "revert"], ["snapshot", "clone"], ["snapshot", "delete"],
      ["lu", "create"], ["lu", "list"], ["lu", "standby"], ["lu", "import"], ["lu", "delete"],
      ["alua", "get"], ["alua", "set"], ["operation", "list"], ["operation", "show"],
    ];
    const helps: Run[] = [];
    for (let i = 0; i < commands.length; i += 4) helps.push(...(await Promise.all(commands.slice(i, i + 4).map((c) => tandem([...c, "--help"])))));
    for (const [i, h] of helps.entries()) {
      expect(h.code, commands[i]!.join(" ")).toBe(0);
      expect(h.stdout).toContain(`Usage: tandem ${commands[i]!.join(" ")}`);
      expect(h.stdout).toContain("--json");
    }
  });
});
