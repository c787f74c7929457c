# The gdb tour, part 3: watch a copy-on-write fault. After fork, parent and
# child share each private page read-only with the COW bit; the first write
# faults, and do_wp_page gives the writer a copy of its own.

add-user tour
# Only the forked child runs child_main, whose first line writes counter.
thbreak child_main if $tl_comm_is("tour")
continue
tl-current
tl-pagewalk &counter
tbreak do_wp_page
continue
bt
print/x va
# A page fault restarts the instruction that faulted, at the rip saved in
# the trap frame: stop there again.
thbreak *$tl_current()->tf->rip
continue
tl-pagewalk &counter
tl-pagewalk &counter $tl_current()->parent->tid
