// A statement outside a transaction must never be swallowed by another request's transaction
// that then rolls back (the single-connection SQLite adapter's trap).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPrisma } from "./client";
import { deployMigrations } from "../../scripts/db";

describe("SQLite under concurrent requests", () => {
  it("keeps a plain insert made while another transaction rolls back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-sqlite-"));
    const url = `file:${path.join(dir, "t.db")}`;
    const { db } = createPrisma(url);
    await deployMigrations(url);
    try {
      const failing = db
        .$transaction(async (tx) => {
          await tx.hostPair.create({ data: { name: "in-tx" } });
          await new Promise((r) => setTimeout(r, 100)); // the other request runs now
          throw new Error("roll back");
        })
        .catch(() => "rolled back");
      await new Promise((r) => setTimeout(r, 20));
      await db.hostPair.create({ data: { name: "outside" } });
      expect(await failing).toBe("rolled back");
      expect((await db.hostPair.findMany()).map((p) => p.name)).toEqual(["outside"]);
    } finally {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
