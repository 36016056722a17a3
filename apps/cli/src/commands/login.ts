import os from "node:os";
import { z } from "zod";
import { createApi, explain } from "../client";
import { CliError, saveLogin } from "../config";
import { promptHidden, readStdin } from "../prompt";

const options = z.object({
  url: z.string().url("--url must be a URL such as http://localhost:3000"),
  user: z.string().min(1, "--user is required"),
  passwordStdin: z.boolean().optional(),
});

export async function login(raw: unknown) {
  const parsed = options.safeParse(raw);
  if (!parsed.success) throw new CliError(parsed.error.issues[0]!.message);
  const { url: rawUrl, user, passwordStdin } = parsed.data;
  const url = rawUrl.replace(/\/+$/, "");
  const password = passwordStdin ? await readStdin() : await promptHidden(`Password for ${user}@${url}: `);
  if (!password) throw new CliError("empty password");

  let res: Response;
  try {
    res = await fetch(`${url}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ username: user, password }),
    });
  } catch {
    throw new CliError(`cannot reach the console at ${url}`);
  }
  if (res.status === 401 || res.status === 422) throw new CliError("wrong user name or password");
  if (res.status === 429) throw new CliError(`too many sign-in attempts from this address; try again in ${Number(res.headers.get("x-retry-after")) || 10} s`);
  if (!res.ok) throw new CliError(`sign-in failed: HTTP ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

  const api = createApi(url, { cookie, origin: url });
  try {
    const token = await api.auth.createToken.mutate({ name: `cli ${process.env.USER ?? "user"}@${os.hostname()}` });
    const file = saveLogin({ url, token: token.token, username: user });
    // End the browser-style session; the API token is what the CLI keeps.
    await fetch(`${url}/api/auth/sign-out`, { method: "POST", headers: { cookie, origin: url, "content-type": "application/json" }, body: "{}" }).catch(() => {});
    return { url, username: user, tokenPrefix: token.prefix, savedTo: file };
  } catch (err) {
    throw new CliError(explain(err, url));
  }
}
