import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { agentState, emptyState, type AgentState } from "./state-schema";

/** The state file exists but cannot be used; the agent refuses to start rather than lose it. */
export class StateFileError extends Error {}

/** Reads the state file; a missing file is an empty host. */
export async function readStateFile(file: string): Promise<AgentState> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
    throw new StateFileError(`cannot read the state file ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError(`the state file ${file} is not valid JSON; fix or move it away`);
  }
  const parsed = agentState.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(top)";
    throw new StateFileError(`the state file ${file} is not a version 1 agent state: ${where}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Replaces the state file atomically: write a temporary file (mode 0600, it holds the peer's
 * token), fsync it, rename it over the old one, fsync the directory so the rename itself is
 * durable. A crash leaves either the old or the new file, never a mix.
 */
export async function writeStateFile(file: string, state: AgentState): Promise<void> {
  const text = `${JSON.stringify(agentState.parse(state), null, 1)}\n`;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await rm(temp, { force: true }); // a leftover would keep its old mode
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  const dir = await open(path.dirname(file), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
