// Database tooling for Tandem: Prisma 7 clients and migrations for SQLite and PostgreSQL, without
// Prisma's native schema engine (it cannot be downloaded here). Migrations go through the
// WebAssembly schema engine, see scripts/db-engine.ts.
//
//   node --import tsx scripts/db.ts generate [--force]     generate both clients (skipped when unchanged)
//   node --import tsx scripts/db.ts migrate:create NAME    new migration for both providers
//   node --import tsx scripts/db.ts migrate:deploy         apply pending migrations to DATABASE_URL
//   node --import tsx scripts/db.ts migrate:status         applied / pending migrations of DATABASE_URL
//   node --import tsx scripts/db.ts check                  migrations replayed == schema, both providers
//
// Options: --provider sqlite|postgresql (migrate:create, check). PostgreSQL work databases
// (shadow, check) are created on DATABASE_URL_PG, default postgresql://postgres@127.0.0.1:5432/postgres.
//
// Layout: prisma/models/*.prisma is the one source of truth for models. prisma/sqlite and
// prisma/postgresql each hold schema.prisma (generator + datasource), a `models` symlink to
// ../models (checked and repaired by ensureModelsLinks) and their migrations.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  assertPostgresReachable,
  createPgDatabase,
  dropPgDatabase,
  postgresEngineFactory,
  randomDbName,
  SchemaEngineError,
  sqliteEngineFactory,
  withSchemaEngine,
  type MigrationAwareFactory,
  type Provider,
  type SchemaFile,
} from "./db-engine";
import {
  databaseUrlFromEnv,
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  redactDatabaseUrl,
  type DatabaseConfig,
  type PostgresConfig,
} from "../server/db/database-url";

export type { Provider, SchemaFile };
export { SchemaEngineError };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PROVIDERS: readonly Provider[] = ["sqlite", "postgresql"];
const PRISMA_DIR = path.join(ROOT, "prisma");
const MODELS_DIR = path.join(PRISMA_DIR, "models");
const GENERATED_DIR = path.join(ROOT, "server", "db", "generated");
const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "tandem-db");
const DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
/** Bump when the generate step changes in a way the schema hash would not notice. */
const GENERATE_RECIPE = "1";

const require = createRequire(import.meta.url);
const noFilters = { externalTables: [] as string[], externalEnums: [] as string[] };

export function providerDir(provider: Provider): string {
  return path.join(PRISMA_DIR, provider);
}
export function migrationsDir(provider: Provider): string {
  return path.join(providerDir(provider), "migrations");
}

/** Admin/maintenance connection used to create throwaway PostgreSQL databases. */
export function pgAdminConfig(url = process.env.DATABASE_URL_PG?.trim() || DEFAULT_PG_ADMIN_URL): PostgresConfig {
  const config = parseDatabaseUrl(url, { name: "DATABASE_URL_PG" });
  if (config.provider !== "postgresql") throw new Error("DATABASE_URL_PG must be a postgresql:// URL");
  return config;
}

// ---------------------------------------------------------------------------------------------
// Schema files

/**
 * Makes prisma/<provider>/models a symlink to ../models. Repairs what a checkout may leave
 * instead (a plain file holding the link target when git has core.symlinks=false; nothing at
 * all); where symlinks cannot be made, falls back to a marked copy that is refreshed each time.
 */
export function ensureModelsLinks(): void {
  for (const provider of PROVIDERS) {
    const link = path.join(providerDir(provider), "models");
    const stat = fs.lstatSync(link, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === MODELS_DIR) continue;
    const marker = path.join(link, ".copy-of-prisma-models");
    if (stat?.isDirectory() && !fs.existsSync(marker)) {
      throw new Error(`${path.relative(ROOT, link)} must be a symlink to ../models (the shared models), not a directory`);
    }
    fs.rmSync(link, { recursive: true, force: true });
    try {
      fs.symlinkSync("../models", link, "dir");
    } catch {
      fs.cpSync(MODELS_DIR, link, { recursive: true });
      fs.writeFileSync(marker, "Copied by scripts/db.ts; edit prisma/models instead.\n");
    }
  }
}

function listPrismaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.name === "migrations" || entry.name.startsWith(".")) continue;
    const stat = fs.statSync(full); // follows the models symlink
    if (stat.isDirectory()) out.push(...listPrismaFiles(full));
    else if (entry.name.endsWith(".prisma")) out.push(full);
  }
  return out;
}

/** The schema of one provider as Prisma's CLI sees it: every .prisma file under prisma/<provider>. */
export function loadSchemaFiles(provider: Provider): SchemaFile[] {
  ensureModelsLinks();
  return listPrismaFiles(providerDir(provider)).map((file) => ({
    path: path.relative(ROOT, file),
    content: fs.readFileSync(file, "utf8"),
  }));
}

// ---------------------------------------------------------------------------------------------
// generate

function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

function schemaHash(provider: Provider, files: SchemaFile[]): string {
  const h = createHash("sha256");
  h.update(`${GENERATE_RECIPE}\0${provider}\0prisma ${packageVersion("prisma")}\0client ${packageVersion("@prisma/client")}\0`);
  for (const f of files) h.update(`${f.path}\0${f.content}\0`);
  return h.digest("hex");
}

/**
 * A script that fails loudly, for PRISMA_SCHEMA_ENGINE_BINARY: the prisma CLI wants the path of
 * a native schema engine even to generate (it would download one otherwise, which fails here),
 * and a `prisma migrate …` run by hand must not silently do nothing. The CLI shows the `message`
 * of a JSON log line on stderr ("Error in Schema engine: …") when the engine exits with 1.
 */
function schemaEngineStub(): string {
  const stub = path.join(CACHE_DIR, "schema-engine-stub.sh");
  const message =
    "Tandem: the native Prisma schema engine is deliberately not installed. " +
    "Use node --import tsx scripts/db.ts migrate:create NAME | migrate:deploy | migrate:status | check.";
  const content =
    "#!/bin/sh\n" +
    `echo '${JSON.stringify({ level: "ERROR", fields: { message } })}' >&2\n` +
    "exit 1\n";
  if (!fs.existsSync(stub) || fs.readFileSync(stub, "utf8") !== content) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(stub, content, { mode: 0o755 });
  }
  fs.chmodSync(stub, 0o755);
  return stub;
}

