// ALUA access states of an LU (COMSTAR): one table, checked on every change.
import { ACCESS_STATES, type AccessStateName } from "@tandem/contracts/storage";

const transitions: Record<AccessStateName, readonly AccessStateName[]> = {
  active: ["transition_to_standby"],
  // Back to the old state when the move fails half way.
  transition_to_standby: ["standby", "active"],
  standby: ["transition_to_active"],
  // Standby also when the peer cannot be told, and after a crash (the safe side).
  transition_to_active: ["active", "standby"],
};

export function canTransition(from: AccessStateName, to: AccessStateName): boolean {
  return transitions[from].includes(to);
}

export function assertLuTransition(from: AccessStateName, to: AccessStateName): void {
  if (!canTransition(from, to)) throw new Error(`LU access state: invalid transition ${from} -> ${to}`);
}

export const isTransitional = (s: AccessStateName) => s === "transition_to_active" || s === "transition_to_standby";

export const stateCode = (s: AccessStateName) => ACCESS_STATES[s];
