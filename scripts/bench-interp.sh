#!/usr/bin/env bash
# bench-interp.sh: runs the C benchmarks of tests/bench/ (compiled once to
# wasm32 with clang -O2 and natively with cc -O2) under wlab-run, wabt's
# wasm-interp, Node, natively, and under wasm3 when WASM3 names a wasm3
# binary (built locally from its public source; never a dependency of the
# build or the tests). With COREMARK=DIR (EEMBC's CoreMark source) CoreMark
# joins: built with clang for wasm32-wasi and natively, run as the
# performance run (seeds 0x0 0x0 0x66) for CM_ITER iterations.
#
# The run is interleaved: RUNS rounds, each running every engine once on a
# benchmark, so the machine's load falls on all of them alike. Prints the
# median CPU time (user + system) and the median peak RSS of each engine,
# and ratios of those medians; checks that every engine's checksum agrees.
# With native among the engines, each engine first runs tests/bench/empty.c
# (a run() that returns at once): its time is the engine's fixed cost
# (process start, loading, and the measuring itself), and the "net" columns
# and means compare the times less those fixed costs, the work alone.
# Then the start-up figures: one export of a generated module of BIG
# functions (tests/bench/gen_big.py, clang -O0 as in bench-objdump.sh: about
# 7 MB for the default 8000) called by wlab-run and wasm3.
#
# REPEAT=N builds the programs to do their work N times in one run (CoreMark:
# CM_ITER defaults to N times 1000), into BUILD/bench/interp-rN: native
# runs of a few milliseconds are too short to set against, so the native
# ratios want REPEAT=20 or so (and ENGINES without interp, which would take
# minutes a program).
#
# WLAB=PATH runs that wlab-run instead of BUILD's; BASE=PATH adds the engine
# "base", another wlab-run (an earlier build), and the ratio wlab/base.
# The engine "clang" (in the default ENGINES when clang is installed) is
# wlab-run built by clang into BUILD/clang (CLANG_WLAB=PATH for another),
# with the ratio wlab/clang: BUILD's compiler (cc, gcc on Debian: computed
# goto) against clang's build (tail calls, docs/interpreter.md), and with
# wasm3 the ratio clang/wasm3, so that both builds stand against wasm3.
#
# Usage: BUILD=build RUNS=5 [BENCHES="fib vm"] [ENGINES="wlab wasm3 native"]
#        [WASM3=/path/to/wasm3] [COREMARK=/path/to/coremark] [CM_ITER=1000]
#        [REPEAT=1]
#        [BIG=8000 | BIG=0 for no start-up figures] bash scripts/bench-interp.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
BENCHES=${BENCHES:-"fib sieve matmul sort vm nbody memops"}
REPEAT=${REPEAT:-1}
CM_ITER=${CM_ITER:-$((1000 * REPEAT))}
BIG=${BIG:-8000}
WASM3=${WASM3:-}
COREMARK=${COREMARK:-}
dir=$BUILD/bench/interp
((REPEAT > 1)) && dir=$dir-r$REPEAT
ours=${WLAB:-$BUILD/bin/wlab-run}
BASE=${BASE:-}
mkdir -p "$dir"
has_clang=$(command -v clang >/dev/null && echo " clang")
ENGINES=${ENGINES:-"wlab interp node native${WASM3:+ wasm3}$has_clang"}
[[ -n $BASE && " $ENGINES " != *" base "* ]] && ENGINES="$ENGINES base"
if [[ -n $WASM3 && ! -x $WASM3 ]]; then
	echo "bench-interp.sh: WASM3=$WASM3 is not an executable" >&2
	exit 2
fi
has() { [[ " $ENGINES " == *" $1 "* ]]; }
clang_run=${CLANG_WLAB:-$BUILD/clang/bin/wlab-run}
if has clang && [[ -z ${CLANG_WLAB:-} ]]; then
	make -s BUILD="$BUILD/clang" CC=clang WEB_EMBED=0 "$BUILD/clang/bin/wlab-run" >&2
fi

