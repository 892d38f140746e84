#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages wasmlab builds and tests with, only those missing.
set -euo pipefail

# libclang-rt-14-dev-wasm32: compiler-rt builtins that wasm-ld needs to link wasi programs.
pkgs=(gcc make pkg-config python3 libcmocka-dev clang lld wasi-libc libclang-rt-14-dev-wasm32
	wabt binaryen)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $st == installed ]] || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
	echo "deps: all ${#pkgs[@]} packages present"
	exit 0
fi

echo "deps: installing ${missing[*]}"
sudo=()
if (( EUID != 0 )); then
	command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
