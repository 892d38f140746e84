#!/usr/bin/env bash
# gen-man-features.sh: writes the FEATURES section of each tool's man page
# (docs/man/wlab-*.1) from libwasm/include/wlab/features.def, the one table of
# features (their names; defaults change as features land, so --help shows those), between the lines `.\" features: begin` and `.\" features: end`.
# With --check, writes nothing and tests instead, writing `passed failed` to
# $BUILD/test-results/features-doc.txt: each man page's section is current,
# each tool's --help names every feature with its default, and each tool
# rejects an unknown feature name with a message that lists the known ones.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
check=0
[[ ${1:-} == --check ]] && check=1
tools=(wlab-objdump wlab-explore wlab-run wlab-link wlab-wat)
# name default, one row a line, in table order
rows=$(sed -n 's/^WLAB_FEATURE([^,]*,[^,]*, *"\([^"]*\)", *\([01]\)).*/\1 \2/p' libwasm/include/wlab/features.def)
[[ -n $rows ]] || { echo "gen-man-features: no rows in features.def" >&2; exit 2; }

section() {
	echo '.\" features: begin (scripts/gen-man-features.sh writes this from features.def)'
	echo '.SH FEATURES'
	echo 'Feature options apply left to right.'
	echo '.TP'
	echo '.BI \-\-enable\- FEATURE ", \-\-disable\-" FEATURE'
	echo 'Turn one feature on or off.'
	echo '.TP'
	echo '.B \-\-enable\-all'
	echo 'Turn every feature on.'
	echo '.TP'
	echo '.B \-\-disable\-all'
	echo 'Turn every feature off but the MVP (WebAssembly 1.0).'
	echo '.TP'
	echo '.BI \-\-features= SET'
	echo 'Exactly the features of'
	echo '.IR SET :'
	echo '.BR 1.0 ", " 2.0 ", " default " or " all .'
	echo '.B \-\-features=2.0'
	echo 'checks that a module keeps to WebAssembly 2.0.'
	echo '.PP'
	echo '.I FEATURE'
	echo 'is one of the following;'
	echo '.B \-\-help'
	echo 'shows which are on by default.'
	local name dflt
	while read -r name dflt; do
		echo '.br'
		echo "$name"
	done <<<"$rows"
	echo '.PP'
	echo 'An unknown feature name is a usage error that lists the known ones.'
	echo '.\" features: end'
}

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "features-doc: $*" >&2; }
new=$(section)
for t in "${tools[@]}"; do
	page=docs/man/$t.1
	grep -q '^\.\\" features: begin' "$page" || { bad "$page has no features section"; continue; }
	out=$(NEW=$new awk '
		/^\.\\" features: begin/ { print ENVIRON["NEW"]; skip = 1; next }
		/^\.\\" features: end/ { skip = 0; next }
		!skip { print }' "$page")
	if ((check)); then
		if [[ $out == "$(cat "$page")" ]]; then ok; else bad "$page is stale: run scripts/gen-man-features.sh"; fi
	elif [[ $out != "$(cat "$page")" ]]; then
		printf '%s\n' "$out" >"$page"
		echo "gen-man-features: wrote $page"
	fi
done
((check)) || exit 0

for t in "${tools[@]}"; do
	exe=$BUILD/bin/$t
	[[ -x $exe ]] || { bad "missing $exe (make BUILD=$BUILD all)"; continue; }
	help=$("$exe" --help 2>&1)
	missing=
	while read -r name dflt; do
		grep -qF " $name [$( ((dflt)) && echo on || echo off)]" <<<"$help" || missing+=" $name"
	done <<<"$rows"
	if [[ -z $missing ]]; then ok; else bad "$t --help lacks:$missing"; fi
	err=$("$exe" --enable-no-such-feature x.wasm 2>&1 >/dev/null)
	rc=$?
	if ((rc != 0)) && grep -q "unknown feature 'no-such-feature' (known: mvp, " <<<"$err"; then ok
	else bad "$t --enable-no-such-feature: exit $rc, said: ${err:0:200}"; fi
	err=$("$exe" --features=9.9 x.wasm 2>&1 >/dev/null)
	rc=$?
	if ((rc != 0)) && grep -q "unknown feature set '9.9' (known: 1.0, 2.0, default, all)" <<<"$err"; then ok
	else bad "$t --features=9.9: exit $rc, said: ${err:0:200}"; fi
done
mkdir -p "$BUILD/test-results"
echo "$passed $failed" >"$BUILD/test-results/features-doc.txt"
echo "features-doc: $passed passed, $failed failed"
((failed == 0))
