// Where the CLI keeps its login: TANDEM_URL + TANDEM_TOKEN win; otherwise a config file
// (mode 0600) in $TANDEM_CONFIG or ~/.config/tandem/config.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";

export const savedLogin = z.object({ url: z.string().url(), token: z.string().min(20), username: z.string() });
export type SavedLogin = z.infer<typeof savedLogin>;

export function configPath(env = process.env): string {
  return env.TANDEM_CONFIG ?? path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), ".config"), "tandem", "config.json");
}

/** A failure to report as one line, `tandem: message`, with exit code 1. */
export class CliError extends Error {}

/** The command line itself is wrong (a bad argument or option): exit code 2. */
export class UsageError extends CliError {}

export function loadLogin(env = process.env): SavedLogin {
  if (env.TANDEM_URL || env.TANDEM_TOKEN) {
    if (!env.TANDEM_URL || !env.TANDEM_TOKEN) throw new CliError("set both TANDEM_URL and TANDEM_TOKEN, or neither");
    const parsed = savedLogin.safeParse({ url: env.TANDEM_URL, token: env.TANDEM_TOKEN, username: "(token)" });
    if (!parsed.success) throw new CliError("TANDEM_URL must be a URL and TANDEM_TOKEN an API token");
    return parsed.data;
  }
  const file = configPath(env);
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch {
    throw new CliError("not logged in: run `tandem login --url URL --user NAME` (or set TANDEM_URL and TANDEM_TOKEN)");
  }
  const parsed = savedLogin.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new CliError(`${file} is damaged: run \`tandem login\` again`);
  return parsed.data;
}

export function saveLogin(login: SavedLogin, env = process.env): string {
  const file = configPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(login, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
  return file;
}
