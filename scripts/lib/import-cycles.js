#!/usr/bin/env node
/*
 * Lists the import cycles among the TypeScript sources of the given
 * packages (default: every package and plugin), tests left out. Imports of
 * another workspace package count as imports of its src/index.ts(x); type-
 * only imports (`import type`) are listed separately, since they vanish at
 * runtime. Exits 1 when there is a cycle.
 *
 *   node scripts/lib/import-cycles.js plugins/kaito-backend plugins/kaito-common
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../..');
const dirs = (
  process.argv.slice(2).length
    ? process.argv.slice(2)
    : ['packages', 'plugins'].flatMap(d =>
        fs.readdirSync(path.join(root, d)).map(p => path.join(d, p)),
      )
).filter(d => fs.existsSync(path.join(root, d, 'package.json')));

/** Workspace package name -> its entry file. */
const entries = new Map();
for (const d of ['packages', 'plugins']) {
  for (const p of fs.readdirSync(path.join(root, d))) {
    const pkg = path.join(root, d, p, 'package.json');
    if (!fs.existsSync(pkg)) continue;
    const { name, main, exports } = JSON.parse(fs.readFileSync(pkg, 'utf8'));
    if (main) entries.set(name, path.join(root, d, p, main));
    for (const [sub, target] of Object.entries(exports ?? {})) {
      if (sub !== '.' && typeof target === 'string' && target.endsWith('.ts')) {
        entries.set(
          `${name}/${sub.replace(/^\.\//, '')}`,
          path.join(root, d, p, target),
        );
      }
    }
  }
}

const isTest = f =>
  /\.test\.tsx?$|__testUtils__|__fixtures__|setupTests/.test(f);
function sources(dir) {
  const out = [];
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'dist') walk(f);
      } else if (
        /\.tsx?$/.test(e.name) &&
        !e.name.endsWith('.d.ts') &&
        !isTest(f)
      ) {
        out.push(f);
      }
    }
  };
  const src = path.join(root, dir, 'src');
  if (fs.existsSync(src)) walk(src);
  return out;
}

function resolveFile(from, spec) {
  if (entries.has(spec)) return entries.get(spec);
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return c;
  }
  return undefined;
}

/** file -> [{ to, typeOnly }] */
function edgesOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const edges = [];
  for (const st of sf.statements) {
    if (
      (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) &&
      st.moduleSpecifier
    ) {
      const spec = st.moduleSpecifier.text;
      const to = resolveFile(file, spec);
      if (!to) continue;
      const clause = ts.isImportDeclaration(st) ? st.importClause : undefined;
      const typeOnly = ts.isImportDeclaration(st)
        ? Boolean(clause?.isTypeOnly) ||
          Boolean(
            clause?.namedBindings &&
              ts.isNamedImports(clause.namedBindings) &&
              !clause.name &&
              clause.namedBindings.elements.length > 0 &&
              clause.namedBindings.elements.every(e => e.isTypeOnly),
          )
        : st.isTypeOnly;
      edges.push({ to, typeOnly });
    }
  }
  return edges;
}

function cycles(graph) {
  // Tarjan's strongly connected components.
  let index = 0;
  const stack = [];
  const meta = new Map();
  const result = [];
  const strong = v => {
    meta.set(v, { index, low: index, on: true });
    index++;
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!meta.has(w)) {
        strong(w);
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
      } else if (meta.get(w).on) {
        meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
      }
    }
    if (meta.get(v).low === meta.get(v).index) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        meta.get(w).on = false;
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) result.push(scc);
    }
  };
  for (const v of graph.keys()) if (!meta.has(v)) strong(v);
  return result;
}

const files = dirs.flatMap(sources);
const inScope = new Set(files);
const all = new Map();
const runtime = new Map();
for (const f of files) {
  const edges = edgesOf(f).filter(e => inScope.has(e.to));
  all.set(
    f,
    edges.map(e => e.to),
  );
  runtime.set(
    f,
    edges.filter(e => !e.typeOnly).map(e => e.to),
  );
}
const rel = f => path.relative(root, f);
const found = cycles(runtime);
const typeOnly = cycles(all).filter(
  c => !found.some(r => c.every(f => r.includes(f))),
);
console.log(`${files.length} source files in ${dirs.length} packages`);
for (const c of found) console.log(`cycle: ${c.map(rel).join(' -> ')}`);
for (const c of typeOnly)
  console.log(`type-only cycle: ${c.map(rel).join(' -> ')}`);
console.log(
  `${found.length} import cycle(s), ${typeOnly.length} more through type-only imports`,
);
process.exit(found.length + typeOnly.length > 0 ? 1 : 0);
