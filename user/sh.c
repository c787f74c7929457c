/*
 * sh: a small shell. Reads commands from fd 0 (or takes one with -c) and
 * runs them:  prog args  |  pipelines of any length  < in  > out  >> out
 * & (background)  ; (sequence)  'quotes' "quotes"  $? (the last status).
 * Builtins: cd [DIR], wait, exit [N]; and `time PIPELINE`, which prints
 * how long it took (real) and the CPU time used meanwhile (user, sys), as
 * bash's keyword does.
 *
 * Job control, as far as Ctrl-C needs it: each foreground pipeline gets a
 * process group of its own and the terminal's foreground (TIOCSPGRP), so
 * the terminal's SIGINT goes to it and not to the shell; the shell takes
 * the terminal back when the pipeline is done. Ctrl-C at the prompt reaches
 * the shell itself: the terminal has dropped the line and echoed "^C" and a
 * newline; the shell gives a new prompt, as bash does. Ctrl-Z stops the
 * pipeline; this shell has no fg or bg (busybox sh has), so the job stays
 * stopped and the shell goes on.
 */
#include "ulib.h"

#define MAXLINE 1024
#define MAXARGS 64
#define MAXCMDS 64

enum token { T_END, T_WORD, T_PIPE, T_IN, T_OUT, T_APPEND, T_AMP, T_SEMI };

struct command {
	char *argv[MAXARGS + 1];
	int argc;
	char *in, *out;      /* files for < and > (NULL: inherited) */
	bool append;         /* >> rather than > */
};

struct pipeline {
	struct command cmds[MAXCMDS];
	int n;
};

/* Walks a line; each word's text, unquoted and expanded, goes to out. */
struct lexer {
	const char *p;
	char *out;
};

static int last_status;
static bool interactive;    /* reading commands from a terminal */

/* Appends one word to lx->out, removing quotes and expanding $?. */
static void lex_word(struct lexer *lx)
{
	char quote = 0;

	for (; *lx->p; lx->p++) {
		char c = *lx->p;
		if (quote && c == quote) {
			quote = 0;
		} else if (!quote && (c == '\'' || c == '"')) {
			quote = c;
		} else if (quote != '\'' && c == '$' && lx->p[1] == '?') {
			lx->out += snprintf(lx->out, 8, "%d", last_status);
			lx->p++;
		} else if (!quote && strchr(" \t\n|<>&;", c)) {
			break;
		} else {
			*lx->out++ = c;
		}
	}
	*lx->out++ = '\0';
}

static enum token lex(struct lexer *lx, char **word)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
	switch (*lx->p) {
	case '\0':
		return T_END;
	case '|':
		lx->p++;
		return T_PIPE;
	case '<':
		lx->p++;
		return T_IN;
	case '>':
		lx->p++;
		if (*lx->p != '>')
			return T_OUT;
		lx->p++;
		return T_APPEND;
	case '&':
		lx->p++;
		return T_AMP;
	case ';':
	case '\n':
		lx->p++;
		return T_SEMI;
	}
	*word = lx->out;
	lex_word(lx);
	return T_WORD;
}

/* Parses up to ';', '&' or the end of the line and returns which it was;
 * T_PIPE stands for a syntax error. An empty pipeline has n == 0. */
static enum token parse_pipeline(struct lexer *lx, struct pipeline *pl)
{
	struct command *c = &pl->cmds[0];
	enum token t;
	char *word;

	memset(pl, 0, sizeof *pl);
	for (;;) {
		t = lex(lx, &word);
		if (t == T_WORD) {
			if (c->argc == MAXARGS)
				return T_PIPE;
			c->argv[c->argc++] = word;
		} else if (t == T_IN || t == T_OUT || t == T_APPEND) {
			if (lex(lx, &word) != T_WORD)
				return T_PIPE;
			*(t == T_IN ? &c->in : &c->out) = word;
			c->append |= t == T_APPEND;
		} else {
			bool empty = c->argc == 0;
			if (empty && (t == T_PIPE || pl->n > 0))
				return T_PIPE;         /* "| a", "a | | b", "a |" */
			pl->n += !empty;
			if (t != T_PIPE)
				return t;
			if (pl->n == MAXCMDS)
				return T_PIPE;
			c = &pl->cmds[pl->n];
		}
	}
}

