# User programs: static ELF64 executables for the Linux x86-64 ABI, built
# against ulib (user/ulib), our own small C library, never the host's libc.
# Included by the top Makefile, which packs $(B)/rootfs into the initramfs.

# -nostdinc: only our headers and the compiler's freestanding ones
# (stdarg.h, stdint.h...). No loop-to-memset rewriting: memset's own loop
# would become a call to itself.
UCFLAGS := -std=gnu11 -O2 -g -Wall -static -nostdlib -ffreestanding \
	-fno-pie -no-pie -fno-stack-protector -fno-tree-loop-distribute-patterns \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-Iuser/include -Ikernel/uapi -Ikernel/lib -MMD -MP
ULDFLAGS := -static -z noexecstack

# /bin holds what a student runs; programs only the tests run go to /tests.
UPROG_NAMES := init sh echo cat ls ps pwd clear threads usertests cowtest tour true mkdir rm fuzz \
	sharedemo crashdemo ipcdemo pingpong primes psum schedtest smptest
UPROGS += $(UPROG_NAMES:%=$(B)/rootfs/bin/%)
# linuxinit: the /init of Linux's initramfs (tools/bench, tools/linux-record).
UTEST_NAMES := linuxinit
UPROGS += $(UTEST_NAMES:%=$(B)/rootfs/tests/%)

