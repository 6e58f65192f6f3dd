import { defineConfig } from "vitest/config";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    include: ["tests/**/*.test.ts", "tests/**/*.test.tsx"],
    // Integration tests start processes and brokers; forks isolate their handles.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Vitest sets NODE_ENV=test; nothing in the station may change behaviour on it
    // (lowdb's JSONFilePreset would silently go in-memory).
  },
});
