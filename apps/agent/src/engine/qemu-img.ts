// qemu-img steps on image files. Only for what QMP cannot do: creating an image, applying an
// internal snapshot to a closed image, copying a snapshot out of an open one.
import { execFile } from "node:child_process";
import { engineFailure } from "./storage-error";

const QEMU_IMG = "qemu-img";

function qemuImg(what: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(QEMU_IMG, args, { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const said = stderr.trim().split("\n").at(-1)?.replace(/^qemu-img: /, "") || err.message;
      reject(engineFailure(what, new Error(said)));
    });
  });
}

/** A thin qcow2 image: instant, no space used. */
export function createImage(file: string, sizeBytes: number): Promise<string> {
  return qemuImg("create the image", ["create", "-q", "-f", "qcow2", file, String(sizeBytes)], 30_000);
}

/**
 * Applies internal snapshot `id` to a closed image. The id, not the name: `snapshot -a`
 * matches ids before names, so a snapshot named "2" would otherwise find snapshot id 2.
 */
export function applySnapshot(file: string, snapshotId: string): Promise<string> {
  return qemuImg("apply the snapshot", ["snapshot", "-a", snapshotId, file], 120_000);
}

/**
 * Copies an internal snapshot into a new image. -U: QSD holds the source open; a snapshot's
 * clusters and table are on disk once the snapshot exists, so the shared read sees them whole.
 */
export function cloneSnapshot(source: string, snapshotName: string, target: string): Promise<string> {
  return qemuImg(
    "copy the snapshot",
    ["convert", "-U", "-l", `snapshot.name=${snapshotName}`, "-f", "qcow2", "-O", "qcow2", source, target],
    3_600_000,
  );
}

/**
 * A promotion overlay over a volume's image. `backingName` is the image's file name, relative
 * to the overlay's directory (both live in the pool directory). -u: QSD holds the base open.
 */
export function createOverlayImage(file: string, backingName: string, sizeBytes: number): Promise<string> {
  return qemuImg("create the overlay", ["create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", backingName, "-u", file, String(sizeBytes)], 30_000);
}
