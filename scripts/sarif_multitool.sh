#!/usr/bin/env bash
# Check SARIF logs the way GitHub code scanning does on upload: Microsoft's SARIF multitool
# with GitHub's rules, `Sarif.Multitool validate FILE --rule-kind "Sarif;Gh"`.
#
#   scripts/sarif_multitool.sh FILE...       validate the given logs
#   scripts/sarif_multitool.sh --self-test   write dealcheck's own logs into a temporary
#                                            directory and validate them: check (the
#                                            example deals), validate (the sample catalog,
#                                            a catalog with problems, a broken file) and
#                                            impact (a git repository whose catalog change
#                                            makes a deal worse)
#
# Every result the multitool reports is printed; the exit status is 1 when any log has an
# error-level result (GitHub would reject it or lose data), 2 on a usage or tool failure,
# else 0 (warnings and notes do not fail). The multitool's JSON schema check is not
# GitHub's: the tests validate the same logs against the OASIS schema.
#
# The multitool comes from npm (@microsoft/sarif-multitool, pinned below), installed once
# into a cache directory ($SARIF_MULTITOOL_CACHE, default ~/.cache/dealcheck/...). Without
# node and npm this prints why it skips and exits 0. Its platform binary is called
# directly: the package's bin.js passes arguments through a shell, unquoted.
#
# Environment: SARIF_MULTITOOL_VERSION, SARIF_MULTITOOL_CACHE, PYTHON (for --self-test,
# default: python, else python3; dealcheck must be importable).
set -euo pipefail

version="${SARIF_MULTITOOL_VERSION:-5.7.0}"
cache="${SARIF_MULTITOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dealcheck/sarif-multitool-$version}"
here="$(cd "$(dirname "$0")/.." && pwd)"

usage() {
  echo "usage: $0 FILE... | --self-test" >&2
  exit 2
}

[ "$#" -gt 0 ] || usage

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "sarif_multitool: skipped: node and npm are needed to install the SARIF multitool"
  exit 0
fi

platform="$(node -p process.platform)"
exe="Sarif.Multitool"
[ "$platform" = "win32" ] && exe="Sarif.Multitool.exe"
tool="$cache/node_modules/@microsoft/sarif-multitool-$platform/$exe"

if [ ! -f "$tool" ]; then
  echo "sarif_multitool: installing @microsoft/sarif-multitool@$version into $cache"
  staging="$cache.tmp.$$"
  rm -rf "$staging"
  mkdir -p "$staging"
  if ! npm install --prefix "$staging" --no-audit --no-fund --loglevel=error \
    "@microsoft/sarif-multitool@$version" >&2; then
    rm -rf "$staging"
    echo "sarif_multitool: npm install failed" >&2
    exit 2
  fi
  rm -rf "$cache"
  mkdir -p "$(dirname "$cache")"
  mv "$staging" "$cache"
  if [ ! -f "$tool" ]; then
    echo "sarif_multitool: no multitool binary for platform $platform in the package" >&2
    exit 2
  fi
fi
# npm may not run the package's postinstall (which sets the executable bit)
[ -x "$tool" ] || chmod u+x "$tool"

# count.js OUT: print "<errors> <warnings> <notes>" of a multitool output log, or fail when
# the multitool itself did not run through.
count_js='
const fs = require("fs");
const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8").replace(/^\uFEFF/, ""));
const counts = { error: 0, warning: 0, note: 0, none: 0 };
let ok = true;
for (const run of log.runs || []) {
  for (const r of run.results || []) counts[r.level || "warning"] += 1;
  for (const inv of run.invocations || []) {
    if (inv.executionSuccessful === false) ok = false;
    for (const n of inv.toolExecutionNotifications || []) {
      if ((n.level || "warning") === "error") ok = false;
    }
  }
}
console.log(`${counts.error} ${counts.warning} ${counts.note}`);
process.exit(ok ? 0 : 3);
'

work="$(mktemp -d "${TMPDIR:-/tmp}/sarif-multitool.XXXXXX")"
trap 'rm -rf "$work"' EXIT

