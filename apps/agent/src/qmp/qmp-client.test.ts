import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLineDecoder } from "./line-decoder";
import { QmpClient } from "./qmp-client";
import { QmpCommandError, QmpConnectionError } from "./qmp-errors";
import type { QmpEvent } from "./qmp-messages";

const GREETING = '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "test"}, "capabilities": ["oob"]}}\r\n';

/** The server side of one QMP connection, driven step by step by a test. */
interface FakeConnection {
  send(raw: string): void;
  nextRequest(): Promise<{ execute: string; arguments?: Record<string, unknown>; id: unknown }>;
  end(): void;
}

let dir: string;
let socketPath: string;
let server: net.Server;
let connections: Promise<FakeConnection>[];
const clients: QmpClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "qmp-test-"));
  socketPath = path.join(dir, "qmp.sock");
  connections = [];
  let accept!: (c: FakeConnection) => void;
  connections.push(new Promise((r) => (accept = r)));
  server = net.createServer((socket) => {
    const queue: unknown[] = [];
    const waiters: ((v: unknown) => void)[] = [];
    socket.on("data", createLineDecoder((line) => {
      const msg = JSON.parse(line);
      const waiter = waiters.shift();
      if (waiter) waiter(msg);
      else queue.push(msg);
    }));
    socket.on("error", () => {});
    const conn: FakeConnection = {
      send: (raw) => socket.write(raw),
      nextRequest: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r))) as never,
      end: () => socket.destroy(),
    };
    accept(conn);
    connections.push(new Promise((r) => (accept = r)));
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

/** Connects a client and plays the greeting and capabilities exchange on the fake side. */
async function connected(): Promise<{ client: QmpClient; conn: FakeConnection }> {
  const clientPromise = QmpClient.connect(socketPath, { timeoutMs: 2_000 });
  const conn = await connections[0]!;
  conn.send(GREETING);
  const caps = await conn.nextRequest();
  expect(caps.execute).toBe("qmp_capabilities");
  conn.send(`{"return": {}, "id": ${JSON.stringify(caps.id)}}\r\n`);
  const client = await clientPromise;
  clients.push(client);
  return { client, conn };
}

describe("line decoder", () => {
  it("handles lines split across chunks, several lines per chunk, CRLF and split UTF-8", () => {
    const lines: string[] = [];
    const push = createLineDecoder((l) => lines.push(l));
    const bytes = Buffer.from('{"a":"é"}\r\n{"b":1}\n\n{"c"', "utf8");
    const splitInsideE = bytes.indexOf(0xc3) + 1;
    push(bytes.subarray(0, splitInsideE));
    push(bytes.subarray(splitInsideE));
    push(Buffer.from(":2}\r\n"));
    expect(lines).toEqual(['{"a":"é"}', '{"b":1}', '{"c":2}']);
  });
});

