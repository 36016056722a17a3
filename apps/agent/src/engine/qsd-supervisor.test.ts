import { describe, expect, it, vi } from "vitest";
import { dataPaths } from "../config/data-paths";
import { silentLogger } from "../log";
import type { QsdExit } from "./qsd-instance";
import { QsdStartError } from "./qsd-instance";
import { assertTransition, backoffDelay } from "./qsd-state";
import { QsdSupervisor, type RunningQsd } from "./qsd-supervisor";

/** A QSD stand-in whose death and shutdown the test controls. */
class FakeQsd implements RunningQsd {
  readonly version = "7.2.22";
  readonly startedAt = new Date();
  readonly exited: Promise<QsdExit>;
  hasExited = false;
  stopped = false;
  readonly qmp: RunningQsd["qmp"];
  private resolveExit!: (exit: QsdExit) => void;
  private resolveClosed!: (reason: Error | undefined) => void;

  constructor(readonly pid: number) {
    this.exited = new Promise((r) => (this.resolveExit = r));
    const closed = new Promise<Error | undefined>((r) => (this.resolveClosed = r));
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter below runs with another `this`
    const self = this;
    this.qmp = {
      closed,
      get isOpen() {
        return !self.hasExited;
      },
      execute: async () => ({}) as never,
      onEvent: () => () => true,
    };
  }

  die(exit: QsdExit = { code: null, signal: "SIGKILL", reason: null }): void {
    this.hasExited = true;
    this.resolveClosed(new Error("closed"));
    this.resolveExit(exit);
  }

  async stop() {
    this.stopped = true;
    this.die({ code: 0, signal: null, reason: null });
    return { outcome: "quit" as const, exit: await this.exited };
  }

  killNow(): void {}
}

function setup(startInstance: () => Promise<RunningQsd>, onRunning?: (qsd: RunningQsd) => void) {
  const events: { type: string; data: Record<string, unknown>; problem: string | null }[] = [];
  const supervisor: QsdSupervisor = new QsdSupervisor({
    paths: dataPaths("/tmp/unused"),
    nbd: { host: "127.0.0.1", port: 10809 },
    log: silentLogger,
    // What a consumer re-reading health on the event would see.
    publish: (type, data) => events.push({ type, data, problem: supervisor.status().problem }),
    backoff: { initialMs: 10, maxMs: 40 },
    startInstance,
    onRunning,
  });
  return { supervisor, events, types: () => events.map((e) => e.type) };
}

describe("QsdSupervisor", () => {
  it("starts QSD, restarts it after an unexpected exit and counts restarts", async () => {
    const started: FakeQsd[] = [];
    const { supervisor, events, types } = setup(async () => {
      const qsd = new FakeQsd(100 + started.length);
      started.push(qsd);
      return qsd;
    });
    supervisor.start();
    await vi.waitFor(() => expect(supervisor.status().problem).toBeNull());
    expect(supervisor.status().info).toMatchObject({ running: true, pid: 100, version: "7.2.22", restarts: 0 });

    started[0]!.die({ code: null, signal: "SIGKILL", reason: null });
    await vi.waitFor(() => expect(types()).toContain("qsd.exited"));
    await vi.waitFor(() => expect(supervisor.status().info).toMatchObject({ running: true, pid: 101, restarts: 1 }));
    expect(types()).toEqual(["qsd.started", "qsd.exited", "qsd.restarted"]);
    expect(events[1]!.data).toMatchObject({ pid: 100, signal: "SIGKILL", expected: false });
    expect(events[1]!.problem).toMatch(/not running: it was killed by SIGKILL/);
    expect(events[2]!.data).toMatchObject({ pid: 101, restarts: 1 });

    await supervisor.stop();
    expect(started[1]!.stopped).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: "qsd.exited", data: { pid: 101, expected: true } });
    expect(supervisor.status()).toMatchObject({ info: { running: false, pid: 101 }, problem: expect.stringMatching(/stopped/) });
  });

  it("reports why QSD is down and keeps retrying a failing start", async () => {
    let attempts = 0;
    const { supervisor, events } = setup(async () => {
      attempts++;
      if (attempts < 3) throw new QsdStartError("qemu-storage-daemon exited with code 1: Address already in use", 7, null);
      return new FakeQsd(200);
    });
    supervisor.start();
    await vi.waitFor(() => expect(events[0]).toBeDefined());
    expect(events[0]).toMatchObject({ type: "qsd.exited", data: { pid: 7, expected: false } });
    expect(events[0]!.problem).toMatch(/^qemu-storage-daemon is not running: .*Address already in use; next start in 1 s$/);
    await vi.waitFor(() => expect(supervisor.status().info.running).toBe(true));
    expect(supervisor.status().info.restarts).toBe(2);
    expect(events.map((e) => e.type)).toEqual(["qsd.exited", "qsd.exited", "qsd.restarted"]);
    await supervisor.stop();
  });

  it("stops a QSD whose start was still in progress, and does not restart it", async () => {
    let finishStart!: (q: RunningQsd) => void;
    const qsd = new FakeQsd(300);
    const { supervisor, types } = setup(() => new Promise((r) => (finishStart = r)));
    supervisor.start();
    const stopped = supervisor.stop();
    finishStart(qsd);
    await stopped;
    expect(qsd.stopped).toBe(true);
    expect(types()).toEqual(["qsd.exited"]);
    await new Promise((r) => setTimeout(r, 50));
    expect(supervisor.status().info.running).toBe(false);
  });

  it("hands every started QSD to onRunning, after announcing it (its graph is rebuilt there)", async () => {
    const started: FakeQsd[] = [];
    const running: { pid: number; seenTypes: string[] }[] = [];
    const { supervisor, types } = setup(
      async () => {
        const qsd = new FakeQsd(500 + started.length);
        started.push(qsd);
        return qsd;
      },
      (qsd) => running.push({ pid: qsd.pid, seenTypes: types() }),
    );
    supervisor.start();
    await vi.waitFor(() => expect(running).toHaveLength(1));
    started[0]!.die();
    await vi.waitFor(() => expect(running).toHaveLength(2));
    expect(running).toEqual([
      { pid: 500, seenTypes: ["qsd.started"] },
      { pid: 501, seenTypes: ["qsd.started", "qsd.exited", "qsd.restarted"] },
    ]);
    await supervisor.stop();
  });

  it("stop() twice is one stop", async () => {
    const { supervisor } = setup(async () => new FakeQsd(400));
    supervisor.start();
    await vi.waitFor(() => expect(supervisor.status().info.running).toBe(true));
    await Promise.all([supervisor.stop(), supervisor.stop()]);
  });
});

describe("qsd state helpers", () => {
  it("allows only listed transitions", () => {
    expect(() => assertTransition("running", "backoff")).not.toThrow();
    expect(() => assertTransition("stopped", "starting")).toThrow(/stopped -> starting/);
    expect(() => assertTransition("stopping", "running")).toThrow();
  });

  it("doubles the delay and caps it", () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, 500, 15_000))).toEqual([500, 1000, 2000, 4000, 15_000]);
  });
});
