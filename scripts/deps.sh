#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages wasmlab builds and tests with, only those missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libclang-rt-14-dev-wasm32: compiler-rt builtins that wasm-ld needs to link wasi programs.
# chromium: Debian's browser, which the browser tests (tests/browser/) drive headless.
pkgs=(gcc make pkg-config python3 libcmocka-dev clang lld wasi-libc libclang-rt-14-dev-wasm32
	wabt binaryen chromium fonts-dejavu-core)
# Node: only when there is none; a machine's own Node (20 or later, with npm) is kept.
# (Debian 12's nodejs is 18, older than playwright-core's engines field asks for.)
command -v node >/dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[[ $st == installed ]] || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
	echo "deps: all ${#pkgs[@]} packages present"
else
	echo "deps: installing ${missing[*]}"
	sudo=()
	if (( EUID != 0 )); then
		command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
		sudo=(sudo -n)
	fi
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get update -q
	"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# npm packages of the browser tests, from tests/browser/package-lock.json, when
# node_modules is missing or holds another playwright-core than package.json pins.
# playwright-core drives /usr/bin/chromium and must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
want=$(node -p 'require("./tests/browser/package.json").dependencies["playwright-core"]')
have=$(node -p 'try { require("./tests/browser/node_modules/playwright-core/package.json").version } catch { "" }')
if [[ $have == "$want" ]]; then
	echo "deps: tests/browser: playwright-core $have present"
else
	command -v npm >/dev/null || { echo "deps: node has no npm; install npm to run: npm ci --prefix tests/browser" >&2; exit 1; }
	echo "deps: tests/browser: npm ci (playwright-core $want)"
	npm ci --prefix tests/browser --no-audit --no-fund </dev/null
fi
