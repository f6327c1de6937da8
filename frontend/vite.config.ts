import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// `npm run dev` serves the UI with hot reload and sends API calls to the app
// that `make dev` serves (API_ORIGIN overrides where it listens).
const api = process.env.API_ORIGIN ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "dist",
    manifest: true,
    emptyOutDir: true,
    target: "es2022",
    // The budgets are checked on the gzipped sizes by scripts/compress.mjs.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { "/api": api, "/health": api, "/ready": api, "/mcp": api },
  },
  test: {
    environment: "happy-dom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
