// Database layer: migrations match the schema, deploy is idempotent, and the generated clients
// work through createPrisma — on SQLite and on PostgreSQL (127.0.0.1:5432, trust auth; override
// with DATABASE_URL_PG). Every database made here has a unique name and is dropped afterwards.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkProvider,
  deployMigrations,
  generateClients,
  loadSchemaFiles,
  migrationDiff,
  migrationNames,
  migrationStatus,
  pgAdminConfig,
  type Provider,
} from "./db";
import { createPgDatabase, dropPgDatabase, randomDbName } from "./db-engine";
import { parseDatabaseUrl, DatabaseUrlError } from "../server/db/database-url";

const pgAdmin = pgAdminConfig();
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-db-test-"));
const pgDatabases: string[] = [];

/** A fresh, empty database URL for `provider`. */
async function freshDatabaseUrl(provider: Provider): Promise<string> {
  if (provider === "sqlite") {
    // Parent directories do not exist yet: deploy must create them.
    return `file:${path.join(tmpDir, randomDbName("sqlite"), "nested", "tandem.db")}`;
  }
  const name = randomDbName("tandem_test");
  await createPgDatabase(pgAdmin, name);
  pgDatabases.push(name);
  const auth = pgAdmin.user ? `${encodeURIComponent(pgAdmin.user)}${pgAdmin.password ? `:${encodeURIComponent(pgAdmin.password)}` : ""}@` : "";
  return `postgresql://${auth}${pgAdmin.host}:${pgAdmin.port}/${name}`;
}

let createPrisma: typeof import("../server/db/client").createPrisma;
let isUniqueViolation: typeof import("../server/db/client").isUniqueViolation;

beforeAll(async () => {
  // The clients are not in git: generate them (a no-op when up to date), then load the factory.
  await generateClients();
  ({ createPrisma, isUniqueViolation } = await import("../server/db/client"));
});

