# gdb commands that know tasklab's data structures, in the spirit of Linux's
# scripts/gdb (lx-ps and friends). tools/gdbinit.tmpl sources this file.
#
#   tl-ps                      every task: ids, state, name, what it shares
#   tl-current                 the task running on the CPU gdb has selected
#   tl-cpus                    every CPU: its task, user or kernel mode, locks
#   tl-vmas [TID]              a task's memory regions
#   tl-pagewalk ADDR [TID]     the four page-table levels behind an address
#   $tl_current(), $tl_task(TID)   tasks as values, for print and expressions
#   $tl_comm_is(NAME)          is the current task running program NAME?
#
# add-user (tools/gdbinit.tmpl) adds one user program's symbols at a time and
# records which: every program is linked at the same addresses, so in any
# other process those symbols name the wrong memory. tl-pagewalk, and a stop
# in user code, say so when the task is not that program.
#
# Everything here only reads memory: gdb cannot call kernel functions while
# QEMU is stopped, so lists and page tables are walked by hand, as the
# kernel's own C code does.

import os

import gdb

DIRECT_MAP_BASE = 0xffff800000000000    # kernel/arch/x86/memlayout.h: pa -> va
USER_TOP = 0x0000800000000000
PAGE_SHIFT = 12

# --- reading the kernel's structures ----------------------------------------


def container_of(node, typename, member):
    """The struct that contains the list_head `node` (Linux's list_entry)."""
    struct = gdb.lookup_type(typename)
    offset = struct[member].bitpos // 8
    return gdb.Value(int(node) - offset).cast(struct.pointer())


def list_entries(head, typename, member):
    """Walk a circular list_head, yielding each containing struct's pointer."""
    node = head["next"]
    while int(node) != int(head.address):
        yield container_of(node, typename, member)
        node = node["next"]


def ncpus():
    return int(gdb.parse_and_eval("ncpus"))


def selected_cpu():
    """The CPU gdb looks at: QEMU shows each CPU as a thread, numbered
    from 1 in CPU order (`info threads`, `thread N` to choose)."""
    thread = gdb.selected_thread()
    return thread.num - 1 if thread and thread.num <= ncpus() else 0


def current_task():
    # The per-CPU struct is cpus[N] (kernel/arch/x86/cpu.h).
    return gdb.parse_and_eval("cpus[%d].current_task" % selected_cpu())


def all_tasks():
    """The idle tasks (tid 0, one per CPU, on no list, like Linux's
    swapper) and then every task on all_tasks."""
    for cpu in range(ncpus()):
        idle = gdb.parse_and_eval("cpus[%d].idle" % cpu)
        if int(idle):
            yield idle
    yield from list_entries(gdb.parse_and_eval("all_tasks"), "struct task", "all_node")


def find_task(tid):
    for t in all_tasks():
        if int(t["tid"]) == tid:
            return t
    raise gdb.GdbError("no task with tid %d (tl-ps lists them)" % tid)


def task_or_current(arg):
    """The task whose tid the expression arg gives, or the current task."""
    if arg:
        return find_task(int(gdb.parse_and_eval(arg)))
    return current_task()


def comm(t):
    return t["comm"].string()


def state(t):
    # gdb prints the enum by name: TASK_SLEEPING -> SLEEPING. TASK_RUNNING
    # is Linux's "runnable": only the tasks on a CPU (on_cpu) run.
    name = str(t["state"]).replace("TASK_", "")
    if name == "RUNNING" and not int(t["on_cpu"]):
        return "RUNNABLE"
    return name


def describe(t):
    return "tid %d (%s)" % (int(t["tid"]), comm(t))


def read_u64(va):
    data = gdb.selected_inferior().read_memory(va, 8)
    return int.from_bytes(bytes(data), "little")


def read_phys_u64(pa):
    # All RAM is mapped at DIRECT_MAP_BASE in every page table, so whatever
    # CR3 holds now, this reaches physical memory.
    return read_u64(DIRECT_MAP_BASE + pa)


# --- the user program whose symbols gdb has --------------------------------

user_program = None     # (name, path) of the program add-user added last


