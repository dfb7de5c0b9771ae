# Builds and packs the publishable packages (every plugins/* package that is
# not private) as they are published: type declarations (yarn tsc), then
# `backstage-cli package build` and `yarn pack`, whose prepack points
# package.json at dist/ and compiles config.d.ts to config.schema.json.
# Sourced after scripts/env.sh.

kaito_publishable_plugins() {
  local dir
  for dir in "$KAITO_ROOT"/plugins/*/; do
    if node -e 'process.exit(require(process.argv[1]).private ? 1 : 0)' "$dir/package.json"; then
      echo "${dir%/}"
    fi
  done
}

# kaito_pack_plugins <out-dir>: leaves one <name>-<version>-<sha>.tgz per
# package in out-dir (the content hash in the name makes Yarn notice a
# rebuilt package) and out-dir/resolutions.json, which maps each package
# name to its tarball.
kaito_pack_plugins() {
  local out="$1" dir tarball
  mkdir -p "$out"
  out="$(cd "$out" && pwd)"
  rm -f "$out"/*.tgz "$out/resolutions.json"
  (cd "$KAITO_ROOT" && yarn tsc) >&2 || return 1
  for dir in $(kaito_publishable_plugins); do
    tarball="$out/$(node -p 'const p = require(process.argv[1]); `${p.name.replace(/^@/, "").replace("/", "-")}-${p.version}`' "$dir/package.json").tgz"
    (cd "$dir" && yarn backstage-cli package build && yarn pack --out "$tarball") >&2 || return 1
  done
  node - "$out" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const out = process.argv[2];
const resolutions = {};
for (const file of fs.readdirSync(out).filter(f => f.endsWith('.tgz')).sort()) {
  const full = path.join(out, file);
  const sha = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  const hashed = full.replace(/\.tgz$/, `-${sha.slice(0, 12)}.tgz`);
  fs.renameSync(full, hashed);
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', hashed, 'package/package.json'], { encoding: 'utf8' }));
  resolutions[pkg.name] = hashed;
}
fs.writeFileSync(path.join(out, 'resolutions.json'), `${JSON.stringify(resolutions, null, 2)}\n`);
EOF
}

# kaito_point_resolutions <out-dir> <package.json>: sets the package.json's
# resolutions to the tarballs (file: paths relative to it), keeping the rest.
kaito_point_resolutions() {
  node - "$1/resolutions.json" "$2" <<'EOF'
const fs = require('node:fs');
const path = require('node:path');
const [tarballs, target] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(target, 'utf8'));
const base = path.dirname(path.resolve(target));
pkg.resolutions = pkg.resolutions ?? {};
for (const [name, file] of Object.entries(JSON.parse(fs.readFileSync(tarballs, 'utf8')))) {
  const relative = path.relative(base, file);
  pkg.resolutions[name] = `file:${relative.startsWith('.') ? relative : `./${relative}`}`;
}
fs.writeFileSync(target, `${JSON.stringify(pkg, null, 2)}\n`);
EOF
}