describe("QmpClient", () => {
  it("negotiates capabilities and exposes the greeting", async () => {
    const { client } = await connected();
    expect(client.greeting.QMP.version.qemu).toEqual({ major: 7, minor: 2, micro: 22 });
    expect(client.isOpen).toBe(true);
  });

  it("matches replies to commands by id, in any order, and validates return values", async () => {
    const { client, conn } = await connected();
    const first = client.execute("query-version", undefined, { returns: z.object({ v: z.number() }) });
    const second = client.execute("query-block-jobs", { x: 1 });
    const r1 = await conn.nextRequest();
    const r2 = await conn.nextRequest();
    expect(r1).toMatchObject({ execute: "query-version" });
    expect(r1).not.toHaveProperty("arguments");
    expect(r2).toMatchObject({ execute: "query-block-jobs", arguments: { x: 1 } });
    expect(r1.id).not.toEqual(r2.id);
    // The second reply arrives first, both in one chunk.
    conn.send(`{"return": [], "id": ${JSON.stringify(r2.id)}}\r\n{"return": {"v": 7}, "id": ${JSON.stringify(r1.id)}}\r\n`);
    await expect(second).resolves.toEqual([]);
    await expect(first).resolves.toEqual({ v: 7 });
  });

  it("rejects a reply that does not match the expected shape", async () => {
    const { client, conn } = await connected();
    const p = client.execute("query-version", undefined, { returns: z.object({ v: z.number() }) });
    const req = await conn.nextRequest();
    conn.send(`{"return": {"v": "seven"}, "id": ${JSON.stringify(req.id)}}\n`);
    await expect(p).rejects.toThrow(/query-version: unexpected reply/);
  });

  it("turns error replies into QmpCommandError", async () => {
    const { client, conn } = await connected();
    const p = client.execute("nope");
    const req = await conn.nextRequest();
    conn.send(`{"id": ${JSON.stringify(req.id)}, "error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}\r\n`);
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpCommandError);
    expect(err).toMatchObject({ command: "nope", errorClass: "CommandNotFound" });
  });

  it("emits events separately from replies, even between a command and its reply", async () => {
    const { client, conn } = await connected();
    const events: QmpEvent[] = [];
    client.onEvent((e) => events.push(e));
    const p = client.execute("block-job-cancel", { device: "m1" });
    const req = await conn.nextRequest();
    conn.send('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "JOB_STATUS_CHANGE", "data": {"status": "aborting", "id": "m1"}}\r\n');
    conn.send(`{"return": {}, "id": ${JSON.stringify(req.id)}}\r\n`);
    await expect(p).resolves.toEqual({});
    expect(events).toEqual([
      { event: "JOB_STATUS_CHANGE", data: { status: "aborting", id: "m1" }, timestamp: { seconds: 1, microseconds: 2 } },
    ]);
  });

  it("rejects pending commands when the connection is lost, and later commands at once", async () => {
    const { client, conn } = await connected();
    const p = client.execute("query-version");
    await conn.nextRequest();
    conn.end();
    await expect(p).rejects.toBeInstanceOf(QmpConnectionError);
    expect(await client.closed).toBeInstanceOf(QmpConnectionError);
    expect(client.isOpen).toBe(false);
    await expect(client.execute("query-version")).rejects.toThrow(/closed/);
  });

  it("resolves `closed` without a reason after its own close()", async () => {
    const { client } = await connected();
    client.close();
    expect(await client.closed).toBeUndefined();
  });

  it("times out a command and ignores its late reply", async () => {
    const { client, conn } = await connected();
    const p = client.execute("slow", undefined, { timeoutMs: 50 });
    const req = await conn.nextRequest();
    await expect(p).rejects.toThrow(/no reply within 50 ms/);
    conn.send(`{"return": {}, "id": ${JSON.stringify(req.id)}}\r\n`);
    const next = client.execute("query-version");
    const req2 = await conn.nextRequest();
    conn.send(`{"return": {"ok": true}, "id": ${JSON.stringify(req2.id)}}\r\n`);
    await expect(next).resolves.toEqual({ ok: true });
  });

  it("closes the connection on a line that is not QMP", async () => {
    const { client, conn } = await connected();
    const p = client.execute("query-version");
    await conn.nextRequest();
    conn.send("this is not json\n");
    await expect(p).rejects.toThrow(/QMP protocol error/);
  });

  it("refuses a server that does not greet like QMP", async () => {
    const clientPromise = QmpClient.connect(socketPath, { timeoutMs: 2_000 });
    (await connections[0]!).send('{"hello": "world"}\n');
    await expect(clientPromise).rejects.toThrow(/expected a QMP greeting/);
  });

  it("gives up when no greeting arrives in time", async () => {
    await expect(QmpClient.connect(socketPath, { timeoutMs: 100 })).rejects.toThrow(/no QMP greeting/);
  });

  it("fails clearly when the socket does not exist", async () => {
    await expect(QmpClient.connect(path.join(dir, "missing.sock"))).rejects.toThrow(/ENOENT/);
  });
});
