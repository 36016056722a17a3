// Starts the whole console in this process: database, auth, Next.js, tRPC, socket.io and,
// unless turned off, the workers.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import next from "next";
import { fromNodeHeaders } from "better-auth/node";
import type { Env } from "@/server/config/env";
import { createPrisma } from "@/server/db/client";
import { createAuth } from "@/server/auth/better-auth";
import { createLocalBus } from "@/server/realtime/bus";
import { createRedisBus } from "@/server/realtime/redis-bus";
import { attachSocketServer } from "@/server/realtime/socket";
import { agentFactories } from "@/server/agents";
import { ensureAdmin } from "@/server/services/auth/ensure-admin";
import { resolveIdentity } from "@/server/services/auth/resolve-identity";
import { readHostsFile, registerHosts } from "@/server/services/hosts/register-hosts";
import { startWorkers } from "@/server/workers/start-workers";
import { setAlua } from "@/server/services/storage/alua";
import { loadAuthSecret } from "./auth-secret";
import { createRequestHandler } from "./http-routes";
import { migrateDatabase } from "./migrate-database";

export type RunningConsole = {
  url: string;
  port: number;
  generatedAdminPassword: string | null;
  close: () => Promise<void>;
};

export async function startConsole(env: Env, opts: { dir?: string; log?: (s: string) => void } = {}): Promise<RunningConsole> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const dir = opts.dir ?? process.cwd();
  fs.mkdirSync(env.dataDir, { recursive: true });

  // The client first: it switches a new SQLite file to WAL, which needs the file to itself.
  const { db, provider } = createPrisma(env.databaseUrl);
  await migrateDatabase(env.databaseUrl);
  const publicUrl = env.TANDEM_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const auth = createAuth(db, { provider, secret: loadAuthSecret(env.dataDir, process.env.BETTER_AUTH_SECRET), baseURL: publicUrl });
  const redisBus = env.REDIS_URL ? await createRedisBus(env.REDIS_URL, { channel: `${env.TANDEM_REDIS_PREFIX}:events` }) : null;
  const bus = redisBus ?? createLocalBus();
  const deps = { db, bus, auth, now: () => new Date(), ...agentFactories };

  const admin = await ensureAdmin(deps, env.TANDEM_ADMIN_PASSWORD);
  if (env.TANDEM_HOSTS_FILE) {
    const file = await readHostsFile(path.resolve(env.TANDEM_HOSTS_FILE));
    await registerHosts(deps, file, "system:bootstrap");
    // Agents learn their pair (ALUA on, node ids, the peer to tell on import) from the console.
    // Queued, not awaited: the worker applies it as soon as both agents answer.
    if (file.pair) {
      const system = { userId: "system", username: "system:bootstrap", role: "admin" as const, via: "token" as const };
      await setAlua(deps, system, { pair: file.pair.name, enabled: true }, { wait: false, manual: false }).catch((e: Error) => {
        if (!/busy/.test(e.message)) throw e;
      });
    }
  }

  const nextApp = next({ dev: env.NODE_ENV === "development", dir, hostname: "localhost", port: env.PORT });
  await nextApp.prepare();
  const nextHandler = nextApp.getRequestHandler();

  const server = http.createServer(createRequestHandler(deps, (req, res) => nextHandler(req, res)));
  if (env.NODE_ENV === "development") {
    const upgrade = nextApp.getUpgradeHandler();
    server.on("upgrade", (req, socket, head) => {
      if (!req.url?.startsWith("/socket.io")) void upgrade(req, socket, head);
    });
  }
  const sockets = attachSocketServer(server, bus, (headers, token) =>
    resolveIdentity(deps, fromNodeHeaders(headers), token),
  );

  const workers = env.TANDEM_WORKERS === "on" ? startWorkers(deps, { monitorIntervalMs: env.TANDEM_MONITOR_INTERVAL_MS, leaseMs: env.TANDEM_LEASE_MS }) : null;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = env.TANDEM_PUBLIC_URL ?? `http://localhost:${port}`;
  log(`tandem console listening on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    generatedAdminPassword: admin.created ? admin.generatedPassword : null,
    close: () =>
      (closing ??= (async () => {
        await workers?.stop();
        await sockets.close(); // also closes the HTTP server
        server.closeAllConnections();
        await nextApp.close().catch(() => {});
        await redisBus?.close();
        await db.$disconnect();
      })()),
  };
}