failed=0
validate() {
  local file="$1" out console counts rc=0
  out="$work/$(basename "$file").multitool.sarif"
  console="$work/console.txt"
  if [ ! -f "$file" ]; then
    echo "sarif_multitool: $file: no such file" >&2
    failed=2
    return
  fi
  # GitHub limits the gzip-compressed size (10 MB); the multitool would skip a file over
  # 10 MB raw, which a log of 25,000 results is
  "$tool" validate "$file" --rule-kind "Sarif;Gh" --output "$out" --log ForceOverwrite \
    --max-file-size-in-kb 1048576 \
    >"$console" 2>&1 || rc=$?
  # the findings only, without the banner
  grep -aE ': (error|warning|note) ' "$console" || true
  if [ "$rc" -ne 0 ] || [ ! -f "$out" ]; then
    cat "$console" >&2
    echo "sarif_multitool: $file: the multitool failed (exit $rc)" >&2
    failed=2
    return
  fi
  if ! counts="$(node -e "$count_js" "$out")"; then
    cat "$console" >&2
    echo "sarif_multitool: $file: the multitool could not analyse the file" >&2
    failed=2
    return
  fi
  read -r errors warnings notes <<<"$counts"
  if [ "$errors" -gt 0 ]; then
    echo "FAIL $file: $errors error(s), $warnings warning(s)"
    [ "$failed" -ne 0 ] || failed=1
  else
    echo "ok   $file: 0 errors, $warnings warning(s), $notes note(s)"
  fi
}

# run EXPECTED... -- COMMAND...: run a command, fail unless its exit status is expected
run() {
  local expected=() status=0
  while [ "$1" != "--" ]; do
    expected+=("$1")
    shift
  done
  shift
  "$@" || status=$?
  for e in "${expected[@]}"; do
    [ "$status" -eq "$e" ] && return 0
  done
  echo "sarif_multitool: '$*' exited $status (expected ${expected[*]})" >&2
  exit 2
}

self_test() {
  local py="${PYTHON:-}" logs="$work/logs" today="--today=2026-11-22"
  if [ -z "$py" ]; then
    if command -v python >/dev/null 2>&1; then py=python; else py=python3; fi
  fi
  mkdir -p "$logs"
  cd "$here"
  # check: blocked deals exit 1, approvals 3
  run 0 1 3 -- "$py" -m dealcheck check examples/deals "$today" --format sarif \
    --output "$logs/check.sarif"
  run 0 -- "$py" -m dealcheck validate "$today" --format sarif --output "$logs/validate.sarif"
  run 1 -- "$py" -m dealcheck validate tests/fixtures/catalogs/valid "$today" --format sarif \
    --output "$logs/validate-problems.sarif"
  # a file that does not parse (exit 2, unreadable) and one with an unknown key
  mkdir -p "$work/broken"
  printf 'kind: product\nid: [unclosed\n' >"$work/broken/bad.yaml"
  printf 'kind: product\nid: widget\nname: Widget\nbogus_key: 1\n' >"$work/broken/odd.yaml"
  run 1 2 -- "$py" -m dealcheck validate "$work/broken" "$today" --format sarif \
    --output "$logs/validate-broken.sarif"
  if command -v git >/dev/null 2>&1; then
    # as tests/test_impact.py does: a repository with the sample catalog and some deals;
    # moving a roadmap target later makes one deal (Polder Health) worse
    local repo="$work/repo"
    mkdir -p "$repo/deals"
    cp -R products rules "$repo/"
    cp examples/deals/polder-health.yaml examples/deals/hanse-freight.yaml \
      examples/deals/tidewater-ports.yaml "$repo/deals/"
    (
      cd "$repo"
      git init -q
      git add -A
      git -c user.name=dealcheck -c user.email=dealcheck@example.com \
        -c commit.gpgsign=false commit -q -m base
      sed 's/^    target: 2027-Q1$/    target: 2027-09-30/' products/acme-vault.yaml \
        >products/acme-vault.yaml.new
      mv products/acme-vault.yaml.new products/acme-vault.yaml
      run 1 -- "$py" -m dealcheck impact --base HEAD --deals deals "$today" --format sarif \
        --output "$logs/impact.sarif"
    )
  else
    echo "sarif_multitool: git not found: the impact log is not checked"
  fi
  for file in "$logs"/*.sarif; do
    validate "$file"
  done
}

if [ "$1" = "--self-test" ]; then
  [ "$#" -eq 1 ] || usage
  self_test
else
  for file in "$@"; do
    validate "$file"
  done
fi
exit "$failed"
