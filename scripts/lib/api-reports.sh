# The publishable packages' API reports (plugins/*/report*.api.md, and
# report.sql.md for the backend's migrations), made by Backstage's
# backstage-repo-tools api-reports from the declarations tsc writes to
# dist-types/. Checked in, so that a change of a package's public API shows in
# review; this check fails when they no longer match the code.
#
# Both `yarn build:api-reports` and this check compile the whole repo without
# tsc's incremental state: the order in which an incremental (or a partial)
# compile meets the types changes the order of union members in the emitted
# declarations, and so the reports.

check_api_reports() {
  if yarn tsc --incremental false && yarn build:api-reports:only --ci; then
    return 0
  fi
  cat >&2 <<'MSG'

The API reports differ from the packages' code (see above). If the change of
the public API is intended, regenerate them and commit the changed files:

    yarn build:api-reports        # tsc without incremental state, then backstage-repo-tools api-reports 'plugins/*'
    git add plugins/*/report*.md

MSG
  return 1
}
