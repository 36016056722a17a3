import type { NextConfig } from "next";

const config: NextConfig = {
  // The custom server (server.ts) owns /api/trpc, /api/auth and /socket.io.
  transpilePackages: ["@tandem/contracts"],
  poweredByHeader: false,
  reactStrictMode: true,
  devIndicators: false,
  // `npm test` type-checks the whole repository with tsc; the build need not do it again
  // (and a test file's types must not stop `npm run up`).
  typescript: { ignoreBuildErrors: true },
};

export default config;
