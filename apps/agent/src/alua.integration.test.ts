// Two real agents configured as an ALUA pair (COMSTAR semantics): standby, import, and the
// peer being told to release its copy.
import { agentError } from "@tandem/contracts/agent";
import { aluaConfig, lu, luTransition, type Lu, type LuTransition } from "@tandem/contracts/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { agentApi, type AgentApi } from "./testing/agent-api";
import { openEventStream, type EventStream } from "./testing/event-stream";
import { freePort } from "./testing/free-port";
import { holdsPattern, nbdSize, qemuIo, writePattern } from "./testing/nbd-client";
import { spawnAgent, type SpawnedAgent } from "./testing/spawn-agent";

let a: SpawnedAgent;
let b: SpawnedAgent;
let apiA: AgentApi;
let apiB: AgentApi;
let eventsA: EventStream;

const pairWith = (peer: SpawnedAgent, nodeId: 0 | 1, overrides: Record<string, unknown> = {}) => ({
  enabled: true,
  nodeId,
  peer: { name: peer.name, url: peer.url, token: peer.token, ...overrides },
});

beforeAll(async () => {
  [a, b] = await Promise.all([spawnAgent({ name: "host-a" }), spawnAgent({ name: "host-b" })]);
  apiA = agentApi(a);
  apiB = agentApi(b);
  eventsA = await openEventStream(a.url, a.token);
  expect((await apiA("PUT", "/v1/alua", pairWith(b, 0))).status).toBe(200);
  expect((await apiB("PUT", "/v1/alua", pairWith(a, 1))).status).toBe(200);
});
afterAll(async () => {
  eventsA?.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

async function luOn(api: AgentApi, volume: string, body: Record<string, unknown>): Promise<Lu> {
  expect((await api("POST", "/v1/volumes", { name: volume, size: "32M" })).status).toBe(201);
  const r = await api("POST", "/v1/lus", { volume, ...body });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return lu.parse(r.json);
}

async function transitions(api: AgentApi, guid: string): Promise<LuTransition[]> {
  return z.array(luTransition).parse((await api("GET", `/v1/lus/${guid}/transitions`)).json);
}

const path = (t: LuTransition[]) => t.map((x) => `${x.from}>${x.to}`);

async function stateOf(api: AgentApi, guid: string): Promise<Lu> {
  return lu.parse((await api("GET", `/v1/lus/${guid}`)).json);
}

describe("ALUA pair", () => {
  it("stores the peer's token but never returns it", async () => {
    const r = await apiA("GET", "/v1/alua");
    expect(aluaConfig.parse(r.json)).toEqual({ enabled: true, nodeId: 0, peer: { name: "host-b", url: b.url } });
    expect(JSON.stringify(r.json)).not.toContain(b.token);
    const changed = await eventsA.waitFor((e) => e.type === "alua.changed");
    expect(JSON.stringify(changed.data)).not.toContain(b.token);
    expect(a.output().stderr).not.toContain(b.token);
  });

  it("standby releases the export (clients cannot connect); import brings it back", async () => {
    const l = await luOn(apiA, "solo", { state: "active" });
    const uri = l.uri!;
    await writePattern(uri, 0x5a, "0", "1M");

    const standby = await apiA("POST", `/v1/lus/${l.guid}/standby`, { reason: "maintenance" });
    expect(standby.status).toBe(200);
    expect(lu.parse(standby.json)).toMatchObject({ state: "standby", stateCode: 2, uri: null });
    const refused = await qemuIo(uri, "read 0 4k");
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/export '[0-9a-f]{32}' not present/);
    expect((await nbdSize(uri)).out).toMatch(/no export named/);

    expect((await apiA("POST", `/v1/lus/${l.guid}/standby`)).status).toBe(200); // idempotent
    // The peer has no LU with this GUID (404 there): nothing to release, the import goes on.
    const imported = await apiA("POST", `/v1/lus/${l.guid}/import`);
    expect(imported.status, JSON.stringify(imported.json)).toBe(200);
    expect(lu.parse(imported.json)).toMatchObject({ state: "active", uri });
    expect(await holdsPattern(uri, 0x5a, "0", "1M")).toBe(true);

    const recorded = await transitions(apiA, l.guid);
    expect(path(recorded)).toEqual([
      "active>transition_to_standby",
      "transition_to_standby>standby",
      "standby>transition_to_active",
      "transition_to_active>active",
    ]);
    expect(recorded[0]!.reason).toBe("maintenance");
    const event = await eventsA.waitFor((e) => e.type === "lu.state" && e.data.guid === l.guid && e.data.to === "standby");
    expect(event.data).toMatchObject({ from: "transition_to_standby", reason: "maintenance: client export removed" });
  });

  it("import on one host moves the peer's copy to Standby, and both record it", async () => {
    const guid = `6${"ab".repeat(15)}c`;
    const onA = await luOn(apiA, "pair-a", { guid, state: "active" });
    expect((await luOn(apiB, "pair-b", { guid, state: "standby" })).uri).toBeNull();
    const uriA = onA.uri!;
    const uriB = `nbd://127.0.0.1:${b.nbdPort}/${guid}`;
    await writePattern(uriA, 0x61, "0", "1M");

    const imported = await apiB("POST", `/v1/lus/${guid}/import`);
    expect(imported.status, JSON.stringify(imported.json)).toBe(200);
    expect(lu.parse(imported.json)).toMatchObject({ state: "active", uri: uriB });
    expect(await stateOf(apiA, guid)).toMatchObject({ state: "standby", uri: null });
    expect((await qemuIo(uriA, "read 0 4k")).code).not.toBe(0);
    await writePattern(uriB, 0x62, "0", "1M");
    expect(await holdsPattern(uriB, 0x62, "0", "1M")).toBe(true);

    const onPeer = await transitions(apiA, guid);
    expect(path(onPeer)).toEqual(["active>transition_to_standby", "transition_to_standby>standby"]);
    expect(onPeer[0]!.reason).toBe("host-b (ALUA node 1) imports the LU");
    expect(path(await transitions(apiB, guid))).toEqual(["standby>transition_to_active", "transition_to_active>active"]);

    // And back: the same GUID, the roles swap again.
    expect((await apiA("POST", `/v1/lus/${guid}/import`)).status).toBe(200);
    expect((await stateOf(apiA, guid)).state).toBe("active");
    expect((await stateOf(apiB, guid)).state).toBe("standby");
    expect(await holdsPattern(uriA, 0x61, "0", "1M")).toBe(true);
    expect((await nbdSize(uriB)).size).toBeNull();
  });

  it("an unreachable peer sends the LU back to Standby with 503; force makes it Active", async () => {
    const l = await luOn(apiA, "lonely", { state: "standby" });
    const closed = await freePort();
    expect((await apiA("PUT", "/v1/alua", pairWith(b, 0, { url: `http://127.0.0.1:${closed}` }))).status).toBe(200);
    try {
      const refused = await apiA("POST", `/v1/lus/${l.guid}/import`);
      expect(refused.status).toBe(503);
      const error = agentError.parse(refused.json).error;
      expect(error.code).toBe("peer_unreachable");
      expect(error.message).toMatch(/^peer host-b is unreachable \(ECONNREFUSED\); LU 6[0-9a-f]+ stays in standby/);
      expect(await stateOf(apiA, l.guid)).toMatchObject({ state: "standby", uri: null });
      const back = await transitions(apiA, l.guid);
      expect(path(back)).toEqual(["standby>transition_to_active", "transition_to_active>standby"]);
      expect(back[1]!.reason).toMatch(/^import cancelled: peer host-b is unreachable/);

      const forced = await apiA("POST", `/v1/lus/${l.guid}/import`, { force: true });
      expect(forced.status).toBe(200);
      expect(lu.parse(forced.json).state).toBe("active");
      expect((await transitions(apiA, l.guid)).at(-1)!.reason).toMatch(/forced although peer host-b is unreachable/);
      expect((await nbdSize(lu.parse(forced.json).uri!)).size).toBe(32 * 2 ** 20);
    } finally {
      await apiA("PUT", "/v1/alua", pairWith(b, 0));
    }
  });

  it("a peer that refuses (wrong token) stops the import with 409", async () => {
    const l = await luOn(apiA, "refused", { state: "standby" });
    expect((await apiA("PUT", "/v1/alua", pairWith(b, 0, { token: "not-the-token-of-b-0123" }))).status).toBe(200);
    try {
      const refused = await apiA("POST", `/v1/lus/${l.guid}/import`);
      expect(refused.status).toBe(409);
      expect(agentError.parse(refused.json).error).toMatchObject({ code: "peer_refused", message: expect.stringMatching(/refused our token/) });
      expect((await stateOf(apiA, l.guid)).state).toBe("standby");
    } finally {
      await apiA("PUT", "/v1/alua", pairWith(b, 0));
    }
  });
});
