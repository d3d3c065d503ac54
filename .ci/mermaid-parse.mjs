// Parses each Mermaid file named on the command line with the `mermaid` npm package itself (the parser GitHub's
// renderer runs), in Node with jsdom for the DOM it expects; exits 1 when one does not parse. The packages come
// from MERMAID_HOME (an `npm install --prefix` folder, see .ci/run). `--version` only checks they load.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const home = process.env.MERMAID_HOME;
if (!home) {
  console.error("MERMAID_HOME is not set");
  process.exit(2);
}
const require = createRequire(join(home, "package.json"));
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaidDir = join(home, "node_modules", "mermaid");
const entry = JSON.parse(readFileSync(join(mermaidDir, "package.json"), "utf8")).module;
const { default: mermaid } = await import(pathToFileURL(join(mermaidDir, entry)).href);
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

if (process.argv[2] === "--version") {
  console.log(`mermaid ${mermaid.version ?? "loaded"}`);
  process.exit(0);
}
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    await mermaid.parse(readFileSync(file, "utf8"));
  } catch (e) {
    failed += 1;
    console.log(`${file}: ${String(e.message ?? e)}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
