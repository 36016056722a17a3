// Verify: chunked checksums of both sides, read over NBD by each host's own agent, compared.
import { z } from "zod";
import { resourceName } from "@tandem/contracts/agent";
import { findMirrorByName } from "@/server/db/mirror-store";
import { appendEvent } from "@/server/db/event-store";
import { notFound } from "@/server/domain/errors";
import { differingRanges } from "@/server/domain/mirror/compare-chunks";
import type { Deps, HostRef } from "@/server/services/deps";

export const verifyMirrorInput = z.object({ name: resourceName, chunkBytes: z.number().int().min(65536).max(64 * 2 ** 20).default(4 * 2 ** 20) });

export async function compareVolumes(
  deps: Pick<Deps, "storageFor">,
  a: { host: HostRef; volume: string },
  b: { host: HostRef; volume: string },
  chunkBytes: number,
) {
  const started = Date.now();
  const [x, y] = await Promise.all([deps.storageFor(a.host).checksums(a.volume, chunkBytes), deps.storageFor(b.host).checksums(b.volume, chunkBytes)]);
  const ranges = differingRanges(x.chunks, y.chunks, chunkBytes, Math.max(x.sizeBytes, y.sizeBytes));
  return {
    equal: ranges.length === 0 && x.sizeBytes === y.sizeBytes,
    sizeBytes: x.sizeBytes,
    sizesDiffer: x.sizeBytes !== y.sizeBytes,
    chunkBytes,
    chunks: x.chunks.length,
    differingRanges: ranges,
    differingBytes: ranges.reduce((s, r) => s + r.length, 0),
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Compares twice more when the first pass differs: with clients writing, the two sides are read
 * at slightly different moments, so a chunk being rewritten can differ for an instant. Real
 * divergence stays.
 */
export async function compareSettled(...args: Parameters<typeof compareVolumes>) {
  let r = await compareVolumes(...args);
  for (let i = 0; i < 2 && !r.equal; i++) {
    await new Promise((res) => setTimeout(res, 300));
    const again = await compareVolumes(...args);
    // Only ranges that differ every time count.
    const still = again.differingRanges.filter((x) => r.differingRanges.some((y) => x.offset < y.offset + y.length && y.offset < x.offset + x.length));
    r = { ...again, differingRanges: still, differingBytes: still.reduce((s, x) => s + x.length, 0), equal: still.length === 0 && !again.sizesDiffer };
  }
  return r;
}

export async function verifyMirror(deps: Pick<Deps, "db" | "storageFor">, input: z.infer<typeof verifyMirrorInput>) {
  const m = await findMirrorByName(deps.db, input.name);
  if (!m) throw notFound(`mirror ${input.name}`);
  const [src, tgt] = await Promise.all(
    [m.sourceVolumeId, m.targetVolumeId].map((id) => deps.db.volume.findUniqueOrThrow({ where: { id }, include: { host: true } })),
  );
  const r = await compareSettled(deps, { host: src!.host, volume: src!.name }, { host: tgt!.host, volume: tgt!.name }, input.chunkBytes);
  await appendEvent(deps.db, {
    kind: "mirror.verified",
    subjectType: "mirror",
    subjectId: m.id,
    actor: "system:verify",
    message: r.equal ? `${m.name}: both sides equal (${r.chunks} chunks)` : `${m.name}: ${r.differingRanges.length} differing range(s), ${r.differingBytes} bytes`,
    data: { equal: r.equal, differingBytes: r.differingBytes },
  });
  return { mirror: m.name, source: `${src!.host.name}/${src!.name}`, target: `${tgt!.host.name}/${tgt!.name}`, ...r };
}
