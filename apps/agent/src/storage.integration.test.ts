// Volumes, snapshots and LUs on a real agent and QSD, with real NBD clients reading and writing.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { agentError } from "@tandem/contracts/agent";
import { lu, poolDetail, snapshot, volume, type Lu, type PoolDetail, type Volume } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { agentApi, type AgentApi } from "./testing/agent-api";
import { openEventStream, type EventStream } from "./testing/event-stream";
import { holdsPattern, nbdSize, qemuIo, writePattern } from "./testing/nbd-client";
import { rawRequest } from "./testing/raw-get";
import { spawnAgent, type SpawnedAgent } from "./testing/spawn-agent";

const MiB = 2 ** 20;

let agent: SpawnedAgent;
let api: AgentApi;
let events: EventStream;
let poolDir: string;

beforeAll(async () => {
  agent = await spawnAgent({ name: "host-s" });
  api = agentApi(agent);
  events = await openEventStream(agent.url, agent.token);
  poolDir = path.join(agent.dataDir, "pools", "default");
});
afterAll(async () => {
  events?.close();
  await agent?.stop();
});

function expectError(answer: { status: number; json: unknown }, status: number, code: string): string {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  const body = agentError.parse(answer.json);
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toMatch(/\bat \S+:\d+/);
  return body.error.message;
}

async function createVolume(name: string, size: string | number): Promise<Volume> {
  const r = await api("POST", "/v1/volumes", { name, size });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return volume.parse(r.json);
}

async function createLu(body: Record<string, unknown>): Promise<Lu> {
  const r = await api("POST", "/v1/lus", body);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return lu.parse(r.json);
}

async function defaultPool(): Promise<PoolDetail> {
  return poolDetail.parse((await api("GET", "/v1/pools/default")).json);
}