def set_user_program(name, path):
    """Give gdb the symbols of the program at path, instead of those of the
    program added before: two programs' symbols at the same addresses would
    each hide the other."""
    global user_program
    if user_program:
        gdb.execute("with confirm off -- remove-symbol-file " + user_program[1], to_string=True)
        user_program = None
    path = os.path.abspath(path)    # gdb names the file so: info symbol says it
    gdb.execute("add-symbol-file " + path, from_tty=False)
    user_program = (name, path)


def user_symbol(addr):
    """The added program's symbol at user address addr ('counter' or
    'main + 4'), or None."""
    if not user_program or addr >= USER_TOP:
        return None
    where = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    # "counter in section .data of /.../rootfs/bin/tour"
    if not where.rstrip().endswith(" of " + user_program[1]):
        return None
    return where.split(" in section ")[0]


def runs_other_program(t):
    """Does task t run a program other than the one whose symbols gdb has?"""
    return user_program is not None and comm(t) != user_program[0]


def on_stop(event):
    """A stop in user code is named with the added program's symbols: wrong
    in any other program (an unconditional user breakpoint fires in all)."""
    try:
        pc = int(gdb.parse_and_eval("$pc"))
        t = current_task()
        other = pc < USER_TOP and int(t) and runs_other_program(t)
    except gdb.error:
        return          # no target any more, or no task yet (early boot)
    if other:
        print("warning: stopped in %s, but gdb has %s's symbols: the names of user code "
              "here are %s's, not %s's (add-user %s)" % (
                  describe(t), user_program[0], user_program[0], comm(t), comm(t)))


# --- tl-ps ------------------------------------------------------------------

# What copy_process shares rather than copies, by clone flag (kernel/fork.c).
SHARABLE = ("mm", "files", "fs", "sighand", "signal")


def sharing(t, tasks):
    """'tid(part,part)' for every other task that shares a part with t."""
    out = []
    for other in tasks:
        if int(other) == int(t):
            continue
        parts = [p for p in SHARABLE if int(t[p]) and int(t[p]) == int(other[p])]
        if parts:
            out.append("%d(%s)" % (int(other["tid"]), ",".join(parts)))
    return " ".join(out)


