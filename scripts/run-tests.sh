#!/usr/bin/env bash
# run-tests.sh: runs every test suite and prints one final line `N passed, N failed`.
#
# Usage: BUILD=build SANITIZE= [SUITES='unit spec-run'] bash scripts/run-tests.sh   (normally through `make test`)
# Suites: unit, spec-convert, spec-decode, spec-validate, spec-run, spec-wast, spec3, wat-conformance, run-regressions, run-cli, run-profile, examples, corpus, run-all-exports, wat-print, wat-roundtrip3, wat-cli, objdump-compat, explore,
# explore-golden, explore-agree, explore-xref, explore-malformed, explore-sizes, format-doc, features-doc, examples-js, explore-html, explore-web, encode-roundtrip, wasi, link, dwarf, embed, fuzz, differential,
# gc-bench, libfuzzer (not under SANITIZE=1: the targets carry clang's sanitizers themselves). A failing
# suite does not stop the others. Each suite writes `passed failed` to
# $BUILD/test-results/<suite>.txt; a suite that leaves no such file, or exits
# non-zero while claiming no failure, counts as a failure. Logs: $BUILD/test-results/*.log.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
SANITIZE=${SANITIZE:-}
if [[ $SANITIZE == 1 ]]; then BUILD=${BUILD:-build-asan}; else BUILD=${BUILD:-build}; fi
export BUILD SANITIZE
export PYTHONDONTWRITEBYTECODE=1 LC_ALL=C
export ASAN_OPTIONS=${ASAN_OPTIONS:-exitcode=134:detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-exitcode=134}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-exitcode=134:halt_on_error=1:print_stacktrace=1}
results=$BUILD/test-results
mkdir -p "$results"

# `python3` may be a version manager's shim: pyenv's is a bash script that costs about 0.5 s
# of CPU a start (1-1.5 s of wall time on a busy machine), and the suites start Python about a
# hundred times (the corpus's seeds, every suite, the browser tests' server). They all run the
# interpreter the shim resolves to, through $BUILD/.bin/python3, first on PATH.
if py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) && [[ -x $py ]]; then
	mkdir -p "$BUILD/.bin"
	ln -sfn "$py" "$BUILD/.bin/python3"
	PATH=$(cd "$BUILD/.bin" && pwd):$PATH
	export PATH
fi

# The corpus (clang's and wasm-opt's modules) and the oracles' cached outputs do not
# depend on how our tools are built, so the default sanitizer build (build-asan) takes
# them from the default plain build rather than building them again: $BUILD/corpus and
# $BUILD/cache become links to $COMMON's. COMMON= (empty) turns this off; COMMON=DIR
# shares DIR's with any BUILD.
[[ -z ${COMMON+set} && $BUILD == build-asan ]] && COMMON=build
if [[ -n ${COMMON:-} && $(realpath -m "$COMMON") != $(realpath -m "$BUILD") ]]; then
	for d in corpus cache; do
		mkdir -p "$COMMON/$d"
		[[ -e $BUILD/$d || -L $BUILD/$d ]] || ln -s "$(realpath "$COMMON/$d")" "$BUILD/$d"
		[[ -L $BUILD/$d ]] || echo "run-tests: $BUILD/$d is a directory of its own; not shared with $COMMON" >&2
	done
fi

# unit: runs each cmocka binary in $BUILD/tests/unit and sums its PASSED/FAILED lines.
unit_suite() {
	local passed=0 failed=0 bin out rc p f n=0
	for bin in "$BUILD"/tests/unit/test_*; do
		[[ -x $bin && -f $bin ]] || continue
		n=$((n + 1))
		out=$(CMOCKA_MESSAGE_OUTPUT=stdout timeout 300 "$bin" 2>&1)
		rc=$?
		printf '%s\n' "$out"
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' <<<"$out" | tail -n 1)
		passed=$((passed + ${p:-0}))
		failed=$((failed + ${f:-0}))
		if (( rc != 0 )) && [[ -z $f || $f == 0 ]]; then
			echo "unit: $(basename "$bin") exited $rc without a cmocka failure count" >&2
			failed=$((failed + 1))
		fi
	done
	(( n > 0 )) || echo "unit: no unit test binaries in $BUILD/tests/unit (make testbins?)"
	echo "$passed $failed" >"$results/unit.txt"
	echo "unit: $n binaries, $passed passed, $failed failed"
	(( failed == 0 ))
}

