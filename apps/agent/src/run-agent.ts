import { mkdir, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createApiServer } from "./api/api-server";
import type { AgentConfig } from "./config/parse-config";
import { formatHostPort } from "./config/host-port";
import { lockDataDir } from "./data-dir-lock";
import { MirrorLink } from "./engine/mirror-link";
import { MirrorProgress } from "./engine/mirror-progress";
import { MirrorRuntime } from "./engine/mirror-runtime";
import { VolumeBusy } from "./engine/volume-busy";
import { OpQueue } from "./engine/op-queue";
import { httpPeerClient } from "./engine/peer-client";
import { QsdAccess } from "./engine/qsd-access";
import { jobIdOf } from "./engine/mirror-qmp";
import { rebuildGraph } from "./engine/rebuild";
import { RebuildTracker } from "./engine/rebuild-tracker";
import { stopStaleQsd } from "./engine/stale-qsd";
import type { StorageContext } from "./engine/storage-context";
import { QsdSupervisor } from "./engine/qsd-supervisor";
import { EventLog } from "./events/event-log";
import type { Logger } from "./log";
import { PoolRegistry } from "./pools/pool-registry";
import { readStateFile } from "./state/state-file";
import { StateStore } from "./state/state-store";
import { AGENT_VERSION } from "./version";

/** Starts the agent; resolves once the API listens. Signals and fatal errors end the process. */
export async function runAgent(config: AgentConfig, log: Logger): Promise<void> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  if (((await stat(config.dataDir)).mode & 0o077) !== 0) {
    log.warn("the data directory is open to other users; whoever reaches qmp.sock controls all storage", {
      dataDir: config.dataDir,
    });
  }
  const lock = await lockDataDir(config.paths.agentLock);
  const events = new EventLog();
  let storage: StorageContext;
  try {
    const pools = new PoolRegistry(config.pools);
    await pools.ensureDirs();
    // Read before anything else runs: an unusable state file must stop the agent, not be overwritten.
    const state = await readStateFile(config.paths.stateFile);
    storage = {
      hostName: config.name,
      nbd: config.nbd,
      overcommitRatio: config.overcommitRatio,
      pools,
      store: new StateStore(config.paths.stateFile, state),
      qsd: new QsdAccess(),
      queue: new OpQueue(),
      peer: httpPeerClient(),
      rebuild: new RebuildTracker(),
      publish: events.publish,
      publishLive: events.publishLive,
      mirrors: new MirrorRuntime(),
      busy: new VolumeBusy(),
      log,
      now: () => new Date(),
    };
    log.info("state file loaded", { volumes: state.volumes.length, lus: state.lus.length, alua: state.alua.enabled });
    await stopStaleQsd(config.paths, log);
  } catch (err) {
    lock.release();
    throw err;
  }
  const { pools } = storage;

  const supervisor = new QsdSupervisor({
    paths: config.paths,
    nbd: config.nbd,
    log,
    publish: events.publish,
    onQmpEvent: (e) => {
      // A job that ends on its own says why only in this event.
      if (e.event === "BLOCK_JOB_COMPLETED" && typeof e.data?.error === "string") {
        const mirror = storage.store.state.mirrors.find((m) => jobIdOf(m.name) === e.data?.device);
        if (mirror) storage.mirrors.noteJobEnd(mirror.name, e.data.error);
      }
    },
    // Every QSD starts empty: put the volumes and exports back before serving operations.
    onRunning: (qsd) => void rebuildGraph(storage, qsd, storage.qsd.attach(qsd)),
  });
  const server = createApiServer({
    token: config.token,
    hostName: config.name,
    agentVersion: AGENT_VERSION,
    nbd: config.nbd,
    qsd: supervisor,
    pools,
    events,
    storage,
    log,
  });

  // Bind before starting QSD: a busy API port should fail fast, with nothing to clean up.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  const address = server.address() as AddressInfo;
  process.stdout.write(`tandem-agent listening on http://${formatHostPort({ host: address.address, port: address.port })}\n`);
  log.info("agent started", { name: config.name, version: AGENT_VERSION, dataDir: config.dataDir, pid: process.pid });

  const progress = new MirrorProgress(storage);
  const link = new MirrorLink(storage);

  // Last resort: whatever ends the process, no QSD may outlive it. Only synchronous code runs here.
  process.on("exit", () => supervisor.killNow());

  let stopping = false;
  const shutdown = async (why: string, code: number) => {
    if (stopping) {
      log.warn("second stop request: killing qemu-storage-daemon now", { why });
      process.exit(1); // the exit hook SIGKILLs QSD
    }
    stopping = true;
    log.info("stopping", { why });
    progress.stop();
    link.stop();
    server.close();
    server.closeAllConnections(); // event streams never end on their own
    try {
      await supervisor.stop();
    } finally {
      lock.release();
      process.exit(code);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("uncaughtException", (err) => {
    log.error("uncaught exception", { error: err.stack ?? String(err) });
    void shutdown("uncaught exception", 1);
  });
  process.on("unhandledRejection", (err) => {
    log.error("unhandled rejection", { error: (err as Error)?.stack ?? String(err) });
    void shutdown("unhandled rejection", 1);
  });

  supervisor.start();
  // Replication keeps running without the console: progress sampling, link probes, resumes.
  progress.start();
  link.start();
}
