// `tandem mirror reverse`, `mirror verify` and `audit verify` as a user runs them: the real CLI
// against a real stack; the reversal prints its plan, follows its steps and ends verified.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, stopStack, type StackState } from "../../e2e/support/stack";
import { tandem, useCliConfig } from "./testing/run-cli";

let stack: StackState;
let configFile: string;

beforeAll(async () => {
  stack = await startStack();
  configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tandem-cli-")), "config.json");
  useCliConfig(configFile);
  const login = await tandem(["login", "--url", stack.consoleUrl, "--user", "admin", "--password-stdin"], { input: stack.adminPassword });
  expect(login.code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
  if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
});

describe("tandem mirror reverse / verify, audit verify", () => {
  it("reverses with a printed plan and step-by-step progress, verified equal", { timeout: 240_000 }, async () => {
    expect((await tandem(["volume", "create", "--host", "h1", "--name", "cv", "--size", "64M"])).code).toBe(0);
    const lu = JSON.parse((await tandem(["lu", "create", "--volume", "h1/cv", "--json"])).stdout) as { uri: string };
    execFileSync("qemu-io", ["-f", "raw", "-c", "write -P 0x3d 0 8M", lu.uri]);
    expect((await tandem(["mirror", "create", "mc", "--source", "h1/cv", "--target", "h2/cv", "--create-target", "--wait"])).code).toBe(0);

    const refused = await tandem(["mirror", "reverse", "mc"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pass --yes/);

    const r = await tandem(["mirror", "reverse", "mc", "--yes", "--wait", "--reason", "patching h1"]);
    expect(r.stderr).toMatch(/data will flow FROM h2\/cv TO h1\/cv/);
    expect(r.stderr).toMatch(/\[pass\] in sync/);
    expect(r.stderr).toMatch(/succeeded\s+Drain/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Reversed mc: data now flows FROM h2\/cv TO h1\/cv \(epoch 2\); client outage \d+ ms; 0 ?B copied again; verified: equal/);

    const v = await tandem(["mirror", "verify", "mc", "--json"]);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ equal: true, differingRanges: [] });

    const audit = await tandem(["audit", "verify"]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/audit log intact: \d+ records/);
    expect((await tandem(["audit", "list", "--limit", "100"])).stdout).toMatch(/mirror\.reverse\.requested\s+mc\s+\(patching h1\)/);
  });

  it("fails over (forced, with a reason) and fails back with a safety snapshot and a reversal back", { timeout: 240_000 }, async () => {
    const noReason = await tandem(["mirror", "failover", "mc", "--yes"]);
    expect(noReason.code).toBe(2); // usage: the reason is required
    expect(noReason.stderr).toMatch(/--reason/);
    const notForced = await tandem(["mirror", "failover", "mc", "--yes", "--wait", "--reason", "drill"]);
    expect(notForced.code).toBe(1);
    expect(notForced.stderr).toMatch(/forced/);
    const fo = await tandem(["mirror", "failover", "mc", "--yes", "--wait", "--force", "--reason", "failover drill"]);
    expect(fo.code).toBe(0);
    expect(fo.stdout).toMatch(/Failed over mc: h1\/cv serves clients at nbd:\/\//);
    const fb = await tandem(["mirror", "failback", "mc", "--yes", "--wait", "--safety-snapshot", "--reverse"]);
    expect(fb.stderr).toMatch(/Plan: failback of mirror mc/);
    expect(fb.code).toBe(0);
    expect(fb.stdout).toMatch(/Failed back mc: data flows FROM h1\/cv TO h2\/cv; .* safety snapshot h2\/cv@before-failback-e3; a planned reversal back is queued/);
    // The queued reversal runs on its own; then the mirror is back to h2 → h1 … and equal.
    const deadline = Date.now() + 60_000;
    let show = { source: { ref: "" }, state: "" };
    while (Date.now() < deadline) {
      show = JSON.parse((await tandem(["mirror", "show", "mc", "--json"])).stdout);
      if (show.source.ref === "h2/cv" && show.state === "in_sync") break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(show).toMatchObject({ source: { ref: "h2/cv" }, state: "in_sync" });
    const v = await tandem(["mirror", "verify", "mc", "--json"]);
    expect(JSON.parse(v.stdout)).toMatchObject({ equal: true });
  });
});
