/* cpio_parse: synthetic newc archives, good and malformed, built here the
 * way the cpio tool writes them. */
#include "kernel.h"
#include "ktest.h"
#include "lib/format.h"
#include "fs/initramfs.h"

#define S_IFDIR 0040000
#define S_IFREG 0100000

static char arc[1024] __attribute__((aligned(4)));
static char moved[1024 + 4] __attribute__((aligned(4)));

/* Append one member at off: the 110-byte header ("070701" and 13 fields of
 * 8 hex digits), the name and its NUL padded to 4, the data padded to 4.
 * Returns the new end. */
static size_t put(size_t off, const char *name, uint32_t mode, uint32_t ino,
		  const char *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	snprintf(arc + off, sizeof(arc) - off,
		 "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 ino, mode, 0, 0, 1, 0, (unsigned)size, 0, 0, 0, 0, (unsigned)namesize, 0);
	off += 110;
	memcpy(arc + off, name, namesize);
	off = ALIGN_UP(off + namesize, 4);
	memcpy(arc + off, data, size);
	return ALIGN_UP(off + size, 4);
}

static size_t trailer(size_t off)
{
	return put(off, "TRAILER!!!", 0, 0, "", 0);
}

/* Where the good archive's members start. */
static size_t member_at[6];

/* ".", "./bin", "./bin/x" (6 bytes: data padding), "./empty", "./bin/y"
 * (5 bytes), then the trailer; the archive's length. */
static size_t build(void)
{
	size_t off = 0;

	memset(arc, 0, sizeof(arc));
	member_at[0] = off;
	off = put(off, ".", S_IFDIR | 0755, 1, "", 0);
	member_at[1] = off;
	off = put(off, "./bin", S_IFDIR | 0755, 2, "", 0);
	member_at[2] = off;
	off = put(off, "./bin/x", S_IFREG | 0755, 3, "hello\n", 6);
	member_at[3] = off;
	off = put(off, "./empty", S_IFREG | 0644, 4, "", 0);
	member_at[4] = off;
	off = put(off, "./bin/y", S_IFREG | 0600, 5, "\0\1\2\3\4", 5);
	member_at[5] = off;
	return trailer(off);
}

#define MAX_SEEN 8
struct seen {
	int n, stop_after;              /* stop_after: refuse the member after n of them */
	struct cpio_entry e[MAX_SEEN];
	char path[MAX_SEEN][64];        /* as the initrd names it */
};

static bool collect(const struct cpio_entry *e, void *arg)
{
	struct seen *s = arg;

	if (s->n >= MAX_SEEN || s->n == s->stop_after)
		return false;
	s->e[s->n] = *e;
	strlcpy(s->path[s->n], "/", sizeof(s->path[0]));
	if (path_append(s->path[s->n], sizeof(s->path[0]), e->name, false) < 0)
		strlcpy(s->path[s->n], "?", sizeof(s->path[0]));
	s->n++;
	return true;
}

/* Parse [base, base + len); the count returned must be what was collected. */
static int parse(const char *base, size_t len, struct seen *s, long *bad)
{
	int n;

	memset(s, 0, sizeof(*s));
	s->stop_after = -1;
	n = cpio_parse(base, base + len, collect, s, bad);
	EXPECT_EQ(n, s->n);
	return n;
}

static void expect_good_members(const char *base, struct seen *s)
{
	static const struct { const char *name, *path; uint32_t mode; size_t size; } want[] = {
		{ ".", "/", S_IFDIR | 0755, 0 },
		{ "./bin", "/bin", S_IFDIR | 0755, 0 },
		{ "./bin/x", "/bin/x", S_IFREG | 0755, 6 },
		{ "./empty", "/empty", S_IFREG | 0644, 0 },
		{ "./bin/y", "/bin/y", S_IFREG | 0600, 5 },
	};

	for (int i = 0; i < s->n && i < (int)ARRAY_SIZE(want); i++) {
		const struct cpio_entry *e = &s->e[i];
		EXPECT(strcmp(e->name, want[i].name) == 0);
		EXPECT(strcmp(s->path[i], want[i].path) == 0);
		EXPECT_EQ(e->mode, want[i].mode);
		EXPECT_EQ(e->ino, i + 1);
		EXPECT_EQ(e->size, want[i].size);
		/* The data is in the archive, 4-aligned from its start. */
		EXPECT((const char *)e->data >= base && (const char *)e->data < base + sizeof(arc));
		EXPECT_EQ(((const char *)e->data - base) % 4, 0);
	}
	if (s->n >= 5) {
		EXPECT(memcmp(s->e[2].data, "hello\n", 6) == 0);
		EXPECT(memcmp(s->e[4].data, "\0\1\2\3\4", 5) == 0);
	}
}

KTEST(cpio_good_archive)
{
	size_t len = build();
	struct seen s;
	long bad;

	EXPECT_EQ(parse(arc, len, &s, &bad), 5);
	EXPECT_EQ(bad, -1);                     /* ended by its trailer */
	expect_good_members(arc, &s);
	/* Nothing after the trailer is read. */
	memset(arc + len, 'x', 200);
	EXPECT_EQ(parse(arc, len + 200, &s, &bad), 5);
	EXPECT_EQ(bad, -1);
	/* Hex digits in capitals are hex digits too. */
	len = build();
	memcpy(arc + member_at[2] + 6 + 8, "000081ED", 8);      /* mode */
	EXPECT_EQ(parse(arc, len, &s, &bad), 5);
	EXPECT_EQ(s.e[2].mode, S_IFREG | 0755);
	/* An empty archive: nothing, and no trailer either. */
	EXPECT_EQ(parse(arc, 0, &s, &bad), 0);
	EXPECT_EQ(bad, 0);
	/* The callback stops the walk where it likes. */
	len = build();
	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	EXPECT_EQ(cpio_parse(arc, arc + len, collect, &s, &bad), 2);
	EXPECT_EQ(bad, (long)member_at[2]);
}

/* newc pads to 4 bytes from the archive's start, wherever it lies in memory. */
KTEST(cpio_unaligned_archive)
{
	size_t len = build();
	struct seen s;
	long bad;

	memcpy(moved + 1, arc, len);
	EXPECT_EQ(parse(moved + 1, len, &s, &bad), 5);
	EXPECT_EQ(bad, -1);
	expect_good_members(moved + 1, &s);
}

/* A bad member stops the walk: the members before it are kept, and *bad
 * says where it is. */
static void expect_cut(int line, size_t len, int want_n, size_t want_bad)
{
	struct seen s;
	long bad;
	int n = parse(arc, len, &s, &bad);

	if (n != want_n || bad != (long)want_bad)
		ktest_fail(__FILE__, line, "%d members, stopped at %ld; want %d at %zu",
			   n, bad, want_n, want_bad);
	expect_good_members(arc, &s);
}
#define EXPECT_CUT(len, n, at) expect_cut(__LINE__, len, n, at)

/* Field i of the header of member m. */
static char *field(int m, int i)
{
	return arc + member_at[m] + 6 + 8 * i;
}

KTEST(cpio_malformed)
{
	size_t len;

	len = build();
	memcpy(arc + member_at[2], "070707", 6);        /* old binary magic */
	EXPECT_CUT(len, 2, member_at[2]);
	len = build();
	memcpy(arc + member_at[0], "070702", 6);        /* newc with CRC: not ours */
	EXPECT_CUT(len, 0, 0);
	len = build();
	field(3, 6)[7] = 'g';                           /* bad hex in the size */
	EXPECT_CUT(len, 3, member_at[3]);
	len = build();
	field(1, 11)[0] = ' ';                          /* in the name size */
	EXPECT_CUT(len, 1, member_at[1]);
	len = build();
	field(4, 1)[3] = 'x';                           /* in the mode */
	EXPECT_CUT(len, 4, member_at[4]);
	len = build();
	field(4, 0)[0] = '-';                           /* in the inode */
	EXPECT_CUT(len, 4, member_at[4]);

	/* A size past the end: by a byte, and by nearly 4 GiB. */
	len = build();
	memcpy(field(2, 6), "00000400", 8);
	EXPECT_CUT(len, 2, member_at[2]);
	len = build();
	memcpy(field(2, 6), "fffffff0", 8);
	EXPECT_CUT(len, 2, member_at[2]);
	len = build();
	memcpy(field(2, 11), "ffffffff", 8);           /* a name past the end */
	EXPECT_CUT(len, 2, member_at[2]);
	len = build();
	memcpy(field(4, 11), "00000000", 8);           /* no name at all */
	EXPECT_CUT(len, 4, member_at[4]);
	/* A name without its NUL: "./bin/x" claims 7 bytes. */
	len = build();
	memcpy(field(2, 11), "00000007", 8);
	EXPECT_CUT(len, 2, member_at[2]);

	/* Cut short: in the last member's data, in a header, before the
	 * trailer. */
	len = build();
	EXPECT_CUT(member_at[5] - 4, 4, member_at[4]);  /* its last data byte */
	EXPECT_CUT(member_at[5] - 1, 5, member_at[5] - 1);      /* only padding: no trailer */
	EXPECT_CUT(member_at[3] + 50, 3, member_at[3]);
	EXPECT_CUT(member_at[5], 5, member_at[5]);
	EXPECT_CUT(100, 0, 0);
}
