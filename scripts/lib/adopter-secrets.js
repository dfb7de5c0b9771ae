/*
 * The adopter test's check that the suite's secrets are marked in its config
 * schema: in `backstage-cli config:print` (secrets hidden) every credential
 * of the simulator's app-config block must read <secret>, and the token must
 * appear nowhere.
 *
 * Usage: node adopter-secrets.js <printed config.yaml> <app-config.local.yaml>
 */
const fs = require('node:fs');
const YAML = require('yaml');

const SECRET_KEYS = ['serviceAccountToken', 'caData', 'token', 'clientSecret'];

function secretsIn(value, at, found) {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const where = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
      if (SECRET_KEYS.includes(key) && typeof child === 'string')
        found.push(where);
      secretsIn(child, where, found);
    }
  }
  return found;
}

function get(value, where) {
  return where
    .split(/\.|\[(\d+)\]/)
    .filter(Boolean)
    .reduce((v, key) => (v === undefined ? undefined : v[key]), value);
}

const [printedFile, localFile] = process.argv.slice(2);
const printedText = fs.readFileSync(printedFile, 'utf8');
const printed = YAML.parse(printedText);
const local = YAML.parse(fs.readFileSync(localFile, 'utf8'));
const secrets = secretsIn(local, '', []).map(w => w.slice(1));
if (secrets.length === 0) {
  console.error(`${localFile} has no credentials to check`);
  process.exit(1);
}
let ok = true;
for (const where of secrets) {
  const shown = get(printed, where);
  console.log(`${where}: ${shown}`);
  if (shown !== '<secret>') ok = false;
  const value = get(local, where);
  if (value.length >= 8 && printedText.includes(value)) {
    console.log(`  the value of ${where} appears in the printed config`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
