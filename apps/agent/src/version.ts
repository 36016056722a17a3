import { readFileSync } from "node:fs";
import { z } from "zod";

// Read once at startup: the agent reports its own version in /v1/health.
const packageJson = z.object({ version: z.string() });

export const AGENT_VERSION = packageJson.parse(
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")),
).version;
