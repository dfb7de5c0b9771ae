/**
 * Compiles the TypeScript the backend process runs (this package's
 * sources, the KAITO plugins') ahead of time, so the backend process can
 * run plain JavaScript as a built backend does: without the development
 * node transform, which loads SWC's native compiler and a module-hooks
 * thread into the process (about 60 MiB of RSS) and keeps inline source
 * maps. `bin/bench-backend` loads the result.
 */
import { transformSync } from '@swc/core';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The packages whose sources the backend process runs. */
const PACKAGES = [
  '@kaito-backstage/bench',
  '@kaito-backstage/plugin-kaito-backend',
  '@kaito-backstage/plugin-kaito-common',
];

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__testUtils__') yield* typescriptFiles(path);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      yield path;
    }
  }
}

/** Compiles every source file into `<outDir>/<absolute path>.js`; returns `outDir`. */
export function precompileBackend(
  outDir = join(tmpdir(), `kaito-bench-precompiled-${process.pid}`),
): string {
  for (const name of PACKAGES) {
    const src = join(dirname(require.resolve(`${name}/package.json`)), 'src');
    for (const file of typescriptFiles(src)) {
      const { code } = transformSync(readFileSync(file, 'utf8'), {
        filename: file,
        // As the Backstage CLI's node transform compiles, minus the maps.
        module: { type: 'commonjs', ignoreDynamic: true },
        jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
      });
      const target = join(outDir, `${file}.js`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }
  }
  return outDir;
}
