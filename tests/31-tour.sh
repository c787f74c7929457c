#!/usr/bin/env bash
# The guided tour in README.md shows the gdb walk-throughs that
# tests/30-gdb.sh runs (tools/gdb/tour-*.gdb). This suite checks that the
# README shows each file's commands, in order, so the text a student
# follows is the text that is tested.
. "$(dirname "$0")/lib.sh"

readme=$top/README.md

# Are the non-comment lines of $1 found, in this order, in the README?
shown_in_order() {
	local line at=0 n
	while IFS= read -r line; do
		case $line in ''|'#'*) continue ;; esac
		n=$(tail -n +"$((at + 1))" "$readme" | grep -nFx -- "    $line" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] || { echo "$line"; return 1; }
		at=$((at + n))
	done < "$1"
}

for f in "$top"/tools/gdb/tour-*.gdb; do
	name=$(basename "$f" .gdb)
	if missing=$(shown_in_order "$f"); then
		pass "$name"
	else
		fail "$name" "README.md does not show \`$missing\` (in order) from tools/gdb/$name.gdb"
	fi
done
finish
