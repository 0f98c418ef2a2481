#!/usr/bin/env bash
# Re-copies the pinned front-end files into static/vendor/. Run it only for a deliberate upgrade:
# bump the pin in package.json, run this, look at the pages, commit the files.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pkg() { node -e "console.log(require('./package.json').dependencies['$1'])"; }
for name in bootstrap htmx.org chart.js; do
  # Read the pin here, in the repository: inside $tmp there is no package.json, and an empty
  # version would silently fetch the latest release.
  version=$(pkg "$name")
  [ -n "$version" ] && [ "$version" != undefined ] || { echo "no pin for $name in package.json" >&2; exit 1; }
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null && mkdir -p "$name" && tar xzf ./*.tgz -C "$name" && rm ./*.tgz)
done
out=static/vendor
rm -rf "$out" && mkdir -p "$out"/bootstrap "$out"/htmx "$out"/chartjs
cp "$tmp"/bootstrap/package/dist/css/bootstrap.min.css "$tmp"/bootstrap/package/dist/css/bootstrap.min.css.map "$out"/bootstrap/
cp "$tmp"/bootstrap/package/dist/js/bootstrap.bundle.min.js "$tmp"/bootstrap/package/dist/js/bootstrap.bundle.min.js.map "$out"/bootstrap/
cp "$tmp"/bootstrap/package/LICENSE "$out"/bootstrap/LICENSE
cp "$tmp"/htmx.org/package/dist/htmx.min.js "$out"/htmx/
cp "$tmp"/htmx.org/package/LICENSE "$out"/htmx/LICENSE
cp "$tmp"/chart.js/package/dist/chart.umd.min.js "$out"/chartjs/
cp "$tmp"/chart.js/package/LICENSE.md "$out"/chartjs/LICENSE.md
# A sourceMappingURL to a file we do not ship breaks ManifestStaticFilesStorage.
for f in "$out"/htmx/htmx.min.js "$out"/chartjs/chart.umd.min.js; do sed -i '/sourceMappingURL/d' "$f"; done
ls -R "$out"
