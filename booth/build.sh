#!/usr/bin/env bash
# Rebuild the booth bundle src/saylau/publish/site/static/booth/booth.js from booth/src with the exact dependency
# versions of package-lock.json (npm ci) and the pinned esbuild. The bundle is committed: nothing needs
# Node or the network at run time or in CI. Run from anywhere: bash booth/build.sh
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm test
mkdir -p ../src/saylau/publish/site/static/booth
npm run build
echo "built ../src/saylau/publish/site/static/booth/booth.js"
