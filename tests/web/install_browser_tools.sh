#!/bin/sh
# Installs the browser test's npm packages, exactly as package-lock.json pins them, into the
# build folder given; does nothing when they are already there for this lock file.
set -eu
dir=$1
cd "$dir"
if [ -f node_modules/.package-lock.json ] && [ -f node_modules/.whygo-lock ] && cmp -s package-lock.json node_modules/.whygo-lock; then
  echo "browser tools already installed in $dir"
  exit 0
fi
timeout 150 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
cp package-lock.json node_modules/.whygo-lock
echo "browser tools installed in $dir"
