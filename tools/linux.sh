# Booting Debian's Linux kernel in QEMU with tasklab's programs as its
# initramfs: the same static binaries run on both kernels. Sourced by
# tools/bench and tools/linux-record, which set $top (the tree) and $B
# (build/), and by tests/lib.sh for source_hash alone.
#
# linux_kernel             print the newest /boot/vmlinuz-*, installing
#                          linux-image-amd64 when there is none
# linux_initrd DIR         make DIR/linux-initrd.cpio from build/rootfs
# linux_boot KERNEL INITRD COMMANDS QEMU-OPTION...
#                          boot it; the console (no \r) goes to stdout
# source_hash FILE...      "sha256 HASH of FILE...", the fingerprint of the
#                          sources (from $top) a recording of Linux's answer
#                          was made from
# abi_programs             the names of the Linux-ABI programs, /tests/abi-NAME:
#                          NAME for each tests/abi/NAME.c (musl) and
#                          glibc-NAME for each glibc build of one (user/user.mk)
# abi_source NAME          the source of ABI program NAME, tests/abi/....c

linux_kernel() {
	"$top/tools/need-packages" qemu-system-x86_64:qemu-system-x86 cpio:cpio \
		'/boot/vmlinuz-*:linux-image-amd64' >&2 || return 1
	ls /boot/vmlinuz-* | sort -V | tail -n 1
}

# The initramfs's /init is linuxinit (user/linuxinit.c): it runs the
# commands given after "--" on Linux's command line, then powers off.
linux_initrd() {
	local root=$1/linux-root
	rm -rf "$root" && mkdir -p "$root/dev" "$root/proc"
	cp -a "$B/rootfs/." "$root/"
	cp "$B/rootfs/tests/linuxinit" "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$1/linux-initrd.cpio"
}

# Debian's kernel has the 16550 serial driver and initramfs support built
# in, so no modules are needed. COMMANDS: "PROG ARGS ; PROG ARGS ...".
linux_boot() {
	local kernel=$1 initrd=$2 commands=$3
	shift 3
	timeout 1800 qemu-system-x86_64 -smp 1 -no-reboot -display none \
		-serial stdio -monitor none "$@" -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 quiet -- $commands" </dev/null 2>&1 | tr -d '\r'
}

source_hash() {
	echo "sha256 $(cd "$top" && cat "$@" | sha256sum | cut -d' ' -f1) of $*"
}

# The glibc builds are the ones the Makefile made: its list is the only one.
abi_programs() {
	local f
	for f in "$top"/tests/abi/*.c "$B"/rootfs/tests/abi-glibc-*; do
		[ -e "$f" ] || continue
		f=${f##*/}
		f=${f%.c}
		echo "${f#abi-}"
	done
}

abi_source() {
	echo "tests/abi/${1#glibc-}.c"
}
