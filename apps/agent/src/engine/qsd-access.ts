import type { QmpClient } from "../qmp/qmp-client";
import { StorageError } from "./storage-error";

/** The part of a QMP client the storage engine uses (a fake in unit tests). */
export type QmpSession = Pick<QmpClient, "execute" | "onEvent">;

/** A started QSD as the storage engine sees it. */
export interface QsdHandle {
  readonly pid: number;
  readonly hasExited: boolean;
  readonly qmp: QmpSession & Pick<QmpClient, "isOpen">;
}

/**
 * Which QSD operations may use. A freshly started QSD has an empty graph: until the rebuild
 * from the state file has finished on it, operations are refused (503) rather than run
 * against nothing.
 */
export class QsdAccess {
  private current: { qsd: QsdHandle; generation: number } | null = null;
  private generation = 0;
  private builtGeneration = 0;

  /** Records a newly started QSD; returns its generation for markBuilt(). */
  attach(qsd: QsdHandle): number {
    this.generation++;
    this.current = { qsd, generation: this.generation };
    return this.generation;
  }

  markBuilt(generation: number): void {
    if (this.current?.generation === generation) this.builtGeneration = generation;
  }

  /** The QMP session of the running, rebuilt QSD. Throws qsd_unavailable otherwise. */
  session(): QmpSession {
    const problem = this.problem() ?? (this.current ? null : "qemu-storage-daemon is not running");
    if (problem || !this.current) throw new StorageError("qsd_unavailable", `${problem}; try again shortly`);
    return this.current.qsd.qmp;
  }

  /** Why operations cannot use QSD right now, when QSD itself is up; null when they can. */
  problem(): string | null {
    const c = this.current;
    if (!c) return null; // the supervisor's own status says why QSD is not there
    if (c.qsd.hasExited || !c.qsd.qmp.isOpen) return "qemu-storage-daemon is not running";
    if (this.builtGeneration !== c.generation) return "restoring volumes and exports on the new qemu-storage-daemon";
    return null;
  }
}
