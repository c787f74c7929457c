# The gdb tour, part 2: step through clone. tour makes a thread with a raw
# clone(2) (spawn_thread in user/tour.c): the same copy_process as fork,
# with flags that share instead of copy.

add-user tour
hbreak spawn_thread if $tl_comm_is("tour")
continue
break copy_process
continue
# CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM
print/x args->flags
break wake_up_new_task
continue
tl-ps
# The thread starts on the stack spawn_thread gave it, in the same mm.
hbreak thread_main if $tl_comm_is("tour")
continue
tl-current
tl-vmas
tl-pagewalk $rsp
