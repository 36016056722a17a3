import { z } from "zod";
import type { AluaRecord } from "../state/state-schema";

export type PeerOutcome =
  | { kind: "standby" }
  /** The peer has no LU with this GUID: nothing to release there. */
  | { kind: "absent" }
  | { kind: "unreachable"; why: string }
  | { kind: "refused"; why: string };

export type PeerEpochs = { kind: "ok"; epochs: Record<string, number> } | { kind: "unreachable"; why: string };

export interface PeerClient {
  /** Asks the peer agent to move its copy of the LU to Standby (POST /v1/lus/:guid/standby). */
  standby(peer: NonNullable<AluaRecord["peer"]>, guid: string, reason: string): Promise<PeerOutcome>;
  /** The peer's recorded epoch per mirror (GET /v1/replication), asked at every QSD start. */
  epochs(peer: NonNullable<AluaRecord["peer"]>): Promise<PeerEpochs>;
}

const epochsAnswer = z.object({ epochs: z.record(z.string(), z.number().int().nonnegative()) });

function describe(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e.name === "TimeoutError") return "no answer in time";
  return e.cause?.code ?? e.message ?? String(err);
}

/** The peer's message from an error body, bounded: it ends up in our own answer and log. */
async function peerMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: unknown } } | null;
  const message = typeof body?.error?.message === "string" ? body.error.message : `HTTP ${res.status}`;
  return message.slice(0, 200);
}

/** `epochsTimeoutMs` is short: a QSD start waits for the answer before exporting anything. */
export function httpPeerClient(timeoutMs = 3_000, epochsTimeoutMs = 2_000): PeerClient {
  return {
    async epochs(peer) {
      let res: Response;
      try {
        res = await fetch(`${peer.url.replace(/\/+$/, "")}/v1/replication`, {
          headers: { authorization: `Bearer ${peer.token}` },
          signal: AbortSignal.timeout(epochsTimeoutMs),
        });
      } catch (err) {
        return { kind: "unreachable", why: `is unreachable (${describe(err)})` };
      }
      if (!res.ok) return { kind: "unreachable", why: `answered HTTP ${res.status} (${await peerMessage(res)})` };
      const parsed = epochsAnswer.safeParse(await res.json().catch(() => null));
      if (!parsed.success) return { kind: "unreachable", why: "answered without epochs (not a Tandem agent with replication?)" };
      return { kind: "ok", epochs: parsed.data.epochs };
    },
    async standby(peer, guid, reason) {
      let res: Response;
      try {
        res = await fetch(`${peer.url.replace(/\/+$/, "")}/v1/lus/${guid}/standby`, {
          method: "POST",
          headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/json" },
          body: JSON.stringify({ reason }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        return { kind: "unreachable", why: `is unreachable (${describe(err)})` };
      }
      if (res.ok) {
        await res.body?.cancel();
        return { kind: "standby" };
      }
      if (res.status === 404) {
        // Only an agent's own "not found" counts: a 404 page from something else at that URL
        // says nothing about the LU.
        const body = (await res.json().catch(() => null)) as { error?: { code?: unknown } } | null;
        if (body?.error?.code === "not_found") return { kind: "absent" };
        return { kind: "refused", why: "answered 404 without being a Tandem agent (check the peer URL)" };
      }
      if (res.status === 401) return { kind: "refused", why: "refused our token" };
      const message = await peerMessage(res);
      if (res.status >= 500) return { kind: "unreachable", why: `failed (${message})` };
      return { kind: "refused", why: `refused (${message})` };
    },
  };
}
