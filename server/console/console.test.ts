// The console end to end on real parts: two real agents (each with its own QSD), the console
// process, socket.io. Host status changes are written once and reach a socket within 2 s.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { createPrisma } from "@/server/db/client";
import { startAgent, startStack, stopPid, stopStack, type StackState } from "../../e2e/support/stack";
import type { RealtimeEvent } from "@/server/realtime/events";

let stack: StackState;
let cookie = "";

async function signIn(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/sign-in/username`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ username, password }),
  });
  return { res, cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}

async function trpc(pathName: string, headers: Record<string, string>, input?: unknown, method: "GET" | "POST" = "GET") {
  const base = `${stack.consoleUrl}/api/trpc/${pathName}`;
  const res =
    method === "GET"
      ? await fetch(input === undefined ? base : `${base}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers })
      : await fetch(base, { method, headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ json: input }) });
  return { status: res.status, body: (await res.json()) as { result?: { data: { json: unknown } }; error?: { json: { message: string } } } };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  stack = await startStack();
  const s = await signIn(stack.consoleUrl, "admin", stack.adminPassword);
  expect(s.res.status).toBe(200);
  cookie = s.cookie;
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("console", () => {
  it("refuses calls without a session or token (401) and wrong passwords", async () => {
    expect((await trpc("host.list", {})).status).toBe(401);
    expect((await trpc("host.list", { authorization: "Bearer tdm_not-a-real-token-at-all" })).status).toBe(401);
    expect((await signIn(stack.consoleUrl, "admin", "wrong-password")).res.status).toBe(401);
  });

  it("limits sign-in attempts per client address, which a client cannot choose by a header", async () => {
    // From another loopback address, so that this test's attempts do not count against others.
    const attempt = (from: string, password: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        const u = new URL(`${stack.consoleUrl}/api/auth/sign-in/username`);
        const req = http.request(
          { host: u.hostname, port: u.port, path: u.pathname, method: "POST", localAddress: from, headers: { "content-type": "application/json", origin: stack.consoleUrl, ...headers } },
          (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["x-retry-after"] as string | undefined }));
          },
        );
        req.on("error", reject);
        req.end(JSON.stringify({ username: "admin", password }));
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt("127.0.0.7", "guess-" + i)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Claiming another address in the header the console uses changes nothing.
    const spoofed = await attempt("127.0.0.7", stack.adminPassword, { "x-tandem-client-address": "10.1.2.3", "x-forwarded-for": "10.1.2.4" });
    expect(spoofed.status).toBe(429);
    expect(Number(spoofed.retryAfter)).toBeGreaterThan(0);
    // Another client is not locked out by that one.
    expect((await attempt("127.0.0.8", stack.adminPassword)).status).toBe(200);
  });

  it("gives a clear 400 for bad input, never a stack trace", async () => {
    const r = await trpc("host.get", { cookie }, { name: "../etc" });
    expect(r.status).toBe(400);
    expect(r.body.error?.json.message).toMatch(/invalid input: name: must be 1-63 characters/);
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("shows both hosts online with engine facts, and API tokens work", async () => {
    const hosts = await waitFor(async () => {
      const r = await trpc("host.list", { cookie });
      const list = r.body.result?.data.json as { name: string; status: string; qsdVersion: string | null }[];
      return list?.length === 2 && list.every((h) => h.status === "online") ? list : undefined;
    }, 10_000);
    expect(hosts.map((h) => h.name)).toEqual(["h1", "h2"]);
    expect(hosts[0]!.qsdVersion).toMatch(/^\d+\.\d+/);
    expect(JSON.stringify(hosts)).not.toContain(stack.agents[0]!.token);

    const created = await trpc("auth.createToken", { cookie, origin: stack.consoleUrl }, { name: "test" }, "POST");
    const token = (created.body.result?.data.json as { token: string }).token;
    expect((await trpc("host.list", { authorization: `Bearer ${token}` })).status).toBe(200);
    // An admin creates a viewer; the viewer can read hosts but gets 403 for user management.
    const made = await trpc("user.create", { authorization: `Bearer ${token}` }, { username: "noc-screen", password: "password1", role: "viewer" }, "POST");
    expect(made.status).toBe(200);
    const viewer = await signIn(stack.consoleUrl, "noc-screen", "password1");
    expect((await trpc("host.list", { cookie: viewer.cookie })).status).toBe(200);
    const denied = await trpc("user.create", { cookie: viewer.cookie }, { username: "x-user", password: "password1", role: "admin" }, "POST");
    expect(denied.status).toBe(403);
    expect(denied.body.error?.json.message).toMatch(/needs the admin role/);
  });

  it("an agent that stops is offline within 2 s over socket.io, written once; back online when it returns", async () => {
    const socket: Socket = io(stack.consoleUrl, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie } });
    const events: (RealtimeEvent & { receivedAt: number })[] = [];
    socket.on("event", (e: RealtimeEvent) => events.push({ ...e, receivedAt: Date.now() }));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });

    const h2 = stack.agents.find((a) => a.name === "h2")!;
    const stoppedAt = Date.now();
    await stopPid(h2.pid);
    const offline = await waitFor(async () => events.find((e) => e.type === "host.status" && e.name === "h2" && e.status === "offline"), 5000);
    expect(offline.receivedAt - stoppedAt).toBeLessThan(2000);

    const restarted = await startAgent(h2);
    restarted.proc.unref();
    h2.pid = restarted.pid;
    await waitFor(async () => events.find((e) => e.type === "host.status" && e.name === "h2" && e.status === "online"), 10_000);
    socket.disconnect();

    // Each change was written once: one offline, then one online. A poll that lands while the
    // restarted agent's QSD is still rebuilding its graph truly sees "degraded" in between.
    const { db } = createPrisma(stack.databaseUrl);
    const host = await db.host.findUniqueOrThrow({ where: { name: "h2" } });
    const changes = await db.event.findMany({ where: { subjectId: host.id, kind: "host.status", at: { gte: new Date(stoppedAt) } } });
    await db.$disconnect();
    expect(changes.map((c) => JSON.parse(c.data!).to).join(",")).toMatch(/^offline,(degraded,)?online$/);
  });

  it("refuses socket connections without a session", async () => {
    const socket = io(stack.consoleUrl, { path: "/socket.io", transports: ["websocket"], reconnection: false });
    const err = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(err.message).toBe("unauthorized");
    socket.disconnect();
  });
});