describe("volumes and LUs", () => {
  it("creates a thin volume, exports it as an LU, and a client reads back what it wrote", async () => {
    const before = await defaultPool();
    const v = await createVolume("data-1", "64M");
    expect(v).toMatchObject({ name: "data-1", pool: "default", sizeBytes: 64 * MiB, format: "qcow2", usedBy: [] });
    expect(v.allocatedBytes).toBeGreaterThan(0);
    expect(v.allocatedBytes).toBeLessThan(2 * MiB); // thin
    expect((await defaultPool()).provisionedBytes).toBe(before.provisionedBytes + 64 * MiB);

    const created = await createLu({ volume: "data-1", alias: "first disk" });
    expect(created).toMatchObject({ alias: "first disk", volume: "data-1", state: "active", stateCode: 0 });
    expect(created.guid).toMatch(/^6[0-9a-f]{31}$/);
    expect(created.uri).toBe(`nbd://127.0.0.1:${agent.nbdPort}/${created.guid}`);

    await writePattern(created.uri!, 0xab, "0", "1M");
    expect(await holdsPattern(created.uri!, 0xab, "0", "1M")).toBe(true);
    expect(await holdsPattern(created.uri!, 0xcd, "0", "1M")).toBe(false);
    expect((await nbdSize(created.uri!)).size).toBe(64 * MiB);

    const listed = z.array(volume).parse((await api("GET", "/v1/volumes")).json);
    expect(listed.find((x) => x.name === "data-1")?.usedBy).toEqual([{ kind: "lu", id: created.guid }]);
    expect(lu.parse((await api("GET", `/v1/lus/${created.guid.toUpperCase()}`)).json).guid).toBe(created.guid);
    await events.waitFor((e) => e.type === "volume.created" && e.data.name === "data-1");
    await events.waitFor((e) => e.type === "lu.created" && e.data.guid === created.guid);
  });

  it("snapshot, overwrite, revert: the original data is back; a clone holds the snapshot's data", async () => {
    await createVolume("data-2", "64M");
    const l = await createLu({ volume: "data-2" });
    await writePattern(l.uri!, 0x11, "0", "1M");
    const snap = await api("POST", "/v1/volumes/data-2/snapshots", { name: "before" });
    expect(snap.status).toBe(201);
    expect(snapshot.parse(snap.json)).toMatchObject({ name: "before", volume: "data-2", sizeBytes: 64 * MiB });
    expectError(await api("POST", "/v1/volumes/data-2/snapshots", { name: "before" }), 409, "exists");

    await writePattern(l.uri!, 0x22, "0", "1M");
    expect(await holdsPattern(l.uri!, 0x22, "0", "1M")).toBe(true);
    const reverted = await api("POST", "/v1/volumes/data-2/snapshots/before/revert");
    expect(reverted.status, JSON.stringify(reverted.json)).toBe(200);
    expect(await holdsPattern(l.uri!, 0x11, "0", "1M")).toBe(true); // a new connection, same URI

    const clone = await api("POST", "/v1/volumes/data-2/snapshots/before/clone", { name: "data-2-copy" });
    expect(clone.status, JSON.stringify(clone.json)).toBe(201);
    expect(volume.parse(clone.json)).toMatchObject({ name: "data-2-copy", pool: "default", sizeBytes: 64 * MiB, usedBy: [] });
    await writePattern(l.uri!, 0x33, "0", "1M"); // the source moves on; the clone must not
    const cloneLu = await createLu({ volume: "data-2-copy", state: "active" });
    expect(await holdsPattern(cloneLu.uri!, 0x11, "0", "1M")).toBe(true);

    expect(z.array(snapshot).parse((await api("GET", "/v1/volumes/data-2/snapshots")).json).map((s) => s.name)).toEqual(["before"]);
    expect((await api("DELETE", "/v1/volumes/data-2/snapshots/before")).status).toBe(204);
    expect((await api("GET", "/v1/volumes/data-2/snapshots")).json).toEqual([]);
    expectError(await api("POST", "/v1/volumes/data-2/snapshots/before/revert"), 404, "not_found");
    for (const type of ["snapshot.created", "snapshot.reverted", "snapshot.deleted"]) {
      await events.waitFor((e) => e.type === type && e.data.volume === "data-2");
    }
    await events.waitFor((e) => e.type === "volume.created" && e.data.name === "data-2-copy");
  });

  it("grows a volume online: clients see the new size and the export keeps working", async () => {
    await createVolume("data-3", "32M");
    const l = await createLu({ volume: "data-3" });
    await writePattern(l.uri!, 0x44, "0", "1M");
    const grown = await api("POST", "/v1/volumes/data-3/resize", { size: "96M" });
    expect(grown.status, JSON.stringify(grown.json)).toBe(200);
    expect(volume.parse(grown.json).sizeBytes).toBe(96 * MiB);
    expect((await nbdSize(l.uri!)).size).toBe(96 * MiB);
    await writePattern(l.uri!, 0x55, "90M", "1M"); // beyond the old end
    expect(await holdsPattern(l.uri!, 0x55, "90M", "1M")).toBe(true);
    expect(await holdsPattern(l.uri!, 0x44, "0", "1M")).toBe(true);

    expect((await api("POST", "/v1/volumes/data-3/resize", { size: "96M" })).status).toBe(200); // same size: no-op
    expectError(await api("POST", "/v1/volumes/data-3/resize", { size: "32M" }), 409, "shrink_refused");
    await events.waitFor((e) => e.type === "volume.resized" && e.data.name === "data-3" && e.data.toBytes === 96 * MiB);
  });

  it("refuses to delete a volume an LU uses, naming the LU; deletes it once the LU is gone", async () => {
    await createVolume("data-4", "16M");
    const l = await createLu({ volume: "data-4", alias: "db" });
    const message = expectError(await api("DELETE", "/v1/volumes/data-4"), 409, "in_use");
    expect(message).toContain(l.guid);
    expectError(await api("POST", "/v1/lus", { volume: "data-4" }), 409, "in_use");
    expectError(await api("POST", "/v1/lus", { volume: "data-1", guid: l.guid }), 409, "in_use");

    expect((await api("DELETE", `/v1/lus/${l.guid}`)).status).toBe(204);
    const gone = await qemuIo(l.uri!, "read 0 4k");
    expect(gone.code).not.toBe(0);
    expect(gone.out).toMatch(/export '[0-9a-f]+' not present|Requested export not available/);
    expect((await api("DELETE", "/v1/volumes/data-4")).status).toBe(204);
    expect(existsSync(path.join(poolDir, "data-4.qcow2"))).toBe(false);
    expectError(await api("GET", "/v1/volumes/data-4"), 404, "not_found");
    await events.waitFor((e) => e.type === "lu.deleted" && e.data.guid === l.guid);
    await events.waitFor((e) => e.type === "volume.deleted" && e.data.name === "data-4");
  });

  it("a GUID given by the client is kept (lower case) and must be unique; a standby LU has no export", async () => {
    await createVolume("data-5", "16M");
    const guid = "6ABCDEF0123456789ABCDEF012345678";
    const l = await createLu({ volume: "data-5", guid, state: "standby" });
    expect(l).toMatchObject({ guid: guid.toLowerCase(), state: "standby", stateCode: 2, uri: null });
    const refused = await nbdSize(`nbd://127.0.0.1:${agent.nbdPort}/${l.guid}`);
    expect(refused.size).toBeNull();
    expect(refused.out).toMatch(/no export named/);
    await createVolume("data-6", "16M");
    expectError(await api("POST", "/v1/lus", { volume: "data-6", guid }), 409, "exists");
  });

  it("refuses standby and import while ALUA is disabled", async () => {
    const [first] = z.array(lu).parse((await api("GET", "/v1/lus")).json);
    expect(expectError(await api("POST", `/v1/lus/${first!.guid}/standby`), 409, "alua_disabled")).toBe("ALUA is disabled on this host");
    expectError(await api("POST", `/v1/lus/${first!.guid}/import`, { force: true }), 409, "alua_disabled");
    expect(lu.parse((await api("GET", `/v1/lus/${first!.guid}`)).json).state).toBe("active");
  });
});

