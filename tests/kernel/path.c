/* Path names: path_append's ".", "..", "//" and length limit, as the
 * initramfs and every *at() call use it, and the lookup that the *at()
 * calls add (names followed by '/' must be directories that exist). */
#include "kernel.h"
#include "ktest.h"
#include "uapi/errno.h"
#include "fs/file.h"

static void expect_append(int line, const char *base, const char *path, const char *want)
{
	char out[64];
	int err;

	strlcpy(out, base, sizeof(out));
	err = path_append(out, sizeof(out), path, false);
	if (err || strcmp(out, want) != 0)
		ktest_fail(__FILE__, line, "'%s' + '%s' gave '%s' (%d), want '%s'", base, path,
			   out, err, want);
}
#define EXPECT_APPEND(base, path, want) expect_append(__LINE__, base, path, want)

KTEST(path_append_names)
{
	EXPECT_APPEND("/", "bin/sh", "/bin/sh");
	EXPECT_APPEND("/", "/bin/sh", "/bin/sh");
	EXPECT_APPEND("/usr", "bin", "/usr/bin");
	EXPECT_APPEND("/", "", "/");
	EXPECT_APPEND("/a/b", "", "/a/b");
	/* The initramfs's names. */
	EXPECT_APPEND("/", "./bin/x", "/bin/x");
	EXPECT_APPEND("/", ".", "/");
	EXPECT_APPEND("/", "./", "/");
	/* "." is nothing, ".." the parent, "//" one slash, a final '/' none. */
	EXPECT_APPEND("/a/b", ".", "/a/b");
	EXPECT_APPEND("/a/b", "./c/.", "/a/b/c");
	EXPECT_APPEND("/a/b", "..", "/a");
	EXPECT_APPEND("/a/b", "../..", "/");
	EXPECT_APPEND("/a/b", "../c", "/a/c");
	EXPECT_APPEND("/a/b", "c/../d", "/a/b/d");
	EXPECT_APPEND("/", "//x//y/", "/x/y");
	EXPECT_APPEND("/a", "x///", "/a/x");
	/* Above the root is the root. */
	EXPECT_APPEND("/", "..", "/");
	EXPECT_APPEND("/a", "../../..", "/");
	EXPECT_APPEND("/a/b", "../../../c", "/c");
	EXPECT_APPEND("/", "../x/../../y", "/y");
	/* Only exactly "." and ".." are special. */
	EXPECT_APPEND("/a", "...", "/a/...");
	EXPECT_APPEND("/a", ".x/..y/x..", "/a/.x/..y/x..");
}

KTEST(path_append_too_long)
{
	char out[8];

	/* "/abcdef" and its NUL fill 8 bytes exactly. */
	strlcpy(out, "/", sizeof(out));
	EXPECT_EQ(path_append(out, sizeof(out), "abcdef", false), 0);
	EXPECT(strcmp(out, "/abcdef") == 0);
	strlcpy(out, "/", sizeof(out));
	EXPECT_EQ(path_append(out, sizeof(out), "abcdefg", false), -ENAMETOOLONG);
	strlcpy(out, "/ab", sizeof(out));
	EXPECT_EQ(path_append(out, sizeof(out), "cd", false), 0);     /* "/ab/cd" */
	EXPECT_EQ(path_append(out, sizeof(out), "e", false), -ENAMETOOLONG);
	EXPECT(strlen(out) < sizeof(out));                  /* still a string */
	/* A long name that ".." takes away again never fits at all. */
	strlcpy(out, "/", sizeof(out));
	EXPECT_EQ(path_append(out, sizeof(out), "abcdefgh/..", false), -ENAMETOOLONG);
}

/* path_resolve looks up what it goes through: ".." only after a directory
 * that exists, a final '/' only after a directory, as Linux's walk. It
 * ignores the cwd for an absolute path; "" names nothing. (ktests run
 * before the initramfs is loaded: /proc is what exists.) */
KTEST(path_resolve_lookup)
{
	char res[32];

	EXPECT_EQ(path_resolve("/proc/./../proc//stat", res, sizeof(res)), 0);
	EXPECT(strcmp(res, "/proc/stat") == 0);
	EXPECT_EQ(path_resolve("/proc/", res, sizeof(res)), 0);
	EXPECT(strcmp(res, "/proc") == 0);
	EXPECT_EQ(path_resolve("/x/./y/../z", res, sizeof(res)), -ENOENT);
	EXPECT_EQ(path_resolve("/nonexistent/../proc/stat", res, sizeof(res)), -ENOENT);
	EXPECT_EQ(path_resolve("/proc/stat/", res, sizeof(res)), -ENOTDIR);
	EXPECT_EQ(path_resolve("/proc/stat/../stat", res, sizeof(res)), -ENOTDIR);
	EXPECT_EQ(path_resolve("/proc/stat/.", res, sizeof(res)), -ENOTDIR);
	EXPECT_EQ(path_resolve("", res, sizeof(res)), -ENOENT);
}
