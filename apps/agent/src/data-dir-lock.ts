import { rmSync } from "node:fs";
import net from "node:net";

export class DataDirInUseError extends Error {}

/**
 * One agent per data directory, or the second would take the first one's QSD for a stale
 * leftover and kill it. A listening unix socket is the lock: the kernel drops it when the
 * agent dies, however it dies, and a leftover file is recognised by a refused connect.
 */
export async function lockDataDir(socketPath: string): Promise<{ release(): void }> {
  const listen = () =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer((socket) => socket.destroy());
      server.once("error", reject);
      server.listen(socketPath, () => resolve(server));
    });
  let server: net.Server;
  try {
    server = await listen();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE") throw err;
    if (await somebodyListens(socketPath)) {
      throw new DataDirInUseError(`another agent is running with this data directory (${socketPath} is live)`);
    }
    rmSync(socketPath, { force: true });
    server = await listen();
  }
  server.unref();
  return {
    release() {
      server.close();
      rmSync(socketPath, { force: true });
    },
  };
}

/** Whether a live process listens on the socket (for the lock: whether an agent owns the directory). */
export function somebodyListens(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
