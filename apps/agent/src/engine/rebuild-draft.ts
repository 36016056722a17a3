import type { LuTransition } from "@tandem/contracts/storage";
import { transitionLu } from "../state/state-edits";
import type { AgentState } from "../state/state-schema";
import type { StorageContext } from "./storage-context";

/** What a rebuild settles before it saves: the next state and what to report. */
export interface Draft {
  state: AgentState;
  transitions: LuTransition[];
  adjustments: string[];
  failures: string[];
}

export function toStandby(ctx: Pick<StorageContext, "now">, draft: Draft, guid: string, reason: string): void {
  const lu = draft.state.lus.find((l) => l.guid === guid)!;
  // Through the table: Active reaches Standby only via Transition to Standby.
  const path = lu.state === "active" ? (["transition_to_standby", "standby"] as const) : (["standby"] as const);
  for (const to of path) {
    const { state, transition } = transitionLu(draft.state, guid, to, reason, ctx.now());
    draft.state = state;
    draft.transitions.push(transition);
  }
}
