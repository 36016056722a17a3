// Loads a mirror with both of its ends (volume, host, LU) for the steps of its operations.
import { findMirror } from "@/server/db/mirror-store";
import { TandemError } from "@/server/domain/errors";
import type { Deps } from "@/server/services/deps";

export async function mirrorContext(deps: Pick<Deps, "db">, mirrorId: string) {
  const mirror = await findMirror(deps.db, mirrorId);
  if (!mirror) throw new TandemError("NOT_FOUND", `mirror ${mirrorId} no longer exists`, { retryable: false });
  const load = async (id: string) => {
    const v = await deps.db.volume.findUnique({ where: { id }, include: { host: true, lu: true } });
    if (!v) throw new TandemError("NOT_FOUND", `a volume of mirror ${mirror.name} no longer exists`, { retryable: false });
    return v;
  };
  const [source, target] = await Promise.all([load(mirror.sourceVolumeId), load(mirror.targetVolumeId)]);
  return { mirror, source, target };
}

export type MirrorContext = Awaited<ReturnType<typeof mirrorContext>>;

/**
 * The two volumes a move works on, by the ids its preflight recorded: the mirror row's own
 * direction may already have been swapped by a later step.
 */
export async function loadEnds(deps: Pick<Deps, "db">, aVolumeId: string, bVolumeId: string) {
  const vol = (id: string) => deps.db.volume.findUniqueOrThrow({ where: { id }, include: { host: true, lu: true } });
  const [a, b] = await Promise.all([vol(aVolumeId), vol(bVolumeId)]);
  return { a, b };
}

/** Where the source's NBD client must connect: the target host's NBD server. */
export function nbdAddress(host: { nbdAddress: string | null; name: string }) {
  const m = host.nbdAddress?.match(/^(.*):(\d+)$/);
  if (!m) throw new TandemError("UNAVAILABLE", `the NBD address of ${host.name} is not known yet (is its agent online?)`);
  return { host: m[1]!, port: Number(m[2]) };
}
