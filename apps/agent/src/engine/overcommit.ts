import type { AgentState } from "../state/state-schema";
import { formatBytes } from "./format-bytes";
import { StorageError } from "./storage-error";

export function provisionedBytes(state: AgentState, pool: string): number {
  return state.volumes.filter((v) => v.pool === pool).reduce((sum, v) => sum + v.sizeBytes, 0);
}

export interface ProvisioningCheck {
  pool: string;
  capacityBytes: number;
  ratio: number;
  provisionedBytes: number;
  /** New virtual bytes: a new volume's size, or what a resize adds. */
  askedBytes: number;
}

/** Refuses (409 overcommit) when the pool's volumes would add up to more than capacity × ratio. */
export function checkProvisioning(c: ProvisioningCheck): void {
  const limit = c.capacityBytes * c.ratio;
  if (c.provisionedBytes + c.askedBytes <= limit) return;
  const ratio = Number.isInteger(c.ratio) ? c.ratio.toFixed(1) : String(c.ratio);
  throw new StorageError(
    "overcommit",
    `pool ${c.pool}: ${formatBytes(c.provisionedBytes)} provisioned + ${formatBytes(c.askedBytes)} asked > ` +
      `${ratio} × ${formatBytes(c.capacityBytes)}`,
  );
}
