#!/usr/bin/env node
// tandem: the command-line face of the console's API.
import { Command, CommanderError } from "commander";
import { explain } from "./client";
import { CliError, UsageError } from "./config";
import { login } from "./commands/login";
import { registerHost } from "./commands/host";
import { registerVolume } from "./commands/volume";
import { registerSnapshot } from "./commands/snapshot";
import { registerLu } from "./commands/lu";
import { registerAlua } from "./commands/alua";
import { registerOperation } from "./commands/operation";
import { registerMirror } from "./commands/mirror";
import { registerAudit } from "./commands/mirror-move";
import { print } from "./run";

/** Every failure is one line on stderr. */
const oneLine = (s: string) => s.trim().replace(/\s*\n\s*/g, "; ");

const program = new Command()
  .name("tandem")
  .description(
    "Tandem: mirror block volumes between storage hosts.\n" +
      "Login with `tandem login`, or set TANDEM_URL and TANDEM_TOKEN. Add --json to any command for JSON.\n" +
      "Exit codes: 0 done, 1 failed or refused, 2 wrong usage (unknown command, bad or missing argument).",
  )
  .version("0.1.0")
  .exitOverride()
  .configureOutput({
    writeErr: (s) => process.stderr.write(s),
    outputError: (s, write) => write(`tandem: ${oneLine(s.replace(/^error: /, ""))}\n`),
  });

program
  .command("login")
  .description("sign in to a console and store an API token for later commands")
  .requiredOption("--url <url>", "console URL, e.g. http://localhost:3000")
  .requiredOption("--user <name>", "user name")
  .option("--password-stdin", "read the password from standard input instead of prompting")
  .option("--json", "print the result as JSON")
  .action(async (opts) => {
    const r = await login({ url: opts.url, user: opts.user, passwordStdin: opts.passwordStdin });
    print({ data: r, text: `Logged in to ${r.url} as ${r.username}; token ${r.tokenPrefix}… saved to ${r.savedTo}` }, opts.json);
  });

registerHost(program);
registerVolume(program);
registerSnapshot(program);
registerLu(program);
registerAlua(program);
registerMirror(program);
registerOperation(program);
registerAudit(program);

async function main() {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    process.stderr.write(`tandem: ${oneLine(err instanceof CliError ? err.message : explain(err, ""))}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}

void main();
