import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

// Two pages: the kiosk at "/" and the device simulator at "/sim". No CDN, no web fonts: the
// station is offline and uses the system's Noto CJK fonts.
export default defineConfig({
  root,
  base: "/",
  // ui/public/voice: the recorded prompts (npm run voice), copied as they are.
  publicDir: fileURLToPath(new URL("./public", import.meta.url)),
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: {
        kiosk: fileURLToPath(new URL("./index.html", import.meta.url)),
        sim: fileURLToPath(new URL("./sim.html", import.meta.url)),
      },
    },
  },
});
