import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const contractsEntry = fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url));
// The API the dev server proxies to (`npm start` runs it on port 3000).
const apiTarget = process.env.CITYOPS_API_URL ?? 'http://127.0.0.1:3000';
const CONTRACTS_SOURCE = /[\\/]libs[\\/]contracts[\\/]src[\\/]/;

/** Text assets worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|wasm|map)$/;
/** Below this, the headers outweigh the saving. */
const MIN_BYTES = 1024;

/**
 * Writes `<asset>.br` and `<asset>.gz` beside each built asset, so the API sends compressed
 * bytes without compressing per request (a wall's 2.5 MB of JavaScript is under 0.8 MB gzipped).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'cityops-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        const file = join(assets, name);
        if (!COMPRESSIBLE.test(name) || statSync(file).size < MIN_BYTES) continue;
        const bytes = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress()],
  resolve: {
    alias: { '@cityops/contracts': contractsEntry },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // MapLibre alone is about 1 MB minified; it is split into its own chunk below.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      treeshake: {
        // `@cityops/contracts` builds zod schemas at module top level. The web app only uses its
        // types and a few constants: treat those modules as side-effect free and `z.*()` calls as
        // pure, so that the unused schemas, and zod with them, are left out of the bundle.
        moduleSideEffects: (id: string) => (CONTRACTS_SOURCE.test(id) ? false : undefined),
        manualPureFunctions: ['z'],
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/](maplibre-gl|@maplibre)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
});
