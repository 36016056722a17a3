// Planned reversal on real agents under a live writer: the direction swaps, nothing is copied
// again, clients write on the new source, both sides end equal; reversing again restores it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stopStack, type StackState } from "../../../e2e/support/stack";
import { operationEnd, startPairedStack } from "@/server/testing/api-client";

const run = promisify(execFile);
const MiB = 2 ** 20;
let stack: StackState;
let api: Awaited<ReturnType<typeof startPairedStack>>["api"];

const waitOp = (id: string) => operationEnd(api, id, 120_000);

/** Writes 1 MiB blocks in a loop to whichever host's URI currently serves the LU. */
function liveWriter(guid: string) {
  let stop = false;
  let writes = 0;
  let failures = 0;
  const done = (async () => {
    let i = 0;
    while (!stop) {
      const lu = (await api.lu.list.query()).find((l) => l.guid === guid);
      const uri = lu?.nodes.find((n) => n.accessState === "active")?.uri;
      if (!uri) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      try {
        await run("qemu-io", ["-f", "raw", "-c", `write -P 0x${(0x40 + (i % 32)).toString(16)} ${(i % 64) * MiB} 1M`, uri], { timeout: 20_000 });
        writes++;
        i++;
      } catch {
        failures++; // the export moved under us: find the new one
      }
    }
  })();
  return { stop: async () => ((stop = true), await done, { writes, failures }) };
}

beforeAll(async () => {
  ({ stack, api } = await startPairedStack());
}, 120_000);

afterAll(async () => {
  if (stack) await stopStack(stack);
});

describe("planned reversal", () => {
  it("swaps direction under a live writer with nothing re-copied, and back again; sides equal", { timeout: 240_000 }, async () => {
    await api.volume.create.mutate({ host: "h1", name: "rv", size: "256M" });
    const lu = await api.lu.create.mutate({ volume: "h1/rv" });
    await run("qemu-io", ["-f", "raw", "-c", "write -P 0x21 0 64M", lu.uri!]);
    const { operationId: createOp } = await api.mirror.create.mutate({ name: "m-rv", source: "h1/rv", target: "h2/rv", createTarget: true, mode: "sync" });
    expect((await waitOp(createOp)).status).toBe("succeeded");
    const before = (await api.mirror.get.query({ name: "m-rv" })).mirror;

    const plan = await api.mirror.plan.query({ name: "m-rv", kind: "reverse" });
    expect(plan.ready).toBe(true);
    expect(plan.direction.sentence).toBe("data will flow FROM h2/rv TO h1/rv");

    const writer = liveWriter(lu.guid);
    await new Promise((r) => setTimeout(r, 1500));
    const { operationId } = await api.mirror.reverse.mutate({ name: "m-rv", reason: "host maintenance" });
    const op = await waitOp(operationId);
    expect(op.error).toBeNull();
    expect(op.status).toBe("succeeded");
    await new Promise((r) => setTimeout(r, 1500)); // clients write on the new source
    const w = await writer.stop();
    expect(w.writes).toBeGreaterThan(3);

    const after = (await api.mirror.get.query({ name: "m-rv" })).mirror;
    expect(after.id).toBe(before.id);
    expect(after.source.ref).toBe("h2/rv");
    expect(after.target.ref).toBe("h1/rv");
    expect(after.epoch).toBe(before.epoch + 1);
    const result = op.result as { outageMs: number; bytesRecopied: number };
    console.log(`reversal: client outage ${result.outageMs} ms, ${result.bytesRecopied} bytes re-copied, writer ${w.writes} writes / ${w.failures} retries`);
    expect(result.bytesRecopied).toBeLessThan(8 * MiB); // only writes made after the switch
    // A bound on shared test machines: clients are cut off briefly, not for the whole move. The
    // sub-second figure at 1 and 8 GiB is measured in bench/failover.bench.ts.
    expect(result.outageMs).toBeLessThan(5000);
    const nodes = (await api.lu.list.query()).find((l) => l.guid === lu.guid)!.nodes;
    expect(nodes.map((n) => `${n.host}:${n.stateCode}`).sort()).toEqual(["h1:2", "h2:0"]);
    let v = await api.mirror.verify.mutate({ name: "m-rv" });
    expect(v.differingRanges).toEqual([]);

    // Writes on the new source reach the new target (the export sits above the mirror).
    const newUri = nodes.find((n) => n.host === "h2")!.uri!;
    await run("qemu-io", ["-f", "raw", "-c", "write -P 0x7a 200M 8M", newUri]);
    v = await api.mirror.verify.mutate({ name: "m-rv" });
    expect(v.differingRanges).toEqual([]);

    const back = await waitOp((await api.mirror.reverse.mutate({ name: "m-rv" })).operationId);
    expect(back.status).toBe("succeeded");
    const restored = (await api.mirror.get.query({ name: "m-rv" })).mirror;
    expect(restored.source.ref).toBe("h1/rv");
    expect(restored.epoch).toBe(before.epoch + 2);
    v = await api.mirror.verify.mutate({ name: "m-rv" });
    expect(v.differingRanges).toEqual([]);
    const audit = await api.audit.list.query({ limit: 50 });
    expect(audit.some((a) => a.action === "mirror.reverse.requested" && a.reason === "host maintenance")).toBe(true);
    expect((await api.audit.verify.query()).ok).toBe(true);
  });
});
