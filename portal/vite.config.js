// The portal, built by Vite into dist/, which the gateway serves, and beside it the counter kiosk's and the display
// screen's pages (kiosk.html, display.html: small Vue apps of their own, without the portal around them). Element Plus components are imported where a
// template uses them (unplugin-vue-components), and each view is its own chunk, so a page loads only what it shows.
import { fileURLToPath, URL } from "node:url";
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";
import { compression } from "vite-plugin-compression2";

const gateway = process.env.PACESETTER_GATEWAY || "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [
    vue(),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
    // each asset also as .gz, which the gateway sends to a browser that takes gzip (no compression per request)
    compression({ algorithms: ["gzip"], include: /\.(js|css|svg|json)$/, threshold: 1024 }),
  ],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: { input: { portal: "index.html", kiosk: "kiosk.html", display: "display.html" } },
    chunkSizeWarningLimit: 1200,
  },
  // `npm run dev` against a running suite (make run): the API stays where the gateway is.
  server: { proxy: { "/api": gateway } },
  test: {
    environment: "happy-dom",
    include: ["tests/**/*.test.js"],
    server: { deps: { inline: ["element-plus"] } },
  },
});