afterAll(async () => {
  for (const name of pgDatabases) await dropPgDatabase(pgAdmin, name);
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

describe.each(["sqlite", "postgresql"] as const)("%s", (provider) => {
  it("has migrations, and replaying them gives exactly the schema", async () => {
    expect(migrationNames(provider).length).toBeGreaterThan(0);
    const result = await checkProvider(provider, { pgAdmin });
    expect(result.drift).toBe("");
    expect(result.ok).toBe(true);
    expect(result.migrations).toEqual(migrationNames(provider));
  });

  it("check reports drift when the schema has changes no migration has", async () => {
    const files = loadSchemaFiles(provider);
    files.push({ path: "prisma/models/zz_drift.prisma", content: "model DriftProbe {\n  id Int @id\n  note String?\n}\n" });
    const result = await checkProvider(provider, { pgAdmin, schemaFiles: files });
    expect(result.ok).toBe(false);
    expect(result.drift).toContain("DriftProbe");
    expect(result.sql).toMatch(/CREATE TABLE "DriftProbe"/);
  });

  it("migrate:create's diff (migrations replayed in a shadow database) is empty, and sees new models", async () => {
    expect(await migrationDiff(provider, { pgAdmin })).toBe("");
    const files = loadSchemaFiles(provider);
    files.push({ path: "prisma/models/zz_drift.prisma", content: "model DriftProbe {\n  id Int @id\n}\n" });
    expect(await migrationDiff(provider, { pgAdmin, schemaFiles: files })).toMatch(/CREATE TABLE "DriftProbe"/);
  });

  it("deploys to a fresh database, and deploying again changes nothing", async () => {
    const url = await freshDatabaseUrl(provider);
    const before = await migrationStatus(url); // fresh: no _prisma_migrations table yet
    expect(before.applied).toEqual([]);
    expect(before.pending).toEqual(migrationNames(provider));

    const first = await deployMigrations(url);
    expect(first.applied).toEqual(migrationNames(provider));
    const second = await deployMigrations(url);
    expect(second.applied).toEqual([]);
    expect(second.ms).toBeLessThan(5_000); // no wait on a lock left behind by the first run

    const after = await migrationStatus(url);
    expect(after).toMatchObject({ pending: [], failed: [], edited: [], unknown: [], hasMigrationsTable: true });
    expect(after.applied).toEqual(migrationNames(provider));
  });

  it("writes and reads rows through createPrisma", async () => {
    const url = await freshDatabaseUrl(provider);
    await deployMigrations(url);
    const { db, provider: detected } = createPrisma(url);
    try {
      expect(detected).toBe(provider);
      const pair = await db.hostPair.create({
        data: {
          name: "pair-a",
          hosts: {
            create: [
              { name: "host-1", agentUrl: "http://10.0.0.1:7070", agentToken: "t1", aluaNodeId: 1, capacityBytes: 2n ** 40n },
              { name: "host-2", agentUrl: "http://10.0.0.2:7070", agentToken: "t2", aluaNodeId: 2 },
            ],
          },
        },
      });
      const read = await db.hostPair.findUniqueOrThrow({
        where: { id: pair.id },
        include: { hosts: { orderBy: { name: "asc" } } },
      });
      expect(read.name).toBe("pair-a");
      expect(read.aluaEnabled).toBe(true);
      expect(read.createdAt).toBeInstanceOf(Date);
      expect(read.hosts.map((h) => [h.name, h.aluaNodeId, h.status])).toEqual([
        ["host-1", 1, "offline"],
        ["host-2", 2, "offline"],
      ]);
      expect(read.hosts[0]!.capacityBytes).toBe(2n ** 40n);

      const duplicate = await db.hostPair.create({ data: { name: "pair-a" } }).catch((e: unknown) => e);
      expect(isUniqueViolation(duplicate)).toBe(true);

      // Interactive transactions work with both adapters.
      await db.$transaction(async (tx) => {
        await tx.hostPair.update({ where: { id: pair.id }, data: { aluaEnabled: false } });
      });
      expect((await db.hostPair.findUniqueOrThrow({ where: { id: pair.id } })).aluaEnabled).toBe(false);
    } finally {
      await db.$disconnect();
    }
  });
});

describe("SQLite file settings", () => {
  it("uses WAL and a busy timeout", async () => {
    const url = await freshDatabaseUrl("sqlite");
    await deployMigrations(url);
    const { db } = createPrisma(url, { busyTimeoutMs: 4321 });
    try {
      const [mode] = await db.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode");
      expect(mode!.journal_mode).toBe("wal");
      const [busy] = await db.$queryRawUnsafe<{ timeout: bigint | number }[]>("PRAGMA busy_timeout");
      expect(Number(busy!.timeout)).toBe(4321);
    } finally {
      await db.$disconnect();
    }
  });
});

describe("deploy errors", () => {
  it("says clearly when the PostgreSQL database does not exist", async () => {
    const name = randomDbName("tandem_missing");
    const url = `postgresql://${pgAdmin.user ?? "postgres"}@${pgAdmin.host}:${pgAdmin.port}/${name}`;
    await expect(deployMigrations(url)).rejects.toThrow(`PostgreSQL database "${name}" does not exist`);
  });
});

describe("parseDatabaseUrl", () => {
  it("accepts SQLite file URLs, resolving relative paths against cwd", () => {
    expect(parseDatabaseUrl("file:./.data/t.db", { cwd: "/srv/tandem" })).toMatchObject({
      provider: "sqlite",
      filePath: "/srv/tandem/.data/t.db",
    });
    expect(parseDatabaseUrl("file:/var/lib/tandem/t.db")).toMatchObject({ filePath: "/var/lib/tandem/t.db" });
    expect(parseDatabaseUrl("file:///var/lib/tandem/t.db")).toMatchObject({ filePath: "/var/lib/tandem/t.db" });
  });

  it("accepts PostgreSQL URLs and splits them into fields", () => {
    expect(parseDatabaseUrl("postgres://u:p%40ss@db.example:6543/tandem?sslmode=require&schema=app")).toMatchObject({
      provider: "postgresql",
      host: "db.example",
      port: 6543,
      user: "u",
      password: "p@ss",
      database: "tandem",
      ssl: { rejectUnauthorized: false },
      schema: "app",
    });
  });

  it("rejects anything else with a clear message and no password", () => {
    expect(() => parseDatabaseUrl("mysql://root@localhost/x")).toThrow(/expected "file:<path>".*"postgresql:\/\//);
    expect(() => parseDatabaseUrl("")).toThrow(/DATABASE_URL is empty/);
    expect(() => parseDatabaseUrl(undefined)).toThrow(/DATABASE_URL is not set/);
    expect(() => parseDatabaseUrl("file:")).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl("file:./x.db?mode=ro")).toThrow(/query parameters/);
    expect(() => parseDatabaseUrl("postgresql://u:hunter2@h:5432")).toThrow(/must name a database/);
    const message = (() => {
      try {
        parseDatabaseUrl("postgresql://u:hunter2@h:5432");
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain("postgresql://u:***@h:5432");
    expect(message).not.toContain("hunter2");
    expect(() => parseDatabaseUrl("postgresql://h/db?pool=5")).toThrow(/unsupported PostgreSQL URL parameter/);
  });
});