NET=$(has native && echo 1) || true
for b in ${NET:+empty} $BENCHES; do
	src=tests/bench/$b.c
	if [[ ! -f $dir/$b.wasm || $src -nt $dir/$b.wasm || tests/bench/bench.h -nt $dir/$b.wasm ]]; then
		clang --target=wasm32 -O2 -nostdlib -mbulk-memory -Wl,--no-entry \
			-DBENCH_REPEAT="$REPEAT" -o "$dir/$b.wasm" "$src"
	fi
	if [[ ! -f $dir/$b.native || $src -nt $dir/$b.native || tests/bench/bench.h -nt $dir/$b.native ]]; then
		cc -O2 -DBENCH_REPEAT="$REPEAT" -o "$dir/$b.native" "$src" tests/bench/native_main.c -lm
	fi
done
if [[ -n $COREMARK ]]; then
	cm_srcs=()
	for f in core_list_join core_main core_matrix core_state core_util; do
		cm_srcs+=("$COREMARK/$f.c")
	done
	cm_srcs+=("$COREMARK/posix/core_portme.c")
	cm_flags=(-O2 -I"$COREMARK/posix" -I"$COREMARK" -DFLAGS_STR='"-O2"' -DPERFORMANCE_RUN=1)
	if [[ ! -f $dir/coremark.wasm ]]; then
		clang --target=wasm32-wasi --sysroot=/usr "${cm_flags[@]}" -o "$dir/coremark.wasm" \
			"${cm_srcs[@]}"
	fi
	if [[ ! -f $dir/coremark.native ]]; then
		clang "${cm_flags[@]}" -o "$dir/coremark.native" "${cm_srcs[@]}"
	fi
	BENCHES="$BENCHES coremark"
fi

# cmd ENGINE BENCH: the command line that runs BENCH under ENGINE.
cmd() {
	local w=$dir/$2.wasm
	if [[ $2 == coremark ]]; then
		local args=(0x0 0x0 0x66 "$CM_ITER")
		case $1 in
		wlab) echo "$ours $w ${args[*]}" ;;
		base) echo "$BASE $w ${args[*]}" ;;
		clang) echo "$clang_run $w ${args[*]}" ;;
		interp) echo "wasm-interp --wasi $w ${args[*]}" ;;
		node) echo "node --no-warnings tests/wasi/run-node.mjs $w ${args[*]}" ;;
		native) echo "$dir/coremark.native ${args[*]}" ;;
		wasm3) echo "$WASM3 $w ${args[*]}" ;;
		esac
		return
	fi
	case $1 in
	wlab) echo "$ours --invoke run $w" ;;
	base) echo "$BASE --invoke run $w" ;;
	clang) echo "$clang_run --invoke run $w" ;;
	interp) echo "wasm-interp --run-all-exports $w" ;;
	node) echo "node tests/bench/run.mjs $w" ;;
	native) echo "$dir/$2.native" ;;
	wasm3) echo "$WASM3 --func run $w" ;;
	esac
}

