import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The console is served by the gateway at /console/; its API is the same origin's /api/v1.
// JSX is compiled by Vite's own transformer (tsconfig's "jsx": "react-jsx"): no React plugin needed for a build.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    // No inline scripts or module-preload polyfill: the CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    rollupOptions: {
      // react-router's "use client" marks server components; this is a client-only bundle.
      onwarn: (warning, warn) => warning.code !== 'MODULE_LEVEL_DIRECTIVE' && warn(warning),
    },
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
