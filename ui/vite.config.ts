import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  // Tauri serves ui/dist from its own protocol: relative asset URLs keep it portable.
  base: "./",
  clearScreen: false,
  // Matches tauri.conf.json devUrl.
  server: { port: 5173, strictPort: true, host: "localhost" },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    // Monaco is one large lazily loaded chunk by nature; the welcome screen does not wait for it.
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  worker: { format: "es" },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