/* The terminal's foreground process group (only on a terminal). */
static void give_terminal(pid_t pgid)
{
	if (interactive)
		ioctl(0, TIOCSPGRP, &pgid);
}

/* Signals the shell ignores when interactive: the terminal's Ctrl-C and
 * Ctrl-\, Ctrl-Z, and SIGTTOU, sent when a background group (the shell,
 * while a job runs) sets the terminal's foreground. */
static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTOU };

static void set_job_signals(void *handler)
{
	for (size_t i = 0; i < sizeof job_signals / sizeof job_signals[0]; i++)
		sigaction_simple(job_signals[i], handler);
}

/* Caught, not ignored, so that it interrupts the read of the prompt's line. */
static void interrupted(int sig)
{
	(void)sig;
}

static void redirect(const char *path, int flags, int fd)
{
	int f = open(path, flags, 0644);

	if (f < 0) {
		fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	dup2(f, fd);
	close(f);
}

/* In the child: join the job's group, wire fds 0 and 1, and exec. An
 * ignored signal stays ignored across exec, so restore the defaults. */
static void exec_command(struct command *c, int in, int out, pid_t pgid, bool foreground)
{
	setpgid(0, pgid);
	if (foreground)
		give_terminal(getpgrp());
	set_job_signals(SIG_DFL);
	if (in >= 0) {
		dup2(in, 0);
		close(in);
	}
	if (out >= 0) {
		dup2(out, 1);
		close(out);
	}
	if (c->in)
		redirect(c->in, O_RDONLY, 0);
	if (c->out)
		redirect(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 1);
	execvp(c->argv[0], c->argv);
	if (errno == ENOENT) {
		fprintf(stderr, "sh: %s: command not found\n", c->argv[0]);
		_exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", c->argv[0], strerror(errno));
	_exit(126);
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Starts one child per command, each reading the previous one's pipe. Only
 * one pipe is open in the shell at a time, so a pipeline can be any length.
 * vfork, as posix_spawn does: the child only sets up its fds, group and
 * signals and execs (or _exits), so a copy of the shell would be wasted,
 * and the shell runs even where fork cannot (docs/labs/fork.md). */
static void run_pipeline(struct pipeline *pl, bool background)
{
	pid_t pids[MAXCMDS], pgid = 0;
	int in = -1;

	for (int i = 0; i < pl->n; i++) {
		int p[2] = { -1, -1 };
		if (i < pl->n - 1 && pipe(p) < 0) {
			perror("sh: pipe");
			break;
		}
		pids[i] = vfork();
		if (pids[i] == 0) {
			if (p[0] >= 0)
				close(p[0]);
			exec_command(&pl->cmds[i], in, p[1], pgid, !background);
		}
		if (pids[i] < 0) {
			perror("sh: vfork");
			pl->n = i;
		} else {
			/* Also here, so the group exists whichever of us runs first. */
			setpgid(pids[i], pgid ? pgid : pids[i]);
			pgid = pgid ? pgid : pids[i];
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
	}
	if (in >= 0)
		close(in);
	if (background) {
		if (interactive && pl->n > 0)
			fprintf(stderr, "[%d]\n", pgid);
		return;
	}
	give_terminal(pgid);
	for (int i = 0; i < pl->n; i++) {
		int status;
		while (waitpid(pids[i], &status, WUNTRACED) < 0 && errno == EINTR)
			;
		if (WIFSTOPPED(status)) {
			fprintf(stderr, "[%d] stopped\n", pgid);
			last_status = 128 + WSTOPSIG(status);
			break;
		}
		last_status = exit_code(status);
	}
	give_terminal(getpgrp());
}

/* Returns whether argv was a builtin (and ran it). */
static bool builtin(char **argv)
{
	if (strcmp(argv[0], "exit") == 0) {
		exit(argv[1] ? atoi(argv[1]) : last_status);
	} else if (strcmp(argv[0], "cd") == 0) {
		const char *dir = argv[1] ? argv[1] : "/";
		last_status = chdir(dir) < 0;
		if (last_status)
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
	} else if (strcmp(argv[0], "wait") == 0) {
		int status;
		while (wait(&status) > 0 || errno == EINTR)
			;
		last_status = 0;
	} else {
		return false;
	}
	return true;
}

/* ---- time ---- */

/* A moment, for `time`: the clock, and the CPU time of the shell and of
 * the children it has reaped, in ms. */
struct moment {
	long real, user, sys;
};

static long ms_of(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static struct moment now(void)
{
	struct rusage self, children;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &children);
	return (struct moment){
		ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
		ms_of(self.ru_utime) + ms_of(children.ru_utime),
		ms_of(self.ru_stime) + ms_of(children.ru_stime),
	};
}

/* bash's format: a blank line, then "real\t0m1.250s" and so on, on stderr. */
static void report_time(struct moment start)
{
	struct moment end = now();
	const char *names[] = { "real", "user", "sys" };
	long ms[] = { end.real - start.real, end.user - start.user, end.sys - start.sys };

	fprintf(stderr, "\n");
	for (int i = 0; i < 3; i++)
		fprintf(stderr, "%s\t%ldm%ld.%03lds\n", names[i], ms[i] / 60000, ms[i] / 1000 % 60,
			ms[i] % 1000);
}

/* Does the pipeline start with the word `time`? Then drop the word. The
 * time of a job in the background (&) is only that of starting it, and a
 * bare `time` times nothing. */
static bool strip_time(struct pipeline *pl)
{
	struct command *c = &pl->cmds[0];

	if (pl->n == 0 || strcmp(c->argv[0], "time") != 0)
		return false;
	memmove(c->argv, c->argv + 1, c->argc * sizeof(c->argv[0]));   /* the NULL too */
	if (--c->argc == 0)
		memmove(pl->cmds, pl->cmds + 1, --pl->n * sizeof(pl->cmds[0]));
	return true;
}

/* A builtin runs in the shell itself, anything else in children. */
static void run_commands(struct pipeline *pl, bool background)
{
	if (pl->n == 1 && !background && builtin(pl->cmds[0].argv))
		return;
	if (pl->n > 0)
		run_pipeline(pl, background);
}

static void run_line(const char *line)
{
	static struct pipeline pl;
	static char words[2 * MAXLINE];   /* $? can make a word longer */
	struct lexer lx = { line, words };
	struct moment start;
	enum token end;
	bool timed;

	do {
		end = parse_pipeline(&lx, &pl);
		if (end == T_PIPE) {
			fprintf(stderr, "sh: syntax error\n");
			last_status = 2;
			return;
		}
		if ((timed = strip_time(&pl)))
			start = now();
		run_commands(&pl, end == T_AMP);
		if (timed)
			report_time(start);
	} while (end != T_END);
}

/* Background jobs that ended since the last prompt, so none stays a zombie. */
static void reap_jobs(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (interactive)
			fprintf(stderr, "[%d] done, status %d\n", pid, exit_code(status));
}

static void prompt(void)
{
	reap_jobs();
	if (interactive)
		fprintf(stderr, "$ ");
}

/* One byte at a time: what follows the line belongs to the commands we
 * start (as in `printf 'cat\nhello\n' | sh`), so it must stay unread.
 * Ctrl-C (EINTR) starts the line over at a new prompt. */
static bool read_line(char *buf, int size)
{
	int n = 0;
	char c = 0;
	ssize_t r;

	while ((r = read(0, &c, 1)) == 1 || (r < 0 && errno == EINTR)) {
		if (r < 0) {
			n = 0;
			prompt();
			continue;
		}
		if (c == '\n')
			break;
		if (n < size - 1)
			buf[n++] = c;
	}
	buf[n] = '\0';
	return n > 0 || c == '\n';
}

int main(int argc, char **argv)
{
	static char line[MAXLINE];

	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		if (strlen(argv[2]) >= MAXLINE) {      /* what a typed line may hold */
			fprintf(stderr, "sh: -c: command longer than %d characters\n", MAXLINE - 1);
			return 2;
		}
		run_line(argv[2]);
		return last_status;
	}
	interactive = isatty(0);
	if (interactive) {
		set_job_signals(SIG_IGN);
		sigaction_simple(SIGINT, interrupted);
		setpgid(0, 0);
		give_terminal(getpgrp());
	}
	for (;;) {
		prompt();
		if (!read_line(line, sizeof line))
			break;
		run_line(line);
	}
	return last_status;
}
