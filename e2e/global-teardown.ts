import fs from "node:fs";
import { stopStack, type StackState } from "./support/stack";

export default async function globalTeardown() {
  const file = process.env.TANDEM_E2E_STATE;
  if (!file || !fs.existsSync(file)) return;
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as StackState;
  await stopStack(state);
}
