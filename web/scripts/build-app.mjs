// Bundles the browser game: esbuild bundles app/src/main.ts (and the CSS
// it imports) into hashed files under <outdir>/assets/, and writes
// <outdir>/index.html from app/index.html naming them. The output is
// deterministic, so tools/webtest.sh can rebuild into a temporary
// directory and compare it with the committed app/dist.
//
// Usage: node scripts/build-app.mjs [outdir]   (default: app/dist)
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const out = resolve(process.argv[2] ?? join(web, "app", "dist"));

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  // Paths in the bundle are relative to the working directory: fix it, so
  // that every caller builds the same bytes.
  absWorkingDir: web,
  entryPoints: [join(web, "app", "src", "main.ts")],
  bundle: true,
  outdir: join(out, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  format: "esm",
  platform: "browser",
  target: ["chrome120", "firefox120", "safari17"],
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
const assets = Object.keys(result.metafile.outputs).map((p) => relative(out, resolve(web, p)).split("\\").join("/"));
const js = assets.find((p) => p.endsWith(".js"));
const css = assets.find((p) => p.endsWith(".css"));
if (!js || !css) throw new Error(`the bundle lacks a script or a stylesheet: ${assets.join(", ")}`);
const html = readFileSync(join(web, "app", "index.html"), "utf8").replace("/__JS__", `/${js}`).replace("/__CSS__", `/${css}`);
writeFileSync(join(out, "index.html"), html);
console.log(`web/app bundle: ${["index.html", ...assets].join(", ")}`);