describe("bad input is refused with a clear 4xx and changes nothing", () => {
  const auth = () => ({ authorization: `Bearer ${agent.token}`, "content-type": "application/json" });

  async function snapshotOfHost() {
    const volumes = z.array(volume).parse((await api("GET", "/v1/volumes")).json);
    return {
      volumes: volumes.map((v) => ({ name: v.name, size: v.sizeBytes, usedBy: v.usedBy })),
      lus: (await api("GET", "/v1/lus")).json,
      provisioned: (await defaultPool()).provisionedBytes,
      files: readdirSync(poolDir).sort(),
      alua: (await api("GET", "/v1/alua")).json,
    };
  }

  let overLimit = 0;
  beforeAll(async () => {
    await createVolume("victim", "16M");
    await api("POST", "/v1/volumes/victim/snapshots", { name: "s1" });
    const pool = await defaultPool();
    overLimit = Math.ceil((pool.availableToProvisionBytes + 1) / 512) * 512;
  });

  const cases: [string, string, string, () => unknown, number, string, RegExp?][] = [
    ["upper-case name", "POST", "/v1/volumes", () => ({ name: "Bad", size: "1G" }), 400, "bad_request", /name: must be 1-63/],
    ["../x as a name", "POST", "/v1/volumes", () => ({ name: "../x", size: "1G" }), 400, "bad_request", /name: must/],
    ["an absolute path as a name", "POST", "/v1/volumes", () => ({ name: "/etc/passwd", size: "1G" }), 400, "bad_request"],
    ["a 100-character name", "POST", "/v1/volumes", () => ({ name: "a".repeat(100), size: "1G" }), 400, "bad_request"],
    ["size 10X", "POST", "/v1/volumes", () => ({ name: "x1", size: "10X" }), 400, "bad_request", /"10X" is not a size/],
    ["size -1G", "POST", "/v1/volumes", () => ({ name: "x1", size: "-1G" }), 400, "bad_request", /not a size/],
    ["size 0", "POST", "/v1/volumes", () => ({ name: "x1", size: "0" }), 400, "bad_request", /greater than 0/],
    ["size 1.5 (bytes)", "POST", "/v1/volumes", () => ({ name: "x1", size: "1.5" }), 400, "bad_request", /multiple of 512/],
    ["size as the number 1.5", "POST", "/v1/volumes", () => ({ name: "x1", size: 1.5 }), 400, "bad_request"],
    ["size over 1P", "POST", "/v1/volumes", () => ({ name: "x1", size: "2P" }), 400, "bad_request", /over the 1P limit/],
    ["no size", "POST", "/v1/volumes", () => ({ name: "x1" }), 400, "bad_request", /size/],
    ["an unknown field", "POST", "/v1/volumes", () => ({ name: "x1", size: "1G", thick: true }), 400, "bad_request", /thick/],
    ["more than the pool may provision", "POST", "/v1/volumes", () => ({ name: "x1", size: overLimit }), 409, "overcommit", /^pool default: .* provisioned \+ .* asked > 2\.0 × /],
    ["an unknown pool", "POST", "/v1/volumes", () => ({ name: "x1", size: "1G", pool: "nope" }), 404, "not_found", /no pool named nope/],
    ["a pool name with ..", "POST", "/v1/volumes", () => ({ name: "x1", size: "1G", pool: "../.." }), 400, "bad_request"],
    ["a duplicate volume", "POST", "/v1/volumes", () => ({ name: "victim", size: "1G" }), 409, "exists"],
    ["growing past the limit", "POST", "/v1/volumes/victim/resize", () => ({ size: overLimit + 16 * MiB }), 409, "overcommit", /provisioned \+ .* asked >/],
    ["resize to 0", "POST", "/v1/volumes/victim/resize", () => ({ size: 0 }), 400, "bad_request"],
    ["resize of an unknown volume", "POST", "/v1/volumes/nope/resize", () => ({ size: "1G" }), 404, "not_found"],
    ["%2e%2e as a volume", "POST", "/v1/volumes/%2e%2e/snapshots", () => ({ name: "s" }), 400, "bad_request", /volume name/],
    ["a slash inside a volume", "DELETE", "/v1/volumes/a%2Fb", () => undefined, 400, "bad_request"],
    ["a bad snapshot name", "POST", "/v1/volumes/victim/snapshots", () => ({ name: "../s" }), 400, "bad_request"],
    ["a duplicate snapshot", "POST", "/v1/volumes/victim/snapshots", () => ({ name: "s1" }), 409, "exists"],
    ["clone onto an existing name", "POST", "/v1/volumes/victim/snapshots/s1/clone", () => ({ name: "victim" }), 409, "exists"],
    ["clone with a bad name", "POST", "/v1/volumes/victim/snapshots/s1/clone", () => ({ name: "/tmp/x" }), 400, "bad_request"],
    ["clone of an unknown snapshot", "POST", "/v1/volumes/victim/snapshots/nope/clone", () => ({ name: "x2" }), 404, "not_found"],
    ["clone into an unknown pool", "POST", "/v1/volumes/victim/snapshots/s1/clone", () => ({ name: "x2", pool: "nope" }), 404, "not_found"],
    ["revert with a body field", "POST", "/v1/volumes/victim/snapshots/s1/revert", () => ({ now: true }), 400, "bad_request"],
    ["an LU on an unknown volume", "POST", "/v1/lus", () => ({ volume: "nope" }), 404, "not_found"],
    ["a GUID that is not NAA-6", "POST", "/v1/lus", () => ({ volume: "victim", guid: "7".repeat(32) }), 400, "bad_request", /NAA-6/],
    ["a short GUID", "POST", "/v1/lus", () => ({ volume: "victim", guid: "6abc" }), 400, "bad_request"],
    ["a bad state", "POST", "/v1/lus", () => ({ volume: "victim", state: "transition_to_active" }), 400, "bad_request"],
    ["an alias with control characters", "POST", "/v1/lus", () => ({ volume: "victim", alias: "a\u0000b" }), 400, "bad_request"],
    ["a malformed GUID in the path", "GET", "/v1/lus/6zz", () => undefined, 400, "bad_request", /GUID/],
    ["an unknown GUID", "GET", `/v1/lus/6${"0".repeat(31)}`, () => undefined, 404, "not_found"],
    ["standby of an unknown GUID", "POST", `/v1/lus/6${"0".repeat(31)}/standby`, () => ({}), 404, "not_found"],
    ["import of an unknown GUID", "POST", `/v1/lus/6${"0".repeat(31)}/import`, () => ({}), 404, "not_found"],
    ["deleting an unknown LU", "DELETE", `/v1/lus/6${"0".repeat(31)}`, () => undefined, 404, "not_found"],
    ["ALUA node id 2", "PUT", "/v1/alua", () => ({ enabled: true, nodeId: 2, peer: null }), 400, "bad_request"],
    ["an ALUA peer without token", "PUT", "/v1/alua", () => ({ enabled: true, nodeId: 0, peer: { name: "b", url: "http://127.0.0.1:1" } }), 400, "bad_request", /token/],
    ["an ALUA peer with a short token", "PUT", "/v1/alua", () => ({ enabled: true, nodeId: 0, peer: { name: "b", url: "http://127.0.0.1:1", token: "short" } }), 400, "bad_request"],
    ["an ALUA peer URL that is not http", "PUT", "/v1/alua", () => ({ enabled: true, nodeId: 0, peer: { name: "b", url: "file:///etc/passwd", token: "x".repeat(20) } }), 400, "bad_request"],
    ["a peer probe of a port out of range", "POST", "/v1/peer/probe", () => ({ nbd: { host: "127.0.0.1", port: 70000 } }), 400, "bad_request"],
    ["a peer probe of a host with a path", "POST", "/v1/peer/probe", () => ({ nbd: { host: "a/b", port: 10809 } }), 400, "bad_request", /host name or an IP/],
    ["a peer probe with an unknown field", "POST", "/v1/peer/probe", () => ({ url: "http://x" }), 400, "bad_request"],
    ["an unknown route", "POST", "/v1/volumes/victim/grow", () => ({}), 404, "not_found"],
    ["a wrong method", "PUT", "/v1/volumes/victim", () => ({}), 405, "method_not_allowed"],
  ];

  it.each(cases)("refuses %s", async (_, method, target, body, status, code, message) => {
    const before = await snapshotOfHost();
    const payload = body();
    const r = await rawRequest(agent.url, method, target, auth(), payload === undefined ? undefined : JSON.stringify(payload));
    const text = expectError(r, status, code);
    if (message) expect(text).toMatch(message);
    expect(await snapshotOfHost()).toEqual(before);
  });

  it("refuses a missing or wrong token on storage routes, before looking at anything", async () => {
    const before = await snapshotOfHost();
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token-0123456789" }];
    for (const headers of attempts) {
      const r = await rawRequest(agent.url, "POST", "/v1/volumes", { ...headers, "content-type": "application/json" }, JSON.stringify({ name: "x3", size: "1M" }));
      expectError(r, 401, "unauthorized");
      expectError(await rawRequest(agent.url, "DELETE", "/v1/volumes/victim", headers), 401, "unauthorized");
    }
    expect(await snapshotOfHost()).toEqual(before);
  });

  it("refuses bodies that are too large, not JSON, or not sent as JSON", async () => {
    const before = await snapshotOfHost();
    expectError(await rawRequest(agent.url, "POST", "/v1/volumes", auth(), JSON.stringify({ name: "x4", size: "1M", pad: "p".repeat(70_000) })), 413, "too_large");
    expect(expectError(await rawRequest(agent.url, "POST", "/v1/volumes", auth(), "{name:"), 400, "bad_request")).toBe("body: not valid JSON");
    expectError(await rawRequest(agent.url, "POST", "/v1/volumes", { ...auth(), "content-type": "text/plain" }, "{}"), 415, "unsupported_media_type");
    expectError(await rawRequest(agent.url, "POST", "/v1/volumes", auth(), "[1,2]"), 400, "bad_request");
    expect(await snapshotOfHost()).toEqual(before);
  });
});
