# tasklab: `make` builds everything into build/ (and into build/debug/ with
# the kernel at -Og, for gdb), `make qemu` boots it, `make test` runs every
# test. See README.md.

# A cross compiler when there is one, else the host's gcc in freestanding mode.
CROSS   ?= $(if $(shell command -v x86_64-elf-gcc 2>/dev/null),x86_64-elf-,)
CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
NM      := $(CROSS)nm

# UBSAN=1 (README, "Sanitizers and hardening"): the kernel checked for
# undefined behaviour, built apart in build/ubsan so that no object of one
# mode ends up in the other; tools/run and the tests follow UBSAN=1 there.
UBSAN   ?=
B       := build$(if $(filter 1,$(UBSAN)),/ubsan)
# Two CPUs for make qemu: enough to see threads run at once (ps's PSR, two
# spinning threads), and as many as most hosts have cores to spare: with
# multi-threaded TCG each guest CPU is a host thread. README.md says more.
CPUS    ?= 2
MEM     ?= 128M
OPT     ?= -O2
# The debugging build (build/debug): -Og keeps each statement's code in the
# order of the source, so gdb's `next` goes line by line. make qemu-gdb,
# make gdb and tools/run --gdb use it; everything else, benchmarks included,
# uses -O2 in build/ (at -Og the kernel runs ~1.3 times the instructions).
DEBUG_OPT := -Og

# The kernel: no red zone (interrupts push onto the stack below rsp), the
# kernel code model (linked in the top 2 GiB), no SSE (its registers are not
# saved on kernel entry), frame pointers for backtraces.
# -Wmissing-prototypes: every function another file calls is declared in
# a header that its own file includes, so the compiler checks the two
# agree. In CI (CI=true) a warning fails the build.
# The stack protector's canary is one global word, __stack_chk_guard, set
# at boot (kernel/stackprotector.c), not gcc's default %fs:0x28, which
# in the kernel is the running program's TLS (the kernel keeps the user's
# %fs); and a global is there for every CPU from its first instruction,
# before its own %gs base is set.
KCFLAGS := -std=gnu11 $(OPT) -g -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
	$(if $(filter true,$(CI)),-Werror) \
	-ffreestanding -fno-pie -fno-builtin \
	-fstack-protector-strong -mstack-protector-guard=global \
	-fno-omit-frame-pointer -fno-inline-functions-called-once \
	-fno-asynchronous-unwind-tables -fcf-protection=none \
	-mno-red-zone -mcmodel=kernel -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-Ikernel -MMD -MP
# UBSAN's checks, all of gcc's `undefined` group (kernel/lib/ubsan.c
# reports them and panics) but alignment: x86 does not need it, and it
# fires at the end of every list_for_each_entry (lib/list.h), whose
# container_of of the list head points at no real entry, the idiom Linux
# also lives with (its CONFIG_UBSAN_ALIGNMENT is off by default).
ifeq ($(UBSAN),1)
KCFLAGS += -fsanitize=undefined -fno-sanitize=alignment
endif
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T linker.ld

