#!/usr/bin/env bash
# run.sh: the embed suite: libwasm is safe to embed.
#  - exports: libwasm.so exports (nm -D) only wlab_* symbols, and every
#    function the public headers mark WLAB_API (an internal dec_fail or
#    val_push exported could clash with an embedder's own);
#  - install: `make install PREFIX=TMP` of this BUILD;
#  - c++: tests/embed/embed.cpp (C++17, -Wall -Wextra -Werror -pedantic)
#    builds against the installed library through pkg-config and prints
#    tests/embed/embed.expected;
#  - c++ api: a C++ file written here includes each public header on its own
#    (wlab.h leaves some out) and takes the address of every WLAB_API
#    function, linked the same way: a header without extern "C" (its
#    functions then have C++ names the library lacks), not installed, or not
#    C++-clean fails it.
# Usage: BUILD=build [SANITIZE=1] bash tests/embed/run.sh (normally through
# scripts/run-tests.sh). Writes "passed failed" to $BUILD/test-results/embed.txt.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
CXX=${CXX:-c++}
results=$BUILD/test-results
mkdir -p "$results"
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
finish() { echo "$passed $failed" >"$results/embed.txt"; echo "embed: $passed passed, $failed failed"; exit $(( failed > 0 )); }

so=$BUILD/lib/libwasm.so
[[ -f $so ]] || { fail "no $so (make all)"; finish; }
exported=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
others=$(grep -v '^wlab_' <<<"$exported")
if [[ -n $others ]]; then
	fail "libwasm.so exports $(wc -l <<<"$others") symbols outside wlab_*: $(head -8 <<<"$others" | tr '\n' ' ')"
else
	pass
fi
# A function declaration of a public header starts its line with its type;
# each must say WLAB_API (a new header's would otherwise be hidden).
decls=$(cat libwasm/include/wlab/*.h | grep -E '^[a-zA-Z_].*\bwlab_[a-z0-9_]+\(' |
	grep -vE '^(static|typedef|#)')
unmarked=$(grep -v '^WLAB_API ' <<<"$decls")
declared=$(grep -oE '^WLAB_API [^(]*\bwlab_[a-z0-9_]+\(' <<<"$decls" |
	grep -oE 'wlab_[a-z0-9_]+\($' | tr -d '(' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
if [[ -z $declared ]]; then
	fail "no WLAB_API declaration found in libwasm/include/wlab/"
elif [[ -n $unmarked ]]; then
	fail "public declarations without WLAB_API: $(head -4 <<<"$unmarked" | tr '\n' ' ')"
elif [[ -n $missing ]]; then
	fail "declared WLAB_API but not exported: $(head -8 <<<"$missing" | tr '\n' ' ')"
else
	pass
fi
echo "embed: libwasm.so exports $(wc -l <<<"$exported") symbols, $(wc -l <<<"$declared") WLAB_API declarations"

prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
if make -s BUILD="$BUILD" SANITIZE="${SANITIZE:-}" PREFIX="$prefix" install >"$prefix.log" 2>&1; then
	pass
else
	fail "make install PREFIX=$prefix"; tail -5 "$prefix.log"; rm -f "$prefix.log"; finish
fi
rm -f "$prefix.log"
san=()
[[ ${SANITIZE:-} == 1 ]] && san=(-fsanitize=address,undefined -fno-sanitize-recover=all)
# shellcheck disable=SC2046
if ! flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs libwasm); then
	fail "pkg-config libwasm"; finish
fi
# shellcheck disable=SC2086
if "$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic "${san[@]}" -o "$prefix/embed" \
	tests/embed/embed.cpp $flags -Wl,-rpath,"$prefix/lib"; then
	pass
else
	fail "$CXX tests/embed/embed.cpp against the installed libwasm"; finish
fi
# every header alone (self-contained), then every declared function by address
{
	for h in libwasm/include/wlab/*.h; do
		echo "#include <wlab/${h##*/}>"
	done
	echo '#include <cstdio>'
	echo 'using fn = void (*)();'
	echo 'static const fn api[] = {'
	sed 's/.*/	reinterpret_cast<fn>(\&&),/' <<<"$declared"
	echo '};'
	echo 'int main() { std::printf("%zu\n", sizeof api / sizeof api[0]); return 0; }'
} >"$prefix/api.cpp"
# shellcheck disable=SC2086
if ! "$CXX" -std=c++17 -Wall -Wextra -Werror -pedantic -Wold-style-cast "${san[@]}" -o "$prefix/api" \
	"$prefix/api.cpp" $flags -Wl,-rpath,"$prefix/lib"; then
	fail "$CXX: every public header and WLAB_API function, against the installed libwasm"
elif [[ $("$prefix/api") != "$(wc -l <<<"$declared")" ]]; then
	fail "api: $("$prefix/api") functions linked, $(wc -l <<<"$declared") declared"
else
	pass
fi
libs=$(ldd "$prefix/embed" 2>&1)
if [[ $libs != *"$prefix/lib/libwasm.so.0"* ]]; then
	fail "embed does not load the installed libwasm.so.0: $libs"
elif out=$("$prefix/embed" 2>&1) && [[ $out == "$(cat tests/embed/embed.expected)" ]]; then
	pass
else
	fail "embed: $out"
fi
finish