class TlPs(gdb.Command):
    """List every task: tl-ps.
'*' marks the current task. MM is the address space: its id (as /proc and
ps show it) and address, or - for a kernel-only task. SHARES WITH names the other tasks that share this one's mm, files
(fd table), fs (cwd), sighand (signal handlers) or signal (thread group):
a thread shares all five with its process, a forked child none."""

    def __init__(self):
        super().__init__("tl-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        tasks = list(all_tasks())
        cur = int(current_task())
        print("  %5s %5s %-9s %-15s %-22s %s" % ("TID", "TGID", "STATE", "COMM", "MM (ID@ADDR)", "SHARES WITH"))
        for t in tasks:
            mm = "%d@0x%x" % (int(t["mm"]["id"]), int(t["mm"])) if int(t["mm"]) else "-"
            print("%s %5d %5d %-9s %-15s %-22s %s" % (
                "*" if int(t) == cur else " ", int(t["tid"]), int(t["tgid"]),
                state(t), comm(t), mm, sharing(t, tasks)))


# --- tl-current -------------------------------------------------------------

class TlCurrent(gdb.Command):
    """The task on the CPU gdb has selected (cpus[N].current_task): tl-current.
In expressions, $tl_current() is the same task: p $tl_current()->tf->rsp."""

    def __init__(self):
        super().__init__("tl-current", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        t = current_task()
        print("%s, tgid %d, %s, struct task *0x%x, mm 0x%x" % (
            describe(t), int(t["tgid"]), state(t), int(t), int(t["mm"])))


def kernel_symbol(addr):
    """'sched_run_idle + 34', or the address when no symbol has it."""
    where = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    return "0x%x" % addr if where.startswith("No symbol") else where.split(" in section ")[0]


class TlCpus(gdb.Command):
    """Every CPU and what it does: tl-cpus.
'*' marks the CPU gdb has selected (`thread N` selects CPU N-1). For each:
its task (idle: nothing to run), user or kernel mode and where (from that
CPU's registers), the spinlocks it holds, and the mm its CR3 holds."""

    def __init__(self):
        super().__init__("tl-cpus", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        selected = gdb.selected_thread()
        threads = {th.num: th for th in gdb.selected_inferior().threads()}
        print("  %3s %-18s %-6s %-30s %-8s %s" % ("CPU", "TASK", "MODE", "AT", "MM", "LOCKS"))
        try:
            for cpu in range(ncpus()):
                c = gdb.parse_and_eval("cpus[%d]" % cpu)
                t = c["current_task"]
                task = "idle" if int(t) == int(c["idle"]) else describe(t)
                mode, at = "?", "?"
                if cpu + 1 in threads:
                    threads[cpu + 1].switch()
                    pc = int(gdb.parse_and_eval("$pc"))
                    mode = "user" if int(gdb.parse_and_eval("$cs")) & 3 else "kernel"
                    at = user_symbol(pc) or kernel_symbol(pc)
                mm = "%d" % int(c["active_mm"]["id"]) if int(c["active_mm"]) else "-"
                locks = [c["held"][i]["name"].string() for i in range(int(c["nlocks"]))]
                print("%s %3d %-18s %-6s %-30s %-8s %s" % (
                    "*" if selected and selected.num == cpu + 1 else " ", cpu, task, mode,
                    at[:30], mm, " ".join(locks) or "-"))
        finally:
            if selected:
                selected.switch()


class TlCurrentFunction(gdb.Function):
    """$tl_current(): the struct task * running on the CPU gdb has selected."""

    def __init__(self):
        super().__init__("tl_current")

    def invoke(self):
        return current_task()


class TlTaskFunction(gdb.Function):
    """$tl_task(TID): the struct task * with that tid."""

    def __init__(self):
        super().__init__("tl_task")

    def invoke(self, tid):
        return find_task(int(tid))


class TlCommIsFunction(gdb.Function):
    """$tl_comm_is(NAME): 1 if the current task runs program NAME, else 0.
Every program is linked at the same addresses, so a breakpoint in user code
fires in whichever process reaches that address: make it conditional,
e.g. hbreak main if $tl_comm_is("tour")."""

    def __init__(self):
        super().__init__("tl_comm_is")

    def invoke(self, name):
        return int(comm(current_task()) == name.string())


# --- tl-vmas ----------------------------------------------------------------

VM_READ, VM_WRITE, VM_EXEC, VM_SHARED = 0x1, 0x2, 0x4, 0x8     # kernel/mm/mm.h


def vma_flags(flags):
    # Written as /proc/PID/maps writes them: rwx, then p(rivate) or s(hared).
    return "".join((
        "r" if flags & VM_READ else "-",
        "w" if flags & VM_WRITE else "-",
        "x" if flags & VM_EXEC else "-",
        "s" if flags & VM_SHARED else "p"))


def vma_name(ptr):
    """The region's name, or where the pointer leads if that is not text:
    tl-vmas is also for finding such bugs."""
    if not int(ptr):
        return ""
    name = ptr.string(errors="replace", length=64).split("\0")[0]
    if name.isprintable() and "\ufffd" not in name:
        return name
    return "?(name at 0x%x is not text)" % int(ptr)


class TlVmas(gdb.Command):
    """A task's memory regions: tl-vmas [TID] (default: the current task).
One line per struct vma on mm->vmas, like /proc/PID/maps. A region says an
address may be used; the page table maps only the pages touched so far."""

    def __init__(self):
        super().__init__("tl-vmas", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        t = task_or_current(arg.strip())
        mm = t["mm"]
        if not int(mm):
            raise gdb.GdbError("%s is a kernel task: it has no mm" % describe(t))
        print("%s, mm 0x%x, brk 0x%x" % (describe(t), int(mm), int(mm["brk"])))
        for v in list_entries(mm["vmas"], "struct vma", "node"):
            name = vma_name(v["name"])
            print("  0x%016x-0x%016x %s %s" % (
                int(v["start"]), int(v["end"]), vma_flags(int(v["flags"])), name))


# --- tl-pagewalk ------------------------------------------------------------

# kernel/arch/x86/pgtable.h: the hardware's bits, then the three the kernel keeps for itself
# in bits the CPU ignores.
PTE_BITS = [
    (0, "P"), (1, "W"), (2, "U"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
    (7, "PS"), (8, "G"), (9, "COW"), (10, "SHARED"), (11, "PROTNONE"), (63, "NX"),
]
PTE_P, PTE_PS, PTE_PROTNONE = 1 << 0, 1 << 7, 1 << 11
PTE_ADDR = 0x000ffffffffff000

# From the top: the level's name, and the lowest address bit its index uses.
LEVELS = [("PGD", 39), ("PUD", 30), ("PMD", 21), ("PTE", 12)]


def pte_flags(entry):
    return " ".join(name for bit, name in PTE_BITS if entry & (1 << bit))


def refcount(pa):
    """The frame's refcount in page_alloc.c's mem_map, as text."""
    pfn = pa >> PAGE_SHIFT
    if pfn >= int(gdb.parse_and_eval("nframes")):
        return "not RAM"
    count = int(gdb.parse_and_eval("mem_map[%d].refcount" % pfn))
    return "reserved" if count == -1 else str(count)


def pgd_for(addr, arg):
    """The physical address of the PGD to walk (what CR3 would hold), and
    whose page table it is."""
    if addr >= USER_TOP:
        # The kernel half is the same in every mm: each copies kpgd's top half.
        return int(gdb.parse_and_eval("kpgd")) - DIRECT_MAP_BASE, "the kernel (kpgd)"
    t = task_or_current(arg)
    if not int(t["mm"]):
        raise gdb.GdbError("%s is a kernel task: it has no user addresses" % describe(t))
    return int(t["mm"]["pgd"]) - DIRECT_MAP_BASE, describe(t)


class TlPagewalk(gdb.Command):
    """Walk the page table for an address: tl-pagewalk ADDR [TID].
A user address is looked up in the task's mm (default: the current task), a
kernel one in the kernel's page table. Each level shows the index taken from
ADDR, the entry and its flags; the last shows the page's physical address
and the frame's reference count. ADDR may be any expression without spaces,
e.g. $tl_current()->tf->rsp."""

    def __init__(self):
        super().__init__("tl-pagewalk", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not 1 <= len(args) <= 2:
            raise gdb.GdbError("usage: tl-pagewalk ADDR [TID]")
        addr = int(gdb.parse_and_eval(args[0])) & 0xffffffffffffffff
        task_arg = args[1] if len(args) > 1 else ""
        table, whose = pgd_for(addr, task_arg)
        symbol = user_symbol(addr)
        t = task_or_current(task_arg) if symbol else None
        if symbol and runs_other_program(t):
            print("warning: %s is %s's symbol, but %s is not %s: below is %s's "
                  "memory at that address, not %s's %s" % (
                      symbol, user_program[0], describe(t), user_program[0], comm(t),
                      user_program[0], symbol))
        print("0x%x in %s, PGD at pa 0x%x" % (addr, whose, table))
        for name, shift in LEVELS:
            index = (addr >> shift) & 511
            entry = read_phys_u64(table + 8 * index)
            print("  %s[%3d] = 0x%016x  %s" % (name, index, entry, pte_flags(entry)))
            # A leaf maps a page: 4 KiB at the PTE level, 2 MiB or 1 GiB
            # when PS is set in a PMD or PUD entry.
            leaf = name == "PTE" or entry & PTE_PS
            if not entry & PTE_P and not (leaf and entry & PTE_PROTNONE):
                print("  not present: an access faults")
                return
            if leaf:
                page = entry & PTE_ADDR & ~((1 << shift) - 1)
                print("  page at pa 0x%x, refcount %s: 0x%x -> pa 0x%x" % (
                    page, refcount(page), addr, page + (addr & ((1 << shift) - 1))))
                return
            table = entry & PTE_ADDR


TlPs()
TlCurrent()
TlCpus()
TlCurrentFunction()
TlTaskFunction()
TlCommIsFunction()
TlVmas()
TlPagewalk()
gdb.events.stop.connect(on_stop)
