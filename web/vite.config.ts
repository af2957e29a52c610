import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";
import { directImports } from "./build/directImports";
import { firstScreenGroups } from "./build/firstScreenChunks";
import { deferInternals } from "./build/deferInternals";

// The console is served by the gateway at / (the API at /api/v1): in development, `npm run dev`
// proxies the API to a gateway started by `make up` (CRM_GATEWAY_URL to point elsewhere).
export default defineConfig({
  plugins: [react(), deferInternals(), directImports()],
  build: {
    rolldownOptions: { output: { codeSplitting: { groups: firstScreenGroups() } } },
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { "/api": process.env.CRM_GATEWAY_URL ?? "http://localhost:8000" },
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts", "build/**/*.test.ts"],
  },
});
