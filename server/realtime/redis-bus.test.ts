// Two console processes sharing one database and the machine's Redis: an event published by
// the process that runs the workers reaches a browser socket connected to the other one.
import crypto from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { freePort, startConsoleProcess, startStack, stopPid, stopStack, type StackState } from "../../e2e/support/stack";
import type { RealtimeEvent } from "./events";

const REDIS_URL = process.env.TANDEM_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `tandem-test-${crypto.randomBytes(4).toString("hex")}`;
let stack: StackState;
let second: { pid: number; url: string };

beforeAll(async () => {
  stack = await startStack({ env: { REDIS_URL, TANDEM_REDIS_PREFIX: prefix } });
  second = await startConsoleProcess({
    dataDir: path.join(stack.dir, "console"),
    port: await freePort(),
    hostsFile: path.join(stack.dir, "hosts.json"),
    adminPassword: stack.adminPassword,
    env: { REDIS_URL, TANDEM_REDIS_PREFIX: prefix, TANDEM_WORKERS: "off", ...(stack.pgDatabase ? { DATABASE_URL: stack.databaseUrl } : {}) },
  });
}, 120_000);

afterAll(async () => {
  if (second) await stopPid(second.pid);
  if (stack) await stopStack(stack);
});

describe("realtime across console processes (Redis)", () => {
  it("a host going offline, seen by process A's monitor, reaches a socket on process B", async () => {
    const res = await fetch(`${second.url}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: second.url },
      body: JSON.stringify({ username: "admin", password: stack.adminPassword }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const socket = io(second.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie } });
    const seen: RealtimeEvent[] = [];
    socket.on("event", (e: RealtimeEvent) => seen.push(e));
    await new Promise<void>((resolve, reject) => (socket.once("connect", () => resolve()), socket.once("connect_error", reject)));

    const h2 = stack.agents.find((a) => a.name === "h2")!;
    const t0 = Date.now();
    await stopPid(h2.pid);
    const deadline = Date.now() + 5000;
    while (!seen.some((e) => e.type === "host.status" && e.name === "h2" && e.status === "offline") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    socket.disconnect();
    expect(seen.some((e) => e.type === "host.status" && e.name === "h2" && e.status === "offline")).toBe(true);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
