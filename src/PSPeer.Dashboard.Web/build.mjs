// Rebuilds the dashboard bundle that PSPeer.dll embeds: `npm ci && npm run build` here (Node.js 18+).
// dist/ is committed, so building the module needs only the .NET SDK; run this after changing src/.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: { dashboard: join(here, "src/main.js") },
  outdir: dist,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "info",
});
copyFileSync(join(here, "src/index.html"), join(dist, "index.html"));
