import { describe, expect, it } from "vitest";
import { canTransition } from "../engine/lu-state";
import { addLu, allocateNodeId, transitionLu } from "./state-edits";
import { emptyState, MAX_TRANSITIONS, type LuRecord } from "./state-schema";

const GUID = `6${"0".repeat(31)}`;
const lu: LuRecord = {
  guid: GUID,
  alias: null,
  volume: "v1",
  state: "active",
  stateChangedAt: "2026-01-01T00:00:00.000Z",
  createdAt: "2026-01-01T00:00:00.000Z",
  transitions: [],
};

describe("LU access states", () => {
  it.each([
    ["active", "transition_to_standby", true],
    ["transition_to_standby", "standby", true],
    ["transition_to_standby", "active", true],
    ["standby", "transition_to_active", true],
    ["transition_to_active", "active", true],
    ["transition_to_active", "standby", true],
    ["active", "standby", false],
    ["standby", "active", false],
    ["active", "transition_to_active", false],
    ["standby", "transition_to_standby", false],
  ] as const)("%s -> %s allowed: %s", (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it("records each transition with time and reason, and leaves the input alone", () => {
    const before = addLu(emptyState(), lu);
    const at = new Date("2026-02-02T00:00:00.000Z");
    const { state, transition } = transitionLu(before, GUID, "transition_to_standby", "why", at);
    expect(transition).toEqual({ guid: GUID, from: "active", to: "transition_to_standby", at: at.toISOString(), reason: "why" });
    expect(state.lus[0]).toMatchObject({ state: "transition_to_standby", stateChangedAt: at.toISOString(), transitions: [transition] });
    expect(before.lus[0]!.state).toBe("active");
    expect(() => transitionLu(before, GUID, "standby", "skip", at)).toThrow(/invalid transition active -> standby/);
  });

  it(`keeps only the last ${MAX_TRANSITIONS} transitions`, () => {
    let state = addLu(emptyState(), lu);
    for (let i = 0; i < 60; i++) {
      state = transitionLu(state, GUID, "transition_to_standby", `down ${i}`, new Date()).state;
      state = transitionLu(state, GUID, "active", `up ${i}`, new Date()).state;
    }
    const kept = state.lus[0]!.transitions;
    expect(kept).toHaveLength(MAX_TRANSITIONS);
    expect(kept.at(-1)!.reason).toBe("up 59");
    expect(kept[0]!.reason).toBe("down 10");
  });

  it("never reuses a node id", () => {
    const first = allocateNodeId(emptyState());
    const second = allocateNodeId(first.state);
    expect([first.nodeId, second.nodeId]).toEqual(["vol1", "vol2"]);
  });
});
