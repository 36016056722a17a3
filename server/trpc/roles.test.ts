// Every procedure × every role: no procedure without a declared role, 401 without a caller,
// 403 below the procedure's role, and no auth error at or above it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { appRouter } from "./root";
import { createCallerFactory } from "./init";
import type { Context, Identity } from "./context";
import { createTestDeps } from "@/server/testing/test-deps";
import { hasRole, ROLES, type Role } from "@/server/domain/auth/roles";

// A valid-looking input for each procedure, so that allowed calls reach the service.
const SAMPLE_INPUT: Record<string, unknown> = {
  "auth.me": undefined,
  "auth.createToken": { name: "t" },
  "auth.listTokens": undefined,
  "auth.revokeToken": { id: "nope" },
  "host.list": undefined,
  "host.get": { name: "h1" },
  "user.list": undefined,
  "user.create": { username: "newuser", password: "password123", role: "viewer" },
  "user.setRole": { username: "nobody", role: "viewer" },
  "volume.list": undefined,
  "volume.get": { volume: "h1/v1" },
  "volume.create": { host: "h1", name: "v1", size: "1G" },
  "volume.resize": { volume: "h1/v1", size: "2G" },
  "volume.delete": { volume: "h1/v1" },
  "snapshot.create": { volume: "h1/v1", snapshot: "s1" },
  "snapshot.clone": { volume: "h1/v1", snapshot: "s1", target: "v2" },
  "snapshot.revert": { volume: "h1/v1", snapshot: "s1" },
  "snapshot.delete": { volume: "h1/v1", snapshot: "s1" },
  "lu.list": undefined,
  "lu.history": { guid: "600144f0000000000000000000000001" },
  "lu.create": { volume: "h1/v1" },
  "lu.standby": { guid: "600144f0000000000000000000000001" },
  "lu.import": { guid: "600144f0000000000000000000000001" },
  "lu.delete": { guid: "600144f0000000000000000000000001" },
  "alua.get": undefined,
  "alua.set": { enabled: true },
  "operation.list": undefined,
  "operation.get": { id: "nope" },
  "operation.cancel": { id: "nope" },
  "operation.drift": undefined,
  "mirror.list": undefined,
  "mirror.get": { name: "m1" },
  "mirror.dashboard": undefined,
  "mirror.create": { name: "m1", source: "h1/a", target: "h2/a" },
  "mirror.modify": { name: "m1", mode: "async" },
  "mirror.pause": { name: "m1" },
  "mirror.resume": { name: "m1" },
  "mirror.delete": { name: "m1" },
  "mirror.verify": { name: "m1" },
  "mirror.plan": { name: "m1", kind: "reverse" },
  "mirror.reverse": { name: "m1" },
  "mirror.failover": { name: "m1", reason: "site power loss" },
  "mirror.failback": { name: "m1" },
  "audit.list": undefined,
  "audit.verify": undefined,
};

type ProcDef = { _def: { type: "query" | "mutation" | "subscription"; meta?: { role?: string } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcDef>);

let deps: Context["deps"];
let cleanup: () => Promise<void>;
const ids: Partial<Record<Role, Identity>> = {};

beforeAll(async () => {
  ({ deps, cleanup } = await createTestDeps());
  for (const role of ROLES) {
    const u = await (await import("@/server/services/auth/create-user")).createUser(deps, { username: `user-${role}`, password: "password123", role });
    ids[role] = { userId: u.id, username: u.username, role, via: "token" };
  }
});
afterAll(async () => cleanup?.());

async function call(path: string, identity: Identity | null) {
  const caller = createCallerFactory(appRouter)({ identity, deps }) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const [ns, name] = path.split(".") as [string, string];
  try {
    await caller[ns]![name]!(SAMPLE_INPUT[path]);
    return "ok";
  } catch (e) {
    return e instanceof TRPCError ? e.code : `other: ${String(e)}`;
  }
}

describe("role checks", () => {
  it("every procedure declares a role and has a sample input here", () => {
    for (const [path, p] of procedures) {
      expect(p._def.meta?.role, path).toMatch(/^(public|viewer|operator|admin)$/);
      expect(Object.keys(SAMPLE_INPUT), `add ${path} to SAMPLE_INPUT`).toContain(path);
    }
  });

  const cases = procedures.flatMap(([path, p]) =>
    (["anonymous", ...ROLES] as const).map((who) => [path, who, p._def.meta?.role ?? "missing"] as const),
  );

  it.each(cases)("%s as %s (needs %s)", async (path, who, required) => {
    const result = await call(path, who === "anonymous" ? null : ids[who]!);
    if (required === "public") expect(result).not.toMatch(/UNAUTHORIZED|FORBIDDEN/);
    else if (who === "anonymous") expect(result).toBe("UNAUTHORIZED");
    else if (!hasRole(who, required as Role)) expect(result).toBe("FORBIDDEN");
    else expect(result).not.toMatch(/UNAUTHORIZED|FORBIDDEN|INTERNAL/);
  });
});
