// A real partition: each host (agent + QSD) in a network namespace of its own, the link between
// the hosts cut for real while both stay alive. Then a forced failover: the old source is fenced
// and never takes a write again, not even after the link returns.
//  a) the console still reaches the old source: the failover's demote step fences it;
//  b) the old source is cut off from the console too (its local client keeps writing): the
//     console fences it as soon as it reaches it again;
//  c) as b, but the hosts link returns first: the old source learns the newer epoch from its
//     peer and holds itself.
// Fence delays are measured from the moment a link returns. Every case ends by comparing data:
// checksums of the fenced old source before and after the links return, then both sides after
// failback and more client writes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stackLogTails, stopStack, type StackState } from "../../../e2e/support/stack";
import { TwoHostNet } from "../../../e2e/support/netns";
import { eventually, operationEnd, startPairedStack } from "@/server/testing/api-client";

const run = promisify(execFile);
const MiB = 2 ** 20;
let net: TwoHostNet;
let stack: StackState | undefined;
let api: Awaited<ReturnType<typeof startPairedStack>>["api"];

const ioArgs = (uri: string, cmds: string[]) => ["-f", "raw", ...cmds.flatMap((c) => ["-c", c]), uri];
/** A client in the root namespace, beside the console. */
const qemuIo = (uri: string, ...cmds: string[]) => run("qemu-io", ioArgs(uri, cmds), { timeout: 15_000 });
/** A client on host h1 itself: it reaches h1's exports whatever happens to the links. */
const qemuIoOnH1 = (uri: string, ...cmds: string[]) => net.exec("h1", "qemu-io", ioArgs(uri, cmds), { timeout: 15_000 });
const waitOp = (id: string) => operationEnd(api, id, 60_000);
const agent = (name: string) => stack!.agents.find((a) => a.name === name)!;
const mirror = async (name: string) => (await api.mirror.get.query({ name })).mirror;
const hostStatus = async (name: string) => (await api.host.list.query()).find((h) => h.name === name)?.status;

/**
 * The agent's own view, asked directly (what the console believes is not the point here). From
 * inside h1 when the console's link to h1 is cut.
 */
