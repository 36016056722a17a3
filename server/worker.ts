// A worker process on its own: claims and runs operations, watches hosts and mirrors. Start as
// many as you like against one database (`node --import tsx server/worker.ts`). Without
// REDIS_URL its live events stay in this process; consoles still see every change in the database.
import { ConfigError, loadEnv } from "@/server/config/env";
import { createPrisma } from "@/server/db/client";
import { createLocalBus } from "@/server/realtime/bus";
import { createRedisBus } from "@/server/realtime/redis-bus";
import { agentFactories } from "@/server/agents";
import { startWorkers } from "@/server/workers/start-workers";
import { migrateDatabase } from "@/server/console/migrate-database";

async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tandem worker: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const { db } = createPrisma(env.databaseUrl);
  await migrateDatabase(env.databaseUrl);
  const redisBus = env.REDIS_URL ? await createRedisBus(env.REDIS_URL, { channel: `${env.TANDEM_REDIS_PREFIX}:events` }) : null;
  const deps = { db, bus: redisBus ?? createLocalBus(), now: () => new Date(), ...agentFactories };
  const workers = startWorkers(deps, { monitorIntervalMs: env.TANDEM_MONITOR_INTERVAL_MS, leaseMs: env.TANDEM_LEASE_MS });
  console.log(`tandem worker ${workers.owner} running`);
  const stop = async () => {
    await workers.stop();
    await redisBus?.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((err) => {
  console.error(`tandem worker failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
