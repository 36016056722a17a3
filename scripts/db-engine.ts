// Drives Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm) through a driver adapter.
// Used by scripts/db.ts; nothing here downloads anything or spawns the native schema engine.
//
// The engine's contract with JavaScript, as found with @prisma/schema-engine-wasm
// 8.1.0-2.59be4fda… (pinned exactly in package.json: the package is internal to Prisma and its API
// changes without notice):
// - SchemaEngine.new({ datamodels }, logCallback, adapterFactory); the factory needs connect() and
//   connectToShadowDb(), and it is called at once (connect) — the main database is opened even for
//   commands that only use the shadow database;
// - every adapter/factory/transaction method must return `{ ok: true, value }` or
//   `{ ok: false, error }` (a DriverAdapterError's cause, or { kind: "GenericJs", id });
// - the package's main entry imports the .wasm file as an ES module, which Node 20 cannot do
//   without a flag: we instantiate schema_engine_bg.wasm ourselves;
// - a panic writes to globalThis.PRISMA_WASM_PANIC_REGISTRY, which must exist.
import fs from "node:fs";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import type * as EngineModule from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import type pgTypes from "pg";
import type { PostgresConfig } from "../server/db/database-url";
import { pgConnectionFields } from "../server/db/database-url";

export type { SchemaEngine };
export type Provider = "sqlite" | "postgresql";

const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Loading the WebAssembly module (once per process)

let enginePromise: Promise<typeof EngineModule> | undefined;

// The engine schedules timers (e.g. a 10 s timeout around PostgreSQL's advisory lock) and never
// clears them: they keep a process alive after the work is done and fire into a freed engine.
// Its setTimeout import is wrapped to track them; they are cleared when no engine is running.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let activeEngines = 0;

function clearEngineTimers() {
  for (const t of engineTimers) clearTimeout(t);
  engineTimers.clear();
}

