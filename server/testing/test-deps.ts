// Real dependencies for service and router tests: a migrated SQLite file in a temp directory,
// real better-auth, the in-process bus. Agents are whatever the test passes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPrisma } from "@/server/db/client";
import { createAuth } from "@/server/auth/better-auth";
import { createLocalBus } from "@/server/realtime/bus";
import { agentFactories } from "@/server/agents";
import { deployMigrations } from "../../scripts/db";
import type { Context } from "@/server/trpc/context";

export async function createTestDeps(databaseUrl?: string): Promise<{ deps: Context["deps"]; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-test-"));
  const url = databaseUrl ?? `file:${path.join(dir, "test.db")}`;
  const { db, provider } = createPrisma(url);
  await deployMigrations(url);
  const auth = createAuth(db, { provider, secret: "test-secret-test-secret-test-secret-0", baseURL: "http://localhost" });
  const deps = { db, bus: createLocalBus(), auth, now: () => new Date(), ...agentFactories };
  return {
    deps,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
