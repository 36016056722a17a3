// QMP steps of a promotion overlay (ENGINE-NOTES "Unplanned failover and failback", "Snapshots":
// external overlay + blockdev-snapshot; merged back with block-commit + block-job-complete).
import type { QmpSession } from "./qsd-access";
import { step, waitForEvent } from "./block-graph";
import { StorageError } from "./storage-error";

/**
 * Opens an overlay image. `backing` null when it is about to be put on a live base with
 * blockdev-snapshot; the base's node name when the chain is rebuilt after a QSD start.
 */
export function openOverlayNode(qmp: QmpSession, nodeId: string, file: string, backing: string | null): Promise<unknown> {
  return step(`open the overlay ${file}`, () =>
    qmp.execute("blockdev-add", {
      driver: "qcow2",
      "node-name": nodeId,
      discard: "unmap",
      file: { driver: "file", filename: file, discard: "unmap" },
      backing,
    }),
  );
}

/** Puts the overlay on top of the base: every user of the base (exports included) moves onto it. */
export function snapshotOnto(qmp: QmpSession, base: string, overlay: string): Promise<unknown> {
  return step("put the overlay on the volume", () => qmp.execute("blockdev-snapshot", { node: base, overlay }));
}

const ends = new Set(["BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"]);

/**
 * Active commit of `top` into its backing node: waits for READY, completes (the top's users
 * move onto the base) and waits for the end. Returns the bytes the job moved. The overlay node
 * stays open (blockdev-del it afterwards).
 */
export async function commitOverlay(qmp: QmpSession, jobId: string, top: string, timeoutMs: number): Promise<number> {
  const ready = waitForEvent(qmp, "the commit to be ready", (e) => (e.event === "BLOCK_JOB_READY" || ends.has(e.event)) && e.data?.device === jobId, timeoutMs);
  try {
    await step("commit the overlay into the base", () => qmp.execute("block-commit", { "job-id": jobId, device: top }));
  } catch (err) {
    ready.cancel();
    throw err;
  }
  const first = await step("commit the overlay into the base", () => ready.promise);
  if (first.event !== "BLOCK_JOB_READY") {
    throw new StorageError("engine_error", `commit the overlay into the base: the job ended early (${String(first.data?.error ?? "cancelled")})`);
  }
  const end = waitForEvent(qmp, "the end of the commit", (e) => ends.has(e.event) && e.data?.device === jobId, timeoutMs);
  try {
    await step("complete the commit", () => qmp.execute("block-job-complete", { device: jobId }));
  } catch (err) {
    end.cancel();
    throw err;
  }
  const done = await step("complete the commit", () => end.promise);
  if (done.event !== "BLOCK_JOB_COMPLETED" || typeof done.data?.error === "string") {
    throw new StorageError("engine_error", `complete the commit: ${String(done.data?.error ?? "the job was cancelled")}`);
  }
  return typeof done.data?.offset === "number" ? done.data.offset : 0;
}
