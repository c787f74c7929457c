# busybox applets under `busybox sh`, run by tests/28-busybox.sh on tasklab
# and by tools/linux-record on Linux: the two outputs must be the same line
# for line. Print nothing that differs between kernels (pids, times, names).
d=/tmp/bbtest
echo "== files"
mkdir -p $d/a/b/c && echo made
echo hello > $d/a/one
echo world >> $d/a/one
cat $d/a/one
cp $d/a/one $d/a/b/two && mv $d/a/b/two $d/a/b/c/three
ls $d/a/b/c
rm $d/a/one && ls $d/a
test -f $d/a/one || echo "one is gone"
[ -d $d/a/b ] && echo "b is a directory"
wc -c < $d/a/b/c/three
echo "== find and xargs"
touch $d/a/x.txt $d/a/b/y.txt
touch -d '2001-02-03 04:05:06' $d/a/x.txt && date -r $d/a/x.txt '+%Y-%m-%d %H:%M:%S'
find $d -name '*.txt' | sort
find $d -type f | sort | xargs cat
echo "== pipes"
seq 1 20 | sort -rn | head -n 3
dd if=/dev/zero bs=1k count=4 2>/dev/null | wc -c
printf 'b\na\nc\n' | sort | tr '\n' ' '; echo
echo "grep me" | grep -c me
echo "hello world" | sed 's/world/there/'
echo "1 2 3" | awk '{ print $1 + $2 + $3 }'
echo "== redirection"
echo gone > /dev/null
ls /nonexistent 2>/dev/null || echo "ls failed, quietly"
{ echo out; echo err >&2; } 2>$d/err >$d/out
cat $d/out $d/err
echo "== here-document"
cat <<END
line one
line $((6 * 7))
END
echo "== arithmetic"
i=0; n=0
while [ $i -lt 10 ]; do n=$((n + i)); i=$((i + 1)); done
echo "sum $n"
echo "== background jobs"
(sleep 0; echo job1 > $d/j1) &
(echo job2 > $d/j2) &
wait
cat $d/j1 $d/j2
# In a subshell whose stderr is /dev/null: ash says "Terminated" there, or
# not, as the race between its SIGCHLD and the wait goes (on Linux too).
( sleep 10 &
kill $!
wait $!
echo "killed job status $?" ) 2>/dev/null
echo "== trap"
trap 'echo caught USR1' USR1
kill -USR1 $$
trap - USR1
(trap 'echo exiting subshell' EXIT; true)
echo "== /proc/self/exe and the applets' links"
readlink /proc/self/exe
readlink /usr/bin/ls
/usr/bin/seq 3 | /usr/bin/wc -l
echo "== who, command lines, mounts"
id
whoami
ls -l /tests/busybox.sh | awk '{ print $3, $4 }'
cat /proc/self/cmdline | tr '\0' ' '; echo
# this shell's line in ps: its command line, where ps once showed [busybox]
ps -o pid,args | awk -v me=$$ '$1 == me { $1 = ""; print }'
readlink /proc/mounts
cut -d' ' -f1-3 /proc/mounts
mount | cut -d' ' -f1-5
# busybox's df leaves out rootfs; the sizes are the machine's
df | awk '{ print $1, $NF }'
stat -f -c '%T' / /proc
echo "== mkfifo"
mkfifo $d/fifo && ls -l $d/fifo | cut -c1
(echo through the fifo > $d/fifo &)
cat $d/fifo
echo "== cleanup"
rm -r $d && echo removed
test -e $d || echo "no $d"
