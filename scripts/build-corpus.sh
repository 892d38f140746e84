#!/usr/bin/env bash
# build-corpus.sh: builds real-world wasm modules into $BUILD/corpus/ for the compat test.
#
# Usage: BUILD=build bash scripts/build-corpus.sh
#  obj/   the project's own C files (libwasm, cmd, tests/tools, tests/corpus) compiled
#         by clang for wasm32-wasi as relocatable objects (linking + reloc.* sections):
#         -O0/-O2/-Os with -g, and -O2 with each of clang 14's wasm feature flags; every
#         file at -O2 -g, each other variant on a quarter of the files (CORPUS_ALL=1: all);
#  prog/  linked wasi programs (each cmd/ tool, each tests/tools file, each
#         tests/corpus file) at -O0 -g, -O2 and -Os; libwasm's objects for them are
#         compiled once per variant (lib/, or obj/'s where the flags are the same);
#  ttf/   50 random valid modules (40 without SIMD) from `wasm-opt -ttf` on fixed pseudo-random seeds,
#         checked with wasm-validate.
#  feat/  tests/corpus/feat/* with clang's flags for features beyond 2.0: -matomics -mbulk-memory
#         (objects, and linked modules with a shared memory, defined or imported),
#         -mtail-call, -fwasm-exceptions -mexception-handling (C++, no C++ library: the __cxa_*
#         runtime is imported); objects and modules linked without libc; multi.wat (two
#         memories, extended constant expressions), branch_hints*.wat (branch hint
#         sections, one module with a shared memory) and the small modules that hold
#         what wabt's and binaryen's own tests found (tag_names.wat, dylink_legacy.wat, names_binaryen.wat...) through
#         wat2wasm of wabt 1.0.39 (npm).
#  ttf3/  a few `wasm-opt -ttf` modules of binaryen 132 (npm, tests/oracles) per feature set
#         beyond 2.0: threads, tail calls, exceptions (with typed references), memory64,
#         multi-memory with extended const (grown from feat/multi.wasm), relaxed SIMD, and
#         GC-typed references.
# Every feat/ and ttf3/ module has a NAME.features file beside it: the features.def names of the
# features beyond 2.0 it was built with. Tests count a tool's failure on a module that uses a
# feature libwasm does not have yet (off in features.def) as "not yet", apart (harness.not_yet).
# The work is a generated makefile, so only changed inputs are rebuilt, in parallel.
# A C file that does not build for wasi is skipped and named; an invalid ttf
# module fails the script.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
BUILD=${BUILD:-build}
for t in clang wasm-ld wasm-opt wasm-validate python3 node; do
	command -v "$t" >/dev/null || { echo "build-corpus: $t missing (bash scripts/deps.sh)" >&2; exit 2; }
done
# The pinned npm oracles (never downloaded here: scripts/deps.sh installs them).
npm_bin=$root/tests/oracles/node_modules/.bin
for t in wasm-opt wasm-validate wat2wasm; do
	[[ -x $npm_bin/$t ]] || { echo "build-corpus: $npm_bin/$t missing (bash scripts/deps.sh)" >&2; exit 2; }
done
out=$BUILD/corpus
mkdir -p "$out"/obj "$out"/lib "$out"/prog "$out"/ttf "$out"/feat "$out"/ttf3
mk=$out/corpus.mk

