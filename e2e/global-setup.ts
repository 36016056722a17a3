import fs from "node:fs";
import path from "node:path";
import { startStack } from "./support/stack";

export default async function globalSetup() {
  const state = await startStack();
  const file = path.join(state.dir, "stack.json");
  fs.writeFileSync(file, JSON.stringify(state));
  process.env.TANDEM_E2E_STATE = file;
  process.env.TANDEM_E2E_URL = state.consoleUrl;
}
