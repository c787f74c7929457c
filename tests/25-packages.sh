#!/usr/bin/env bash
# tools/need-packages, with stand-ins for apt-get and id in PATH (nothing is
# installed for real): two at once, as under `make -j2` on a fresh machine,
# must install a missing package once, one apt-get at a time, and both
# succeed; a user who is not root is told the command to run.
. "$(dirname "$0")/lib.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
# apt-get notes each call, and "overlap" when another is still running
# (apt-get itself would fail then); install creates $work/installed-PKG.
# Its second of sleep lets a missing lock show; passing never waits on it.
cat > "$work/bin/apt-get" <<EOS
#!/bin/sh
mkdir "$work/running" 2>/dev/null || echo overlap >> "$work/calls"
echo "\$*" >> "$work/calls"
sleep 1
case " \$* " in *" install "*) for pkg; do :; done; touch "$work/installed-\$pkg" ;; esac
rmdir "$work/running"
EOS
chmod +x "$work/bin/apt-get"

# need-packages as user $1 (what id -u says), for a package that is there
# once $work/installed-fakepkg exists.
need() {
	printf '#!/bin/sh\necho %s\n' "$1" > "$work/bin/id"
	chmod +x "$work/bin/id"
	PATH=$work/bin:$PATH NEED_PACKAGES_LOCK=$work/lock \
		"$top/tools/need-packages" "$work/installed-*:fakepkg"
}

need 0 > "$work/out1" 2>&1 & pid1=$!
need 0 > "$work/out2" 2>&1 & pid2=$!
wait "$pid1"; s1=$?
wait "$pid2"; s2=$?
set_run_result "$(cat "$work/out1" "$work/out2" "$work/calls" 2>/dev/null)" "$s1 $s2"
check concurrent-status "exit statuses $s1 and $s2, expected 0 and 0" [ "$s1 $s2" = "0 0" ]
check one-install "want one apt-get install, got $(grep -c ' install ' "$work/calls")" \
	[ "$(grep -c ' install ' "$work/calls")" = 1 ]
check one-apt-at-a-time "two apt-get ran at once" [ -z "$(grep overlap "$work/calls")" ]

rm -f "$work/installed-fakepkg" "$work/calls"
set_run_result "$(need 1000 2>&1)" $?
expect_line not-root '^tasklab: missing packages\. Please run: sudo apt-get install fakepkg$'
expect_status not-root-status 1
check not-root-no-apt "apt-get ran for a user who is not root" [ ! -e "$work/calls" ]
finish
