/*
 * Follows the README's "Adding the suite to your own Backstage app" in a new
 * app, block by block and in order, so the adopter test installs and wires
 * the suite exactly as an adopter reading it would. Each fenced block says on
 * its first line where it goes:
 *
 *   # in your app's root                 shell, run there (bash -euo pipefail)
 *   // packages/backend/src/index.ts     lines added before `backend.start();`
 *   // packages/app/src/App.tsx          imports added after the last import;
 *                                        what the block lists in `features: [...]`
 *                                        appended to the app's features
 *   # app-config.yaml                    merged in (maps merged, lists appended)
 *   # examples/entities.yaml             appended as further YAML documents
 *
 * Any other block is reading matter (e.g. `# in a clone of this repository`)
 * and is listed as not applied. Fails, naming the block, when a step fails or
 * when the section lacks one of the kinds above.
 *
 * Usage: node adopter-readme.js <README.md> <app-dir>
 */
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const YAML = require('yaml');

const SECTION = '## Adding the suite to your own Backstage app';

function sectionBlocks(readme) {
  const text = fs.readFileSync(readme, 'utf8');
  const start = text.indexOf(`${SECTION}\n`);
  if (start < 0) throw new Error(`${readme} has no section "${SECTION}"`);
  const rest = text.slice(start + SECTION.length);
  const end = rest.search(/\n## /);
  const section = end < 0 ? rest : rest.slice(0, end);
  const blocks = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(section); m; m = fence.exec(section)) {
    const [first, ...lines] = m[2].replace(/\n$/, '').split('\n');
    blocks.push({ lang: m[1], first: first.trim(), body: lines.join('\n') });
  }
  return blocks;
}

function edit(file, change) {
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`nothing changed in ${file}`);
  fs.writeFileSync(file, after);
}

function backendLines(app, block) {
  const lines = block.body.trim();
  edit(path.join(app, 'packages/backend/src/index.ts'), source => {
    if (!source.includes('backend.start();'))
      throw new Error('packages/backend/src/index.ts has no backend.start();');
    return source.replace('backend.start();', `${lines}\n\nbackend.start();`);
  });
}

function appFeatures(app, block) {
  const imports = block.body.match(/^import [^;]+;$/gm) ?? [];
  const listed = block.body.match(/features:\s*\[([\s\S]*?)\]/);
  const features = (listed?.[1] ?? '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(',')
    .map(s => s.trim())
    .filter(s => /^\w+$/.test(s));
  if (imports.length === 0 || features.length === 0)
    throw new Error('the App.tsx block names no import or no features');
  edit(path.join(app, 'packages/app/src/App.tsx'), source => {
    const lastImport = [...source.matchAll(/^import [^;]+;$/gm)].pop();
    if (!lastImport) throw new Error('App.tsx has no imports');
    const at = lastImport.index + lastImport[0].length;
    let out = `${source.slice(0, at)}\n${imports.join('\n')}${source.slice(
      at,
    )}`;
    out = out.replace(
      /features:\s*\[([\s\S]*?)\s*,?\s*\]/,
      (_all, existing) =>
        `features: [${[existing.trim(), ...features]
          .filter(Boolean)
          .join(', ')}]`,
    );
    return out;
  });
}

function mergeInto(doc, node, value) {
  if (
    YAML.isMap(node) &&
    value &&
    typeof value === 'object' &&
    !Array.isArray(value)
  ) {
    for (const [key, child] of Object.entries(value)) {
      const existing = node.get(key, true);
      if (existing && (YAML.isMap(existing) || YAML.isSeq(existing))) {
        mergeInto(doc, existing, child);
      } else {
        node.set(key, doc.createNode(child));
      }
    }
  } else if (YAML.isSeq(node) && Array.isArray(value)) {
    for (const item of value) node.add(doc.createNode(item));
  } else {
    throw new Error(
      `cannot merge ${JSON.stringify(value)} into a ${node.constructor.name}`,
    );
  }
}

function appConfig(app, block) {
  const file = path.join(app, 'app-config.yaml');
  const doc = YAML.parseDocument(fs.readFileSync(file, 'utf8'));
  mergeInto(doc, doc.contents, YAML.parse(block.body));
  fs.writeFileSync(
    file,
    doc.toString({ flowCollectionPadding: false, lineWidth: 0 }),
  );
}

function entities(app, block) {
  YAML.parseAllDocuments(block.body).forEach(d => {
    if (d.errors.length) throw d.errors[0];
  });
  const file = path.join(app, 'examples/entities.yaml');
  fs.appendFileSync(file, `---\n${block.body.replace(/^---\n/, '')}\n`);
}

function shell(app, block) {
  execFileSync('bash', ['-euo', 'pipefail', '-c', block.body], {
    cwd: app,
    stdio: ['ignore', process.stderr, process.stderr],
  });
}

// [kind, the block's first line, what to do with it]
const STEPS = [
  ['shell in the app', /^# in your app's root/, shell],
  ['backend index.ts', '// packages/backend/src/index.ts', backendLines],
  ['App.tsx', '// packages/app/src/App.tsx', appFeatures],
  ['app-config.yaml', '# app-config.yaml', appConfig],
  ['entities', '# examples/entities.yaml', entities],
].map(([kind, first, apply]) => ({
  kind,
  apply,
  when: block =>
    first instanceof RegExp ? first.test(block.first) : block.first === first,
}));

function main() {
  const [readme, app] = process.argv.slice(2);
  if (!readme || !app)
    throw new Error('usage: node adopter-readme.js <README.md> <app-dir>');
  const blocks = sectionBlocks(readme);
  const seen = new Set();
  blocks.forEach((block, i) => {
    const label = `README block ${i + 1} (${block.first})`;
    const step = STEPS.find(s => s.when(block));
    if (!step) {
      process.stderr.write(`[adopter] not applied: ${label}\n`);
      return;
    }
    process.stderr.write(`[adopter] applying ${label}\n`);
    try {
      step.apply(app, block);
    } catch (error) {
      throw new Error(`${label} failed: ${error.message}`);
    }
    seen.add(step.kind);
  });
  const missing = STEPS.filter(s => !seen.has(s.kind)).map(s => s.kind);
  if (missing.length)
    throw new Error(
      `the README section has no block for: ${missing.join(', ')}`,
    );
}

try {
  main();
} catch (error) {
  process.stderr.write(`[adopter] ${error.message}\n`);
  process.exit(1);
}
