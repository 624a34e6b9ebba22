#!/usr/bin/env bash
# The VS Code test layer: the extension as users get it (.vsix, installed with --install-extension)
# in a real VS Code (code-server, see setup.sh), driven from headless Chromium:
#   browser/extension-host.test.ts  the integration suite (suite/) inside the node extension host
#   browser/apply-pod.test.ts       a person's path: the view, Ctrl+P, F1 › Kube Sim: Apply Pod, Why, a
#                                   diagnostic, a stopped kubelet; its screenshots (tree, why, diagnostic,
#                                   node-unknown) are the README's
#                                   pictures: UPDATE_DOCS_IMAGES=1 copies them into docs/images/
# Expects a build (node scripts/build.mjs); `npm run test:vscode` builds first. Screenshots and the
# code-server log go to test-artifacts/vscode/. Anything that cannot start fails the run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CACHE=${KUBE_SIM_VSCODE_CACHE:-$HOME/.cache/kube-sim/vscode}
ARTIFACTS="$ROOT/test-artifacts/vscode"
CHROME=${CHROME:-/usr/bin/chromium}
fail() { echo "test:vscode: $*" >&2; exit 1; }

bash "$ROOT/test/vscode/setup.sh"
# shellcheck source=/dev/null
source "$CACHE/env.sh"
[ -x "$CHROME" ] || fail "no Chromium at $CHROME (Debian: apt-get install chromium; bash .ci/run does it)"
[ -f "$ROOT/out/test/vscode/suite/index.js" ] && [ -d "$ROOT/out/test/vscode/browser" ] || fail "no test build in out/: run node scripts/build.mjs first"

echo "== packaging kube-sim.vsix"
npm run --silent package
[ -f "$ROOT/kube-sim.vsix" ] || fail "npm run package produced no kube-sim.vsix"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/kube-sim-vscode.XXXXXX")   # short: code-server puts unix sockets under it
rm -rf "$ARTIFACTS" && mkdir -p "$ARTIFACTS"
mkdir -p "$RUN"/{home,ud/User,ext,xdg-config,xdg-data,xdg-cache,tmp,chromium-home}
PGID=""
cleanup() {
  local rc=$?
  if [ -n "$PGID" ]; then
    kill -TERM -- "-$PGID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$PGID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$PGID" 2>/dev/null || true
  fi
  cp "$RUN/server.log" "$ARTIFACTS/code-server.log" 2>/dev/null || true
  [ -n "${KEEP_RUN:-}" ] && echo "test:vscode: run folder kept in $RUN" || rm -rf "$RUN"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# code-server keeps its config, logs and sockets out of the real $HOME; no marketplace queries.
cs_env=(HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/xdg-config" XDG_DATA_HOME="$RUN/xdg-data" XDG_CACHE_HOME="$RUN/xdg-cache" TMPDIR="$RUN/tmp" EXTENSIONS_GALLERY='{}')
cs_dirs=(--user-data-dir "$RUN/ud" --extensions-dir "$RUN/ext")

echo "== installing kube-sim.vsix into a fresh code-server $CS_VERSION profile"
env "${cs_env[@]}" "$NODE_BIN" "$CS_DIR/out/node/entry.js" "${cs_dirs[@]}" --install-extension "$ROOT/kube-sim.vsix"
INSTALLED=$(ls -d "$RUN"/ext/kube-sim.kube-sim-* 2>/dev/null | head -1)
[ -n "$INSTALLED" ] || fail "the extension is not in $RUN/ext after --install-extension"

cat > "$RUN/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "workbench.enableExperiments": false,
  "extensions.ignoreRecommendations": true,
  "workbench.tips.enabled": false,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "window.restoreWindows": "none",
  "git.openRepositoryInParentFolders": "never",
  "remote.autoForwardPorts": false
}
JSON

PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# setsid: code-server and its extension hosts get their own process group, so cleanup stops them all.
env "${cs_env[@]}" setsid "$NODE_BIN" "$CS_DIR/out/node/entry.js" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "${cs_dirs[@]}" > "$RUN/server.log" 2>&1 &
PGID=$!
URL="http://127.0.0.1:$PORT/"
up=""
for _ in $(seq 1 120); do
  kill -0 "$PGID" 2>/dev/null || { cat "$RUN/server.log" >&2; fail "code-server exited while starting"; }
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "${URL}healthz"; then up=1; break; fi
  sleep 0.5
done
[ -n "$up" ] || { cat "$RUN/server.log" >&2; fail "code-server did not answer on $URL"; }
echo "== code-server $CS_VERSION up on $URL (process group $PGID)"

set +e
env HOME="$RUN/chromium-home" TMPDIR="$RUN/tmp" CHROME="$CHROME" \
  KUBE_SIM_VSCODE_URL="$URL" KUBE_SIM_VSCODE_RUN="$RUN" KUBE_SIM_ARTIFACTS="$ARTIFACTS" KUBE_SIM_INSTALLED_EXTENSION="$INSTALLED" \
  node --test --test-concurrency=1 --test-reporter="${TEST_REPORTER:-tap}" ${KUBE_SIM_VSCODE_TESTS:-"$ROOT/out/test/vscode/browser"}
rc=$?
set -e
echo "== screenshots and code-server.log in ${ARTIFACTS#"$ROOT/"}/"
# The README's pictures come from this run: UPDATE_DOCS_IMAGES=1 copies them into docs/images/.
if [ $rc -eq 0 ] && [ -n "${UPDATE_DOCS_IMAGES:-}" ]; then
  mkdir -p "$ROOT/docs/images"
  for shot in tree why diagnostic node-unknown; do cp "$ARTIFACTS/$shot.png" "$ROOT/docs/images/$shot.png"; done
  echo "== docs/images/{tree,why,diagnostic,node-unknown}.png updated from this run"
fi
exit $rc