function trackedSetTimeout(callback: () => void, ms: number) {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

async function loadEngineModule(): Promise<typeof EngineModule> {
  enginePromise ??= (async () => {
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: "",
      set_message(this: { message: string }, message: string) {
        this.message = `RuntimeError: ${message}`;
      },
    };
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const jsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await fs.promises.readFile(jsPath.replace(/\.js$/, ".wasm"));
    const wasmModule = await WebAssembly.compile(bytes);
    const imports: Record<string, unknown> = { ...bg };
    const setTimeoutImports = Object.keys(bg).filter((k) => k.startsWith("__wbg_setTimeout_"));
    if (setTimeoutImports.length !== 1) {
      throw new Error("unexpected @prisma/schema-engine-wasm build (setTimeout import not found): check the pinned version");
    }
    imports[setTimeoutImports[0]!] = trackedSetTimeout;
    const instance = await WebAssembly.instantiate(wasmModule, {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bg;
  })();
  return enginePromise;
}

// ---------------------------------------------------------------------------------------------
// Binding a driver adapter factory to the engine's { ok, value } convention

type AnyFn = (...args: unknown[]) => unknown;
type Result = { ok: true; value: unknown } | { ok: false; error: unknown };

class ErrorRegistry {
  readonly errors = new Map<number, unknown>();
  #next = 1;
  register(error: unknown): number {
    const id = this.#next++;
    this.errors.set(id, error);
    return id;
  }
  /** The JavaScript error behind a "GenericJs" failure the engine reported, if any. */
  latest(): unknown {
    return [...this.errors.values()].at(-1);
  }
}

function toErrorResult(registry: ErrorRegistry, error: unknown): Result {
  const e = error as { name?: string; cause?: unknown };
  if (e?.name === "DriverAdapterError" && e.cause) return { ok: false, error: e.cause };
  return { ok: false, error: { kind: "GenericJs", id: registry.register(error) } };
}

function wrapAsync(registry: ErrorRegistry, fn: AnyFn, map?: (value: unknown) => unknown) {
  return async (...args: unknown[]): Promise<Result> => {
    try {
      const value = await fn(...args);
      return { ok: true, value: map ? map(value) : value };
    } catch (error) {
      return toErrorResult(registry, error);
    }
  };
}

const QUERYABLE_METHODS = [
  "queryRaw",
  "executeRaw",
  "executeScript",
  "dispose",
  "commit",
  "rollback",
  "createSavepoint",
  "rollbackToSavepoint",
  "releaseSavepoint",
] as const;

function bindQueryable(registry: ErrorRegistry, target: Record<string, unknown>): Record<string, unknown> {
  const bound: Record<string, unknown> = {
    adapterName: target.adapterName,
    provider: target.provider,
  };
  if ("options" in target) bound.options = target.options;
  for (const name of QUERYABLE_METHODS) {
    const fn = target[name];
    if (typeof fn === "function") bound[name] = wrapAsync(registry, fn.bind(target) as AnyFn);
  }
  if (typeof target.startTransaction === "function") {
    bound.startTransaction = wrapAsync(registry, target.startTransaction.bind(target) as AnyFn, (tx) =>
      bindQueryable(registry, tx as Record<string, unknown>),
    );
  }
  if (typeof target.getConnectionInfo === "function") {
    const fn = target.getConnectionInfo.bind(target) as AnyFn;
    bound.getConnectionInfo = (...args: unknown[]): Result => {
      try {
        return { ok: true, value: fn(...args) };
      } catch (error) {
        return toErrorResult(registry, error);
      }
    };
  }
  return bound;
}

export interface MigrationAwareFactory {
  readonly provider: string;
  readonly adapterName: string;
  connect(): Promise<unknown>;
  connectToShadowDb(): Promise<unknown>;
}

/**
 * Binds the factory and keeps track of every adapter it opens: the engine disposes the shadow
 * database's adapter, but not the main one when it is freed. Left open, that connection keeps the
 * process alive and, on PostgreSQL, holds the engine's advisory lock (the next deploy then
 * waits 10 s for it).
 */
function bindFactory(registry: ErrorRegistry, factory: MigrationAwareFactory, opened: Set<() => Promise<void>>) {
  const track = (a: unknown) => {
    const adapter = a as Record<string, unknown> & { dispose: () => Promise<void> };
    const dispose = adapter.dispose.bind(adapter);
    let disposing: Promise<void> | undefined;
    const once = () => (disposing ??= (async () => {
      opened.delete(once);
      await dispose();
    })());
    adapter.dispose = once;
    opened.add(once);
    return bindQueryable(registry, adapter);
  };
  return {
    adapterName: factory.adapterName,
    provider: factory.provider,
    connect: wrapAsync(registry, () => factory.connect(), track),
    connectToShadowDb: wrapAsync(registry, () => factory.connectToShadowDb(), track),
  };
}

// ---------------------------------------------------------------------------------------------
// Running engine commands

export class SchemaEngineError extends Error {
  override name = "SchemaEngineError";
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type SchemaFile = { path: string; content: string };

/**
 * Opens an engine on `factory`, runs `fn`, frees the engine. Engine errors become
 * SchemaEngineError (with the Prisma error code when the engine gives one, e.g. P1014, P3005);
 * errors thrown by the adapter itself are attached as `cause`.
 */
export async function withSchemaEngine<T>(
  factory: MigrationAwareFactory,
  schemaFiles: SchemaFile[] | undefined,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const bg = await loadEngineModule();
  const registry = new ErrorRegistry();
  const opened = new Set<() => Promise<void>>();
  const log = (line: string) => {
    if (process.env.TANDEM_DB_DEBUG) process.stderr.write(`[schema-engine] ${line}\n`);
  };
  activeEngines++;
  try {
    let engine: SchemaEngine;
    try {
      engine = await bg.SchemaEngine.new(
        { datamodels: schemaFiles?.length ? schemaFiles.map((f) => [f.path, f.content]) : undefined },
        log,
        bindFactory(registry, factory, opened),
      );
    } catch (error) {
      throw toEngineError(error, registry);
    }
    try {
      return await fn(engine);
    } catch (error) {
      throw toEngineError(error, registry);
    } finally {
      engine.free();
    }
  } finally {
    for (const dispose of [...opened]) await dispose().catch(() => {});
    if (--activeEngines === 0) clearEngineTimers();
  }
}

function toEngineError(error: unknown, registry: ErrorRegistry): Error {
  if (error instanceof SchemaEngineError) return error;
  const e = error as { message?: string; code?: string; name?: string };
  const jsError = registry.latest();
  let message = String(e?.message ?? error);
  // Drop the engine's span trace ("   0: sql_schema_connector::…") — noise for users.
  message = message.replace(/\n\s+0: [\s\S]*$/, "").trim();
  if (jsError instanceof Error && !message.includes(jsError.message)) {
    message += `\n  caused by: ${jsError.message}`;
  }
  const registryPanic = (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message?: string } })
    .PRISMA_WASM_PANIC_REGISTRY;
  if (e?.name === "RuntimeError" && registryPanic?.message) message = `schema engine panic: ${registryPanic.message}`;
  return new SchemaEngineError(message, e?.code, { cause: jsError ?? error });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers

type PgModule = typeof pgTypes;

async function loadPg(): Promise<PgModule> {
  return (await import("pg")).default;
}

const PG_CHAR_OID = 18; // PostgreSQL's internal one-byte "char" type (pg_class.relkind, …)
const PG_TEXT_OID = 25;

/**
 * adapter-pg refuses result columns of PostgreSQL's internal "char" type
 * (UnsupportedNativeDataType), and the engine's introspection queries of the catalog return
 * some. pg already hands their values over as strings; relabel the columns as text.
 */
function charAsTextClient(pg: PgModule): typeof pgTypes.Client {
  const fix = (res: unknown) => {
    const list = Array.isArray(res) ? res : [res];
    for (const r of list as { fields?: { dataTypeID: number }[] }[]) {
      for (const f of r?.fields ?? []) if (f.dataTypeID === PG_CHAR_OID) f.dataTypeID = PG_TEXT_OID;
    }
    return res;
  };
  class CharAsTextClient extends pg.Client {}
  const original = pg.Client.prototype.query as AnyFn;
  (CharAsTextClient.prototype as unknown as { query: AnyFn }).query = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const cb = args[last] as (err: unknown, res: unknown) => void;
      args[last] = (err: unknown, res: unknown) => cb(err, err ? res : fix(res));
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as { then?: unknown } | undefined;
    return typeof result?.then === "function" ? (result as Promise<unknown>).then(fix) : result;
  };
  return CharAsTextClient;
}

/** A pg.Pool for the engine: fields (never a connection string), "char" columns as text. */
async function enginePool(config: PostgresConfig, database: string) {
  const pg = await loadPg();
  return new pg.Pool({ ...pgConnectionFields(config, database), max: 2, Client: charAsTextClient(pg) });
}

/** Connects once with a short timeout and turns the usual failures into clear messages. */
export async function assertPostgresReachable(config: PostgresConfig, database = config.database) {
  const pg = await loadPg();
  const client = new pg.Client({
    ...pgConnectionFields(config, database),
    connectionTimeoutMillis: (config.connectTimeoutSeconds ?? 10) * 1000,
  });
  const where = `${config.user ?? "(default user)"}@${config.host}:${config.port}`;
  try {
    await client.connect();
  } catch (error) {
    const e = error as { code?: string; message: string };
    if (e.code === "3D000") {
      throw new Error(
        `PostgreSQL database "${database}" does not exist on ${where}. ` +
          `Create it first (e.g. \`createdb -h ${config.host} -p ${config.port}${config.user ? ` -U ${config.user}` : ""} ${database}\`); ` +
          "migrations never create the database.",
        { cause: error },
      );
    }
    if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "EHOSTUNREACH") {
      throw new Error(`cannot reach PostgreSQL at ${config.host}:${config.port} (${e.code})`, { cause: error });
    }
    throw new Error(`cannot connect to PostgreSQL as ${where}, database "${database}": ${e.message}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates a database through a maintenance connection (fields, not a URL). */
export async function createPgDatabase(admin: PostgresConfig, name: string) {
  const pg = await loadPg();
  const client = new pg.Client(pgConnectionFields(admin));
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } finally {
    await client.end();
  }
}

/** Drops a database (FORCE: terminates leftover connections; PostgreSQL ≥ 13). */
export async function dropPgDatabase(admin: PostgresConfig, name: string) {
  if (name === admin.database) throw new Error(`refusing to drop the maintenance database "${name}"`);
  const pg = await loadPg();
  const client = new pg.Client(pgConnectionFields(admin));
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export function randomDbName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

/**
 * Engine factory for PostgreSQL. connect() opens `config`'s database; connectToShadowDb()
 * creates a fresh `tandem_shadow_…` database on `shadowAdmin`'s server (by name, as a separate
 * field) and drops it on dispose, after its pool has been closed — adapter-pg's own shadow helper
 * keeps the database name of a connection string (the shadow database would be the real one)
 * and drops the database while still connected to it.
 */
export async function postgresEngineFactory(
  config: PostgresConfig,
  shadowAdmin: PostgresConfig = config,
): Promise<MigrationAwareFactory> {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const open = async (database: string, onDispose?: () => Promise<void>) => {
    const pool = await enginePool(config.database === database ? config : shadowAdmin, database);
    const adapter = await new PrismaPg(pool, {
      schema: config.schema,
      disposeExternalPool: true,
    }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await onDispose?.();
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => open(config.database),
    connectToShadowDb: async () => {
      const name = randomDbName("tandem_shadow");
      await createPgDatabase(shadowAdmin, name);
      return open(name, () => dropPgDatabase(shadowAdmin, name));
    },
  };
}

/**
 * better-sqlite3 prepares one statement at a time and the adapter's executeRaw rejects a string
 * with several ("The supplied SQL string contains more than one statement"). The engine sends
 * whole migration scripts through executeRaw when it replays migrations into the shadow
 * database (migrate:create); run those through executeScript instead.
 */
type RawQuery = { sql: string; args: unknown[] };
interface ScriptCapable {
  executeRaw(query: RawQuery): Promise<number>;
  executeScript(script: string): Promise<void>;
}

function multiStatementExecuteRaw<A extends ScriptCapable>(adapter: A): A {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: RawQuery) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length === 0 && /more than one statement/.test(String((error as Error)?.message))) {
        await adapter.executeScript(query.sql);
        return 0;
      }
      throw error;
    }
  };
  return adapter;
}

/** Engine factory for SQLite; the shadow database is in memory. */
export async function sqliteEngineFactory(filePath: string): Promise<MigrationAwareFactory> {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const factory = new PrismaBetterSqlite3({ url: filePath, timeout: 15_000 }, { shadowDatabaseUrl: ":memory:" });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => multiStatementExecuteRaw(await factory.connect()),
    connectToShadowDb: async () => multiStatementExecuteRaw(await factory.connectToShadowDb()),
  };
}
