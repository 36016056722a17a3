import type { AddressInfo } from "node:net";
import type http from "node:http";
import { agentError, agentHealth } from "@tandem/contracts/agent";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpQueue } from "../engine/op-queue";
import { httpPeerClient } from "../engine/peer-client";
import { QsdAccess } from "../engine/qsd-access";
import type { QsdInfo } from "../engine/qsd-supervisor";
import { RebuildTracker } from "../engine/rebuild-tracker";
import type { StorageContext } from "../engine/storage-context";
import { emptyState } from "../state/state-schema";
import { StateStore } from "../state/state-store";
import { EventLog } from "../events/event-log";
import { MirrorRuntime } from "../engine/mirror-runtime";
import { VolumeBusy } from "../engine/volume-busy";
import { silentLogger } from "../log";
import { openEventStream } from "../testing/event-stream";
import { rawGet } from "../testing/raw-get";
import type { ApiDeps } from "./api-deps";
import { createApiServer } from "./api-server";

const TOKEN = "test-token-0123456789";
const auth = { authorization: `Bearer ${TOKEN}` };

let server: http.Server;
let url: string;
let events: EventLog;
let qsd: { info: QsdInfo; problem: string | null };
let brokenPool: boolean;

beforeEach(async () => {
  events = new EventLog(5);
  brokenPool = false;
  qsd = {
    info: { running: true, pid: 42, version: "7.2.22", restarts: 0, startedAt: new Date().toISOString() },
    problem: null,
  };
  const pools: StorageContext["pools"] = {
    names: () => ["default", "fast"],
    has: (n) => n === "default" || n === "fast",
    info: async (name) => {
      if (brokenPool && name === "fast") throw Object.assign(new Error("gone"), { code: "ENOENT" });
      return { name, capacityBytes: 1000, freeBytes: 400 };
    },
    dir: (name) => `/nonexistent/${name}`,
    imagePath: (pool, file) => `/nonexistent/${pool}/${file}`,
    defaultPool: () => "default",
  };
  const storage: StorageContext = {
    hostName: "host-a",
    nbd: { host: "127.0.0.1", port: 10809 },
    overcommitRatio: 2,
    pools,
    store: new StateStore("/nonexistent/state.json", emptyState(), async () => {}),
    qsd: new QsdAccess(),
    queue: new OpQueue(),
    peer: httpPeerClient(),
    rebuild: new RebuildTracker(),
    publish: () => {},
    publishLive: () => {},
    mirrors: new MirrorRuntime(),
    busy: new VolumeBusy(),
    log: silentLogger,
    now: () => new Date(),
  };
  const deps: ApiDeps = {
    token: TOKEN,
    hostName: "host-a",
    agentVersion: "0.1.0",
    nbd: { host: "127.0.0.1", port: 10809 },
    qsd: { status: () => qsd },
    pools,
    events,
    storage,
    log: silentLogger,
    heartbeatMs: 50,
  };
  server = createApiServer(deps);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function expectError(res: { status: number; json: unknown }, status: number, code: string): string {
  expect(res.status).toBe(status);
  const body = agentError.parse(res.json);
  expect(body.error.code).toBe(code);
  expect(body.error.message).not.toMatch(/\bat \S+:\d+/); // no stack trace
  return body.error.message;
}

describe("authentication", () => {
  it.each([
    ["no header", {}],
    ["wrong token", { authorization: "Bearer wrong-token-0123456789" }],
    ["token prefix", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ["wrong scheme", { authorization: `Basic ${TOKEN}` }],
    ["empty bearer", { authorization: "Bearer " }],
  ])("refuses %s with 401, before routing", async (_, headers) => {
    for (const path of ["/v1/health", "/v1/nope", "/v1/pools/.."]) {
      const res = await rawGet(url, path, headers);
      expectError(res, 401, "unauthorized");
      expect(res.headers["www-authenticate"]).toBe("Bearer");
    }
  });

  it("accepts the scheme in any case", async () => {
    expect((await rawGet(url, "/v1/health", { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe("GET /v1/health", () => {
  it("reports ok with QSD and pools", async () => {
    const res = await rawGet(url, "/v1/health", auth);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const health = agentHealth.parse(res.json);
    expect(health).toMatchObject({ status: "ok", reason: null, hostName: "host-a", apiVersion: 1, qsd: { pid: 42 } });
    expect(health.pools).toEqual([
      { name: "default", capacityBytes: 1000, freeBytes: 400 },
      { name: "fast", capacityBytes: 1000, freeBytes: 400 },
    ]);
  });

  it("reports degraded with every reason", async () => {
    qsd = { info: { ...qsd.info, running: false, pid: null }, problem: "qemu-storage-daemon is starting" };
    brokenPool = true;
    const health = agentHealth.parse((await rawGet(url, "/v1/health", auth)).json);
    expect(health.status).toBe("degraded");
    expect(health.reason).toBe("qemu-storage-daemon is starting; pool fast is unavailable: ENOENT");
    expect(health.pools.map((p) => p.name)).toEqual(["default"]);
  });
});

describe("routing", () => {
  it("404s unknown routes and 405s wrong methods", async () => {
    expectError(await rawGet(url, "/v1/nope", auth), 404, "not_found");
    expectError(await rawGet(url, "/v1/health/", auth), 404, "not_found");
    expectError(await rawGet(url, "*", auth), 404, "not_found");
    const res = await fetch(`${url}/v1/health`, { method: "POST", headers: auth });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });

  it("400s malformed percent-encoding", async () => {
    expect(expectError(await rawGet(url, "/v1/pools/%zz", auth), 400, "bad_request")).toMatch(/percent-encoding/);
  });
});

describe("GET /v1/pools/:name", () => {
  it("returns one pool and the list, with what is provisioned", async () => {
    expect((await rawGet(url, "/v1/pools/fast", auth)).json).toEqual({
      name: "fast",
      capacityBytes: 1000,
      freeBytes: 400,
      provisionedBytes: 0,
      overcommitRatio: 2,
      availableToProvisionBytes: 2000,
    });
    expect((await rawGet(url, "/v1/pools", auth)).json).toHaveLength(2);
  });

  it("404s an unknown pool", async () => {
    expect(expectError(await rawGet(url, "/v1/pools/slow", auth), 404, "not_found")).toBe("no pool named slow on this host");
  });

  it.each(["..", "%2e%2e", "%2E%2E", "Default", "a%2Fb", "", "-x", "a..b", "x".repeat(100), "%00"])(
    "400s the bad name %j with a readable message",
    async (name) => {
      const message = expectError(await rawGet(url, `/v1/pools/${name}`, auth), 400, "bad_request");
      expect(message).toMatch(/^pool name: (must be 1-63 characters|must not contain '\.\.')/);
    },
  );
});

describe("GET /v1/events", () => {
  it("400s a bad since", async () => {
    for (const since of ["abc", "-1", "1.5", "", "1e3", "0x10"]) {
      const message = expectError(await rawGet(url, `/v1/events?since=${since}`, auth), 400, "bad_request");
      expect(message).toBe("since: must be a whole number, 0 or more");
    }
    expectError(await rawGet(url, "/v1/events?since=1&since=2", auth), 400, "bad_request");
  });

  it("sends hello, replays after since, then live events and heartbeats", async () => {
    events.publish("qsd.started", { pid: 1 });
    events.publish("qsd.exited", { pid: 1 });
    const stream = await openEventStream(url, TOKEN, 1);
    try {
      await stream.waitFor((e) => e.type === "qsd.exited");
      events.publish("qsd.restarted", { pid: 2 });
      await stream.waitFor((e) => e.type === "qsd.restarted");
      expect(stream.events.map((e) => [e.type, e.seq])).toEqual([
        ["hello", 1],
        ["qsd.exited", 2],
        ["qsd.restarted", 3],
      ]);
      expect(stream.events[0]!.data).toMatchObject({ bootId: events.bootId, latestSeq: 2, missed: false });
      await new Promise((r) => setTimeout(r, 150));
      expect(stream.heartbeats).toBeGreaterThan(0);
    } finally {
      stream.close();
    }
  });

  it("without since sends only new events", async () => {
    events.publish("qsd.started", { pid: 1 });
    const stream = await openEventStream(url, TOKEN);
    try {
      const hello = await stream.waitFor((e) => e.type === "hello");
      expect(hello.seq).toBe(1);
      events.publish("qsd.exited", { pid: 1 });
      await stream.waitFor((e) => e.type === "qsd.exited");
      expect(stream.events.map((e) => e.seq)).toEqual([1, 2]);
    } finally {
      stream.close();
    }
  });

  it("flags events lost from the window, and numbering from an earlier agent", async () => {
    for (let i = 0; i < 8; i++) events.publish("qsd.event", { i }); // window keeps 4..8
    const lost = await openEventStream(url, TOKEN, 1);
    const future = await openEventStream(url, TOKEN, 99);
    try {
      expect((await lost.waitFor((e) => e.type === "hello")).data).toMatchObject({ missed: true, oldestSeq: 4 });
      await lost.waitFor((e) => e.seq === 8 && e.type === "qsd.event");
      expect(lost.events.filter((e) => e.type !== "hello").map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
      const hello = await future.waitFor((e) => e.type === "hello");
      expect(hello).toMatchObject({ seq: 0, data: { missed: true } });
      await future.waitFor((e) => e.seq === 8 && e.type === "qsd.event");
    } finally {
      lost.close();
      future.close();
    }
  });
});
