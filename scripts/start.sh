#!/usr/bin/env bash
# npm start: build, then open VS Code with Kube Sim and the samples/ workspace of manifests.
#  - Desktop VS Code (`code` on PATH): loads the extension from this checkout
#    (--extensionDevelopmentPath); reload the window after `npm run build` to pick up changes.
#  - Otherwise: the project's own code-server (test/vscode/setup.sh), with the packaged .vsix
#    installed as a user would, serving http://127.0.0.1:PORT until Ctrl+C. Run `npm start` again
#    after a change. KUBE_SIM_START_PORT picks the port (default 8080, else a free one);
#    KUBE_SIM_USE_CODE_SERVER=1 uses code-server even where `code` exists.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORKSPACE="$ROOT/samples"

node scripts/build.mjs

if [ -z "${KUBE_SIM_USE_CODE_SERVER:-}" ] && command -v code >/dev/null 2>&1; then
  echo "opening desktop VS Code on $WORKSPACE with the extension from $ROOT"
  exec code --extensionDevelopmentPath="$ROOT" "$WORKSPACE"
fi

CACHE=${KUBE_SIM_VSCODE_CACHE:-$HOME/.cache/kube-sim/vscode}
bash test/vscode/setup.sh
# shellcheck source=/dev/null
source "$CACHE/env.sh"
npm run --silent package

# A profile kept between runs (settings, the cluster's data in workspace storage), out of the real
# $HOME; sockets go to a short temporary folder.
PROFILE="$ROOT/.kube-sim/code-server"
SOCKETS=$(mktemp -d "${TMPDIR:-/tmp}/kube-sim-start.XXXXXX")
trap 'rm -rf "$SOCKETS"' EXIT
mkdir -p "$PROFILE"/{home,ud/User,ext,xdg-config,xdg-data,xdg-cache}
[ -f "$PROFILE/ud/User/settings.json" ] || cat > "$PROFILE/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "git.openRepositoryInParentFolders": "never",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden"
}
JSON
cs_env=(HOME="$PROFILE/home" XDG_CONFIG_HOME="$PROFILE/xdg-config" XDG_DATA_HOME="$PROFILE/xdg-data" XDG_CACHE_HOME="$PROFILE/xdg-cache" TMPDIR="$SOCKETS" EXTENSIONS_GALLERY='{}')
cs_dirs=(--user-data-dir "$PROFILE/ud" --extensions-dir "$PROFILE/ext")
env "${cs_env[@]}" "$NODE_BIN" "$CS_DIR/out/node/entry.js" "${cs_dirs[@]}" --force --install-extension "$ROOT/kube-sim.vsix"

free_port() { node -e 'const s=require("net").createServer().listen(+process.argv[1],"127.0.0.1",()=>{console.log(s.address().port);s.close()}).on("error",()=>process.exit(1))' "$1"; }
PORT=$(free_port "${KUBE_SIM_START_PORT:-8080}" || free_port 0)
URL="http://127.0.0.1:$PORT/?folder=$WORKSPACE"
echo
echo "  Kube Sim in VS Code (code-server $CS_VERSION): open $URL"
echo "  (Ctrl+C stops it)"
echo
env "${cs_env[@]}" "$NODE_BIN" "$CS_DIR/out/node/entry.js" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "${cs_dirs[@]}" "$WORKSPACE"