/** Environment for the prisma CLI: no engine download, no update check, no telemetry. */
export function prismaCliEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineStub(),
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
    PRISMA_TELEMETRY_DISABLE: "1",
  };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Cross-process lock (a directory), so a start and a test run cannot generate at the same time. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const lock = path.join(CACHE_DIR, `${name}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true }); // left by a killed process
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export type GenerateResult = { provider: Provider; generated: boolean; ms: number };

/**
 * Generates the Prisma clients into server/db/generated/<provider>, skipping a provider whose
 * schema files (and Prisma versions) hash to what was generated last.
 */
export async function generateClients(options: { force?: boolean; providers?: readonly Provider[] } = {}) {
  const providers = options.providers ?? PROVIDERS;
  const hashFile = (p: Provider) => path.join(GENERATED_DIR, p, ".schema-hash");
  const upToDate = (p: Provider, hash: string) =>
    !options.force &&
    fs.existsSync(path.join(GENERATED_DIR, p, "client.ts")) &&
    (fs.existsSync(hashFile(p)) ? fs.readFileSync(hashFile(p), "utf8").trim() : "") === hash;

  const hashes = new Map(providers.map((p) => [p, schemaHash(p, loadSchemaFiles(p))]));
  if (providers.every((p) => upToDate(p, hashes.get(p)!))) {
    return providers.map((provider): GenerateResult => ({ provider, generated: false, ms: 0 }));
  }
  return withLock("generate", async () => {
    const cli = path.join(path.dirname(require.resolve("prisma/package.json")), "build", "index.js");
    const env = prismaCliEnv();
    return Promise.all(
      providers.map(async (provider): Promise<GenerateResult> => {
        const hash = schemaHash(provider, loadSchemaFiles(provider)); // again, under the lock
        if (upToDate(provider, hash)) return { provider, generated: false, ms: 0 };
        const started = Date.now();
        fs.rmSync(hashFile(provider), { force: true });
        const schema = path.relative(ROOT, providerDir(provider));
        const { code, output } = await run(process.execPath, [cli, "generate", "--schema", schema], env);
        if (code !== 0) throw new Error(`prisma generate --schema ${schema} failed (exit ${code}):\n${output}`);
        fs.writeFileSync(hashFile(provider), `${hash}\n`);
        return { provider, generated: true, ms: Date.now() - started };
      }),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Migration directories

const LOCK_FILE = "migration_lock.toml";

function lockFileContent(provider: Provider): string {
  return (
    "# Please do not edit this file manually\n" +
    "# It should be added in your version-control system (e.g., Git)\n" +
    `provider = "${provider}"\n`
  );
}

function readLockProvider(content: string): string | undefined {
  return /^\s*provider\s*=\s*"([^"]+)"/m.exec(content)?.[1];
}

/** The migrations directory in the shape the engine expects (MigrationList). */
export function loadMigrationsList(provider: Provider, dir = migrationsDir(provider)) {
  const lockPath = path.join(dir, LOCK_FILE);
  const lockContent = fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null;
  if (lockContent !== null && readLockProvider(lockContent) !== provider) {
    throw new Error(`${path.relative(ROOT, lockPath)} names provider "${readLockProvider(lockContent)}", expected "${provider}"`);
  }
  const migrationDirectories = (fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : [])
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      const content = fs.existsSync(file)
        ? ({ tag: "ok", value: fs.readFileSync(file, "utf8") } as const)
        : ({ tag: "error", value: `${path.relative(ROOT, file)} is missing` } as const);
      return { path: name, migrationFile: { path: "migration.sql", content } };
    });
  return {
    baseDir: dir,
    lockfile: { path: LOCK_FILE, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export function migrationNames(provider: Provider): string[] {
  return loadMigrationsList(provider).migrationDirectories.map((d) => d.path);
}

// ---------------------------------------------------------------------------------------------
// Throwaway databases

type Scratch = { factory: MigrationAwareFactory; label: string; cleanup: () => Promise<void> };

/** An empty database of `provider` that is deleted by cleanup(): temp file / tandem_<prefix>_… */
async function scratchDatabase(provider: Provider, prefix: string, pgAdmin?: PostgresConfig): Promise<Scratch> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tandem_${prefix}_`));
    const file = path.join(dir, "scratch.db");
    return {
      factory: await sqliteEngineFactory(file),
      label: file,
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = pgAdmin ?? pgAdminConfig();
  await assertPostgresReachable(admin);
  const name = randomDbName(`tandem_${prefix}`);
  await createPgDatabase(admin, name);
  const config: PostgresConfig = { ...admin, database: name, url: `(database ${name} on ${admin.host}:${admin.port})` };
  return {
    factory: await postgresEngineFactory(config, admin),
    label: `${admin.host}:${admin.port}/${name}`,
    cleanup: () => dropPgDatabase(admin, name),
  };
}

// ---------------------------------------------------------------------------------------------
// migrate:create

export type CreatedMigration = { provider: Provider; name: string; file: string; sql: string };

function migrationTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * The SQL that turns the state after all migrations of `provider` into the schema, i.e. what
 * migrate:create would write ("" when they agree). The engine replays the migrations into a
 * shadow database (in memory for SQLite; a tandem_shadow_… database for PostgreSQL).
 */
export async function migrationDiff(
  provider: Provider,
  options: { pgAdmin?: PostgresConfig; schemaFiles?: SchemaFile[] } = {},
): Promise<string> {
  const schemaFiles = options.schemaFiles ?? loadSchemaFiles(provider);
  const migrationsList = loadMigrationsList(provider);
  if (migrationsList.lockfile.content === null) {
    migrationsList.lockfile.content = lockFileContent(provider); // the engine needs it to pick the connector
  }
  // The engine opens its "main" database even for a diff: give it a throwaway one too.
  const scratch = await scratchDatabase(provider, "diff", options.pgAdmin);
  try {
    return await withSchemaEngine(scratch.factory, schemaFiles, async (engine) => {
      const result = await engine.diff({
        from: { tag: "migrations", ...migrationsList },
        to: { tag: "schemaDatamodel", files: schemaFiles },
        script: true,
        exitCode: true,
        filters: noFilters,
      });
      return result.exitCode === 2 ? (result.stdout ?? "") : "";
    });
  } finally {
    await scratch.cleanup();
  }
}

