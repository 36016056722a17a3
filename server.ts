// The console: one process serving pages, /api/trpc, /api/auth and /socket.io, with the
// workers in-process. Run as `node --import tsx server.ts`.
import { ConfigError, loadEnv } from "@/server/config/env";
import { startConsole } from "@/server/console/start-console";

async function main() {
  let env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`tandem: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const running = await startConsole(env);
  console.log("");
  console.log(`  Tandem is running: open ${running.url} and sign in as user 'admin'.`);
  if (running.generatedAdminPassword) {
    console.log("  First start: the admin password was generated and is shown only this once:");
    console.log(`      ${running.generatedAdminPassword}`);
    console.log("  (Set TANDEM_ADMIN_PASSWORD before the first start to choose it yourself.)");
  } else {
    console.log("  Password: the one set at first start (TANDEM_ADMIN_PASSWORD, or the one printed then).");
  }
  console.log(`  CLI: npm run tandem -- login --url ${running.url} --user admin`);
  console.log("  Press Ctrl-C to stop.");
  console.log("");
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`tandem console: ${signal}, stopping`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await running.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`tandem console failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
