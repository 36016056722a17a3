// Failback: copy the ranges where this (old source) volume differs from the promoted side's
// frozen base, read over NBD from the peer's base export and written into this volume through
// this host's own QSD (a temporary writable export; never the qcow2 file, which QSD holds open
// and whose metadata it may not have flushed). Flushed at the end.
import { randomBytes } from "node:crypto";
import type { ByteRange, CopyRangesResult } from "@tandem/contracts/failover";
import { fenceOfVolume, luOfVolume, mirrorOfVolume } from "../state/state-edits";
import { nodeImage } from "./block-graph";
import { requireVolume } from "./lookups";
import { checkEpoch } from "./mirror-job";
import { NbdConnection, NbdError, parseNbdUri } from "./nbd-client";
import { addNbdExport, removeNbdExport } from "./nbd-exports";
import { runOperation } from "./operation";
import { connectHost } from "./replication-names";
import { StorageError } from "./storage-error";
import type { StorageContext } from "./storage-context";
import { topNode } from "./volume-nodes";

/** Pieces of at most this size, this many in flight (each is a read there and a write here). */
const PIECE_BYTES = 4 * 2 ** 20;
const IN_FLIGHT = 8;
const PROGRESS_MS = 250;

export interface CopyRangesInput {
  source: { uri: string };
  ranges: ByteRange[];
  epoch: number;
  mirror?: string;
}

function pieces(ranges: ByteRange[]): ByteRange[] {
  const out: ByteRange[] = [];
  for (const r of [...ranges].sort((x, y) => x.offset - y.offset)) {
    for (let at = r.offset; at < r.offset + r.length; at += PIECE_BYTES) {
      out.push({ offset: at, length: Math.min(PIECE_BYTES, r.offset + r.length - at) });
    }
  }
  return out;
}

/** Checks, claims the volume and adds the temporary export; all in the queue. */
function prepare(ctx: StorageContext, name: string, input: CopyRangesInput, exportId: string) {
  return runOperation(ctx, "export for copy-ranges", async (op) => {
    const state = ctx.store.state;
    const volume = requireVolume(state, name);
    const holder = mirrorOfVolume(state, name);
    if (holder?.role === "source") {
      throw new StorageError("in_use", `volume ${name} is the source of mirror ${holder.name}; writes below its filter would bypass the mirror`);
    }
    if (input.mirror && holder && holder.name !== input.mirror) {
      throw new StorageError("wrong_state", `volume ${name} is the target of mirror ${holder.name}, not ${input.mirror}`);
    }
    const mirror = input.mirror ?? holder?.name ?? fenceOfVolume(state, name)?.mirror;
    if (!mirror) {
      throw new StorageError(
        "wrong_state",
        `volume ${name} is neither a mirror's target nor fenced; copy-ranges is a failback step (give the mirror if this is intended)`,
      );
    }
    checkEpoch(state, mirror, input.epoch);
    const lu = luOfVolume(state, name);
    if (lu && lu.state !== "standby") {
      throw new StorageError("wrong_state", `LU ${lu.guid} of volume ${name} is ${lu.state}; its clients would see the copy happen (standby first)`);
    }
    const qmp = ctx.qsd.session();
    const size = (await nodeImage(qmp, topNode(volume))).virtualSize;
    const past = input.ranges.find((r) => r.offset + r.length > size);
    if (past) throw new StorageError("bad_request", `range ${past.offset}+${past.length} is past the end of volume ${name} (${size} bytes)`);
    const release = ctx.busy.claim(name, "copy-ranges is writing it");
    op.onUndo("release the volume", async () => release());
    await addNbdExport(qmp, { id: exportId, nodeId: topNode(volume), name: exportId, writable: true });
    return { size, mirror, release };
  });
}

export async function copyRanges(ctx: StorageContext, name: string, input: CopyRangesInput): Promise<CopyRangesResult> {
  const source = parseNbdUri(input.source.uri);
  if (!source) throw new StorageError("bad_request", `source.uri: ${input.source.uri} is not nbd://HOST:PORT/EXPORT`);
  const exportId = `cp-${randomBytes(6).toString("hex")}`;
  const { size, mirror, release } = await prepare(ctx, name, input, exportId);
  const work = pieces(input.ranges);
  const bytesTotal = work.reduce((n, p) => n + p.length, 0);
  const started = performance.now();
  let bytesCopied = 0;
  let from: NbdConnection | null = null;
  let into: NbdConnection | null = null;
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    const rate = now > started ? (bytesCopied * 1000) / (now - started) : 0;
    ctx.publishLive("volume.copy_progress", { volume: name, bytesCopied, bytesTotal, rateBytesPerSec: Math.round(rate), at: new Date().toISOString() });
  };
  try {
    try {
      from = await NbdConnection.connect(source);
    } catch (err) {
      throw new StorageError("peer_unreachable", `read the source: ${(err as Error).message}`);
    }
    if (from.size !== size) {
      throw new StorageError("size_mismatch", `the source ${input.source.uri} is ${from.size} bytes, volume ${name} is ${size}`);
    }
    into = await NbdConnection.connect({ host: connectHost(ctx.nbd.host), port: ctx.nbd.port, exportName: exportId });
    const zero = Buffer.alloc(PIECE_BYTES);
    let next = 0;
    const worker = async (src: NbdConnection, dst: NbdConnection) => {
      while (next < work.length) {
        const piece = work[next++]!;
        const data = await src.read(piece.offset, piece.length);
        // Zeros there: zero here without sending them (and without allocating: the image stays thin).
        if (data.equals(zero.subarray(0, data.length))) await dst.writeZeroes(piece.offset, piece.length);
        else await dst.write(piece.offset, data);
        bytesCopied += piece.length;
        progress();
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, work.length) }, () => worker(from!, into!)));
    await into.flush();
    progress(true);
  } catch (err) {
    if (err instanceof NbdError) throw new StorageError("engine_error", `copy-ranges: ${err.message} (${bytesCopied} of ${bytesTotal} bytes copied)`);
    throw err;
  } finally {
    from?.close();
    into?.close();
    await runOperation(ctx, "remove the copy-ranges export", () => removeNbdExport(ctx.qsd.session(), exportId)).catch((err: Error) =>
      ctx.log.warn("could not remove a copy-ranges export", { id: exportId, error: err.message }),
    );
    release();
  }
  const elapsedMs = Math.round(performance.now() - started);
  const result: CopyRangesResult = {
    volume: name,
    mirror,
    epoch: input.epoch,
    ranges: input.ranges.length,
    bytesCopied,
    elapsedMs,
    rateBytesPerSec: elapsedMs > 0 ? Math.round((bytesCopied * 1000) / elapsedMs) : 0,
  };
  ctx.publish("volume.ranges_copied", { ...result, source: input.source.uri });
  ctx.log.info("ranges copied into the volume", { volume: name, source: input.source.uri, ranges: result.ranges, bytes: bytesCopied, ms: elapsedMs });
  return result;
}
