#!/usr/bin/env bash
# Coursework (tools/lab, docs/labs/): for every lab that tools/lab lists,
# its handout is made, builds, boots to the shell and passes the suites
# outside the lab (its lab_outside, or $OUTSIDE: a quick subset of make
# test), scores below
# full marks and holds no line of the solution, in its files or its git
# objects; the full tree scores full marks; and the Gradescope autograder,
# unpacked into a scratch /autograder, grades the full tree (full marks),
# the handout (less, built without a warning, found one folder down) and,
# once, an empty submission and one that does not build (0, saying why),
# each time writing a well-formed results.json.
# `make test-labs` runs this suite alone; LABS="fork cow" checks only those.
# Handouts leave it out (.gitattributes): it makes handouts, which a
# handout has no regions for.
# Each lab takes 4 to 5 minutes here (builds, boots, two autograder runs),
# more under load: six labs need far more than run-all's 600 s.
# suite-timeout: 3600
. "$(dirname "$0")/lib.sh"
LAB=$top/tools/lab
OUTSIDE="usertests shell threads cow demos abi"   # unless the lab's tests file says
AUTOGRADER_LIMIT=1200       # seconds for one autograder run: a build and the tests
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# ok CASE REASON: pass if the command just before succeeded (REASON may
# not hold a $(...): it would be the command that just ran)
ok() {
	if [ $? = 0 ]; then pass "$1"; else fail "$1" "$2"; fi
}

# ---- tools/lab's own interface ----

labs=$("$LAB" list)
check list "tools/lab list printed '$(echo $labs)': want some of util fork cow clone futex sched, in that order" \
	grep -qxE 'util( fork)?( cow)?( clone)?( futex)?( sched)?' <<<"$(echo $labs)"
first=$(head -n 1 <<<"$labs")

# bad_input CASE ARGS...: exit status 2 and a one-line message
bad_input() {
	local name=$1 err s
	shift
	err=$("$LAB" "$@" 2>&1 >/dev/null)
	s=$?
	[ "$s" = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && [ -n "$err" ]
	ok "$name" "tools/lab $* exited $s with '$err': want 2 and one line"
}
bad_input handout-unknown-lab handout nosuchlab "$scratch/never"
check handout-unknown-lab-writes-nothing "it created $scratch/never" [ ! -e "$scratch/never" ]
mkdir -p "$scratch/full" && touch "$scratch/full/file"
bad_input handout-nonempty-dir handout "$first" "$scratch/full"

# ---- the solution's text ----

# The lines of lab $1's regions in the full tree, trimmed; and ($2 = out)
# every tracked line outside them.
region_text() {
	(cd "$top" && git ls-files -z -- '*.c' '*.h' '*.S' | xargs -0 cat) |
		awk -v lab="$1" -v want="$2" '
		/^[ \t]*\/\* LAB [a-z0-9_]+: begin/ { inside = index($0, "LAB " lab ": begin") > 0; next }
		/^[ \t]*\/\* LAB [a-z0-9_]+: end \*\// { inside = 0; next }
		(want == "in") == (inside == 1) { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); print }'
}

# The solution lines worth looking for: 12 characters or more, and found
# nowhere in the tree outside the lab's regions.
solution_lines() {
	local lab=$1 dir=$2
	region_text "$lab" out > "$dir/outside"
	region_text "$lab" in | awk 'length($0) >= 12' | sort -u > "$dir/region-lines"
	grep -oF -f "$dir/region-lines" "$dir/outside" | sort -u > "$dir/common" || true
	comm -23 "$dir/region-lines" "$dir/common"
}

check_no_solution() {
	local lab=$1 ho=$2 dir=$3 n found
	solution_lines "$lab" "$dir" > "$dir/solution"
	n=$(wc -l < "$dir/solution")
	# The look must be able to find them: they are in the full tree.
	found=$(cd "$top" && git ls-files -z | xargs -0 grep -hF -f "$dir/solution" | wc -l)
	[ "$n" -gt 0 ] && [ "$found" -gt 0 ]
	ok "$lab/solution-lines-found-in-full-tree" "$n lines to look for, $found found in the full tree"
	found=$(grep -rlF -f "$dir/solution" --exclude-dir=.git "$ho")
	check "$lab/no-solution-in-handout-files" "solution text in: $(echo $found)" [ -z "$found" ]
	found=$(git -C "$ho" cat-file --batch-all-objects --batch | grep -F -f "$dir/solution" | head -n 3)
	check "$lab/no-solution-in-handout-git" "solution text in git objects: $found" [ -z "$found" ]
}

# ---- Gradescope ----

