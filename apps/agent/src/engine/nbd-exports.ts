// Generic NBD exports of QSD (replication exports, temporary read-only exports for checksums).
// LU client exports have their own helpers in block-graph.ts.
import { z } from "zod";
import type { QmpSession } from "./qsd-access";
import { step, waitForEvent } from "./block-graph";

const exportList = z.array(z.object({ id: z.string(), "node-name": z.string() }).loose());

/** Export id → the node it sits on (a mirror's filter node once a mirror moved it there). */
export async function listExports(qmp: QmpSession): Promise<Map<string, string>> {
  const list = await step("list exports", () => qmp.execute("query-block-exports", undefined, { returns: exportList }));
  return new Map(list.map((e) => [e.id, e["node-name"]]));
}

export function addNbdExport(qmp: QmpSession, e: { id: string; nodeId: string; name: string; writable: boolean }): Promise<unknown> {
  return step(`add export ${e.name}`, () =>
    qmp.execute("block-export-add", { type: "nbd", id: e.id, "node-name": e.nodeId, name: e.name, writable: e.writable }),
  );
}

/** mode=hard (drops connected clients), then waits for BLOCK_EXPORT_DELETED. False when absent. */
export async function removeNbdExport(qmp: QmpSession, id: string, timeoutMs = 5_000): Promise<boolean> {
  if (!(await listExports(qmp)).has(id)) return false;
  const deleted = waitForEvent(qmp, "BLOCK_EXPORT_DELETED", (e) => e.event === "BLOCK_EXPORT_DELETED" && e.data?.id === id, timeoutMs);
  try {
    await step(`remove export ${id}`, () => qmp.execute("block-export-del", { id, mode: "hard" }));
  } catch (err) {
    deleted.cancel();
    throw err;
  }
  await step(`remove export ${id}`, () => deleted.promise);
  return true;
}