# A build step passes as one test or fails as one.
step() {
	local name=$1; shift
	if "$@"; then echo "1 0" >"$results/$name.txt"; else echo "0 1" >"$results/$name.txt"; return 1; fi
}

# examples-js, explore-html, explore-web: Node and headless Chromium (tests/browser/, playwright-core);
# they fail, never skip, when node, chromium or playwright-core is missing.
browser_suite() {
	if ! command -v node >/dev/null; then
		echo "$1: node is missing; install it with: bash scripts/deps.sh"
		echo "0 1" >"$results/$1.txt"
		return 1
	fi
	bash scripts/build-examples.sh && timeout 300 node "$2"
}

# explore-web: the explorer page (make web) in headless Chromium. The page's
# wasm does not depend on how the tools are built: the sanitizer build takes
# build/web (COMMON's) rather than compiling libwasm for wasm32 again.
web_suite() {
	local web=${COMMON:-$BUILD}
	if ! make -s -j"$(nproc)" BUILD="$web" web; then
		echo "0 1" >"$results/explore-web.txt"
		return 1
	fi
	WEB_DIR=$web/web browser_suite explore-web tests/browser/web.mjs
}

# libfuzzer: the targets of tests/fuzz/ built at -O0 (a quick build) into
# $BUILD/fuzz-ci and run a few seconds each (docs/fuzzing.md; `make fuzz` runs longer).
libfuzzer_suite() {
	if ! make -s -j"$(nproc)" BUILD="$BUILD" FUZZ_DIR="$BUILD/fuzz-ci" FUZZ_OPT=-O0 fuzz-build; then
		echo "0 1" >"$results/libfuzzer.txt"
		return 1
	fi
	FUZZ_DIR=$BUILD/fuzz-ci python3 -B tests/fuzz/run_fuzz.py --ci
}

compat_args=()
[[ $SANITIZE == 1 ]] && compat_args=(--quick)

# examples and corpus build what the suites after them read (run-all-exports, the compat and
# explore suites), so they come first.
suites=(unit spec-convert spec-decode spec-validate spec-run spec-wast spec3 wat-conformance run-regressions run-cli run-profile examples corpus run-all-exports wat-print wat-roundtrip3 wat-cli objdump-compat explore explore-golden explore-agree explore-xref explore-malformed explore-sizes format-doc features-doc examples-js explore-html explore-web encode-roundtrip wasi link dwarf embed fuzz differential gc-bench)
[[ $SANITIZE == 1 ]] || suites+=(libfuzzer)
# SUITES="unit spec-run" runs only those (the summary still counts only them).
[[ -n ${SUITES:-} ]] && read -r -a suites <<<"$SUITES"
# explore-agree's checks read the same `wlab-explore --json` trees as explore's (tens of
# megabytes for a corpus program): when both suites run, explore runs both checks on
# each tree it parses and explore-agree reports what they found (tests/explore/tiling.py).
agree_early=
[[ " ${suites[*]} " == *" explore "* && " ${suites[*]} " == *" explore-agree "* ]] && agree_early=1
run_suite() {
	case $1 in
	unit) unit_suite ;;
	spec-convert) step spec-convert bash scripts/spec-convert.sh ;;
	spec-decode) python3 -B tests/spec/decode_conformance.py ;;
	spec-validate) python3 -B tests/spec/validate_conformance.py ;;
	spec-run) python3 -B tests/spec/spec_run.py ;;
	spec-wast) python3 -B tests/spec/spec_wast.py ;;
	spec3) python3 -B tests/spec/spec3.py ;;
	wat-conformance) python3 -B tests/spec/wat_conformance.py ;;
	wat-print) python3 -B tests/wat/print_compat.py ;;
	wat-roundtrip3) python3 -B tests/wat/roundtrip3.py ;;
	wat-cli) bash tests/wat/cli.sh ;;
	run-regressions) bash tests/run/regressions.sh ;;
	run-cli) bash tests/run/cli.sh ;;
	run-profile) python3 -B tests/run/profile.py ;;
	run-all-exports) python3 -B tests/run/allexports_compat.py ;;
	examples) step examples bash scripts/build-examples.sh ;;
	corpus) step corpus bash scripts/build-corpus.sh ;;
	objdump-compat) python3 -B tests/compat/objdump_compat.py "${compat_args[@]}" ;;
	explore) python3 -B tests/explore/tiling.py ${agree_early:+--agree} ;;
	explore-golden) bash tests/explore/golden.sh ;;
	explore-agree)
		if [[ -f $results/explore-agree.early.txt ]]; then
			cat "$results/explore-agree.early.log"
			mv "$results/explore-agree.early.txt" "$results/explore-agree.txt"
		else
			python3 -B tests/explore/agree.py
		fi ;;
	explore-xref) python3 -B tests/explore/xref.py ;;
	explore-malformed) bash scripts/build-examples.sh >/dev/null && python3 -B tests/explore/malformed.py ;;
	explore-sizes) python3 -B tests/explore/sizes.py ;;
	format-doc) bash scripts/gen-format-doc.sh --check ;;
	features-doc) bash scripts/gen-man-features.sh --check ;;
	encode-roundtrip) python3 -B tests/encode/roundtrip.py ;;
	examples-js) browser_suite examples-js tests/browser/examples.mjs ;;
	explore-html) browser_suite explore-html tests/browser/explore.mjs ;;
	explore-web) web_suite ;;
	wasi) bash tests/wasi/run.sh ;;
	link) python3 -B tests/link/link_test.py ;;
	dwarf) python3 -B tests/dwarf/dwarf_test.py ;;
	embed) bash tests/embed/run.sh ;;
	fuzz) python3 -B tests/fuzz/mutate.py ;;
	differential) python3 -B tests/differential/diff_exec.py ;;
	gc-bench) python3 -B tests/bench/gc_check.py ;;
	libfuzzer) libfuzzer_suite ;;
	esac
}

