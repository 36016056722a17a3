import { StorageError } from "./storage-error";

/**
 * Volumes that a long-running step (copy-ranges) is writing outside the operation queue.
 * Operations that would change who writes the volume (import, mirror start, delete) refuse
 * meanwhile instead of waiting behind the copy.
 */
export class VolumeBusy {
  private readonly busy = new Map<string, string>();

  /** Marks the volume busy; throws in_use when it is already. Returns the release. */
  claim(volume: string, what: string): () => void {
    this.require(volume, what);
    this.busy.set(volume, what);
    return () => {
      if (this.busy.get(volume) === what) this.busy.delete(volume);
    };
  }

  require(volume: string, action: string): void {
    const holder = this.busy.get(volume);
    if (holder) throw new StorageError("in_use", `volume ${volume} is busy (${holder}); cannot ${action} it now, retry when it has finished`);
  }
}