/**
 * Creates `<timestamp>_<name>/migration.sql` for each provider whose schema differs from its
 * migrations (same directory name for both). Returns what was written.
 */
export async function createMigration(
  rawName: string,
  options: { providers?: readonly Provider[]; pgAdmin?: PostgresConfig } = {},
): Promise<CreatedMigration[]> {
  const slug = rawName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 100);
  if (!slug) throw new Error("migrate:create needs a name, e.g. `migrate:create add_host_labels`");
  const providers = options.providers ?? PROVIDERS;

  // One timestamp for both providers, after every existing migration.
  let stamp = new Date();
  const latest = providers.flatMap((p) => migrationNames(p)).sort().at(-1);
  if (latest && latest.slice(0, 14) >= migrationTimestamp(stamp)) {
    const y = latest.slice(0, 14);
    const last = new Date(`${y.slice(0, 4)}-${y.slice(4, 6)}-${y.slice(6, 8)}T${y.slice(8, 10)}:${y.slice(10, 12)}:${y.slice(12, 14)}Z`);
    stamp = new Date(last.getTime() + 1000);
  }
  const name = `${migrationTimestamp(stamp)}_${slug}`;

  const sqlByProvider = new Map<Provider, string>();
  for (const provider of providers) {
    sqlByProvider.set(provider, await migrationDiff(provider, { pgAdmin: options.pgAdmin }));
  }
  for (const provider of providers) {
    const lockPath = path.join(migrationsDir(provider), LOCK_FILE);
    if (!fs.existsSync(lockPath) && sqlByProvider.get(provider)!.trim()) {
      fs.mkdirSync(path.dirname(lockPath), { recursive: true });
      fs.writeFileSync(lockPath, lockFileContent(provider));
    }
  }
  const created: CreatedMigration[] = [];
  for (const [provider, sql] of sqlByProvider) {
    if (!sql.trim()) continue;
    const file = path.join(migrationsDir(provider), name, "migration.sql");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, sql.endsWith("\n") ? sql : `${sql}\n`);
    created.push({ provider, name, file, sql });
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// migrate:deploy / migrate:status

async function engineFactoryFor(config: DatabaseConfig): Promise<MigrationAwareFactory> {
  if (config.provider === "sqlite") {
    if (config.filePath !== ":memory:") {
      fs.mkdirSync(path.dirname(config.filePath), { recursive: true });
      // WAL is a property of the file: set it before the first migration so readers (console,
      // workers) never block the writer. busy_timeout is per connection (see server/db/client.ts).
      const { default: Database } = await import("better-sqlite3");
      const db = new Database(config.filePath, { timeout: 15_000 });
      try {
        db.pragma("journal_mode = WAL");
      } finally {
        db.close();
      }
    }
    return sqliteEngineFactory(config.filePath);
  }
  await assertPostgresReachable(config);
  return postgresEngineFactory(config, config);
}

function requireMigrations(provider: Provider) {
  const list = loadMigrationsList(provider);
  if (list.migrationDirectories.length === 0) {
    throw new Error(`no migrations in ${path.relative(ROOT, list.baseDir)} (create them with migrate:create)`);
  }
  return list;
}

async function sqliteUpToDate(filePath: string, names: string[]): Promise<boolean> {
  if (filePath === ":memory:" || !fs.existsSync(filePath)) return false;
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(filePath, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (!table) return false;
    const rows = db.prepare("SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as { name: string }[];
    const done = new Set(rows.map((r) => r.name));
    return names.every((n) => done.has(n));
  } finally {
    db.close();
  }
}

export type DeployResult = { provider: Provider; applied: string[]; ms: number };

/**
 * Applies the pending migrations of the URL's provider (idempotent; records them in
 * _prisma_migrations like `prisma migrate deploy`). SQLite files and their directories are
 * created; a PostgreSQL database must exist already.
 */
export async function deployMigrations(databaseUrl: string = databaseUrlFromEnv()): Promise<DeployResult> {
  const started = Date.now();
  const config = parseDatabaseUrl(databaseUrl);
  const migrationsList = requireMigrations(config.provider);
  // SQLite: the engine takes the file in exclusive locking mode, which waits for (and times out
  // on) any other process that has it open, such as a second console. When everything is
  // applied already there is nothing to lock for, so look first.
  if (config.provider === "sqlite" && (await sqliteUpToDate(config.filePath, migrationsList.migrationDirectories.map((d) => d.path)))) {
    return { provider: config.provider, applied: [], ms: Date.now() - started };
  }
  const factory = await engineFactoryFor(config);
  const { appliedMigrationNames } = await withSchemaEngine(factory, undefined, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noFilters }),
  );
  return { provider: config.provider, applied: appliedMigrationNames, ms: Date.now() - started };
}

