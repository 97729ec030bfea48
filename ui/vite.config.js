// Vite build settings for the Rapport UI: a plain multi-module bundle in ui/dist that loads under
// the app's strict CSP (no inline scripts or styles, no data: URIs, relative paths for Tauri).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The preload polyfill is an inline <script>; the CSP forbids it.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URIs; everything is served from 'self'.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: false,
  },
});