async function agentCall<T>(host: string, path: string, opts: { body?: unknown; fromH1?: boolean } = {}): Promise<T> {
  const a = agent(host);
  const url = `${a.url}${path}`;
  if (opts.fromH1) {
    const args = ["-sSf", "-m", "20", "-H", `authorization: Bearer ${a.token}`, url];
    if (opts.body !== undefined) args.push("-H", "content-type: application/json", "--data", JSON.stringify(opts.body));
    return JSON.parse((await net.exec("h1", "curl", args, { timeout: 25_000 })).stdout) as T;
  }
  const res = await fetch(url, {
    method: opts.body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${a.token}`, ...(opts.body === undefined ? {} : { "content-type": "application/json" }) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(20_000),
  });
  if (!res.ok) throw new Error(`${host} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
type AgentLu = { guid: string; volume: string; state: string; stateChangedAt: string };
type Replication = { mirrors: { name: string }[]; fences: { mirror: string; volume: string; epoch: number; reason: string }[] };
const luOn = async (host: string, volume: string, fromH1 = false) => (await agentCall<AgentLu[]>(host, "/v1/lus", { fromH1 })).find((l) => l.volume === volume);
const checksums = async (host: string, volume: string, fromH1 = false) => (await agentCall<{ chunks: string[] }>(host, `/v1/volumes/${volume}/checksums`, { body: { chunkBytes: 4 * MiB }, fromH1 })).chunks;

/** A volume on h1 with an LU, data written by a client on h1, mirrored in sync mode to h2. */
async function mirroredVolume(volume: string, name: string, write: typeof qemuIo) {
  await api.volume.create.mutate({ host: "h1", name: volume, size: "64M" });
  const uri = (await api.lu.create.mutate({ volume: `h1/${volume}` })).uri!;
  expect(uri).toContain(net.host("h1").address);
  await write(uri, "write -P 0x11 0 8M");
  expect((await waitOp((await api.mirror.create.mutate({ name, source: `h1/${volume}`, target: `h2/${volume}`, createTarget: true, mode: "sync" })).operationId)).status).toBe("succeeded");
  await eventually(async () => (await mirror(name)).state === "in_sync", 15_000, "in sync");
  await write(uri, "write -P 0x12 8M 4M");
  return uri;
}

async function failOver(name: string, reason: string) {
  const fo = await waitOp((await api.mirror.failover.mutate({ name, reason, force: true })).operationId);
  console.log(`failover of ${name}, ms per step: ${fo.steps.map((x) => `${x.name} ${x.status} ${Date.parse(x.finishedAt!) - Date.parse(x.startedAt!)}${x.error ? ` (${x.error})` : ""}`).join(", ")}`);
  expect(fo.error).toBeNull();
  expect((await mirror(name)).state).toBe("failed_over");
  return fo.result as { uri: string; epoch: number; oldSourceReachable: boolean };
}

/** h1 and h2 talk again over the hosts link: h2's NBD server, seen from inside h1. */
async function hostsTalkAgain() {
  const h2 = agent("h2");
  await eventually(async () => (await net.exec("h1", "nbdinfo", ["--list", `nbd://${h2.host}:${h2.nbdPort}`], { timeout: 3_000 }), true), 15_000, "h1 reaches h2");
}

/** h1 cut off from h2 and from the console; the mirror's source keeps serving its local client. */
async function isolateH1(uri: string) {
  await net.cut("hosts");
  await net.cut("console-h1");
  await Promise.all([qemuIoOnH1(uri, "write -P 0x13 12M 4M", "flush"), eventually(async () => (await hostStatus("h1")) === "offline", 15_000, "h1 offline")]);
}

/** A client on h1 that keeps writing 1 MiB blocks; says when each accepted write was started. */
function localWriter(uri: string) {
  let writing = true;
  const accepted: number[] = [];
  const done = (async () => {
    for (let i = 0; writing; i++) {
      const started = Date.now();
      const ok = await qemuIoOnH1(uri, `write -P 0x${(0x50 + (i % 16)).toString(16)} ${28 * MiB + (i % 4) * MiB} 1M`).then(() => true, () => false);
      if (ok) accepted.push(started);
      else await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return { stop: async () => ((writing = false), await done, accepted) };
}

/** Waits for h1's LU of `volume` to be in Standby; returns when that happened, by h1's clock. */
async function fencedAt(volume: string, fromH1: boolean): Promise<number> {
  const lu = await eventually(async () => {
    const l = await luOn("h1", volume, fromH1).catch(() => undefined);
    return l?.state === "standby" ? l : undefined;
  }, 20_000, `h1/${volume} fenced`);
  return Date.parse(lu.stateChangedAt);
}

/**
 * The old source over a window after the links returned: it has no mirror job, its LU stays in
 * Standby, and a client write fails. A window is what "never" can be checked over; it spans
 * several of the agent's once-a-second link checks, which would resume a job if one were left.
 */
async function staysFenced(volume: string, mirrorName: string, uri: string, write: typeof qemuIo) {
  const until = Date.now() + 1_500;
  while (Date.now() < until) {
    const rep = await agentCall<Replication>("h1", "/v1/replication");
    expect(rep.mirrors.map((m) => m.name)).not.toContain(mirrorName);
    expect(rep.fences.map((f) => f.mirror)).toContain(mirrorName);
    expect((await luOn("h1", volume))?.state).toBe("standby");
    await new Promise((r) => setTimeout(r, 250));
  }
  await expect(write(uri, "write -P 0x99 0 1M")).rejects.toThrow();
}

/** Fails back (the old source gets only what differs), writes on the new source, verifies. */
async function failbackAndVerify(name: string, volume: string) {
  const fb = await waitOp((await api.mirror.failback.mutate({ name, safetySnapshot: true, reason: "the links are back" })).operationId);
  expect(fb.error).toBeNull();
  const r = fb.result as { divergentBytes: number; bytesCopied: number; verification: { equal: boolean } };
  expect(r.verification.equal).toBe(true);
  const m = await mirror(name);
  expect(m.source.ref).toBe(`h2/${volume}`);
  expect(m.state).toBe("in_sync");
  const uri = (await api.lu.list.query()).flatMap((l) => l.nodes).find((n) => n.host === "h2" && n.volume === volume && n.accessState === "active")?.uri;
  expect(uri).toBeTruthy();
  await qemuIo(uri!, "write -P 0x61 40M 8M", "flush");
  const v = await api.mirror.verify.mutate({ name });
  expect(v.differingRanges).toEqual([]);
  expect(v.equal).toBe(true);
  return r;
}

beforeAll(async () => {
  net = await TwoHostNet.create("h1", "h2");
  const placement = Object.fromEntries(net.hosts.map((h) => [h.name, { netns: h.netns, address: h.address }]));
  ({ stack, api } = await startPairedStack({ placement }));
}, 120_000);

// A failure is explained by what the console and the agents said.
afterEach(({ task }) => {
  if (stack && task.result?.state === "fail") console.log(`----- stack logs -----\n${stackLogTails(stack, 60)}`);
});

afterAll(async () => {
  if (stack) await stopStack(stack);
  await net?.destroy();
});

describe("partition between the hosts", () => {
  it("a) hosts link cut, console sees both → forced failover fences the old source; it takes no write after the link returns; failback; equal", { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[a ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
    const h1uri = await mirroredVolume("pa", "m-pa", qemuIo);
    mark("in sync; a client beside the console writes on h1");

    await net.cut("hosts");
    // Sync mode: a write waits for the target, until the agent sees the dead link and frees it.
    const w0 = Date.now();
    await qemuIo(h1uri, "write -P 0x13 12M 4M", "flush");
    mark(`hosts link cut; a write on h1 completed after ${Date.now() - w0} ms`);
    const broken = await eventually(async () => {
      const m = await mirror("m-pa");
      return m.state === "broken" ? m : undefined;
    }, 20_000, "mirror broken");
    expect(broken.stateReason).toMatch(/link lost/);
    expect(await hostStatus("h1")).toBe("online");
    expect(await hostStatus("h2")).toBe("online");
    await qemuIo(h1uri, "write -P 0x14 16M 4M", "flush");
    mark("mirror broken (link lost), both hosts online, h1 still takes writes");

    expect((await api.mirror.plan.query({ name: "m-pa", kind: "failover" })).ready).toBe(true);
    const fo = await failOver("m-pa", "hosts partitioned, moving service to h2");
    expect(fo.oldSourceReachable).toBe(true);
    mark("forced failover done");
    // Fenced: LU in Standby (client export gone), the fence recorded at the new epoch, no job.
    expect((await luOn("h1", "pa"))?.state).toBe("standby");
    const rep = await agentCall<Replication>("h1", "/v1/replication");
    expect(rep.fences).toContainEqual(expect.objectContaining({ mirror: "m-pa", volume: "pa", epoch: fo.epoch }));
    expect(rep.mirrors).toEqual([]);
    const h1exports = (await run("nbdinfo", ["--list", "--json", h1uri.slice(0, h1uri.lastIndexOf("/"))])).stdout;
    expect(h1exports).not.toContain(h1uri.slice(h1uri.lastIndexOf("/") + 1));
    await expect(qemuIo(h1uri, "write -P 0x98 0 1M")).rejects.toThrow();
    // The promoted side has what reached it before the cut, not what h1 took after; it takes writes.
    await qemuIo(fo.uri, "read -P 0x11 0 8M", "read -P 0x12 8M 4M", "read -P 0 12M 8M", "write -P 0x21 20M 8M");
    const h1AtFence = await checksums("h1", "pa");
    const h2Before = await checksums("h2", "pa");

    await net.heal("hosts");
    await hostsTalkAgain();
    mark("hosts link back");
    await staysFenced("pa", "m-pa", h1uri, qemuIo);
    expect(await checksums("h1", "pa")).toEqual(h1AtFence);
    // Nothing from h1 reached the promoted side: it is exactly as its clients left it.
    expect(await checksums("h2", "pa")).toEqual(h2Before);
    mark("old source unchanged and silent after the link returned");

    const r = await failbackAndVerify("m-pa", "pa");
    // What h1 took during the partition (two 4 MiB writes) never reached h2: replaced.
    expect(r.divergentBytes).toBeGreaterThanOrEqual(8 * MiB);
    mark(`failback: ${r.divergentBytes} divergent bytes replaced, ${r.bytesCopied} bytes copied; both sides equal`);
  });

  it("b) old source cut off from the console too → failover; the console fences it as soon as it reaches it again; failback; equal", { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[b ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
    const h1uri = await mirroredVolume("pb", "m-pb", qemuIoOnH1);
    await isolateH1(h1uri);
    mark("h1 isolated: offline for the console, still serving its local client");
    const fo = await failOver("m-pb", "h1 isolated, moving service to h2");
    expect(fo.oldSourceReachable).toBe(false);
    mark("failover done; h1 did not answer the demote");
    await qemuIo(fo.uri, "read -P 0x11 0 8M", "write -P 0x21 16M 4M");
    await qemuIoOnH1(h1uri, "write -P 0x14 20M 4M", "flush"); // h1 does not know yet

    // The console's link returns first; h1's local client keeps trying.
    const writer = localWriter(h1uri);
    const healedAt = Date.now();
    await net.heal("console-h1");
    const at = await fencedAt("pb", false);
    const accepted = await writer.stop();
    mark(`console fenced the old source ${at - healedAt} ms after its link returned; ${accepted.filter((t) => t > healedAt).length} local writes landed before`);
    // No write started after the fence was accepted.
    expect(accepted.filter((t) => t > at)).toEqual([]);
    expect(at - healedAt).toBeLessThan(10_000);
    expect((await api.mirror.get.query({ name: "m-pb" })).events.map((e) => e.kind)).toContain("mirror.old_source_fenced");
    const h1AtFence = await checksums("h1", "pb");

    await net.heal("hosts");
    await hostsTalkAgain();
    await staysFenced("pb", "m-pb", h1uri, qemuIoOnH1);
    expect(await checksums("h1", "pb")).toEqual(h1AtFence);
    mark("old source unchanged and silent after both links returned");

    const r = await failbackAndVerify("m-pb", "pb");
    expect(r.divergentBytes).toBeGreaterThanOrEqual(8 * MiB);
    mark(`failback: ${r.divergentBytes} divergent bytes replaced; both sides equal`);
  });

  it("c) as b, but the hosts link returns first → the old source holds itself on its peer's newer epoch; failback; equal", { timeout: 90_000 }, async () => {
    const t0 = Date.now();
    const mark = (what: string) => console.log(`[c ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
    const h1uri = await mirroredVolume("pc", "m-pc", qemuIoOnH1);
    await isolateH1(h1uri);
    const fo = await failOver("m-pc", "h1 isolated, moving service to h2");
    expect(fo.oldSourceReachable).toBe(false);
    mark("h1 isolated; failover done without it");
    await qemuIo(fo.uri, "write -P 0x21 16M 4M");

    // Only the hosts link returns: the console still cannot reach h1, its peer can.
    const writer = localWriter(h1uri);
    const healedAt = Date.now();
    await net.heal("hosts");
    const at = await fencedAt("pc", true);
    const accepted = await writer.stop();
    mark(`old source held itself ${at - healedAt} ms after the hosts link returned; ${accepted.filter((t) => t > healedAt).length} local writes landed before`);
    // No write started after the fence was accepted.
    expect(accepted.filter((t) => t > at)).toEqual([]);
    expect(at - healedAt).toBeLessThan(10_000);
    const rep = await agentCall<Replication>("h1", "/v1/replication", { fromH1: true });
    expect(rep.fences).toContainEqual(expect.objectContaining({ mirror: "m-pc", epoch: fo.epoch, reason: expect.stringMatching(/stale epoch/) }));
    const h1AtFence = await checksums("h1", "pc", true);

    await net.heal("console-h1");
    await eventually(async () => (await hostStatus("h1")) === "online", 15_000, "h1 online");
    await staysFenced("pc", "m-pc", h1uri, qemuIoOnH1);
    expect(await checksums("h1", "pc")).toEqual(h1AtFence);
    // The console found it fenced already: nothing to do, nothing said.
    expect((await api.mirror.get.query({ name: "m-pc" })).events.map((e) => e.kind)).not.toContain("mirror.old_source_fenced");
    mark("old source unchanged and silent after both links returned");

    const r = await failbackAndVerify("m-pc", "pc");
    expect(r.divergentBytes).toBeGreaterThanOrEqual(4 * MiB);
    mark(`failback: ${r.divergentBytes} divergent bytes replaced; both sides equal`);
  });
});