# run_autograder ROOT: Gradescope's run, with ROOT for /autograder.
run_autograder() {
	rm -rf "$1/results"
	AUTOGRADER_ROOT=$1 timeout "$AUTOGRADER_LIMIT" "$1/source/run_autograder" \
		>"$1/run.log" 2>&1 </dev/null
}

# check_results CASE ROOT LAB: results.json in Gradescope's format, with
# lab LAB's tests and their points; sets $ag_score and $ag_max.
ag_score= ag_max=
check_results() {
	local name=$1 json=$2/results/results.json lab=$3 want_tests
	ag_score= ag_max=
	want_tests=$("$LAB" tests "$lab" | cut -d' ' -f1,2)
	if ! jq -e '(.score | type == "number") and (.tests | type == "array") and
		(.tests | length > 0) and
		all(.tests[]; (.name | type == "string") and (.score | type == "number") and
			(.max_score | type == "number") and (.output | type == "string")) and
		(.score == ([.tests[].score] | add))' "$json" >/dev/null 2>&1; then
		fail "$name/results-format" "$json: not Gradescope's format: $(head -c 300 "$json" 2>&1)"
		return
	fi
	if [ "$(jq -r '.tests[] | "\(.name) \(.max_score)"' "$json")" != "$want_tests" ]; then
		fail "$name/results-format" "results.json's tests are not the lab's: $(jq -c '[.tests[].name]' "$json")"
		return
	fi
	pass "$name/results-format"
	ag_score=$(jq '.score' "$json")
	ag_max=$(jq '[.tests[].max_score] | add' "$json")
}

# A copy of the full tree's tracked files (what a student of the reference
# would submit).
copy_full_tree() {
	mkdir -p "$1"
	(cd "$top" && git ls-files | tar -cf - -T -) | tar -C "$1" -xf -
}

# ---- one lab ----

# The last line of a make grade run in $out: "Score: X/Y".
score_line() {
	printf '%s\n' "$out" | tail -n 1 | grep -xE 'Score: [0-9]+/[0-9]+'
}

# How many lines of $out give a test's verdict and points.
grade_lines() {
	printf '%s\n' "$out" | grep -cE '^[a-z0-9-]+ +(OK|FAIL|TIMEOUT) +[0-9]+/[0-9]+ '
}

