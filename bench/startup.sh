#!/usr/bin/env bash
# Start-up of the compiled CLI as users get it: packs the packages, installs the tarballs with npm
# into a temp directory, and times `oktel --version` and a run that exports one record (the time
# to first record, start-up and shutdown included), against the same from the sources under tsx.
# Needs hyperfine (apt-get install hyperfine). Usage: bash bench/startup.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
pnpm --silent -C "$ROOT" packages:pack "$WORK/tarballs" >/dev/null
mkdir "$WORK/app" && cd "$WORK/app"
npm install --no-audit --no-fund --prefer-offline "$WORK"/tarballs/*.tgz >/dev/null
cp -r node_modules/@oktel/cli/configs .
(zcat configs/samples/okta-system-log.jsonl.gz || true) | head -1 > one.jsonl  # zcat dies of SIGPIPE
printf 'receivers:\n  file:\n    path: ./one.jsonl\nexporters:\n  debug: {}\nservice:\n  pipelines:\n    logs: { receivers: [file], exporters: [debug] }\n' > one.yaml
hyperfine -N --warmup 3 --runs "${RUNS:-30}" \
  'node -e 0' \
  './node_modules/.bin/oktel --version' \
  './node_modules/.bin/oktel run --config one.yaml' \
  './node_modules/.bin/oktel validate --config configs/demo.yaml' \
  "node $ROOT/packages/cli/bin/oktel.mjs --version" \
  "node $ROOT/packages/cli/bin/oktel.mjs run --config one.yaml"
