import { describe, expect, it } from "vitest";
import { phaseOf, type PhaseInput } from "./mirror-phase";

const base: PhaseInput = { busy: null, job: null, error: null, restartPending: false, link: "up", pausedByOperator: false };
const job = (over: Partial<NonNullable<PhaseInput["job"]>> = {}) => ({ status: "running", ready: false, paused: false, "io-status": "ok", ...over });

describe("mirror phase", () => {
  it.each<[string, Partial<PhaseInput>, string]>([
    ["an operation starting the job", { busy: "starting" }, "starting"],
    ["an operation draining the job", { busy: "draining", job: job({ ready: true }) }, "draining"],
    ["no job after a failure", { error: "boom" }, "error"],
    ["no job, restart pending, target away", { restartPending: true, link: "down" }, "link_down"],
    ["no job, restart pending, target answers", { restartPending: true }, "starting"],
    ["no job and nothing pending", {}, "stopped"],
    ["first copy", { job: job() }, "copying"],
    ["in sync", { job: job({ status: "ready", ready: true }) }, "ready"],
    ["job paused on a target error", { job: job({ status: "standby", ready: true, paused: true, "io-status": "failed" }) }, "link_down"],
    ["idle job while the probe fails", { job: job({ status: "ready", ready: true }), link: "down" }, "link_down"],
    ["operator pause", { job: job({ status: "standby", ready: true, paused: true }), pausedByOperator: true }, "paused"],
    ["operator pause wins over a dead link", { job: job({ paused: true, "io-status": "failed" }), pausedByOperator: true, link: "down" }, "paused"],
    ["a short standby while exports change", { job: job({ status: "standby", ready: true, paused: true }) }, "ready"],
    ["cancelled, finishing", { job: job({ status: "pending", ready: true }) }, "draining"],
  ])("%s", (_what, input, expected) => {
    expect(phaseOf({ ...base, ...input })).toBe(expected);
  });
});
