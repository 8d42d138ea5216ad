#!/usr/bin/env bash
# Re-fetch the vendored front-end libraries pinned in versions.txt.
#
# For each line "name version path-in-package -> target" it runs
# `npm pack name@version` in a temporary directory, extracts the tarball,
# checks the package's own version matches the pin, copies the file to
# static/vendor/<target> and the package LICENSE next to it, then prints
# sha256 sums (also written to SHA256SUMS). Only the npm registry is used.
set -euo pipefail

VENDOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MANIFEST="$VENDOR_DIR/versions.txt"
SUMS="$VENDOR_DIR/SHA256SUMS"

command -v npm >/dev/null || { echo "refresh.sh: npm not found" >&2; exit 1; }
[ -f "$MANIFEST" ] || { echo "refresh.sh: missing $MANIFEST" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

copied=()
while read -r name version src arrow target extra; do
    # skip blank lines and comments
    [ -z "${name:-}" ] && continue
    case "$name" in \#*) continue ;; esac
    if [ "${arrow:-}" != "->" ] || [ -z "${target:-}" ] || [ -n "${extra:-}" ]; then
        echo "refresh.sh: bad manifest line: $name $version $src ${arrow:-} ${target:-} ${extra:-}" >&2
        exit 1
    fi
    case "$target" in /*|*..*) echo "refresh.sh: unsafe target $target" >&2; exit 1 ;; esac

    echo "==> $name@$version"
    work="$TMP/$name"
    mkdir -p "$work"
    tarball="$(cd "$work" && npm pack --silent "$name@$version" | tail -n 1)"
    tar -xzf "$work/$tarball" -C "$work"
    pkg="$work/package"

    # make sure the registry gave us exactly the pinned version
    got="$(node -p "require(process.argv[1]).version" "$pkg/package.json")"
    if [ "$got" != "$version" ]; then
        echo "refresh.sh: $name: wanted $version, got $got" >&2
        exit 1
    fi

    [ -f "$pkg/$src" ] || { echo "refresh.sh: $name@$version has no $src" >&2; exit 1; }
    dest="$VENDOR_DIR/$target"
    mkdir -p "$(dirname "$dest")"
    cp "$pkg/$src" "$dest"
    copied+=("$target")

    lic=""
    for cand in LICENSE LICENSE.md LICENSE.txt LICENCE license; do
        if [ -f "$pkg/$cand" ]; then lic="$pkg/$cand"; break; fi
    done
    [ -n "$lic" ] || { echo "refresh.sh: $name@$version has no LICENSE file" >&2; exit 1; }
    cp "$lic" "$(dirname "$dest")/LICENSE"
    copied+=("$(dirname "$target")/LICENSE")
done < "$MANIFEST"

echo
echo "sha256 sums:"
(cd "$VENDOR_DIR" && sha256sum "${copied[@]}") | tee "$SUMS"