cflags='--target=wasm32-wasi -std=c11 -D_POSIX_C_SOURCE=200809L -DWLAB_VERSION=\"corpus\" -Ilibwasm/include -Ilibwasm/src -w'
# name:flags of each object variant.
variants=(
	'O0:-O0 -g' 'O2:-O2 -g' 'Os:-Os -g'
	'sign-ext:-O2 -msign-ext' 'bulk-memory:-O2 -mbulk-memory'
	'nontrapping-fptoint:-O2 -mnontrapping-fptoint' 'simd128:-O3 -msimd128'
	'multivalue:-O2 -mmultivalue -Xclang -target-abi -Xclang experimental-mv'
	'reference-types:-O2 -mreference-types'
)
prog_variants=('O0:-O0 -g' 'O2:-O2' 'Os:-Os')
# feat/: name:source:features (features.def names):flags (clang's; for a .wat, wat2wasm's
# instead of --enable-all: its --enable-all drops @custom "metadata.code.*"). Linked ones have no libc
# (wasi-libc is built without atomics, and has no C++ runtime).
nolibc='-nostdlib -Wl,--no-entry -Wl,--export-dynamic'
shared="-matomics -mbulk-memory -mmutable-globals $nolibc -Wl,--shared-memory -Wl,--max-memory=131072"
shared_exports='-Wl,--export=bump,--export=add_total,--export=swap_counter,--export=guarded_store,--export=wait_for,--export=wake,--export=fill,--export=copy'
feat_builds=(
	"atomics.O2.o:atomics.c:threads:-c -O2 -matomics -mbulk-memory"
	"atomics.O0.o:atomics.c:threads:-c -O0 -g -matomics -mbulk-memory"
	"atomics.shared:atomics.c:threads:-O2 $shared $shared_exports"
	"atomics.shared-import:atomics.c:threads:-O2 $shared -Wl,--import-memory $shared_exports"
	"tailcall.O2.o:tailcall.c:tail-call:-c -O2 -mtail-call"
	"tailcall.O0.o:tailcall.c:tail-call:-c -O0 -g -mtail-call"
	"tailcall.linked:tailcall.c:tail-call:-O2 -mtail-call $nolibc -Wl,--export=interpret,--export=parity,--export=sum_to"
	"exceptions.O2.o:exceptions.cpp:exceptions:-c -O2 -fwasm-exceptions -mexception-handling"
	"exceptions.O0.o:exceptions.cpp:exceptions:-c -O0 -g -fwasm-exceptions -mexception-handling"
	"exceptions.linked:exceptions.cpp:exceptions:-O2 -fwasm-exceptions -mexception-handling $nolibc -Wl,--allow-undefined"
	"multi:multi.wat:multi-memory extended-const:"
	"branch_hints:branch_hints.wat::"
	"branch_hints_threads:branch_hints_threads.wat:threads:"
	"tag_names:tag_names.wat:exceptions:"
	"linking_flags:linking_flags.wat::"
	"linking_abs:linking_abs.wat::"
	"linking_flags_tags:linking_flags_tags.wat:exceptions:"
	"code_meta_stop:code_meta_stop.wat::--enable-annotations"
	"dylink_legacy:dylink_legacy.wat::--enable-annotations"
	"names_binaryen:names_binaryen.wat::--enable-annotations"
	"names_idchars:names_idchars.wat::--enable-annotations"
)
# ttf3/: set:seeds:features:binaryen flags (on top of the 2.0 ones below). -ttf alone
# never writes two memories or an extended constant: those start from feat/multi.wasm.
# wabt 1.0.39
# validates the first five; binaryen's exnref modules use typed function references with
# subtyping 1.0.39 does not validate, and no wabt reads its GC types, so those two sets
# are not validated here (wasm-opt itself only writes what it validated).
ttf3_sets=(
	"threads:1 2 3 4:threads:--enable-threads"
	"tail-call:11 12 13:tail-call:--enable-tail-call"
	"memory64:21 22 23 24:memory64:--enable-memory64"
	"multi-memory:31 32 33:multi-memory extended-const:--enable-multimemory --enable-extended-const --initial-fuzz=$out/feat/multi.wasm"
	"relaxed-simd:51 52:relaxed-simd:--enable-simd --enable-relaxed-simd"
	"exceptions:61 62 63 64:exceptions function-references:--enable-exception-handling --enable-reference-types"
	"typed-refs:71 72:function-references gc:--enable-reference-types --enable-gc"
)
ttf3_unchecked=" exceptions typed-refs "
# wasm-opt features whose output wabt 1.0.32 reads by default (binaryen's
# reference types use subtyping wabt rejects, so they stay off).
ttf_features='--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue'

