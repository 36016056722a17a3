// Volumes, snapshots, LUs and ALUA through the console's API, on real agents, real QSDs and
// real NBD clients.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCClientError } from "@trpc/client";
import { startStack, stopStack, type StackState } from "../../../e2e/support/stack";
import { adminClient, eventually } from "@/server/testing/api-client";

let stack: StackState;
let api: Awaited<ReturnType<typeof adminClient>>["api"];

function qemuIo(uri: string, cmd: string) {
  return execFileSync("qemu-io", ["-f", "raw", "-c", cmd, uri], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) return { code: (e.data as { code: string }).code, message: e.message };
    throw e;
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  stack = await startStack();
  ({ api } = await adminClient(stack.consoleUrl, stack.adminPassword));
  // The pair's ALUA settings reach both agents at start.
  await eventually(async () => {
    const [pair] = await api.alua.get.query();
    return pair?.hosts.every((h) => h.agent?.enabled && h.agent.nodeId === h.nodeId);
  }, 20_000, "ALUA settings on both agents");
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("storage through the console", () => {
  it("creates a thin volume, exports it, and a real client's data round-trips", async () => {
    const v = await api.volume.create.mutate({ host: "h1", name: "vol-a", size: "64M" });
    expect(v.sizeBytes).toBe(64 * 2 ** 20);
    const lu = await api.lu.create.mutate({ volume: "h1/vol-a", alias: "db data" });
    expect(lu.guid).toMatch(/^6[0-9a-f]{31}$/);
    expect(lu.uri).toMatch(/^nbd:\/\/127\.0\.0\.1:\d+\/6[0-9a-f]{31}$/);
    expect(lu.stateCode).toBe(0);
    qemuIo(lu.uri!, "write -P 0x5a 0 1M");
    expect(qemuIo(lu.uri!, "read -P 0x5a 0 1M")).toMatch(/read 1048576\/1048576 bytes/);

    const list = await api.lu.list.query();
    expect(list.find((l) => l.guid === lu.guid)?.nodes[0]).toMatchObject({ host: "h1", accessState: "active", stateCode: 0 });
  });

  it("snapshot, overwrite, revert brings the data back; a clone holds the snapshot's data", async () => {
    const [lu] = (await api.lu.list.query()).filter((l) => l.alias === "db data");
    const uri = lu!.nodes[0]!.uri!;
    await api.snapshot.create.mutate({ volume: "h1/vol-a", snapshot: "before" });
    qemuIo(uri, "write -P 0x33 0 1M");
    await api.snapshot.revert.mutate({ volume: "h1/vol-a", snapshot: "before" });
    expect(qemuIo(uri, "read -P 0x5a 0 1M")).toMatch(/read 1048576/);

    await api.snapshot.clone.mutate({ volume: "h1/vol-a", snapshot: "before", target: "vol-a-copy" });
    const copy = await api.lu.create.mutate({ volume: "h1/vol-a-copy" });
    expect(qemuIo(copy.uri!, "read -P 0x5a 0 1M")).toMatch(/read 1048576/);
    const detail = await api.volume.get.query({ volume: "h1/vol-a" });
    expect(detail.snapshots.map((s) => s.name)).toEqual(["before"]);
  });

  it("refuses bad input with clear 4xx errors and changes nothing", async () => {
    const before = (await api.volume.list.query()).length;
    const cases = [
      api.volume.create.mutate({ host: "h1", name: "../x", size: "1G" }),
      api.volume.create.mutate({ host: "h1", name: "/etc/passwd", size: "1G" }),
      api.volume.create.mutate({ host: "h1", name: "a".repeat(100), size: "1G" }),
      api.volume.create.mutate({ host: "h1", name: "ok", size: "10X" }),
      api.volume.create.mutate({ host: "h1", name: "ok", size: "-1G" }),
      api.volume.create.mutate({ host: "h1", name: "ok", size: "900T" }),
      api.volume.create.mutate({ host: "nohost", name: "ok", size: "1G" }),
      api.lu.standby.mutate({ guid: "6" + "0".repeat(31) }),
      api.lu.standby.mutate({ guid: "not-a-guid" }),
      api.volume.delete.mutate({ volume: "h1/vol-a" }),
    ];
    const results = [];
    for (const c of cases) results.push(await refusal(c));
    expect(results.map((r) => r.code)).toEqual(["BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "CONFLICT", "NOT_FOUND", "NOT_FOUND", "BAD_REQUEST", "CONFLICT"]);
    expect(results[3]!.message).toMatch(/not a size/);
    expect(results[5]!.message).toMatch(/provisioned|over-commit|overcommit/i);
    expect(results[9]!.message).toMatch(/in use by LU/);
    expect((await api.volume.list.query()).length).toBe(before);
  });

  it("import on one host moves the peer's copy of the same GUID to Standby, both recorded", async () => {
    await api.volume.create.mutate({ host: "h1", name: "vol-m", size: "32M" });
    await api.volume.create.mutate({ host: "h2", name: "vol-m", size: "32M" });
    const a = await api.lu.create.mutate({ volume: "h1/vol-m", alias: "mirrored" });
    await api.lu.create.mutate({ volume: "h2/vol-m", guid: a.guid, state: "standby" });
    const imported = await api.lu.import.mutate({ guid: a.guid, host: "h2" });
    expect(imported).toMatchObject({ state: "active", stateCode: 0 });
    const nodes = await eventually(async () => {
      const l = (await api.lu.list.query()).find((x) => x.guid === a.guid)!;
      return l.nodes.find((n) => n.host === "h1")?.accessState === "standby" ? l.nodes : undefined;
    }, 10_000, "h1 standby");
    expect(nodes.map((n) => `${n.host}:${n.stateCode}`)).toEqual(["h1:2", "h2:0"]);
    // h1's copy no longer serves clients.
    expect(() => qemuIo(a.uri!, "read 0 4k")).toThrow();
    const history = await api.lu.history.query({ guid: a.guid });
    expect(history.map((h) => h.message).join("\n")).toMatch(/h1: active → standby/);
    expect(history.map((h) => h.message).join("\n")).toMatch(/h2: standby → active/);
  });

  it("shows a volume made behind Tandem's back as drift", async () => {
    const h2 = stack.agents.find((a) => a.name === "h2")!;
    const r = await fetch(`${h2.url}/v1/volumes`, {
      method: "POST",
      headers: { authorization: `Bearer ${h2.token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "stray", size: 1048576 }),
    });
    expect(r.status).toBe(201);
    const drift = await eventually(async () => (await api.operation.drift.query()).find((d) => d.name === "stray"), 15_000, "drift");
    expect(drift).toMatchObject({ host: "h2", kind: "volume", problem: "on h2 but not in Tandem's database" });
  });
});