export type MigrationStatus = {
  provider: Provider;
  applied: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  /** Names in the database's history but not in the migrations directory. */
  unknown: string[];
  hasMigrationsTable: boolean;
};

export async function migrationStatus(databaseUrl: string = databaseUrlFromEnv()): Promise<MigrationStatus> {
  const config = parseDatabaseUrl(databaseUrl);
  const migrationsList = loadMigrationsList(config.provider);
  const all = migrationsList.migrationDirectories.map((d) => d.path);
  if (config.provider === "sqlite" && config.filePath !== ":memory:" && !fs.existsSync(config.filePath)) {
    return { provider: config.provider, applied: [], pending: all, failed: [], edited: [], unknown: [], hasMigrationsTable: false };
  }
  const factory = await engineFactoryFor(config);
  try {
    const out = await withSchemaEngine(factory, undefined, (engine) =>
      engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: noFilters }),
    );
    const h = out.history;
    const pending = h && h.diagnostic !== "migrationsDirectoryIsBehind" ? h.unappliedMigrationNames : [];
    const unknown = h && h.diagnostic !== "databaseIsBehind" ? h.unpersistedMigrationNames : [];
    return {
      provider: config.provider,
      applied: out.hasMigrationsTable ? all.filter((n) => !pending.includes(n)) : [],
      pending: out.hasMigrationsTable ? pending : all,
      failed: out.failedMigrationNames,
      edited: out.editedMigrationNames,
      unknown,
      hasMigrationsTable: out.hasMigrationsTable,
    };
  } catch (error) {
    // Fresh database: no _prisma_migrations table yet. Nothing applied.
    if (error instanceof SchemaEngineError && error.code === "P1014") {
      return { provider: config.provider, applied: [], pending: all, failed: [], edited: [], unknown: [], hasMigrationsTable: false };
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// check

export type CheckResult = {
  provider: Provider;
  ok: boolean;
  /** Human-readable differences between the replayed migrations and the schema. */
  drift: string;
  /** SQL that would bring the migrated database to the schema (what migrate:create would write). */
  sql: string;
  migrations: string[];
  database: string;
  ms: number;
};

/**
 * Replays every migration of `provider` into a throwaway database (temp SQLite file / a
 * tandem_check_… PostgreSQL database, dropped afterwards) and diffs the result against the
 * schema. `schemaFiles` overrides the schema (tests use it to prove drift is caught).
 */
export async function checkProvider(
  provider: Provider,
  options: { pgAdmin?: PostgresConfig; schemaFiles?: SchemaFile[] } = {},
): Promise<CheckResult> {
  const started = Date.now();
  const schemaFiles = options.schemaFiles ?? loadSchemaFiles(provider);
  const migrationsList = requireMigrations(provider);
  const scratch = await scratchDatabase(provider, "check", options.pgAdmin);
  try {
    return await withSchemaEngine(scratch.factory, schemaFiles, async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
      const live = { tag: "schemaDatasource" as const, files: schemaFiles, configDir: ROOT };
      const target = { tag: "schemaDatamodel" as const, files: schemaFiles };
      const summary = await engine.diff({ from: live, to: target, script: false, exitCode: true, filters: noFilters });
      const ok = summary.exitCode === 0;
      const sql = ok
        ? ""
        : ((await engine.diff({ from: live, to: target, script: true, exitCode: true, filters: noFilters })).stdout ?? "");
      return {
        provider,
        ok,
        drift: ok ? "" : (summary.stdout ?? "").trim(),
        sql: sql.trim(),
        migrations: appliedMigrationNames,
        database: scratch.label,
        ms: Date.now() - started,
      };
    });
  } finally {
    await scratch.cleanup();
  }
}

export async function checkMigrations(
  options: { providers?: readonly Provider[]; pgAdmin?: PostgresConfig } = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const provider of options.providers ?? PROVIDERS) results.push(await checkProvider(provider, options));
  return results;
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith("--")) {
      const [k, v] = a.slice(2).split("=", 2) as [string, string | undefined];
      if (v !== undefined) flags.set(k, v);
      else if (k === "provider") flags.set(k, argv[++i] ?? "");
      else flags.set(k, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

function providersFlag(flags: Map<string, string | true>): Provider[] | undefined {
  const v = flags.get("provider");
  if (v === undefined) return undefined;
  if (v !== "sqlite" && v !== "postgresql") throw new Error(`--provider must be sqlite or postgresql, got "${v}"`);
  return [v];
}

const USAGE = `usage: node --import tsx scripts/db.ts <command>
  generate [--force]                  generate both Prisma clients (skips when the schema is unchanged)
  migrate:create NAME [--provider P]  create a migration for both providers from the schema
  migrate:deploy                      apply pending migrations to DATABASE_URL (default ${DEFAULT_DATABASE_URL})
  migrate:status                      list applied and pending migrations of DATABASE_URL
  check [--provider P]                replay migrations into throwaway databases, diff against the schema`;

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [command, ...rest] = positional;
  switch (command) {
    case "generate": {
      const results = await generateClients({ force: flags.has("force") });
      for (const r of results) {
        console.log(r.generated ? `generated ${r.provider} client in ${r.ms} ms` : `${r.provider} client up to date`);
      }
      return 0;
    }
    case "migrate:create": {
      const created = await createMigration(rest.join(" "), { providers: providersFlag(flags) });
      if (created.length === 0) console.log("schema and migrations agree: no migration created");
      for (const c of created) console.log(`created ${path.relative(ROOT, c.file)}`);
      return 0;
    }
    case "migrate:deploy": {
      const url = databaseUrlFromEnv();
      const r = await deployMigrations(url);
      console.log(
        r.applied.length
          ? `applied ${r.applied.length} migration(s) to ${redactDatabaseUrl(url)}: ${r.applied.join(", ")} (${r.ms} ms)`
          : `${redactDatabaseUrl(url)} is up to date (${r.ms} ms)`,
      );
      return 0;
    }
    case "migrate:status": {
      const url = databaseUrlFromEnv();
      const s = await migrationStatus(url);
      console.log(`${redactDatabaseUrl(url)} (${s.provider})`);
      console.log(`  applied: ${s.applied.join(", ") || "none"}`);
      console.log(`  pending: ${s.pending.join(", ") || "none"}`);
      if (s.failed.length) console.log(`  FAILED: ${s.failed.join(", ")}`);
      if (s.edited.length) console.log(`  edited after being applied: ${s.edited.join(", ")}`);
      if (s.unknown.length) console.log(`  in the database but not in the migrations directory: ${s.unknown.join(", ")}`);
      return s.failed.length || s.edited.length || s.unknown.length ? 1 : 0;
    }
    case "check": {
      let failed = 0;
      for (const provider of providersFlag(flags) ?? PROVIDERS) {
        try {
          const r = await checkProvider(provider);
          if (r.ok) {
            console.log(`${provider}: ${r.migrations.length} migration(s) match the schema (${r.ms} ms)`);
          } else {
            failed++;
            console.error(`${provider}: DRIFT between prisma/${provider}/migrations and the schema:\n${r.drift}`);
            console.error(`\nSQL that would fix it (create it with migrate:create NAME):\n${r.sql}\n`);
          }
        } catch (error) {
          failed++;
          console.error(`${provider}: check failed: ${(error as Error).message}`);
        }
      }
      return failed ? 1 : 0;
    }
    default:
      console.error(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    // Exit explicitly: the schema engine leaves a timer running after PostgreSQL work.
    (code) => process.exit(code),
    (error: unknown) => {
      const e = error as Error & { code?: string };
      console.error(`db: ${e.code ? `[${e.code}] ` : ""}${e.message ?? String(error)}`);
      if (process.env.TANDEM_DB_DEBUG && e.stack) console.error(e.stack);
      process.exit(1);
    },
  );
}
