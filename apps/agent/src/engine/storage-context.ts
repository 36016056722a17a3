import type { HostPort } from "../config/host-port";
import type { Publish } from "../events/event-log";
import type { Logger } from "../log";
import type { PoolRegistry } from "../pools/pool-registry";
import type { StateStore } from "../state/state-store";
import type { MirrorRuntime } from "./mirror-runtime";
import type { OpQueue } from "./op-queue";
import type { PeerClient } from "./peer-client";
import type { QsdAccess } from "./qsd-access";
import type { RebuildTracker } from "./rebuild-tracker";
import type { VolumeBusy } from "./volume-busy";

/** What the storage operations work with. Built once in run-agent.ts. */
export interface StorageContext {
  hostName: string;
  /** Where clients reach LU exports (QSD's NBD server). */
  nbd: HostPort;
  overcommitRatio: number;
  pools: Pick<PoolRegistry, "names" | "has" | "info" | "dir" | "imagePath" | "defaultPool">;
  store: StateStore;
  qsd: QsdAccess;
  queue: OpQueue;
  peer: PeerClient;
  rebuild: RebuildTracker;
  publish: Publish;
  /** Live-only events (mirror.progress): delivered to open streams, not kept for replay. */
  publishLive: Publish;
  /** Mirrors' job samples, link state and rates (memory only). */
  mirrors: MirrorRuntime;
  /** Volumes written by a step that runs outside the queue (copy-ranges). */
  busy: VolumeBusy;
  log: Logger;
  now: () => Date;
}
