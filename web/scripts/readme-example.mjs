// Writes the TypeScript examples of sdk/README.md into .build/readme/ as
// one module with its own tsconfig, so that tools/web.sh type-checks them
// against the SDK: the README's API cannot drift from the code.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(web, ".build", "readme");
const readme = readFileSync(join(web, "sdk", "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length === 0) throw new Error("no ts examples in sdk/README.md");
// The examples import as an app under web/app/src would; from .build/readme
// the SDK is two folders up as well. Names the later examples take as
// given are declared.
const prelude = 'import type { Client } from "../../sdk/src/index.js";\ndeclare const host: Client;\ndeclare const friend: Client;\n';
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "example.ts"), prelude + blocks.join("\n") + "\nexport {};\n");
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify({ extends: "../../tsconfig.base.json", files: ["example.ts"] }, null, 2),
);
console.log(join(out, "tsconfig.json"));