# The benchmarks (tools/bench runs them) share user/bench/, linked before ulib.
BENCH_NAMES := spawnbench forkscale switchbench parbench shootbench
UPROGS += $(BENCH_NAMES:%=$(B)/rootfs/bin/%)
BENCHLIB_OBJ := $(patsubst user/%,$(B)/uobj/%.o,$(basename $(wildcard user/bench/*.c user/bench/*.S)))

ULIB_OBJ := $(patsubst user/ulib/%.c,$(B)/uobj/ulib/%.o,$(wildcard user/ulib/*.c)) \
	$(B)/uobj/ulib/format.o $(B)/uobj/ulib/kstring.o
# usertests is one program in several files, one per group of tests; so is
# fuzz (the harness, the calls).
USERTESTS_OBJ := $(patsubst user/%.c,$(B)/uobj/%.o,$(wildcard user/usertests*.c))
FUZZ_OBJ := $(patsubst user/%.c,$(B)/uobj/%.o,$(wildcard user/fuzz*.c))

UOBJ := $(ULIB_OBJ) $(B)/uobj/ulib/crt0.o $(UPROG_NAMES:%=$(B)/uobj/%.o) $(UTEST_NAMES:%=$(B)/uobj/%.o) \
	$(BENCHLIB_OBJ) $(BENCH_NAMES:%=$(B)/uobj/%.o) $(USERTESTS_OBJ) $(FUZZ_OBJ)

$(B)/uobj/%.o: user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@

$(B)/uobj/%.o: user/%.S
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@

# The kernel's printf engine and string functions, compiled a second time
# for user space.
$(B)/uobj/ulib/format.o: kernel/lib/format.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@

$(B)/uobj/ulib/kstring.o: kernel/lib/string.c
	@mkdir -p $(dir $@)
	$(CC) $(UCFLAGS) -c $< -o $@

# An archive, so each program links only the parts of ulib it uses.
$(B)/uobj/ulib.a: $(ULIB_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

# Every program links the same way: crt0, its objects, then the archives.
define ulink
@mkdir -p $(dir $@)
$(LD) $(ULDFLAGS) -o $@ $^
endef

$(B)/rootfs/bin/%: $(B)/uobj/ulib/crt0.o $(B)/uobj/%.o $(B)/uobj/ulib.a
	$(ulink)

$(UTEST_NAMES:%=$(B)/rootfs/tests/%): $(B)/rootfs/tests/%: $(B)/uobj/ulib/crt0.o $(B)/uobj/%.o \
		$(B)/uobj/ulib.a
	$(ulink)

$(B)/rootfs/bin/usertests: $(B)/uobj/ulib/crt0.o $(USERTESTS_OBJ) $(B)/uobj/ulib.a
	$(ulink)

$(B)/rootfs/bin/fuzz: $(B)/uobj/ulib/crt0.o $(FUZZ_OBJ) $(B)/uobj/ulib.a
	$(ulink)

$(B)/uobj/benchlib.a: $(BENCHLIB_OBJ)
	rm -f $@
	$(CROSS)ar rcs $@ $^

$(BENCH_NAMES:%=$(B)/rootfs/bin/%): $(B)/rootfs/bin/%: $(B)/uobj/ulib/crt0.o $(B)/uobj/%.o \
		$(B)/uobj/benchlib.a $(B)/uobj/ulib.a
	$(ulink)

# clockbench times clock reads through a real C library's functions, which
# use the vDSO: built with musl, as the ABI tests below.
UPROGS += $(B)/rootfs/bin/clockbench
$(B)/rootfs/bin/clockbench: user/clockbench.c
	@tools/need-packages musl-gcc:musl-tools
	@mkdir -p $(dir $@)
	musl-gcc -static -O2 -Wall -o $@ $<

# Files that usertests' exec tests need: a file that is not ELF at all, and
# an ELF64 executable for another machine (e_machine, at byte 18, set to
# EM_AARCH64 = 183 = octal 267). Both must fail with ENOEXEC.
UPROGS += $(B)/rootfs/tests/notelf $(B)/rootfs/tests/badarch
$(B)/rootfs/tests/notelf:
	@mkdir -p $(dir $@)
	echo "this is not an executable" > $@
	chmod +x $@
$(B)/rootfs/tests/badarch: $(B)/rootfs/bin/echo
	@mkdir -p $(dir $@)
	cp $< $@
	printf '\267\000' | dd of=$@ bs=1 seek=18 conv=notrunc status=none

# A program without execute permission, which exec and access(X_OK) must
# refuse (abi/futexmem looks for it here, or under build/rootfs on
# Linux).
UPROGS += $(B)/rootfs/tests/noexec
$(B)/rootfs/tests/noexec: $(B)/rootfs/bin/true
	@mkdir -p $(dir $@)
	cp $< $@
	chmod 644 $@

# Linux-ABI tests (tests/abi): built with musl, a real libc, they must behave
# the same on tasklab as on Linux. tests/40-abi.sh compares the outputs with
# Linux's, recorded by tools/linux-record.
ABI_NAMES := $(notdir $(basename $(wildcard tests/abi/*.c)))
UPROGS += $(ABI_NAMES:%=$(B)/rootfs/tests/abi-%)

# A few are built a second time with glibc (Debian's gcc -static), whose
# start-up, threads and stdio are not musl's, as /tests/abi-glibc-NAME.
# Their answers are recorded apart (tests/abi/glibc-NAME.expected): glibc's
# strerror texts and buffering are its own.
ABI_GLIBC_NAMES := printf fork pthread signal startup
UPROGS += $(ABI_GLIBC_NAMES:%=$(B)/rootfs/tests/abi-glibc-%)

# abicase.h runs the cases of a program that may hang or die on a kernel
# that gets them wrong, each in a child under a watchdog.
ABI_CFLAGS := -static -O2 -Wall -Itests/abi
$(B)/abi/%: tests/abi/%.c tests/abi/abicase.h
	@tools/need-packages musl-gcc:musl-tools
	@mkdir -p $(dir $@)
	musl-gcc $(ABI_CFLAGS) -o $@ $<

# (make prefers this rule to the one above for glibc-NAME: its stem is shorter.)
$(B)/abi/glibc-%: tests/abi/%.c tests/abi/abicase.h
	@tools/need-packages gcc:gcc '/usr/lib/*/libc.a:libc6-dev'
	@mkdir -p $(dir $@)
	gcc $(ABI_CFLAGS) -o $@ $<

$(B)/rootfs/tests/abi-%: $(B)/abi/%
	@mkdir -p $(dir $@)
	cp $< $@

# Keep the objects (for incremental builds) and the ABI programs (for
# tests/40-abi.sh), which make would delete as mere intermediate files.
.SECONDARY: $(UOBJ) $(ABI_NAMES:%=$(B)/abi/%) $(ABI_GLIBC_NAMES:%=$(B)/abi/glibc-%)

-include $(UOBJ:.o=.d)
