// QMP steps on QSD's block graph. Facts behind them are in ENGINE-NOTES.md ("Volumes, exports",
// "Snapshots"); each step names itself in the error it raises.
import { z } from "zod";
import type { QmpEvent } from "../qmp/qmp-messages";
import type { QmpSession } from "./qsd-access";
import { engineFailure } from "./storage-error";

/** Export id of an LU's client export (ids must start with a letter; GUIDs start with 6). */
export const exportId = (guid: string) => `lu-${guid}`;

export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw engineFailure(what, err);
  }
}

export function openVolumeNode(qmp: QmpSession, nodeId: string, file: string): Promise<unknown> {
  return step(`open ${file} in qemu-storage-daemon`, () =>
    qmp.execute("blockdev-add", {
      driver: "qcow2",
      "node-name": nodeId,
      discard: "unmap", // thin: a client's trim frees space in the image
      file: { driver: "file", filename: file, discard: "unmap" },
    }),
  );
}

/** Closes a volume's node (its implicit file child goes with it). */
export function closeVolumeNode(qmp: QmpSession, nodeId: string): Promise<unknown> {
  return step(`close node ${nodeId}`, () => qmp.execute("blockdev-del", { "node-name": nodeId }));
}

export function addClientExport(qmp: QmpSession, nodeId: string, guid: string): Promise<unknown> {
  return step(`export LU ${guid}`, () =>
    qmp.execute("block-export-add", { type: "nbd", id: exportId(guid), "node-name": nodeId, name: guid, writable: true }),
  );
}

const exportList = z.array(z.object({ id: z.string(), "node-name": z.string() }).loose());

export async function hasClientExport(qmp: QmpSession, guid: string): Promise<boolean> {
  const exports = await step("list exports", () => qmp.execute("query-block-exports", undefined, { returns: exportList }));
  return exports.some((e) => e.id === exportId(guid));
}

/**
 * Drops an LU's client export and its clients (mode hard: safe mode fails while a client is
 * connected), then waits until QSD says it is gone. False when there was no export.
 */
export async function removeClientExport(qmp: QmpSession, guid: string, timeoutMs = 5_000): Promise<boolean> {
  if (!(await hasClientExport(qmp, guid))) return false;
  const id = exportId(guid);
  const deleted = waitForEvent(qmp, "BLOCK_EXPORT_DELETED", (e) => e.event === "BLOCK_EXPORT_DELETED" && e.data?.id === id, timeoutMs);
  try {
    await step(`remove the export of LU ${guid}`, () => qmp.execute("block-export-del", { id, mode: "hard" }));
  } catch (err) {
    deleted.cancel();
    throw err;
  }
  await step(`remove the export of LU ${guid}`, () => deleted.promise);
  return true;
}

/** Re-adds the export unless it is there (for rollbacks, where the state is uncertain). */
export async function ensureClientExport(qmp: QmpSession, nodeId: string, guid: string): Promise<void> {
  if (!(await hasClientExport(qmp, guid))) await addClientExport(qmp, nodeId, guid);
}

/** block_resize: refused while an export or a mirror holds the node. */
export function resizeNode(qmp: QmpSession, nodeId: string, sizeBytes: number): Promise<unknown> {
  return step(`resize node ${nodeId}`, () => qmp.execute("block_resize", { "node-name": nodeId, size: sizeBytes }));
}

export function createInternalSnapshot(qmp: QmpSession, nodeId: string, name: string): Promise<unknown> {
  return step(`create snapshot ${name}`, () => qmp.execute("blockdev-snapshot-internal-sync", { device: nodeId, name }));
}

export function deleteInternalSnapshot(qmp: QmpSession, nodeId: string, name: string): Promise<unknown> {
  return step(`delete snapshot ${name}`, () => qmp.execute("blockdev-snapshot-delete-internal-sync", { device: nodeId, name }));
}

const imageSnapshot = z.object({ id: z.string(), name: z.string(), "date-sec": z.number(), "date-nsec": z.number() }).loose();
const namedNode = z
  .object({
    "node-name": z.string(),
    drv: z.string(),
    image: z.object({ "virtual-size": z.number(), snapshots: z.array(imageSnapshot).optional() }).loose(),
  })
  .loose();

export interface NodeImage {
  virtualSize: number;
  snapshots: { id: string; name: string; createdAt: string }[];
}

/** The qcow2 nodes QSD has open, by node name: virtual size and internal snapshots. */
export async function queryVolumeNodes(qmp: QmpSession): Promise<Map<string, NodeImage>> {
  const nodes = await step("list block nodes", () =>
    qmp.execute("query-named-block-nodes", { flat: true }, { returns: z.array(namedNode) }),
  );
  const result = new Map<string, NodeImage>();
  for (const n of nodes) {
    if (n.drv !== "qcow2") continue;
    result.set(n["node-name"], {
      virtualSize: n.image["virtual-size"],
      snapshots: (n.image.snapshots ?? []).map((s) => ({
        id: s.id,
        name: s.name,
        createdAt: new Date(s["date-sec"] * 1000 + Math.floor(s["date-nsec"] / 1e6)).toISOString(),
      })),
    });
  }
  return result;
}

export async function nodeImage(qmp: QmpSession, nodeId: string): Promise<NodeImage> {
  const image = (await queryVolumeNodes(qmp)).get(nodeId);
  if (!image) throw engineFailure("inspect the volume", new Error(`node ${nodeId} is not open in qemu-storage-daemon`));
  return image;
}

/** Subscribes before the command that causes the event, so a fast event is not missed. */
export function waitForEvent(qmp: QmpSession, what: string, match: (e: QmpEvent) => boolean, timeoutMs: number) {
  let cancel = () => {};
  const promise = new Promise<QmpEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${what} from qemu-storage-daemon within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = qmp.onEvent((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
    cancel = () => {
      clearTimeout(timer);
      off();
    };
  });
  promise.catch(() => {}); // observed by the caller unless cancelled
  return { promise, cancel };
}
