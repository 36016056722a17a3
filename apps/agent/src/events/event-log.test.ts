import { describe, expect, it } from "vitest";
import { EventLog } from "./event-log";

describe("EventLog", () => {
  it("numbers events from 1 and replays those after a seq", () => {
    const log = new EventLog(10);
    expect(log.latestSeq).toBe(0);
    expect(log.oldestSeq).toBe(1);
    log.publish("qsd.started", { pid: 1 });
    log.publish("qsd.exited", { pid: 1 });
    expect(log.since(0).map((e) => e.seq)).toEqual([1, 2]);
    expect(log.since(1).map((e) => e.type)).toEqual(["qsd.exited"]);
    expect(log.since(2)).toEqual([]);
  });

  it("keeps only the newest events", () => {
    const log = new EventLog(3);
    for (let i = 0; i < 5; i++) log.publish("qsd.event", { i });
    expect(log.since(0).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.oldestSeq).toBe(3);
    expect(log.latestSeq).toBe(5);
  });

  it("notifies subscribers until they unsubscribe", () => {
    const log = new EventLog();
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.seq));
    log.publish("qsd.started", {});
    off();
    log.publish("qsd.started", {});
    expect(seen).toEqual([1]);
  });

  it("delivers live events without keeping them, and a gap they leave loses nothing", () => {
    const log = new EventLog(2);
    const seen: string[] = [];
    log.subscribe((e) => seen.push(`${e.seq}:${e.type}`));
    log.publish("volume.created", {});
    log.publishLive("mirror.progress", { name: "m" });
    log.publish("volume.deleted", {});
    expect(seen).toEqual(["1:volume.created", "2:mirror.progress", "3:volume.deleted"]);
    expect(log.since(0).map((e) => e.seq)).toEqual([1, 3]);
    expect(log.replayFrom).toBe(0);
    log.publish("volume.created", {});
    expect(log.replayFrom).toBe(1);
  });
});