check_lab() {
	local lab=$1 d=$scratch/$1 ho ag sub line ntests max
	ho=$d/handout ag=$d/ag sub=$d/ag/submission
	mkdir -p "$d"
	ntests=$("$LAB" tests "$lab" | wc -l)
	max=$("$LAB" tests "$lab" | awk '{ s += $2 } END { print s }')

	set_run_result "$("$LAB" handout "$lab" "$ho" 2>&1)" $?
	expect_status "$lab/handout" 0
	[ "$(git -C "$ho" rev-list --all --count 2>/dev/null)" = 1 ] && [ -z "$(git -C "$ho" status --porcelain)" ]
	ok "$lab/handout-one-commit" "want one commit and a clean tree"
	check "$lab/handout-workflow" "no .github/workflows/grade.yml running make grade LAB=$lab" \
		grep -q "run: make grade LAB=$lab\$" "$ho/.github/workflows/grade.yml"
	check "$lab/handout-doc" "no docs/labs/$lab.md" [ -s "$ho/docs/labs/$lab.md" ]
	check "$lab/handout-stubs" "no /* LAB $lab: your code here */ in the handout" \
		grep -rqF --include='*.[chS]' "/* LAB $lab: your code here */" "$ho"
	check_no_solution "$lab" "$ho" "$d"

	"$LAB" gradescope "$lab" "$d/ag.zip" >/dev/null &&
		mkdir -p "$ag/source" && unzip -q "$d/ag.zip" -d "$ag/source"
	[ -x "$ag/source/setup.sh" ] && [ -x "$ag/source/run_autograder" ]
	ok "$lab/gradescope-zip" "no executable setup.sh and run_autograder in $d/ag.zip"

	# The handout as the submission, in a folder of its own as in a zip of
	# the repository ("util-main/"): Gradescope builds and grades it.
	local tree=$sub/$lab-main
	mkdir -p "$sub" && cp -a "$ho" "$tree"
	run_autograder "$ag"
	check_results "$lab/gradescope-handout" "$ag" "$lab"
	[ -n "$ag_score" ] && [ "$ag_score" -lt "$ag_max" ]
	ok "$lab/gradescope-handout-less" "the handout scored $ag_score of $ag_max"
	line=$(jq -r .output "$ag/results/results.json" | grep -m1 'warning:')
	check "$lab/handout-builds-without-warnings" "$line" [ -z "$line" ]

	# The autograder built the handout (after finding it one folder down);
	# the rest of make (the ISO) too.
	set_run_result "$(make -C "$tree" 2>&1)" $?
	expect_status "$lab/handout-builds" 0
	set_run_result "$("$tree/tools/run" --timeout "$RUN_TIMEOUT" -- /bin/sh -c 'echo one two | cat' 2>&1)" $?
	expect_status "$lab/handout-boots-to-shell" 0
	expect_line "$lab/handout-shell-runs" '^one two$'
	local outside
	outside=$("$LAB" outside "$lab")
	outside=${outside:-$OUTSIDE}
	set_run_result "$(cd "$tree" && tests/run-all $outside 2>&1)" $?
	line=$(printf '%s\n' "$out" | tail -n 1)
	check "$lab/handout-passes-outside-tests" "tests/run-all $outside in the handout: $line" \
		grep -qxE '[1-9][0-9]* passed, 0 failed' <<<"$line"
	# make grade's own lines are its stdout; make adds an error line on stderr.
	set_run_result "$(make -s -C "$tree" grade LAB="$lab" 2>/dev/null)" $?
	line=$(score_line)
	[ -n "$line" ] && [ "$status" != 0 ] && [ "${line#Score: }" != "$max/$max" ] &&
		[ "$(grade_lines)" = "$ntests" ]
	ok "$lab/handout-grade-below-full" "make grade in the handout: status $status, last line '$line', want less than $max/$max and a line per test"

	# A test that never ends says so (util: a pingpong that waits forever).
	if [ "$lab" = util ]; then
		sed -i 's/^\treturn -1;$/\tpause();\n&/' "$tree/user/pingpong.c"
		set_run_result "$(GRADE_TIMEOUT=5 make -s -C "$tree" grade LAB=util 2>/dev/null)" $?
		expect_line util/grade-says-timeout '^pingpong +TIMEOUT +0/10 .*no result after 5s.*'
	fi

	# The full tree: full marks from make grade and from Gradescope.
	set_run_result "$(make -s -C "$top" grade LAB="$lab" 2>/dev/null)" $?
	line=$(score_line)
	[ -n "$line" ] && [ "$status" = 0 ] && [ "${line#Score: }" = "$max/$max" ] &&
		[ "$(grade_lines)" = "$ntests" ]
	ok "$lab/full-tree-grade-full" "make grade: status $status, last line '$line', want $max/$max and a line per test"
	rm -rf "$sub" && copy_full_tree "$sub"
	run_autograder "$ag"
	check_results "$lab/gradescope-full-tree" "$ag" "$lab"
	[ -n "$ag_score" ] && [ "$ag_score" = "$ag_max" ]
	ok "$lab/gradescope-full-tree-full" "the full tree scored $ag_score of $ag_max"

	[ "$lab" = "$first" ] || return 0
	# Once: an empty submission scores 0, saying what is missing.
	rm -rf "$sub" && mkdir -p "$sub"
	run_autograder "$ag"
	check_results "$lab/gradescope-empty" "$ag" "$lab"
	[ "$ag_score" = 0 ] && jq -r .output "$ag/results/results.json" | grep -q Makefile
	ok "$lab/gradescope-empty-zero" "scored $ag_score, or the output does not say there is no Makefile"

	# Once: a region that does not end stops tools/lab, naming its line.
	cp -a "$ho" "$d/marked"
	printf 'int f(void)\n{\n\t/* LAB %s: begin (handout: return -1;) */\n\treturn 1;\n}\n' "$lab" \
		> "$d/marked/user/unended.c"
	git -C "$d/marked" add user/unended.c
	set_run_result "$("$d/marked/tools/lab" handout "$lab" "$d/never" 2>&1)" $?
	expect_line "$lab/handout-checks-markers" ".*user/unended.c:3: the region of lab $lab does not end"
	[ "$status" = 1 ] && [ ! -e "$d/never" ]
	ok "$lab/handout-checks-markers-writes-nothing" "status $status (want 1), or $d/never written"

	# Once: a submission that does not compile scores 0 with make's message.
	rm -rf "$sub" && cp -a "$ho" "$sub"
	local victim
	victim=$(cd "$sub" && grep -rlF --include='*.[chS]' "/* LAB $lab: your code here */" . | head -n 1)
	victim=${victim#./}
	echo "this is not C" >> "$sub/$victim"
	run_autograder "$ag"
	check_results "$lab/gradescope-no-build" "$ag" "$lab"
	[ "$ag_score" = 0 ] && jq -r .output "$ag/results/results.json" | grep -q "$victim.*error"
	ok "$lab/gradescope-no-build-zero" "scored $ag_score, or no compiler message about $victim in the output"
}

for lab in ${LABS:-$labs}; do
	check_lab "$lab"
done
finish
