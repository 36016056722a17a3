import path from "node:path";

/** Everything the agent keeps in its data directory. */
export function dataPaths(dataDir: string) {
  return {
    qmpSocket: path.join(dataDir, "qmp.sock"),
    qsdLog: path.join(dataDir, "qsd.log"),
    qsdPidFile: path.join(dataDir, "qsd.pid"),
    // A listening unix socket proves a live agent owns this directory (see data-dir-lock.ts).
    agentLock: path.join(dataDir, "agent.lock.sock"),
    defaultPool: path.join(dataDir, "pools", "default"),
    // Volumes, snapshots, LUs and ALUA settings: what QSD's graph is rebuilt from (mode 0600).
    stateFile: path.join(dataDir, "state.json"),
  };
}

export type DataPaths = ReturnType<typeof dataPaths>;

// sun_path is 108 bytes on Linux, including the terminating NUL.
export const MAX_UNIX_SOCKET_PATH = 107;
