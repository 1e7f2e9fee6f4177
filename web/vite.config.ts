// One single-page app: src/main.tsx picks the page by path and loads only that page's code
// (each page is its own chunk; Preact, the API client and the strings are shared).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // The server serves the files as they are: no source maps in the release.
    sourcemap: false,
    // dist/.vite/manifest.json: what each page loads (npm run sizes).
    manifest: true,
  },
  server: {
    // `npm run dev` beside `make run`: the API stays on the Vikno server.
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
