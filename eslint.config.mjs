import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Module boundaries (see the README's "Code layout"): the domain core stays pure, only
// server/db touches Prisma, UI components import only types from the server, and the agent
// and CLI share nothing with the console but contracts.
const prismaOnlyInDb = {
  group: ["@prisma/*", "**/db/generated/**"],
  message: "Only server/db may use Prisma.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", "server/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "react-hooks/set-state-in-effect": "off",
    },
  },
  {
    // Playwright fixtures have a `use` callback that is not a React hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    files: ["server/domain/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [prismaOnlyInDb, { group: ["@trpc/*", "next", "next/*", "socket.io*", "@/server/db/*", "@/server/services/*"], message: "server/domain is pure: no transport, no database." }],
      }],
    },
  },
  {
    files: ["server/services/**", "server/trpc/**", "server/workers/**", "server/realtime/**", "server/agents/**", "app/**", "components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [prismaOnlyInDb] }] },
  },
  {
    files: ["server/trpc/routers/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [prismaOnlyInDb, { group: ["@/server/db/*"], message: "Routers call services, not stores." }] }] },
  },
  {
    files: ["components/**", "app/**"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [prismaOnlyInDb, { group: ["@/server/*", "!@/server/trpc/root", "!@/server/realtime/events", "!@/server/services/*/*-dto"], message: "UI code imports only types from the server.", allowTypeImports: true }],
      }],
    },
  },
  {
    files: ["apps/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [prismaOnlyInDb, { group: ["@/*", "**/server/**", "!**/server/trpc/root"], message: "The agent and CLI share only contracts with the console.", allowTypeImports: true }] }],
    },
  },
];

export default config;
