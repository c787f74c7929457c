# The gdb tour, part 1: step through fork. From the fork() of user program
# tour, through the syscall instruction, to copy_process, and to the
# child's first return to user space. README.md shows these very commands;
# tests/30-gdb.sh runs them.

# Every user program is linked at the same addresses, so a breakpoint in
# user code fires in any process that gets there: ask for tour's. Each
# breakpoint is temporary (tbreak, thbreak): gone once hit, so the
# walk-through leaves none behind for the next one.
add-user tour
thbreak fork if $tl_comm_is("tour")
continue
tl-current
# Over the instructions (and fflush's call) to "syscall": bytes 0f 05.
while *(unsigned short *)$pc != 0x050f
  nexti
end
x/i $pc
info registers rax
# The CPU jumps to the address in MSR_LSTAR, in ring 0: the kernel.
stepi
tbreak copy_process
continue
bt
# The new task is built; wake_up_new_task puts it on the run queue.
tbreak wake_up_new_task
continue
tl-ps
tl-pagewalk $tl_current()->tf->rsp
# The child's first switch lands in ret_from_fork; its rax is fork's 0.
tbreak ret_from_fork
continue
tl-current
print $tl_current()->tf->rax
