// Lock keys of operations: one operation at a time per volume (its LU and snapshots included).
export const volumeLock = (hostId: string, volume: string) => `volume:${hostId}:${volume}`;
export const pairLock = (pairId: string) => `pair:${pairId}`;