# The kernel's folders: kernel/ itself, one level below it, and arch/x86.
KDIRS := kernel $(wildcard kernel/*/) kernel/arch/x86
KSRC := $(wildcard boot/*.S $(foreach d,$(KDIRS),$(d:/=)/*.c $(d:/=)/*.S) tests/kernel/*.c)
# UBSAN's runtime only in the UBSAN build; it is not checked itself (a
# report from inside a report would recurse).
ifneq ($(UBSAN),1)
KSRC := $(filter-out kernel/lib/ubsan.c,$(KSRC))
endif
$(B)/kernel/lib/ubsan.o: KCFLAGS += -fno-sanitize=all
# The vDSO: its image is built first (below) and carried in the kernel.
VDSO := kernel/arch/x86/vdso
KSRC += $(VDSO)/image.S
KOBJ := $(patsubst %,$(B)/%.o,$(basename $(KSRC)))

all: image debug

image: $(B)/kernel.elf $(B)/kernel.bin $(B)/initrd.cpio $(B)/tasklab.iso

# The same image at -Og, by this Makefile run again on build/debug.
debug:
	@$(MAKE) --no-print-directory B=$(B)/debug OPT=$(DEBUG_OPT) image

# user/user.mk builds the user programs into $(B)/rootfs/bin and lists them
# in UPROGS; they become the initramfs, a cpio "newc" archive like Linux's.
UPROGS :=
include user/user.mk

# Debian's busybox-static, when there is one (need-packages installs it as
# root): /usr/bin/busybox, each applet a symbolic link to it beside it, a
# link /bin/busybox for tasklab's sh (which looks in /bin only), and
# tests/busybox/script.sh as /tests/busybox.sh (tests/28-busybox.sh). Without
# it the image is built all the same, with no /usr/bin.
BUSYBOX := /bin/busybox
# The users and groups whoami, id and ls -l name: root and nobody, as Debian's.
ETC := user/etc/passwd user/etc/group

$(B)/initrd.cpio: $(UPROGS) tests/busybox/script.sh $(ETC) Makefile
	@tools/need-packages cpio:cpio
	@mkdir -p $(B)/rootfs/bin $(B)/rootfs/proc    # /proc: where the kernel shows itself
	@mkdir -p $(B)/rootfs/etc && cp $(ETC) $(B)/rootfs/etc/
	@tools/need-packages $(BUSYBOX):busybox-static || echo "tasklab: building the image without busybox"
	rm -rf $(B)/rootfs/usr $(B)/rootfs/bin/busybox
	if [ -x $(BUSYBOX) ]; then \
		mkdir -p $(B)/rootfs/usr/bin && cp $(BUSYBOX) $(B)/rootfs/usr/bin/busybox && \
		ln -s /usr/bin/busybox $(B)/rootfs/bin/busybox && \
		for a in $$($(BUSYBOX) --list | grep -vx busybox); do ln -s busybox $(B)/rootfs/usr/bin/$$a || exit 1; done; \
	fi
	@mkdir -p $(B)/rootfs/tests && cp tests/busybox/script.sh $(B)/rootfs/tests/busybox.sh
	(cd $(B)/rootfs && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > $@

# Objects are rebuilt when the flags here change.
$(KOBJ): Makefile

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(B)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

# The vDSO (kernel/arch/x86/vdso/): a small shared object of user-mode code
# that the kernel maps into every process, built as Linux builds its own:
# position-independent, no C library, a linker script of its own, both
# hash styles and a version script (musl and glibc look its symbols up by
# name and version), and no relocation (its pages are the same in every
# process). image.S carries it into the kernel.
VDSO_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
	$(if $(filter true,$(CI)),-Werror) \
	-fPIC -ffreestanding -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fcf-protection=none -Ikernel -MMD -MP
VDSO_LDFLAGS := -shared -nostdlib -Wl,-T,$(VDSO)/vdso.lds -Wl,--version-script=$(VDSO)/vdso.map \
	-Wl,--hash-style=both -Wl,-soname=linux-vdso.so.1 -Wl,--no-undefined \
	-Wl,-z,max-page-size=4096 -Wl,--build-id=none

$(B)/vdso/vclock.o: $(VDSO)/vclock.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(VDSO_CFLAGS) -c $< -o $@

$(B)/vdso/vdso.so: $(B)/vdso/vclock.o $(VDSO)/vdso.lds $(VDSO)/vdso.map
	$(CC) $(VDSO_LDFLAGS) -o $@ $<
	@$(CROSS)readelf -r $@ | grep -q 'no relocations' || { echo "vdso: $@ needs relocations"; exit 1; }

$(B)/$(VDSO)/image.o: $(B)/vdso/vdso.so
$(B)/$(VDSO)/image.o: KCFLAGS += -Wa,-I$(B)/vdso

# Two links: the first finds every function's address, the second adds
# their names for panic backtraces. The table sits after the code, so no
# function moves between the links; the cmp below makes sure of it.
$(B)/ksyms0.S: tools/mksyms
	@mkdir -p $(B)
	tools/mksyms > $@

$(B)/kernel.pass1.elf: $(KOBJ) $(B)/ksyms0.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(B)/ksyms0.o

$(B)/ksyms.S: $(B)/kernel.pass1.elf tools/mksyms
	tools/mksyms $< > $@

$(B)/kernel.elf: $(KOBJ) $(B)/ksyms.o linker.ld
	$(LD) $(KLDFLAGS) -o $@ $(KOBJ) $(B)/ksyms.o
	tools/mksyms $@ | cmp -s - $(B)/ksyms.S || { echo "ksyms: functions moved between links"; exit 1; }

# QEMU's -kernel takes a flat image with the multiboot1 header (boot/boot.S).
$(B)/kernel.bin: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@

$(B)/tasklab.iso: $(B)/kernel.elf $(B)/initrd.cpio tools/grub.cfg
	@tools/need-packages grub-mkrescue:grub-common grub-mkrescue:grub-pc-bin xorriso:xorriso mformat:mtools
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp $(B)/kernel.elf $(B)/iso/boot/kernel.elf
	cp $(B)/initrd.cpio $(B)/iso/boot/initrd.cpio
	cp tools/grub.cfg $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || { cat $(B)/grub-mkrescue.log; exit 1; }

# The CD first (-boot d) and no network card: the BIOS would otherwise try
# the empty hard disk and floppy ("Boot failed") and the card's boot ROM
# (iPXE) before the CD, all on the console. The CPU: QEMU's default
# (qemu64) with SMEP and SMAP, which the kernel turns on.
comma := ,
QEMU_OPTS := -m $(MEM) -smp $(CPUS) -no-reboot -boot d -nic none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	$(if $(KVM),-enable-kvm -cpu host,-cpu qemu64$(comma)+smep$(comma)+smap -accel tcg$(comma)thread=multi)

# Boot the ISO through GRUB on this terminal (Ctrl-A X quits QEMU).
qemu: $(B)/tasklab.iso
	@tools/need-packages qemu-system-x86_64:qemu-system-x86
	qemu-system-x86_64 $(QEMU_OPTS) -nographic -cdrom $< || true

# The debugging build's ISO, stopped at the first instruction with a gdb
# stub on GDBPORT; run `gdb` (or `make gdb`) in another terminal.
GDBPORT := $(shell expr `id -u` % 5000 + 25000)
qemu-gdb: debug .gdbinit
	@tools/need-packages qemu-system-x86_64:qemu-system-x86
	@echo "*** Now run 'gdb' (or 'make gdb') in another terminal. gdb port: $(GDBPORT)"
	qemu-system-x86_64 $(QEMU_OPTS) -nographic -cdrom $(B)/debug/tasklab.iso \
		-S -gdb tcp:127.0.0.1:$(GDBPORT) || true

# -x reads .gdbinit whatever gdb's auto-load safe-path says; turning the
# auto-load off keeps gdb from reading it a second time when it is allowed.
gdb: debug .gdbinit
	@tools/need-packages gdb:gdb
	gdb -q -iex "set auto-load local-gdbinit off" -x .gdbinit

.gdbinit: tools/gdbinit.tmpl Makefile
	sed "s/@GDBPORT@/$(GDBPORT)/" $< > $@

# Tests boot one CPU (tools/run's default) unless CPUS is given: make test CPUS=2.
test: all
	@tools/need-packages qemu-system-x86_64:qemu-system-x86 gdb:gdb cpio:cpio jq:jq zip:zip unzip:unzip
	@TASKLAB_CPUS=$(if $(filter command line environment,$(origin CPUS)),$(CPUS),1) tests/run-all

# Coursework (tools/lab, docs/labs/): a lab's tests and points, last line
# "Score: X/Y"; `make test-labs` checks every lab's handout and graders.
grade: $(B)/kernel.bin $(B)/initrd.cpio
	@tools/need-packages qemu-system-x86_64:qemu-system-x86
	@tools/lab grade "$(LAB)"

test-labs: all
	@tools/need-packages qemu-system-x86_64:qemu-system-x86 jq:jq zip:zip unzip:unzip
	@tests/run-all labs

# The benchmarks on tasklab and on Debian's Linux, side by side (tools/bench).
# QUICK=1: few iterations, small sizes.
bench: all
	@tools/bench $(if $(QUICK),--quick)

# The system-call fuzzer (user/fuzz.c) for TIME seconds of guest time from
# seed SEED, under --icount, so the same command repeats a run exactly;
# FAIL=page:N,slab:N[,seed:S] adds fault injection (the kernel's fail=).
# The status is 0 for no panic, no hang and no leak.
SEED ?= 1
TIME ?= 60
fuzz: image
	@tools/need-packages qemu-system-x86_64:qemu-system-x86
	tools/run --icount --timeout $$(( $(TIME) * 20 + 120 )) $(if $(FAIL),--cmdline "fail=$(FAIL)") \
		-- /bin/fuzz -s $(SEED) -t $(TIME)

# Host-side fuzzing (README, "Sanitizers and hardening"): the parsers of
# untrusted bytes (the ELF checks, the cpio reader, the path walker, the
# command line's splitter), each fed by clang's libFuzzer under AddressSanitizer and
# UBSAN (alignment aside, as in the kernel) for FUZZ_TIME seconds, starting
# from tests/fuzz/corpus/NAME; what it finds new goes to $(B)/fuzz/.
# The harness is linked with its parser's whole kernel file: the rest of
# the kernel stays unresolved (and the parsers never call it).
FUZZ_TIME ?= 20
FUZZ_TARGETS := elf cpio path cmdline
HOST_FUZZ_CFLAGS := -g -O1 -fno-pie -no-pie -fno-builtin -Ikernel \
	-fsanitize=fuzzer,address,undefined -fno-sanitize=alignment -fno-sanitize-recover=all \
	-Wl,--unresolved-symbols=ignore-all
$(B)/fuzz/elf: kernel/fs/exec.c
$(B)/fuzz/cpio: kernel/fs/initramfs.c
$(B)/fuzz/path: kernel/fs/namei.c
$(B)/fuzz/cmdline: kernel/param.c
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h
	@tools/need-packages clang:clang
	@mkdir -p $(dir $@)
	clang $(HOST_FUZZ_CFLAGS) $(filter %.c,$^) -o $@

fuzz-host: $(addprefix $(B)/fuzz/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz-host: $$t for $(FUZZ_TIME) s"; \
		mkdir -p $(B)/fuzz/corpus/$$t && \
		$(B)/fuzz/$$t -max_total_time=$(FUZZ_TIME) -max_len=4096 -print_final_stats=1 \
			-artifact_prefix=$(B)/fuzz/$$t- $(B)/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
			2>$(B)/fuzz/$$t.log || { tail -n 40 $(B)/fuzz/$$t.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|DONE' $(B)/fuzz/$$t.log; \
	done

compile_commands.json: $(KSRC)
	@tools/need-packages bear:bear
	$(MAKE) clean && bear --output $@ -- $(MAKE) image

clean:
	rm -rf $(B) .gdbinit

.PHONY: all image debug qemu qemu-gdb gdb test grade test-labs bench fuzz fuzz-host clean
.DELETE_ON_ERROR:

-include $(KOBJ:.o=.d) $(B)/vdso/vclock.d