shopt -s nullglob
extra_deps=()  # more prerequisites for compile()'s next stamp
hdrs=(libwasm/include/wlab.h libwasm/include/wlab/* libwasm/src/*.h libwasm/src/rt/*.h libwasm/src/wat/*.h libwasm/src/*.def cmd/*/*.h)
libsrc=(libwasm/src/*.c libwasm/src/rt/*.c libwasm/src/wat/*.c)
objsrc=(libwasm/src/*.c cmd/*/*.c tests/tools/*.c tests/corpus/*.c libwasm/src/rt/*.c libwasm/src/wat/*.c)

# obj/ samples the project's sources, so that the corpus (and every suite that reads it)
# does not grow nine objects with each new C file: every source at -O2 -g, and each other
# variant for every fourth source (source K, variant J: (K + J) % 4 == 0), so each variant
# still sees a quarter of the sources and each source two or three variants (a third
# until session 26: the quarter takes about 70 objects out, and a tenth of the corpus's
# clang time and of the time of the suites that read the objects).
# CORPUS_ALL=1 builds every source in every variant.
declare -A variant_index
for j in "${!variants[@]}"; do variant_index[${variants[$j]%%:*}]=$j; done
sampled() { # K (1-based source index) VARIANT-NAME
	[[ ${CORPUS_ALL:-} == 1 || $2 == O2 ]] && return 0
	local j=${variant_index[$2]:-}
	[[ -n $j ]] && (( ($1 + j) % 4 == 0 ))
}
declare -A objsrc_index
for i in "${!objsrc[@]}"; do objsrc_index[${objsrc[$i]}]=$((i + 1)); done

# A recipe that compiles; on failure it keeps the log as NAME.skip and still
# touches the stamp, so a file wasi cannot build is not retried until it changes.
compile() { # stamp output sources-and-include-flags... -- flags
	local stamp=$1 o=$2; shift 2
	local srcs=() deps=() flags=() seen=
	for a in "$@"; do
		if [[ $a == -- ]]; then seen=1
		elif [[ $seen ]]; then flags+=("$a")
		else srcs+=("$a"); [[ $a == -* ]] || deps+=("$a"); fi
	done
	printf '%s: %s %s $(DEPS)\n' "$stamp" "${deps[*]}" "${extra_deps[*]}"
	printf '\t@rm -f %s %s.skip; if clang $(CFLAGS) %s %s -o %s 2>%s.log; then rm -f %s.log; else mv %s.log %s.skip; rm -f %s; fi; touch $@\n' \
		"$o" "$o" "${flags[*]}" "${srcs[*]}" "$o" "$o" "$o" "$o" "$o" "$o"
}

{
	echo "# generated by scripts/build-corpus.sh"
	echo "CFLAGS := $cflags"
	echo "DEPS := ${hdrs[*]} scripts/build-corpus.sh"
	stamps=()
	k=0
	for src in "${objsrc[@]}"; do
		base=$(echo "${src%.c}" | tr '/' '-')
		k=$((k + 1))
		for v in "${variants[@]}"; do
			sampled "$k" "${v%%:*}" || continue
			s=$out/obj/$base.${v%%:*}
			compile "$s.stamp" "$s.o.wasm" "$src" -- -c ${v#*:}
			stamps+=("$s.stamp")
		done
	done
	# libwasm is compiled once per program variant (lib/VARIANT/*.o, or the obj/ objects
	# where a variant's flags are the same) and linked into each program that uses it:
	# the same modules as one clang command per program, at a fifth of the compiles.
	declare -A libobjs libstamps
	for v in "${prog_variants[@]}"; do
		vn=${v%%:*} objs=() lstamps=() same=
		for w in "${variants[@]}"; do [[ $w == "$v" ]] && same=1; done  # the same name and flags in obj/
		mkdir -p "$out/lib/$vn"
		for src in "${libsrc[@]}"; do
			if [[ $same ]] && sampled "${objsrc_index[$src]}" "$vn"; then
				o=$out/obj/$(echo "${src%.c}" | tr '/' '-').$vn
				objs+=("$o.o.wasm") lstamps+=("$o.stamp")
			else
				o=$out/lib/$vn/$(basename "${src%.c}")
				compile "$o.stamp" "$o.o" "$src" -- -c ${v#*:}
				objs+=("$o.o") lstamps+=("$o.stamp")
			fi
		done
		libobjs[$vn]=${objs[*]} libstamps[$vn]=${lstamps[*]}
	done
	progs=()  # name:uses libwasm (1 or empty):sources and flags
	for d in cmd/*/; do
		t=$(basename "$d")
		c=("$d"*.c)
		(( ${#c[@]} )) && progs+=("$t:1:-Icmd/$t ${c[*]}")
	done
	for f in tests/tools/*.c; do progs+=("$(basename "${f%.c}"):1:$f"); done
	for f in tests/corpus/*.c; do progs+=("$(basename "${f%.c}")::$f"); done
	for p in "${progs[@]}"; do
		IFS=: read -r name lib srcs <<<"$p"
		for v in "${prog_variants[@]}"; do
			vn=${v%%:*} s=$out/prog/$name.$vn
			extra_deps=() lib_objs=()
			[[ $lib ]] && extra_deps=(${libstamps[$vn]}) lib_objs=(${libobjs[$vn]})
			compile "$s.stamp" "$s.wasm" $srcs -- ${v#*:} "${lib_objs[@]}" -lm
			extra_deps=()
			stamps+=("$s.stamp")
		done
	done
	# Seeds 1-40 leave SIMD out: wasm-objdump 1.0.32 prints uninitialised
	# memory for v128 global inits, so its output for those is not stable.
	# Seeds 41-50 add SIMD; the compat test sets aside any unstable output.
	for seed in $(seq 1 50); do
		s=$out/ttf/ttf-$seed
		feats=$ttf_features
		(( seed % 4 == 0 )) && feats=''   # every fourth is plain MVP
		(( seed > 40 )) && feats="$ttf_features --enable-simd"
		echo "$s.stamp: scripts/build-corpus.sh"
		printf '\t@python3 -c "import random,sys; r=random.Random(%d); sys.stdout.buffer.write(r.randbytes(r.randint(1000, 16000)))" >%s.seed\n' "$seed" "$s"
		printf '\t@wasm-opt -ttf %s.seed %s -o %s.wasm 2>%s.log\n' "$s" "$feats" "$s" "$s"
		printf '\t@wasm-validate %s.wasm || { echo "build-corpus: wasm-opt made an invalid module: %s.wasm" >&2; rm -f %s.wasm; exit 1; }\n' "$s" "$s" "$s"
		printf '\t@rm -f %s.seed %s.log; touch $@\n' "$s" "$s"
		stamps+=("$s.stamp")
	done
	for b in "${feat_builds[@]}"; do
		IFS=: read -r name src feats flags <<<"$b"
		s=$out/feat/${name%.o}  # NAME.features beside NAME.wasm or NAME.o.wasm
		o=$out/feat/$name.wasm
		lang=(); [[ $src == *.cpp ]] && lang=(-std=c++17)
		echo "$o.stamp: tests/corpus/feat/$src scripts/build-corpus.sh"
		if [[ $src == *.wat ]]; then
			printf '\t@node %s/wat2wasm %s tests/corpus/feat/%s -o %s\n' "$npm_bin" "${flags:---enable-all}" "$src" "$o"
		else
			printf '\t@clang --target=wasm32-wasi -w %s %s tests/corpus/feat/%s -o %s\n' "${lang[*]}" "$flags" "$src" "$o"
		fi
		printf '\t@echo %s >%s.features; touch $@\n' "$feats" "$s"
		stamps+=("$o.stamp")
	done
	for set in "${ttf3_sets[@]}"; do
		IFS=: read -r name seeds feats flags <<<"$set"
		for seed in $seeds; do
			s=$out/ttf3/ttf-$name-$seed
			echo "$s.stamp: scripts/build-corpus.sh $out/feat/multi.wasm.stamp"
			printf '\t@python3 -c "import random,sys; r=random.Random(%d); sys.stdout.buffer.write(r.randbytes(r.randint(1000, 16000)))" >%s.seed\n' "$seed" "$s"
			printf '\t@node %s/wasm-opt -ttf %s.seed %s %s -o %s.wasm 2>%s.log\n' "$npm_bin" "$s" "$ttf_features" "$flags" "$s" "$s"
			if [[ $ttf3_unchecked != *" $name "* ]]; then
				printf '\t@node %s/wasm-validate --enable-all %s.wasm || { echo "build-corpus: wasm-opt made a module wabt 1.0.39 rejects: %s.wasm" >&2; rm -f %s.wasm; exit 1; }\n' "$npm_bin" "$s" "$s" "$s"
			fi
			printf '\t@echo %s >%s.features; rm -f %s.seed %s.log; touch $@\n' "$feats" "$s" "$s" "$s"
			stamps+=("$s.stamp")
		done
	done
	echo "all: ${stamps[*]}"
} >"$mk.tmp"
mv "$mk.tmp" "$mk"

# Outputs of sources that no longer exist go away with their stamps.
for f in "$out"/obj/*.stamp "$out"/lib/*/*.stamp "$out"/prog/*.stamp; do
	grep -qF "${f}:" "$mk" || rm -f "$f" "${f%.stamp}".{o.wasm,wasm,o,o.wasm.skip,wasm.skip,o.skip}
done

t0=$(date +%s)
status=0
make --no-print-directory -k -j"$(nproc)" -f "$mk" all || status=$?

skips=("$out"/obj/*.skip "$out"/lib/*/*.skip "$out"/prog/*.skip)
if (( ${#skips[@]} )); then
	echo "build-corpus: skipped ${#skips[@]} builds that wasi-libc cannot compile or link:"
	for f in "${skips[@]}"; do
		echo "  $(basename "${f%.skip}"): $(grep -m1 -E 'error' "$f" | cut -c1-150)"
	done
fi
n=$(find -H "$out" -name '*.wasm' | wc -l)
echo "build-corpus: $n modules in $out ($(find -H "$out"/obj -name '*.wasm' | wc -l) objects," \
	"$(find -H "$out"/prog -name '*.wasm' | wc -l) programs, $(find -H "$out"/ttf -name '*.wasm' | wc -l) ttf," \
	"$(find -H "$out"/feat -name '*.wasm' | wc -l) clang beyond 2.0, $(find -H "$out"/ttf3 -name '*.wasm' | wc -l) ttf beyond 2.0)," \
	"$(($(date +%s) - t0)) s"
(( status == 0 && n > 0 ))
