// Confirmation of destructive commands: asked on a terminal, skipped with --yes, and refused
// (never waited for) when there is no terminal to ask on.
import readline from "node:readline";
import { CliError } from "./config";

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY);
}

/** Throws at once when the command may not go ahead unasked: no --yes and no terminal. */
export function requireConfirmable(yes: boolean | undefined, what: string): void {
  if (!yes && !canAsk()) throw new CliError(`refusing to ${what} without confirmation: no terminal to ask on; pass --yes to go ahead`);
}

function ask(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    let answered = false;
    // Ctrl-C (raw mode: no signal) and Ctrl-D both close the question, which cancels.
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      if (!answered) {
        process.stderr.write("\n");
        resolve("");
      }
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer.trim());
    });
  });
}

/**
 * Asks on the terminal unless `yes`. With `typeToConfirm`, the answer must be that text (for
 * what cannot be undone); otherwise y or yes. Anything else cancels (exit code 1).
 */
export async function confirm(opts: { yes?: boolean; what: string; prompt: string; typeToConfirm?: string }): Promise<void> {
  if (opts.yes) return;
  requireConfirmable(false, opts.what);
  const expected = opts.typeToConfirm;
  const answer = await ask(expected ? `${opts.prompt}\nType ${expected} to confirm: ` : `${opts.prompt} [y/N] `);
  const ok = expected ? answer === expected : /^(y|yes)$/i.test(answer);
  if (!ok) throw new CliError(`cancelled: did not ${opts.what}`);
}
