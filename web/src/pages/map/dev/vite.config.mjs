// Builds the stand-alone map page (dev/index.html) into a folder of its own, which
// `vikno serve --static-dir` serves so that /api is same-origin (.mjs: tsc has no Node types here):
//   npx vite build --config src/pages/map/dev/vite.config.mjs   (from web/; OUT defaults to /tmp/map-dev)
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: process.env.OUT ?? '/tmp/map-dev',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
  },
});
