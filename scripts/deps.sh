#!/usr/bin/env bash
# deps.sh: installs the Debian 12 packages wasmlab builds and tests with, only those missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# libclang-rt-14-dev-wasm32: compiler-rt builtins that wasm-ld needs to link wasi programs.
# llvm-14: llvm-symbolizer-14 and llvm-dwarfdump-14, the dwarf suite's oracles.
# lcov: genhtml, which turns wlab-run --coverage's tracefile into HTML (run-profile, make demo).
# chromium: Debian's browser, which the browser tests (tests/browser/) drive headless.
# rustc, libstd-rust-dev-wasm32: Rust programs for wasm32-wasi, rustc's own DWARF and
# names for the dwarf suite (Debian's rustc 1.63, /usr/bin/rustc; a rustup toolchain
# earlier on PATH is left alone).
pkgs=(gcc make pkg-config python3 libcmocka-dev clang lld wasi-libc libclang-rt-14-dev-wasm32
	llvm-14 wabt binaryen chromium fonts-dejavu-core rustc libstd-rust-dev-wasm32 lcov)
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

# npm_ci DIR PKG...: `npm ci --prefix DIR` from DIR/package-lock.json, only when
# DIR/node_modules is missing one of PKGs or holds another version than
# DIR/package.json pins. Tests never download: they use what this installed.
npm_ci() {
	local dir=$1 p want have stale=
	shift
	for p in "$@"; do
		want=$(node -p "require('./$dir/package.json').dependencies['$p']")
		have=$(node -p "try { require('./$dir/node_modules/$p/package.json').version } catch { '' }")
		[[ $have == "$want" ]] || stale+=" $p $want"
	done
	if [[ -z $stale ]]; then
		echo "deps: $dir: $* present at the pinned versions"
		return
	fi
	command -v npm >/dev/null || { echo "deps: node has no npm; install npm to run: npm ci --prefix $dir" >&2; exit 1; }
	echo "deps: $dir: npm ci (${stale# })"
	npm ci --prefix "$dir" --no-audit --no-fund </dev/null
}

# tests/browser: playwright-core, which drives /usr/bin/chromium and must never
# download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm_ci tests/browser playwright-core
# tests/oracles: wabt 1.0.39 (wasm-objdump and wasm-validate for WebAssembly 3.0
# modules) and binaryen 132 (wasm-opt -ttf with 3.0 features), both emscripten
# builds run by Node; typescript 5.9.3 (tsc, for the link suite); see tests/oracles/README.md.
npm_ci tests/oracles wabt binaryen typescript