# measure OUT CMD...: appends "cpu_ms rss_kib" of one run to OUT.times; the
# run's stdout goes to OUT (and its stderr for wasm3, which prints results
# there).
measure() {
	local out=$1 err=/dev/null t
	shift
	[[ $out == *-wasm3 ]] && err=$out
	t=$( { TIMEFORMAT='%3U %3S'; time /usr/bin/time -f '%M' -o "$out.rss1" "$@" >"$out" 2>>"$err"; } 2>&1 | tail -n 1) || true
	awk -v u="${t% *}" -v s="${t#* }" -v m="$(tail -n 1 "$out.rss1")" \
		'BEGIN { printf "%d %d\n", (u + s) * 1000, m }' >>"$out.times"
}
# median FILE COLUMN
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The checksum an engine printed: CoreMark's crcfinal, else the last number
# (wasm3 prints i32 results signed), as an unsigned 32-bit number; "none"
# when there is none.
checksum() {
	local v
	if [[ $2 == coremark ]]; then
		v=$(grep -o 'crcfinal *: 0x[0-9a-f]*' "$1" | sed 's/.*0x/0x/' | head -n 1) || true
	else
		v=$(grep -o -- '-\{0,1\}[0-9][0-9]*' "$1" | tail -n 1 |
			awk '{ v = $1; if (v < 0) v += 4294967296; printf "%d\n", v }') || true
	fi
	echo "${v:-none}"
}
# The engines that run BENCH: Debian's wasm-interp has no WASI for CoreMark.
engines_for() {
	local e
	for e in $ENGINES; do
		[[ $1 == coremark && $e == interp ]] || printf '%s ' "$e"
	done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

header() {
	printf '%-9s' bench
	for e in $ENGINES; do printf ' %9s' "$e"; done
	has wasm3 && printf ' %11s' wlab/wasm3
	has native && printf ' %11s' wlab/native
	has native && has wasm3 && printf ' %12s' wasm3/native
	has interp && printf ' %12s' interp/wlab
	has base && printf ' %10s' wlab/base
	has clang && printf ' %10s' wlab/clang
	has clang && has wasm3 && printf ' %11s' clang/wasm3
	[[ -n $NET ]] && printf ' %10s' 'net w/n'
	[[ -n $NET ]] && has wasm3 && printf ' %11s' 'net w3/n'
	printf '   %s\n' 'peak RSS MiB (wlab wasm3)'
}

echo "CPU time medians (ms) of $RUNS interleaved runs; ratios of those medians"
header
bad=0 n=0 n_int=0
declare -A ls=() over=()  # each ratio column's sum of logs (for its geometric mean), and its ratios over 1
# col KEY NUM DEN WIDTH: prints the ratio NUM/DEN, adds its log to ls[KEY], counts it in over[KEY] if over 1
col() {
	local x
	x=$(ratio "$2" "$3")
	printf " %${4}sx" "$x"
	ls[$1]=$(awk -v s="${ls[$1]:-0}" -v r="$x" 'BEGIN { printf "%.6f", s + log(r) }')
	if awk -v r="$x" 'BEGIN { exit !(r > 1) }'; then over[$1]=$((${over[$1]:-0} + 1)); fi
}
# netcol KEY E1 E2 WIDTH: col KEY of E1's time over E2's, each less its engine's
# fixed cost (the empty program's time); "-" when either is not above it.
netcol() {
	local a=$((t[$2] - fixed[$2])) d=$((t[$3] - fixed[$3]))
	if ((a > 0 && d > 0)); then
		col "$1" "$a" "$d" "$4"
		nn[$1]=$((${nn[$1]:-0} + 1))
	else
		printf " %$(($4 + 1))s" -
	fi
}
declare -A fixed=() nn=()
for b in ${NET:+empty} $BENCHES; do
	eb=$(engines_for "$b")
	for e in $eb; do rm -f "$dir/$b.out-$e.times"; done
	for _ in $(seq "$RUNS"); do
		for e in $eb; do
			# shellcheck disable=SC2046
			measure "$dir/$b.out-$e" $(cmd "$e" "$b")
		done
	done
	declare -A t=() r=()
	for e in $ENGINES; do t[$e]=0 r[$e]=0; done
	for e in $eb; do
		t[$e]=$(median "$dir/$b.out-$e.times" 1)
		r[$e]=$(median "$dir/$b.out-$e.times" 2)
	done
	sums=$(for e in $eb; do checksum "$dir/$b.out-$e" "$b"; done | sort -u)
	if [[ $(printf '%s\n' "$sums" | wc -l) != 1 || -z $sums ]]; then
		echo "$b: engines disagree:" >&2
		for e in $eb; do echo "  $e: $(checksum "$dir/$b.out-$e" "$b")" >&2; done
		bad=$((bad + 1))
	fi
	printf '%-9s' "$b"
	for e in $ENGINES; do
		if [[ " $eb " == *" $e "* ]]; then printf ' %7sms' "${t[$e]}"; else printf ' %9s' -; fi
	done
	if [[ $b == empty ]]; then
		for e in $eb; do fixed[$e]=${t[$e]}; done
		printf '   (each engine'"'"'s fixed cost, less in the net columns)\n'
		unset t r
		continue
	fi
	if has wasm3; then col w3 "${t[wlab]}" "${t[wasm3]}" 10; fi
	if has native; then col nat "${t[wlab]}" "${t[native]}" 10; fi
	if has native && has wasm3; then col w3nat "${t[wasm3]}" "${t[native]}" 11; fi
	if has interp && [[ $b != coremark ]]; then
		col int "${t[interp]}" "${t[wlab]}" 11
		n_int=$((n_int + 1))
	elif has interp; then
		printf ' %12s' -
	fi
	if has base; then col base "${t[wlab]}" "${t[base]}" 9; fi
	if has clang; then col clang "${t[wlab]}" "${t[clang]}" 9; fi
	if has clang && has wasm3; then col c3 "${t[clang]}" "${t[wasm3]}" 10; fi
	if [[ -n $NET ]]; then netcol netnat wlab native 9; fi
	if [[ -n $NET ]] && has wasm3; then netcol netw3 wasm3 native 10; fi
	printf '   %s' "$(awk -v k="${r[wlab]}" 'BEGIN { printf "%.1f", k / 1024 }')"
	has wasm3 && printf ' %s' "$(awk -v k="${r[wasm3]}" 'BEGIN { printf "%.1f", k / 1024 }')"
	if [[ $b == coremark ]]; then
		printf '   CoreMark/s(cpu):'
		for e in $eb; do
			printf ' %s %s' "$e" "$(awk -v i="$CM_ITER" -v m="${t[$e]}" 'BEGIN { printf "%.0f", (m > 0 ? i * 1000 / m : 0) }')"
		done
	fi
	printf '\n'
	unset t r
	n=$((n + 1))
done
# geo KEY [N]: the geometric mean of column KEY over N benchmarks (default n)
geo() { awk -v s="${ls[$1]:-0}" -v n="${2:-$n}" 'BEGIN { printf "%.2f", exp(s / n) }'; }
has wasm3 && echo "geometric mean wlab-run/wasm3: $(geo w3)x over $n; wlab-run slower than wasm3 on ${over[w3]:-0}"
has native && echo "geometric mean wlab-run/native: $(geo nat)x"
has native && has wasm3 && echo "geometric mean wasm3/native: $(geo w3nat)x"
has base && echo "geometric mean wlab-run/base: $(geo base)x"
has clang && echo "geometric mean wlab-run/clang (BUILD's compiler against clang's build): $(geo clang)x"
has clang && has wasm3 && echo "geometric mean clang's build/wasm3: $(geo c3)x over $n; slower than wasm3 on ${over[c3]:-0}"
has interp && echo "geometric mean speedup over wasm-interp: $(geo int "$n_int")x over $n_int"
if [[ -n $NET ]]; then
	echo "net of each engine's fixed cost (the empty program's time):" \
		"wlab-run/native $(geo netnat "${nn[netnat]:-1}")x over ${nn[netnat]:-0}$(has wasm3 &&
			echo ", wasm3/native $(geo netw3 "${nn[netw3]:-1}")x over ${nn[netw3]:-0}")"
