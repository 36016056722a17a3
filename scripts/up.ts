// `npm run up`: two host agents (h1, h2) on loopback, each with its own qemu-storage-daemon and
// pool, registered as one host pair, and the console with its workers. Ctrl-C stops it all.
// Everything lives in TANDEM_DATA_DIR (default .data) and is reused on the next run.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const settings = z
  .object({
    TANDEM_DATA_DIR: z.string().min(1).default(".data"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    TANDEM_AGENT_PORT_BASE: z.coerce.number().int().min(1024).max(65000).default(7101),
    TANDEM_NBD_PORT_BASE: z.coerce.number().int().min(1024).max(65000).default(10811),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
if (!settings.success) {
  for (const i of settings.error.issues) console.error(`tandem up: ${i.path.join(".")}: ${i.message}`);
  process.exit(2);
}
const cfg = settings.data;
const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(cfg.TANDEM_DATA_DIR);
const tsx = ["--import", "tsx"];
const children: { name: string; proc: ChildProcess }[] = [];
let stopping = false;

function tokenFor(dir: string): string {
  const file = path.join(dir, "token");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString("base64url") + "\n", { mode: 0o600 });
  return fs.readFileSync(file, "utf8").trim();
}

function prefixed(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) {
  let rest = "";
  stream.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) out.write(`[${name}] ${l}\n`);
  });
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, quiet = true): ChildProcess {
  const proc = spawn(process.execPath, [...tsx, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  if (quiet) prefixed(name, proc.stdout!, process.stdout);
  else proc.stdout!.pipe(process.stdout);
  prefixed(name, proc.stderr!, process.stderr);
  children.push({ name, proc });
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`tandem up: ${name} exited (${signal ?? `code ${code}`}); stopping everything`);
    void stop(1);
  });
  return proc;
}

async function waitHealthy(url: string, token: string, name: string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/v1/health`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`agent ${name} did not become healthy at ${url} within 30 s (see its output above)`);
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  // Console first (it stops talking to agents), then agents (each stops its QSD).
  for (const group of [children.filter((c) => c.name === "console"), children.filter((c) => c.name !== "console")]) {
    await Promise.all(
      group.map(
        ({ proc }) =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
            const kill = setTimeout(() => proc.kill("SIGKILL"), 10_000);
            proc.once("exit", () => (clearTimeout(kill), resolve()));
            proc.kill("SIGTERM");
          }),
      ),
    );
  }
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const hosts = [];
  for (const [i, name] of ["h1", "h2"].entries()) {
    const dir = path.join(dataDir, "agents", name);
    const token = tokenFor(dir);
    const listen = `127.0.0.1:${cfg.TANDEM_AGENT_PORT_BASE + i}`;
    start(
      name,
      ["apps/agent/src/main.ts", "--name", name, "--listen", listen, "--data-dir", dir, "--nbd-port", String(cfg.TANDEM_NBD_PORT_BASE + i), "--token-file", path.join(dir, "token")],
      { ...process.env },
    );
    hosts.push({ name, agentUrl: `http://${listen}`, agentToken: token });
  }
  await Promise.all(hosts.map((h) => waitHealthy(h.agentUrl, h.agentToken, h.name)));

  const hostsFile = path.join(dataDir, "hosts.json");
  fs.writeFileSync(hostsFile, JSON.stringify({ hosts, pair: { name: "pair1", members: ["h1", "h2"] } }, null, 2), { mode: 0o600 });

  start("console", ["server.ts"], {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    TANDEM_DATA_DIR: dataDir,
    TANDEM_HOSTS_FILE: hostsFile,
    PORT: String(cfg.PORT),
  }, false);
}

main().catch((err) => {
  console.error(`tandem up: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
