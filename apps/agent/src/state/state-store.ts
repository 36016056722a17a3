import type { AgentState } from "./state-schema";
import { writeStateFile } from "./state-file";

/** The committed state: what the file says. Only a successful save changes it. */
export class StateStore {
  constructor(
    private readonly file: string,
    private current: AgentState,
    private readonly write: (file: string, state: AgentState) => Promise<void> = writeStateFile,
  ) {}

  get state(): AgentState {
    return this.current;
  }

  async save(next: AgentState): Promise<void> {
    await this.write(this.file, next);
    this.current = next;
  }
}
