// Applies pending migrations at start, so a fresh data directory or an upgraded checkout just works.
import { deployMigrations } from "../../scripts/db";

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const r = await deployMigrations(databaseUrl);
  if (r.applied.length) console.log(`database: applied ${r.applied.length} migration(s): ${r.applied.join(", ")}`);
}
