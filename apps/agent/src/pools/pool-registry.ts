import { mkdir, statfs } from "node:fs/promises";
import path from "node:path";
import type { PoolInfo } from "@tandem/contracts/agent";
import type { PoolConfig } from "../config/parse-config";

/** The configured pools (directories holding volume images) and their space. */
export class PoolRegistry {
  private readonly pools: Map<string, PoolConfig>;

  constructor(pools: PoolConfig[]) {
    this.pools = new Map(pools.map((p) => [p.name, p]));
  }

  async ensureDirs(): Promise<void> {
    for (const pool of this.pools.values()) await mkdir(pool.dir, { recursive: true, mode: 0o750 });
  }

  names(): string[] {
    return [...this.pools.keys()];
  }

  has(name: string): boolean {
    return this.pools.has(name);
  }

  /** Where a volume goes when the request names no pool. */
  defaultPool(): string {
    return this.names()[0]!;
  }

  dir(name: string): string {
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`unknown pool ${name}`);
    return pool.dir;
  }

  /**
   * Absolute path of an image file directly inside a pool directory. Names are validated
   * long before this; the check here is the last line, for whatever slipped through.
   */
  imagePath(pool: string, file: string): string {
    const dir = path.resolve(this.dir(pool));
    const resolved = path.resolve(dir, file);
    if (path.dirname(resolved) !== dir || path.basename(resolved) !== file) {
      throw new Error(`refusing image path ${JSON.stringify(file)}: not a plain file name inside pool ${pool}`);
    }
    return resolved;
  }

  /** Capacity and space available to the agent (not root's reserve), from statfs. */
  async info(name: string): Promise<PoolInfo> {
    const s = await statfs(this.dir(name));
    return { name, capacityBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
  }
}
