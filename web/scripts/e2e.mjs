// Runs the browser end-to-end tests: builds the server (go build, with
// -race when TICKWIRE_RACE=1) unless TICKWIRE_SERVER_BIN names one,
// transpiles app/e2e/*.test.ts with esbuild into .build/e2e-js/, and runs
// them with node's test runner. They drive /usr/bin/chromium (or
// TICKWIRE_CHROMIUM) through playwright-core and leave screenshots in
// .build/e2e/. Arguments are passed on to node --test.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const js = join(web, ".build", "e2e-js");
const artifacts = join(web, ".build", "e2e");
rmSync(js, { recursive: true, force: true });
rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

let bin = process.env.TICKWIRE_SERVER_BIN;
if (!bin) {
  bin = join(artifacts, "tickwire");
  const args = ["build", "-o", bin, ...(process.env.TICKWIRE_RACE === "1" ? ["-race"] : []), "./cmd/tickwire"];
  const r = spawnSync("go", args, { cwd: dirname(web), stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const dir = join(web, "app", "e2e");
const tests = readdirSync(dir).filter((f) => f.endsWith(".test.ts"));
await build({
  entryPoints: tests.map((f) => join(dir, f)),
  outdir: js,
  bundle: true,
  packages: "external",
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "inline",
  logLevel: "warning",
});
const r = spawnSync(
  process.execPath,
  ["--enable-source-maps", "--test", "--test-reporter=spec", "--test-concurrency=1", ...process.argv.slice(2), ...tests.map((f) => join(js, f.replace(/\.ts$/, ".js")))],
  { stdio: "inherit", cwd: web, env: { ...process.env, TICKWIRE_SERVER_BIN: bin, TICKWIRE_E2E_ARTIFACTS: artifacts } },
);
process.exit(r.status ?? 1);
