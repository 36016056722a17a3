import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readStateFile, StateFileError, writeStateFile } from "./state-file";
import { emptyState, type AgentState } from "./state-schema";

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "state-file-"));
  file = path.join(dir, "state.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sample = (): AgentState => ({
  ...emptyState(),
  nextNodeNumber: 2,
  volumes: [{ name: "v1", pool: "default", file: "v1.qcow2", nodeId: "vol1", sizeBytes: 1 << 20, createdAt: "2026-01-01T00:00:00.000Z", snapshots: [] }],
  alua: { enabled: true, nodeId: 1, peer: { name: "b", url: "http://b:7101", token: "secret-token-0123456789" } },
});

describe("state file", () => {
  it("reads a missing file as an empty host", async () => {
    expect(await readStateFile(file)).toEqual(emptyState());
  });

  it("round-trips, with mode 0600 and no temporary file left", async () => {
    writeFileSync(file, "old", { mode: 0o644 });
    await writeStateFile(file, sample());
    expect(await readStateFile(file)).toEqual(sample());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it("refuses to write a state that breaks the schema, and keeps the old file", async () => {
    await writeStateFile(file, sample());
    const before = readFileSync(file, "utf8");
    await expect(writeStateFile(file, { ...sample(), nextNodeNumber: 0 })).rejects.toThrow();
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  it.each([
    ["not JSON", "{", /is not valid JSON/],
    ["another version", '{"version": 2}', /is not a version 1 agent state: version/],
    ["a bad volume", JSON.stringify({ ...sample(), volumes: [{ ...sample().volumes[0], file: "../x.qcow2" }] }), /volumes\.0\.file/],
    ["an LU on an unknown volume", JSON.stringify({ ...sample(), lus: [{ guid: `6${"0".repeat(31)}`, alias: null, volume: "nope", state: "standby", stateChangedAt: "x", createdAt: "x", transitions: [] }] }), /uses an unknown volume nope/],
    ["a reused node id", JSON.stringify({ ...sample(), nextNodeNumber: 1 }), /node id vol1 is not below nextNodeNumber/],
  ])("refuses %s with a message naming the file", async (_, text, message) => {
    writeFileSync(file, text);
    const err = await readStateFile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateFileError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toMatch(message);
  });
});
