// How a command runs: check arguments locally, call the console with the saved login, then print
// either text for people or, with --json, the API's answer as JSON.
import type { Command } from "commander";
import { createApi, explain, type Api } from "./client";
import { CliError, loadLogin } from "./config";

/** What a command prints: `text` for people, `data` for --json. */
export type Output = { data: unknown; text: string };

export const output = (data: unknown, text: string): Output => ({ data, text });

let session: { api: Api; url: string } | null = null;

/** Runs `fn` against the console; any failure becomes one line a person can act on. */
export async function call<T>(fn: (api: Api) => Promise<T>): Promise<T> {
  if (!session) {
    const saved = loadLogin();
    session = { api: createApi(saved.url, { authorization: `Bearer ${saved.token}` }), url: saved.url };
  }
  try {
    return await fn(session.api);
  } catch (err) {
    throw new CliError(explain(err, session.url));
  }
}

export function print(out: Output | string, json: boolean | undefined) {
  if (typeof out === "string") process.stdout.write(out + "\n");
  else if (json) process.stdout.write(JSON.stringify(out.data, null, 2) + "\n");
  else if (out.text) process.stdout.write(out.text + "\n");
}

/**
 * A commander action from a handler that gets the positional arguments and the options
 * (commander passes `...args, options, command`).
 */
export function act<A extends string[], O extends { json?: boolean }>(fn: (...a: [...A, O]) => Promise<Output>) {
  return async (...raw: unknown[]) => {
    const cmd = raw[raw.length - 1] as Command;
    const opts = cmd.opts() as O;
    const args = raw.slice(0, -2) as A;
    print(await fn(...args, opts), opts.json);
  };
}