# child_cpu: sets cpu to the CPU seconds (user + system) of every child this shell has
# waited for, summed (`times` run here, not in a subshell, whose children are its own):
# the summary's `cpu` column, what a suite costs apart from what else the machine was
# doing (`secs` is wall time; a suite that keeps both cores busy has cpu near twice its secs).
child_cpu() {
	times >"$results/.times"
	cpu=$(awk 'function sec(x, m) { m = x; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", x); sub(/s$/, "", x); return m * 60 + x }
		NR == 2 { printf "%.0f\n", sec($1) + sec($2) }' "$results/.times")
}

declare -A P F NOTE T C
total_p=0 total_f=0
start_all=$(date +%s)
for s in "${suites[@]}"; do
	echo
	echo "=== $s ==="
	rm -f "$results/$s.txt"
	child_cpu
	t0=$(date +%s) c0=$cpu
	run_suite "$s" 2>&1 | tee "$results/$s.log"
	rc=${PIPESTATUS[0]}
	T[$s]=$(($(date +%s) - t0))
	child_cpu
	C[$s]=$((cpu - c0))
	NOTE[$s]=""
	p= f=
	[[ -f $results/$s.txt ]] && read -r p f <"$results/$s.txt"
	if [[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]]; then
		P[$s]=$p F[$s]=$f
		if (( rc != 0 && f == 0 )); then
			F[$s]=1 NOTE[$s]="exit $rc"
		fi
	else
		P[$s]=0 F[$s]=1 NOTE[$s]="no result (exit $rc)"
	fi
	total_p=$((total_p + P[$s])) total_f=$((total_f + F[$s]))
done

echo
echo "=== summary (BUILD=$BUILD${SANITIZE:+ SANITIZE=$SANITIZE}, $(($(date +%s) - start_all)) s) ==="
printf '%-16s %8s %8s %6s %6s  %s\n' suite passed failed secs cpu note
for s in "${suites[@]}"; do
	printf '%-16s %8d %8d %6d %6d  %s\n' "$s" "${P[$s]}" "${F[$s]}" "${T[$s]}" "${C[$s]}" "${NOTE[$s]}"
done
echo "$total_p passed, $total_f failed"
(( total_f == 0 ))
