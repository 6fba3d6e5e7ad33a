// Run Material for MkDocs' own search worker (lunr + Material's query handling) in Node.
//
//   node tools/search_eval.mjs SITE_DIR INDEX_JSON QUERIES_JSON
//
// SITE_DIR is a built site (the worker script and lunr language files are read from it),
// INDEX_JSON a search_index.json (possibly rewritten), QUERIES_JSON a JSON list of query strings.
// Prints one JSON object: {"query": [result locations, best first, grouped by page like the UI]}.
// Nothing is fetched: importScripts() reads the files next to the worker from disk.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [siteDir, indexPath, queriesPath] = process.argv.slice(2);
if (!siteDir || !indexPath || !queriesPath) {
  console.error("usage: node tools/search_eval.mjs SITE_DIR INDEX_JSON QUERIES_JSON");
  process.exit(2);
}

const workerDir = path.join(siteDir, "assets", "javascripts", "workers");
const workerFile = fs.readdirSync(workerDir).find((f) => /^search\..*\.min\.js$/.test(f));
if (!workerFile) {
  console.error(`${workerDir}: no search.*.min.js (is this a built Material site?)`);
  process.exit(2);
}

const listeners = [];
const replies = [];
const sandbox = {
  console: { log() {}, warn() {}, error: console.error },
  addEventListener: (type, fn) => type === "message" && listeners.push(fn),
  postMessage: (msg) => replies.push(msg),
  importScripts: (...urls) => {
    for (const url of urls) {
      const file = path.resolve(workerDir, url);
      vm.runInContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
    }
  },
};
sandbox.self = sandbox;
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(path.join(workerDir, workerFile), "utf8"), sandbox, {
  filename: workerFile,
});

async function send(data) {
  replies.length = 0;
  for (const fn of listeners) await fn({ data });
  // The worker's handler is async: wait until it has posted its reply.
  for (let i = 0; i < 1000 && replies.length === 0; i++) await new Promise((r) => setTimeout(r, 1));
  return replies[0];
}

const index = JSON.parse(fs.readFileSync(indexPath, "utf8"));
const queries = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
// Message types of Material's worker: 0 setup, 1 ready, 2 query, 3 result.
// The page adds the options (search.suggest) before handing the index to the worker.
index.options ??= { suggest: false };
const ready = await send({ type: 0, data: index });
if (!ready || ready.type !== 1) {
  console.error("search worker did not become ready");
  process.exit(1);
}
const out = {};
for (const query of queries) {
  const reply = await send({ type: 2, data: query });
  out[query] = (reply?.data?.items ?? []).map((group) => {
    const article = group.find((item) => !item.location.includes("#")) ?? group[0];
    return article.location.split("#")[0];
  });
}
process.stdout.write(JSON.stringify(out));
