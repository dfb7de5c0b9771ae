#!/usr/bin/env bash
# Builds and packs the suite's publishable packages for installing them into a
# Backstage app without a registry (README: "Adding the suite to your own
# Backstage app").
#   scripts/pack-plugins.sh <out-dir> [<app>/package.json]
# With a package.json, also points its resolutions at the tarballs.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$KAITO_ROOT/scripts/lib/adopter-pack.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
out="$1"
kaito_pack_plugins "$out"
if [ $# -eq 2 ]; then
  kaito_point_resolutions "$out" "$2"
  kaito_log "resolutions in $2 point at the tarballs in $out"
else
  cat "$out/resolutions.json"
fi