fi
echo "(CPU time: user+system, children included; node's includes its compiler threads)"

# Start-up: calling one export of a big module (translation, not running).
if [[ $BIG != 0 ]]; then
	big=$dir/big$BIG.wasm
	if [[ ! -f $big ]]; then
		python3 tests/bench/gen_big.py "$BIG" "$dir/big$BIG.c"
		clang --target=wasm32 -O0 -nostdlib -Wl,--no-entry -o "$big" "$dir/big$BIG.c"
	fi
	printf '\nstart-up: call f7 of %s (%s bytes, %s functions), medians of %s runs\n' \
		"$big" "$(stat -c %s "$big")" "$BIG" "$RUNS"
	se="wlab${WASM3:+ wasm3}"
	for e in $se; do rm -f "$dir/big.out-$e.times"; done
	for _ in $(seq "$RUNS"); do
		measure "$dir/big.out-wlab" "$ours" --invoke f7 "$big" 3 40 5
		[[ -n $WASM3 ]] && measure "$dir/big.out-wasm3" "$WASM3" --func f7 "$big" 3 40 5
	done
	for e in $se; do
		printf '  %-6s %6sms %8.1f MiB  result %s\n' "$e" "$(median "$dir/big.out-$e.times" 1)" \
			"$(awk -v k="$(median "$dir/big.out-$e.times" 2)" 'BEGIN { print k / 1024 }')" \
			"$(checksum "$dir/big.out-$e" big)"
	done
	if [[ -n $WASM3 && $(checksum "$dir/big.out-wlab" big) != $(checksum "$dir/big.out-wasm3" big) ]]; then
		echo "start-up: engines disagree" >&2
		bad=$((bad + 1))
	fi
fi
(( bad == 0 ))
