import type { OperationRow } from "@/server/db/operation-store";
import type { Deps } from "@/server/services/deps";

export type StepContext<I> = {
  deps: Deps;
  op: OperationRow;
  input: I;
  /** Outputs of the steps before this one (from this run or a run before a crash). */
  outputs: Record<string, unknown>;
  /** Reports bytes moved; stored and sent to browsers. */
  progress: (bytesDone: number, bytesTotal?: number) => Promise<void>;
};

/** One step. `run` must be idempotent: after a crash it runs again, so it checks first. */
export type StepDefinition<I> = { name: string; title: string; run: (ctx: StepContext<I>) => Promise<unknown> };

/**
 * What a kind of operation does: either one idempotent `run`, or `steps` whose finished ones
 * are skipped when the operation resumes.
 */
export type OperationDefinition<I = unknown> = {
  kind: string;
  parseInput: (raw: unknown) => I;
  /** Runs once when the operation has failed for good: leave the subject in a state that says so. */
  onFailure?: (deps: Deps, op: OperationRow, input: I, message: string) => Promise<void>;
  /** Runs once after success, when the operation no longer holds its lock (e.g. to queue the next). */
  onSuccess?: (deps: Deps, op: OperationRow, input: I, result: unknown) => Promise<void>;
} & (
  | { run: (deps: Deps, op: OperationRow, input: I) => Promise<unknown>; steps?: undefined }
  | { steps: (input: I) => StepDefinition<I>[]; run?: undefined }
);

// Each definition parses its own input, so the engine may hold definitions of any input type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperationDefinition = OperationDefinition<any>;
