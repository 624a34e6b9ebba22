#!/usr/bin/env bash
# npm test: build, typecheck, then the three test layers, each reported on its own:
#   unit    node:test in plain Node                      (npm run test:unit)
#   e2e     real kubectl and @kubernetes/client-node      (npm run test:e2e)
#           against the standalone server
#   vscode  the extension in a real VS Code (code-server) (npm run test:vscode)
# Every layer runs even when an earlier one failed; the exit status is non-zero if anything failed.
# A layer with no tests, or that cannot start, is a failure: nothing passes by skipping.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
REPORTS=$(mktemp -d "${TMPDIR:-/tmp}/kube-sim-test.XXXXXX")
trap 'rm -rf "$REPORTS"' EXIT
results=()
failed=0

banner() { printf '\n==================== %s ====================\n' "$*"; }
record() { # name rc seconds
  local verdict=PASS; [ "$2" -eq 0 ] || { verdict=FAIL; failed=1; }
  results+=("$(printf '%-10s %s  (%ss)' "$1" "$verdict" "$3")")
  echo "---- $1: $verdict"
}

# node --test with a readable report on the terminal and TAP's closing lines (# pass N / # fail N).
node_tests() { # name [node --test args...]
  local name=$1; shift
  local tap="$REPORTS/$name.tap"
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "$@"
  local rc=$?
  echo "-- node test runner summary ($name):"
  grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$tap" || { echo "# no summary: the runner did not finish"; rc=1; }
  return $rc
}

has_tests() { [ -d "$1" ] && [ -n "$(find "$1" -name '*.test.js' -print -quit)" ]; }

banner "build"
start=$SECONDS
node scripts/build.mjs
rc=$?
record build $rc $((SECONDS - start))
if [ $rc -ne 0 ]; then echo "the build failed: no test layer can run"; exit 1; fi

banner "typecheck (tsc --noEmit)"
start=$SECONDS
npx --no-install tsc -p . --noEmit
record typecheck $? $((SECONDS - start))

banner "layer 1/3: unit (node --test out/test/unit)"
start=$SECONDS
if has_tests out/test/unit; then node_tests unit out/test/unit; rc=$?; else echo "no unit tests in out/test/unit"; rc=1; fi
record unit $rc $((SECONDS - start))

banner "layer 2/3: e2e (node --test --test-concurrency=1 out/test/e2e)"
start=$SECONDS
if has_tests out/test/e2e; then node_tests e2e --test-concurrency=1 out/test/e2e; rc=$?; else echo "no e2e tests in out/test/e2e"; rc=1; fi
record e2e $rc $((SECONDS - start))

banner "layer 3/3: vscode (test/vscode/run.sh: code-server + headless Chromium)"
start=$SECONDS
bash test/vscode/run.sh
record vscode $? $((SECONDS - start))

banner "summary"
printf '%s\n' "${results[@]}"
if [ $failed -ne 0 ]; then echo "npm test: FAILED"; exit 1; fi
echo "npm test: all layers passed"
