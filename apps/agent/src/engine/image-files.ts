import { lstat, rm } from "node:fs/promises";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";

export const imageFileName = (volume: string) => `${volume}.qcow2`;

/**
 * Path for a new volume's image. qemu-img would overwrite a file that is already there, and
 * such a file is not ours (or a leftover of a crash): refuse rather than destroy it.
 */
export async function newImagePath(ctx: Pick<StorageContext, "pools">, pool: string, volume: string): Promise<string> {
  const file = ctx.pools.imagePath(pool, imageFileName(volume));
  const existing = await lstat(file).catch(() => null);
  if (existing) {
    throw new StorageError(
      "exists",
      `pool ${pool} already holds a file ${imageFileName(volume)} that this agent does not manage; move it away first`,
    );
  }
  return file;
}

export function removeImage(file: string): Promise<void> {
  return rm(file, { force: true });
}
