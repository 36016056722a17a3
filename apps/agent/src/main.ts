// Entry point: node --import tsx apps/agent/src/main.ts [options]; see --help.
import { HELP_TEXT } from "./config/help-text";
import { ConfigError, parseConfig } from "./config/parse-config";
import { DataDirInUseError } from "./data-dir-lock";
import { createLogger } from "./log";
import { runAgent } from "./run-agent";
import { AGENT_VERSION } from "./version";

const fail = (message: string, code: number): never => {
  process.stderr.write(`tandem-agent: ${message}\n`);
  process.exit(code);
};

let command;
try {
  command = parseConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  fail(`${err.message} (see --help)`, 2);
}

if (command?.kind === "help") {
  process.stdout.write(HELP_TEXT);
} else if (command?.kind === "version") {
  process.stdout.write(`${AGENT_VERSION}\n`);
} else if (command?.kind === "run") {
  await runAgent(command.config, createLogger()).catch((err: NodeJS.ErrnoException) => {
    if (err instanceof DataDirInUseError) fail(err.message, 1);
    const where = err.syscall === "listen" ? ` (--listen ${command.config.listen.host}:${command.config.listen.port})` : "";
    fail(`cannot start: ${err.message}${where}`, 1);
  });
}
