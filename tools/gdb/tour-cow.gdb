# The gdb tour, part 3: watch a copy-on-write fault. After fork, parent and
# child share each private page read-only with the COW bit; the first write
# faults, and do_wp_page gives the writer a copy of its own.

add-user tour
# Only the forked child runs child_main, whose first line writes counter.
thbreak child_main if $tl_comm_is("tour")
continue
tl-current
tl-pagewalk &counter
# With several CPUs another task may fault meanwhile (the parent, say):
# stop for this one only.
set $child = $tl_current()
tbreak do_wp_page if $tl_current() == $child
continue
bt
print/x va
# A page fault restarts the instruction that faulted, at the rip saved in
# the trap frame: stop there again.
thbreak *$tl_current()->tf->rip if $tl_current() == $child
continue
tl-pagewalk &counter
tl-pagewalk &counter $tl_current()->parent->tid
