#!/bin/bash
# The layout is part of the design: the leaves (cgroups, fs, netns,
# procfilter) never include runtime/, cmd/ or another leaf (procfilter may
# read through cgroups/), runtime/ never includes cmd/, and only cmd/
# prints (no printf/fprintf/puts/perror to stdout or stderr elsewhere).
set -u
src=${1:-$(dirname "$0")/../..}
fail=0
leaves="cgroups fs netns procfilter"
for leaf in $leaves; do
	[ -d "$src/$leaf" ] || continue
	for other in runtime cmd $leaves; do
		[ "$other" = "$leaf" ] && continue
		[ "$leaf" = procfilter ] && [ "$other" = cgroups ] && continue
		if grep -nE "#include \"(\.\./)?$other/" "$src/$leaf"/*.[ch] 2>/dev/null; then
			echo "not ok: $leaf/ includes $other/"
			fail=1
		fi
	done
done
if grep -nE '#include "(\.\./)?cmd/' "$src"/runtime/*.[ch] 2>/dev/null; then
	echo "not ok: runtime/ includes cmd/"
	fail=1
fi
for dir in common runtime $leaves; do
	[ -d "$src/$dir" ] || continue
	if grep -nE '\b(printf|puts|perror)\(|fprintf\((stdout|stderr)' "$src/$dir"/*.c 2>/dev/null |
		grep -v '^\s*/[/*]'; then
		echo "not ok: $dir/ prints (only cmd/ may)"
		fail=1
	fi
done
[ $fail -eq 0 ] && echo "ok: layering"
exit $fail
