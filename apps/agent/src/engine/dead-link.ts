// A cut link does not end a TCP connection: QSD's NBD client keeps waiting for the replies to
// requests already sent, and in sync mode every client write on the source waits with them until
// TCP gives up (about 15 minutes). QSD 7.2 has no request timeout and no `yank`. So once the
// target's address has stayed silent for two link checks in a row and the job still does not
// know, the agent aborts the host's connections to the target's NBD server (SOCK_DESTROY,
// `ss -K`): the job's write fails, the job pauses (on-target-error=stop), client writes complete
// on the source again, and the link check resumes the job once the target answers. A target
// that answers without the export (a fenced target) has a live link: nothing is aborted, and the
// host's other connections to that server (other mirrors) stay.
import { execFile } from "node:child_process";
import type { Logger } from "../log";

/** How long the target's address must have been silent before its connections count as dead. */
export const DEAD_AFTER_MS = 1_000;
/** A job that still does not notice is given this long before the next abort. */
const RETRY_MS = 5_000;

type Target = { host: string; port: number };

const ssAddress = (host: string) => (host.includes(":") ? `[${host}]` : host);

/** Runs `ss -K` for the established TCP connections to `target`; resolves with how many went. */
export function abortConnectionsTo(target: Target): Promise<number> {
  const filter = ["dst", ssAddress(target.host), "dport", "=", String(target.port)];
  return new Promise((resolve, reject) => {
    execFile("ss", ["-K", "-t", "-n", "-H", "state", "established", ...filter], { timeout: 5_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error((stderr || err.message).trim()));
      // ss lists the sockets it destroyed on stdout; a kernel without SOCK_DESTROY is reported on stderr.
      if (/Operation not supported|Invalid argument/.test(stderr)) return reject(new Error(stderr.trim()));
      resolve(stdout.split("\n").filter((l) => l.trim()).length);
    });
  });
}

/** Per mirror: how long its target has been silent, and when its connections were last aborted. */
export class DeadLinkBreaker {
  /** Per mirror: since when the target's address has been silent. */
  private readonly silentSince = new Map<string, number>();
  private readonly lastAbort = new Map<string, number>();
  private warned = false;

  constructor(
    private readonly log: Logger,
    private readonly abort: (target: Target) => Promise<number> = abortConnectionsTo,
  ) {}

  /** After every link check of the mirror: `silent` when nothing at the target's address answered. */
  async probed(mirror: string, target: Target, silent: boolean, jobFailed: boolean, now = Date.now()): Promise<void> {
    if (!silent) {
      this.silentSince.delete(mirror);
      this.lastAbort.delete(mirror);
      return;
    }
    const since = this.silentSince.get(mirror) ?? now;
    this.silentSince.set(mirror, since);
    if (jobFailed || now - since < DEAD_AFTER_MS) return;
    const last = this.lastAbort.get(mirror);
    if (last !== undefined && now - last < RETRY_MS) return;
    this.lastAbort.set(mirror, now);
    try {
      const n = await this.abort(target);
      if (n > 0) this.log.warn("replication link dead: aborted the connections to the target so the source serves on", { name: mirror, target: `${target.host}:${target.port}`, connections: n });
    } catch (err) {
      if (this.warned) return;
      this.warned = true;
      this.log.warn("cannot abort dead replication connections (needs `ss` from iproute2, root and a kernel with SOCK_DESTROY); in sync mode client writes wait until TCP gives up", { name: mirror, error: (err as Error).message });
    }
  }
}
