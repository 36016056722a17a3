// SHA-256 per chunk of a volume, read over NBD from this agent's own QSD: the qcow2 file itself
// can lack metadata QSD has not flushed yet (ENGINE-NOTES). A temporary read-only export of the
// volume's node; it works beside a running mirror on either side. Chunks that QSD's allocation
// map reports as reading zeros (holes of a thin volume) are not read: their digest is the zero
// chunk's. The others are read with pipelined NBD requests; a chunk that turns out to hold only
// zeros is recognised by comparison, not hashed.
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import type { ChecksumResult } from "@tandem/contracts/replication";
import { z } from "zod";
import { nodeImage } from "./block-graph";
import { requireVolume } from "./lookups";
import { NbdConnection, NbdError, type NbdTarget } from "./nbd-client";
import { addNbdExport, removeNbdExport } from "./nbd-exports";
import { runOperation } from "./operation";
import { connectHost, nbdUri } from "./replication-names";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

/** Read requests of at most this size; about this many bytes in flight. */
const PIECE_BYTES = 4 * 2 ** 20;
const IN_FLIGHT_BYTES = 32 * 2 ** 20;

const extentMap = z.array(z.object({ offset: z.number(), length: z.number(), type: z.number() }).loose());

/** Chunk indexes that read as zeros entirely (NBD base:allocation, the "zero" bit), from nbdinfo --map. */
function zeroChunks(uri: string, chunkBytes: number, sizeBytes: number): Promise<Set<number>> {
  return new Promise((resolve, reject) => {
    execFile("nbdinfo", ["--map", "--json", uri], { timeout: 60_000, maxBuffer: 256 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err) return reject(new StorageError("engine_error", `map the volume: ${stderr.trim().split("\n").at(-1) || err.message}`));
      const parsed = extentMap.safeParse(JSON.parse(stdout));
      if (!parsed.success) return reject(new StorageError("engine_error", "map the volume: nbdinfo answered something unexpected"));
      // A chunk is zero when zero extents cover it from its start to its end.
      const zero = new Set<number>();
      const covered = new Map<number, number>();
      for (const e of parsed.data) {
        if ((e.type & 2) === 0) continue;
        for (let i = Math.floor(e.offset / chunkBytes); i * chunkBytes < e.offset + e.length; i++) {
          const from = Math.max(e.offset, i * chunkBytes);
          const to = Math.min(e.offset + e.length, (i + 1) * chunkBytes);
          covered.set(i, (covered.get(i) ?? 0) + (to - from));
        }
      }
      for (const [i, bytes] of covered) if (bytes >= Math.min(chunkBytes, sizeBytes - i * chunkBytes)) zero.add(i);
      resolve(zero);
    });
  });
}

/** Digests of each chunk of the export, in order (the last chunk may be shorter). */
async function hashExport(target: NbdTarget, uri: string, chunkBytes: number, sizeBytes: number): Promise<string[]> {
  const count = Math.ceil(sizeBytes / chunkBytes);
  const lengthOf = (i: number) => Math.min(chunkBytes, sizeBytes - i * chunkBytes);
  const zeros = await zeroChunks(uri, chunkBytes, sizeBytes);
  const zeroPiece = Buffer.alloc(Math.min(chunkBytes, PIECE_BYTES));
  const zeroDigests = new Map<number, string>();
  const zeroDigest = (length: number) => {
    let d = zeroDigests.get(length);
    if (!d) {
      const h = createHash("sha256");
      for (let at = 0; at < length; at += zeroPiece.length) h.update(zeroPiece.subarray(0, Math.min(zeroPiece.length, length - at)));
      zeroDigests.set(length, (d = h.digest("hex")));
    }
    return d;
  };
  const digests: string[] = new Array<string>(count);
  const conn = await NbdConnection.connect(target);
  try {
    if (conn.size !== sizeBytes) throw new StorageError("engine_error", `the export is ${conn.size} bytes, the volume ${sizeBytes}`);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        const length = lengthOf(i);
        if (zeros.has(i)) {
          digests[i] = zeroDigest(length);
          continue;
        }
        const hash = createHash("sha256");
        let zeroSoFar = 0; // leading zero bytes not fed to the hash yet
        for (let at = 0; at < length; at += PIECE_BYTES) {
          const piece = await conn.read(i * chunkBytes + at, Math.min(PIECE_BYTES, length - at));
          if (zeroSoFar === at && piece.equals(zeroPiece.subarray(0, piece.length))) {
            zeroSoFar += piece.length;
            continue;
          }
          for (let z = 0; z < zeroSoFar; z += zeroPiece.length) hash.update(zeroPiece.subarray(0, Math.min(zeroPiece.length, zeroSoFar - z)));
          zeroSoFar = -1;
          hash.update(piece);
        }
        digests[i] = zeroSoFar === length ? zeroDigest(length) : hash.digest("hex");
      }
    };
    const workers = Math.max(1, Math.min(8, Math.floor(IN_FLIGHT_BYTES / Math.min(chunkBytes, PIECE_BYTES))));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    conn.close();
  }
  return digests;
}

/**
 * `layer` top: what clients see (the overlay of a promoted volume); base: the frozen base below
 * a promotion overlay, which a failback compares the old source with.
 */
export async function checksumVolume(ctx: StorageContext, name: string, chunkBytes: number, layer: "top" | "base" = "top"): Promise<ChecksumResult> {
  const id = `ck-${randomBytes(6).toString("hex")}`;
  // Only adding and removing the export queue; the read itself runs beside other operations.
  const sizeBytes = await runOperation(ctx, "export for checksums", async () => {
    const volume = requireVolume(ctx.store.state, name);
    if (layer === "base" && !volume.promotion) {
      throw new StorageError("wrong_state", `volume ${name} is not promoted: it has no frozen base (ask for layer "top")`);
    }
    const node = layer === "base" ? volume.nodeId : topNode(volume);
    const qmp = ctx.qsd.session();
    const size = (await nodeImage(qmp, node)).virtualSize;
    await addNbdExport(qmp, { id, nodeId: node, name: id, writable: false });
    return size;
  });
  const started = performance.now();
  try {
    const host = connectHost(ctx.nbd.host);
    const chunks = await hashExport({ host, port: ctx.nbd.port, exportName: id }, nbdUri(host, ctx.nbd.port, id), chunkBytes, sizeBytes).catch((err: unknown) => {
      throw err instanceof NbdError ? new StorageError("engine_error", `read the volume over NBD: ${err.message}`) : err;
    });
    return { volume: name, sizeBytes, chunkBytes, layer, chunks, elapsedMs: Math.round(performance.now() - started) };
  } finally {
    await runOperation(ctx, "remove the checksum export", () => removeNbdExport(ctx.qsd.session(), id)).catch((err: Error) =>
      ctx.log.warn("could not remove a checksum export", { id, error: err.message }),
    );
  }
}
