// Parses and validates DATABASE_URL. Two forms are accepted:
//   file:<path>                         SQLite (relative paths are resolved against the process's cwd)
//   postgresql://user[:pw]@host[:port]/database[?sslmode=…]   PostgreSQL (postgres:// too)
// Only node builtins and zod: scripts/db.ts and the console both use this.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/** Used when DATABASE_URL is not set: a local SQLite file (.data/ is git-ignored). */
export const DEFAULT_DATABASE_URL = "file:./.data/tandem.db";

export type SqliteConfig = {
  provider: "sqlite";
  url: string;
  /** Absolute path of the database file, or ":memory:". */
  filePath: string;
};

export type PostgresConfig = {
  provider: "postgresql";
  url: string;
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** From ?sslmode=…: false for disable, undefined when not given (pg's default). */
  ssl: boolean | { rejectUnauthorized: boolean } | undefined;
  /** From ?schema=… (Prisma's convention); undefined means the server's search_path. */
  schema: string | undefined;
  applicationName: string | undefined;
  /** From ?connect_timeout=… (seconds, libpq convention). */
  connectTimeoutSeconds: number | undefined;
};

export type DatabaseConfig = SqliteConfig | PostgresConfig;
export type DatabaseProvider = DatabaseConfig["provider"];

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@/]*@/i, "$1***@");
}

const FORMS =
  'expected "file:<path>" (SQLite) or "postgresql://user@host:port/database" (PostgreSQL)';

function parseSqlite(url: string, cwd: string): SqliteConfig {
  let rest: string;
  if (url.startsWith("file://")) {
    try {
      rest = fileURLToPath(url.split("?")[0]!);
    } catch (error) {
      throw new DatabaseUrlError(`invalid file URL: ${(error as Error).message}`);
    }
  } else {
    rest = url.slice("file:".length);
  }
  if (rest.includes("?")) {
    throw new DatabaseUrlError(
      "query parameters are not supported in SQLite URLs (busy timeout and WAL are set by server/db/client.ts)",
    );
  }
  if (rest === "") throw new DatabaseUrlError('the SQLite URL has no path, e.g. "file:./.data/tandem.db"');
  const filePath = rest === ":memory:" ? rest : path.resolve(cwd, rest);
  return { provider: "sqlite", url, filePath };
}

function parsePostgres(url: string): PostgresConfig {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new DatabaseUrlError(`not a valid URL (${FORMS})`);
  }
  const params = u.searchParams;
  // ?host=/var/run/postgresql selects a Unix socket directory (libpq convention).
  const host = params.get("host") ?? decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ""));
  if (!host) throw new DatabaseUrlError("the PostgreSQL URL has no host");
  const port = u.port ? Number(u.port) : 5432;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new DatabaseUrlError(`invalid PostgreSQL port "${u.port}"`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) {
    throw new DatabaseUrlError(
      'the PostgreSQL URL must name a database, e.g. "postgresql://postgres@127.0.0.1:5432/tandem"',
    );
  }
  const sslmode = params.get("sslmode");
  let ssl: PostgresConfig["ssl"];
  if (sslmode === null) ssl = undefined;
  else if (sslmode === "disable") ssl = false;
  else if (sslmode === "prefer" || sslmode === "require" || sslmode === "no-verify") {
    ssl = { rejectUnauthorized: false };
  } else if (sslmode === "verify-ca" || sslmode === "verify-full") {
    ssl = { rejectUnauthorized: true };
  } else {
    throw new DatabaseUrlError(`unsupported sslmode "${sslmode}"`);
  }
  const known = new Set(["host", "sslmode", "schema", "application_name", "connect_timeout"]);
  const unknown = [...params.keys()].filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new DatabaseUrlError(
      `unsupported PostgreSQL URL parameter(s): ${unknown.join(", ")} (supported: ${[...known].join(", ")})`,
    );
  }
  const timeout = params.get("connect_timeout");
  const connectTimeoutSeconds = timeout === null ? undefined : Number(timeout);
  if (connectTimeoutSeconds !== undefined && !(connectTimeoutSeconds >= 0)) {
    throw new DatabaseUrlError(`invalid connect_timeout "${timeout}"`);
  }
  return {
    provider: "postgresql",
    url,
    host,
    port,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    ssl,
    schema: params.get("schema") ?? undefined,
    applicationName: params.get("application_name") ?? undefined,
    connectTimeoutSeconds,
  };
}

function databaseUrlSchema(name: string, cwd: string) {
  return z
    .string({ error: `${name} must be a string` })
    .trim()
    .min(1, { error: `${name} is empty (${FORMS})` })
    .transform((url, ctx): DatabaseConfig => {
      try {
        if (/^file:/i.test(url)) return parseSqlite(url, cwd);
        if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgres(url);
        throw new DatabaseUrlError(FORMS);
      } catch (error) {
        if (!(error instanceof DatabaseUrlError)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
        return z.NEVER;
      }
    });
}

/**
 * Parses a database URL; throws DatabaseUrlError with a message naming the variable, the
 * problem and the accepted forms (password redacted).
 */
export function parseDatabaseUrl(
  url: string | undefined,
  options: { name?: string; cwd?: string } = {},
): DatabaseConfig {
  const name = options.name ?? "DATABASE_URL";
  if (url === undefined) throw new DatabaseUrlError(`${name} is not set (${FORMS})`);
  const result = databaseUrlSchema(name, options.cwd ?? process.cwd()).safeParse(url);
  if (!result.success) {
    const reasons = result.error.issues.map((i) => i.message).join("; ");
    throw new DatabaseUrlError(`invalid ${name} "${redactDatabaseUrl(url.trim())}": ${reasons}`);
  }
  return result.data;
}

/** DATABASE_URL from the environment, or DEFAULT_DATABASE_URL when unset or empty. */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATABASE_URL?.trim();
  return value ? value : DEFAULT_DATABASE_URL;
}

/** Connection fields for `pg` (never a connection string, so `database` cannot be overridden by one). */
export function pgConnectionFields(config: PostgresConfig, database: string = config.database) {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database,
    ssl: config.ssl,
    application_name: config.applicationName,
    connectionTimeoutMillis:
      config.connectTimeoutSeconds === undefined ? undefined : config.connectTimeoutSeconds * 1000,
  };
}
