/*
 * spawnbench: what it costs to start something that runs, from a whole
 * process down to a task on a user-level run queue. Each row creates one,
 * lets it run to its end, and waits for it:
 *
 *   fork + exec + wait   a new process running another program (/bin/true)
 *   fork + exit + wait   a new process: a copy of our address space
 *   vfork + exit + wait  a new process that borrows our address space
 *   thread create + join clone(2) sharing everything, joined by futex
 *   green thread         our own stack and context switch, no kernel at all
 *   async task           a heap-allocated struct on a run queue
 *
 * Usage: spawnbench [--quick] [--machine]
 *
 * --machine adds the lines tools/bench reads (bench/bench.h).
 */
#include "bench/bench.h"

#define SAMPLES       101
#define QUICK_SAMPLES 5

/* The work every green thread and async task does. */
static void bump(void *counter)
{
	(*(volatile long *)counter)++;
}

/*
 * Green threads: a stack from malloc and a context switch that saves the
 * registers the C ABI says a call preserves (rbx rbp r12-r15) on the old
 * stack, then continues on the new one. Everything else the compiler
 * already saved around the call. (A full library would keep mxcsr and the
 * x87 control word too.)
 */
#define GREEN_STACK 2048

struct green {
	void *sp;              /* its saved stack pointer, while not running */
	void (*fn)(void *);
	void *arg;
	bool done;
	char *stack;
};

/* void green_switch(void **save_sp, void *next_sp) */
void green_switch(void **save_sp, void *next_sp);
__asm__(".text\n"
	"green_switch:\n"
	"	push %rbp\n	push %rbx\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
	"	mov %rsp, (%rdi)\n"
	"	mov %rsi, %rsp\n"
	"	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbx\n	pop %rbp\n"
	"	ret\n");

static void *main_sp;          /* where the main context waits */
static struct green *running;

/* A green thread's first instruction: run it, then go back for good. */
static void green_main(void)
{
	running->fn(running->arg);
	running->done = true;
	green_switch(&running->sp, main_sp);
}

/* Lay out the stack as green_switch leaves a switched-out thread: six
 * saved registers, then a return address, green_main, placed so that
 * green_main starts with rsp 8 past a 16-byte boundary, as after a call. */
static bool green_create(struct green *g, void (*fn)(void *), void *arg)
{
	uint64_t *top;

	*g = (struct green){ .fn = fn, .arg = arg, .stack = malloc(GREEN_STACK) };
	if (!g->stack)
		return false;
	top = (uint64_t *)((uintptr_t)(g->stack + GREEN_STACK) & ~15ul);
	top -= 2;
	top[0] = (uint64_t)green_main;
	top -= 6;
	memset(top, 0, 6 * sizeof *top);
	g->sp = top;
	return true;
}

static bool green_create_run_finish(void *counter)
{
	struct green g;

	if (!green_create(&g, bump, counter))
		return false;
	running = &g;
	green_switch(&main_sp, g.sp);
	free(g.stack);
	return g.done;
}

/* Async tasks: what an event loop runs, a function and its argument. */
struct async_task {
	void (*fn)(void *);
	void *arg;
	struct async_task *next;
};

static struct async_task *queue_head, **queue_tail = &queue_head;

static bool async_spawn(void (*fn)(void *), void *arg)
{
	struct async_task *t = malloc(sizeof *t);

	if (!t)
		return false;
	*t = (struct async_task){ fn, arg, NULL };
	*queue_tail = t;
	queue_tail = &t->next;
	return true;
}

static void async_run_all(void)
{
	struct async_task *t;

	while ((t = queue_head)) {
		queue_head = t->next;
		if (!queue_head)
			queue_tail = &queue_head;
		t->fn(t->arg);
		free(t);
	}
}

static bool async_spawn_run(void *counter)
{
	if (!async_spawn(bump, counter))
		return false;
	async_run_all();
	return true;
}

int main(int argc, char **argv)
{
	static long counter;
	unsigned samples = has_flag(argc, argv, "--quick") ? QUICK_SAMPLES : SAMPLES;
	struct row rows[] = {
		{ "fork_exec_wait", "fork + exec + wait" },
		{ "fork_exit_wait", "fork + exit + wait" },
		{ "vfork_exit_wait", "vfork + exit + wait" },
		{ "thread_create_join", "thread create + join" },
		{ "green_thread", "green thread (2 KiB stack)" },
		{ "async_task", "async task (run queue)" },
	};
	enum { FORK_EXEC, FORK, VFORK, THREAD, GREEN, ASYNC };

	bench_init(argc, argv);
	print_header("spawnbench", "start something, run it to its end, wait for it", samples);
	rows[FORK_EXEC].m = measure(fork_exec_wait, "/bin/true", samples);
	rows[FORK].m = measure(fork_exit_wait, NULL, samples);
	rows[VFORK].m = measure(vfork_exit_wait, NULL, samples);
	rows[THREAD].m = measure(thread_create_join, NULL, samples);
	rows[GREEN].m = measure(green_create_run_finish, &counter, samples);
	rows[ASYNC].m = measure(async_spawn_run, &counter, samples);

	print_table(rows, ARRAY_SIZE(rows), THREAD);
	print_bench_lines("spawnbench", rows, ARRAY_SIZE(rows));
	check_all_measured("spawnbench", rows, ARRAY_SIZE(rows));
	check("spawnbench", "thread_cheaper_than_fork",
	      rows[THREAD].m.cycles_median < rows[FORK].m.cycles_median,
	      "thread create + join costs no less than fork + exit + wait");
	return check_status();
}
