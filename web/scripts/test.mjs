// Runs the unit tests of the SDK and of the browser game: esbuild
// transpiles sdk/ and app/ sources and tests (file by file, no bundling)
// into .build/, then node's test runner runs every test/*.test.js. Arguments are passed on to node --test (such as
// --test-name-pattern). Environment: TICKWIRE_SERVER_BIN names a built
// tickwire binary for the tests against the real server (else they build
// one with go build, with -race when TICKWIRE_RACE=1).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(web, ".build");

/** files returns the .ts files under dir. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

rmSync(out, { recursive: true, force: true });
const entries = ["sdk/src", "sdk/test", "app/src", "app/test"].flatMap((d) => files(join(web, d)));
await build({
  entryPoints: entries,
  outdir: out,
  outbase: web,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});
const tests = entries
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => join(out, relative(web, f)).replace(/\.ts$/, ".js"))
  .sort();
const r = spawnSync(process.execPath, ["--enable-source-maps", "--test", "--test-reporter=spec", ...process.argv.slice(2), ...tests], {
  stdio: "inherit",
  cwd: web,
});
process.exit(r.status ?? 1);
