# The gdb tour, part 2: step through clone. tour makes a thread with ulib's
# thread_create (user/ulib/thread.c), which maps a stack and calls __clone
# (user/ulib/crt0.S): the same copy_process as fork, with flags that share
# instead of copy.

add-user tour
thbreak thread_create if $tl_comm_is("tour")
continue
# The stack is mapped; __clone gets the flags in rdi, the new stack in rsi.
thbreak __clone if $tl_comm_is("tour")
continue
bt
info registers rdi rsi
# Over the instructions to "syscall" (bytes 0f 05), with rax = 56 (SYS_clone).
while *(unsigned short *)$pc != 0x050f
  nexti
end
x/i $pc
info registers rax
tbreak copy_process
continue
# CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM
# |CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID
print/x args->flags
bt
tbreak wake_up_new_task
continue
tl-ps
# The thread starts in thread_main, on the stack thread_create mapped, in
# the same mm: below the stack, the guard page (---p).
thbreak thread_main if $tl_comm_is("tour")
continue
bt
tl-current
tl-vmas
tl-pagewalk $rsp
