/*
 * execve: replace the current program with a static ELF64 executable
 * from the root file system. The new address space is built completely (segments,
 * stack, arguments) before the old one is touched, so a failed exec
 * returns an error to a caller whose image is intact.
 */
#include "kernel.h"
#include "fs/exec.h"
#include "fs/elf.h"
#include "uapi/errno.h"
#include "fs/file.h"
#include "fs/ramfs.h"
#include "mm/slab.h"
#include "arch/x86/memlayout.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "sched.h"
#include "arch/x86/tlb.h"
#include "sys.h"
#include "syscall.h"
#include "task.h"
#include "arch/x86/trap.h"
#include "arch/x86/vdso.h"
#include "uapi/uapi.h"
#include "arch/x86/x86.h"

#define ARG_MAX         (256 * 1024)    /* argument and environment bytes */
#define MAX_ARG_STRLEN  (128 * 1024)    /* one string, as Linux */
#define ET_DYN_BASE     0x555555554000  /* where a static PIE goes, as Linux */

/* argv or envp: an array of string pointers, in user or kernel memory. */
struct strvec {
	const char *const *ptrs;
	bool user;
};

static int get_ptr(const struct strvec *v, size_t i, const char **out)
{
	if (!v->ptrs) {
		*out = NULL;
		return 0;
	}
	if (!v->user) {
		*out = v->ptrs[i];
		return 0;
	}
	return copy_from_user(out, &v->ptrs[i], sizeof(*out));
}

static int get_bytes(const struct strvec *v, void *dst, const char *src, size_t n)
{
	if (!v->user) {
		memcpy(dst, src, n);
		return 0;
	}
	return copy_from_user(dst, src, n);
}

/* Length of string s of v, without its NUL; -EFAULT or -E2BIG. */
static long vec_strlen(const struct strvec *v, const char *s)
{
	char buf[128];
	size_t len = 0;

	while (len < MAX_ARG_STRLEN) {
		/* stop each chunk at a page end: no read may touch a page
		 * the string does not reach */
		size_t chunk = MIN(sizeof(buf), PAGE_SIZE - (((uintptr_t)s + len) & (PAGE_SIZE - 1)));
		char *nul;

		if (get_bytes(v, buf, s + len, chunk))
			return -EFAULT;
		if ((nul = memchr(buf, '\0', chunk)))
			return len + (nul - buf);
		len += chunk;
	}
	return -E2BIG;
}

/* Count v's strings and the bytes they need (NULs included). */
static long measure(const struct strvec *v, size_t *count, size_t *bytes)
{
	const char *s;

	*count = *bytes = 0;
	for (;;) {
		if (get_ptr(v, *count, &s))
			return -EFAULT;
		if (!s)
			return 0;
		long len = vec_strlen(v, s);
		if (len < 0)
			return len;
		*bytes += len + 1;
		if (++*count > ARG_MAX / 8 || *bytes > ARG_MAX)
			return -E2BIG;
	}
}

/*
 * Copy v's count strings into the new stack at *str (advancing it) and
 * their addresses into the pointer array at ptrs, then its NULL.
 */
static int copy_strings(struct mm *mm, const struct strvec *v, size_t count,
			uintptr_t *str, uintptr_t ptrs)
{
	char buf[256];

	for (size_t i = 0; i < count; i++) {
		const char *s;
		long len;

		if (get_ptr(v, i, &s) || !s || (len = vec_strlen(v, s)) < 0)
			return -EFAULT;         /* changed under us since measure() */
		if (copy_to_mm(mm, ptrs + 8 * i, str, 8))
			return -EFAULT;
		for (long off = 0; off <= len; off += sizeof(buf)) {
			size_t chunk = MIN(sizeof(buf), (size_t)(len + 1 - off));
			if (get_bytes(v, buf, s + off, chunk))
				return -EFAULT;
			if (off + (long)chunk == len + 1)
				buf[chunk - 1] = '\0';
			if (copy_to_mm(mm, *str + off, buf, chunk))
				return -EFAULT;
		}
		*str += len + 1;
	}
	return copy_to_mm(mm, ptrs + 8 * count, &(uint64_t){ 0 }, 8);
}

/* ---- ELF ---- */

int check_elf(const uint8_t *head, size_t headlen, size_t size)
{
	const Elf64_Ehdr *eh = (const void *)head;
	const Elf64_Phdr *ph;
	uintptr_t base;
	int loads = 0;

	if (headlen < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, 4) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 64 ||
	    eh->e_phoff > headlen || headlen - eh->e_phoff < eh->e_phnum * sizeof(Elf64_Phdr) ||
	    eh->e_entry >= USER_MMAP_TOP)
		return -ENOEXEC;
	ph = (const void *)(head + eh->e_phoff);
	base = eh->e_type == ET_DYN ? ET_DYN_BASE : 0;     /* as load_elf places it */
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return -ENOEXEC;        /* dynamically linked: no loader here */
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > size ||
		    size - ph[i].p_offset < ph[i].p_filesz ||
		    (ph[i].p_vaddr - ph[i].p_offset) % PAGE_SIZE ||
		    ph[i].p_vaddr + ph[i].p_memsz < ph[i].p_vaddr ||
		    ph[i].p_vaddr + ph[i].p_memsz > USER_MMAP_TOP - base)
			return -ENOEXEC;
		if ((ph[i].p_flags & PF_W) && (ph[i].p_flags & PF_X))
			return -ENOEXEC;        /* writable and executable: refused */
		loads++;
	}
	return loads ? 0 : -ENOEXEC;
}

static unsigned seg_flags(uint32_t pf)
{
	return (pf & PF_R ? VM_READ : 0) | (pf & PF_W ? VM_WRITE : 0) | (pf & PF_X ? VM_EXEC : 0);
}

/*
 * Map one PT_LOAD segment at base + p_vaddr: a region with its
 * permissions, and pages filled from the file, zeroed past p_filesz. The
 * pages wholly past the file's bytes (most of .bss) are left to the page
 * fault, as anonymous memory: a program pays only for what it touches, and
 * so does every fork of it. A page the previous segment already holds
 * (segments may share a page at their boundary) is kept, and goes to this
 * region with both permissions.
 */
static int load_segment(struct mm *mm, struct inode *file, const Elf64_Phdr *ph,
			uintptr_t base, const char *name)
{
	uintptr_t va = base + ph->p_vaddr, start = ALIGN_DOWN(va, PAGE_SIZE);
	uintptr_t end = ALIGN_UP(va + ph->p_memsz, PAGE_SIZE);
	unsigned flags = seg_flags(ph->p_flags);
	struct vma *prev = vma_lookup(mm, start);

	if (prev) {
		if (prev->end != start + PAGE_SIZE || ((prev->flags | flags) & (VM_WRITE | VM_EXEC)) ==
		    (VM_WRITE | VM_EXEC))
			return -ENOEXEC;        /* overlapping segments */
		flags |= prev->flags;
		prev->end = start;
		if (prev->start == prev->end) {
			list_del(&prev->node);
			kfree(prev);
		}
	}
	if (!range_is_free(mm, start, end))
		return -ENOEXEC;        /* segments out of order, or overlapping */
	if (!vma_add(mm, start, end, flags, name))
		return -ENOMEM;
	end = ALIGN_UP(va + ph->p_filesz, PAGE_SIZE);      /* the pages with file bytes */
	for (uintptr_t page = start; page < end; page += PAGE_SIZE) {
		pte_t pte = lookup_pte(mm->pgd, page);
		uint8_t *kva = pte ? P2V(pte & PTE_ADDR) : page_zalloc();
		if (!kva || (!pte && map_page(mm->pgd, page, V2P(kva), 0) < 0)) {
			if (kva && !pte)
				page_put(kva);
			return -ENOMEM;
		}
		/* the part of [va, va + filesz) inside this page */
		uintptr_t from = MAX(page, va), to = MIN(page + PAGE_SIZE, va + ph->p_filesz);
		if (from < to && ramfs_pread_kernel(file, kva + (from - page), to - from,
						     ph->p_offset + (from - va)) != (long)(to - from))
			return -ENOEXEC;        /* cut short since check_elf looked */
	}
	return 0;
}

static void set_image_pte(pte_t *pte, void *vma)
{
	*pte = vma_make_pte(*pte & PTE_ADDR, ((struct vma *)vma)->flags);
}

/* Give every page of the image the entry bits its region asks for. */
static void set_image_ptes(struct mm *mm)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, node)
		walk_range(mm->pgd, v->start, v->end, &(struct pt_walk_ops){ .pte = set_image_pte }, v);
}

struct image {
	uintptr_t entry, phdr, brk;
	uintptr_t vdso;                 /* the vDSO's ELF header */
	unsigned phnum;
};

/* The text and data bounds /proc/PID/stat shows: as Linux, the executable
 * segment's file-backed part is the code, the writable one's the data. */
static void note_segment(struct mm *mm, const Elf64_Phdr *ph, uintptr_t base)
{
	struct mm_layout *l = &mm->layout;
	uintptr_t start = base + ph->p_vaddr, end = start + ph->p_filesz;

	if (ph->p_flags & PF_X) {
		l->start_code = l->start_code ? MIN(l->start_code, start) : start;
		l->end_code = MAX(l->end_code, end);
	} else if (ph->p_flags & PF_W) {
		l->start_data = l->start_data ? MIN(l->start_data, start) : start;
		l->end_data = MAX(l->end_data, end);
	}
}

/* Map the segments of the checked image whose headers are in eh. */
static int load_image(struct mm *mm, struct inode *file, const char *name, struct image *img,
		      const Elf64_Ehdr *eh)
{
	const Elf64_Phdr *ph = (const void *)((const uint8_t *)eh + eh->e_phoff);
	uintptr_t base = eh->e_type == ET_DYN ? ET_DYN_BASE : 0;
	int err;

	img->entry = base + eh->e_entry;
	img->phnum = eh->e_phnum;
	img->phdr = img->brk = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_PHDR)
			img->phdr = base + ph[i].p_vaddr;
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((err = load_segment(mm, file, &ph[i], base, name)))
			return err;
		note_segment(mm, &ph[i], base);
		/* the headers, if PT_PHDR did not say, are where they are in the file */
		if (!img->phdr && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff < ph[i].p_offset + ph[i].p_filesz)
			img->phdr = base + ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
		img->brk = MAX(img->brk, ALIGN_UP(base + ph[i].p_vaddr + ph[i].p_memsz, PAGE_SIZE));
	}
	set_image_ptes(mm);
	return 0;
}

/* The headers are read from the file's first page: linkers put them there. */
static int load_elf(struct mm *mm, struct inode *file, const char *name, struct image *img)
{
	uint8_t *head = kmalloc(PAGE_SIZE);
	long headlen = head ? ramfs_pread_kernel(file, head, PAGE_SIZE, 0) : -ENOMEM;
	int err = headlen < 0 ? headlen : check_elf(head, headlen, file->size);

	if (!err)
		err = load_image(mm, file, name, img, (const void *)head);
	kfree(head);
	return err;
}

/* ---- the initial stack ---- */

/*
 * Linux's layout, from the top of the stack down:
 *   16 random bytes (AT_RANDOM), the program's path (AT_EXECFN), the
 *   argument and environment strings; then, 16-byte aligned at the
 *   bottom: argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 */
static int build_stack(struct mm *mm, const char *path, const struct strvec *argv,
		       const struct strvec *envp, const struct image *img, uintptr_t *sp_out)
{
	size_t argc, envc, argbytes, envbytes, pathlen = strlen(path) + 1;
	uint64_t random[2] = { random_u64(), random_u64() };
	uintptr_t top = USER_STACK_TOP, sp, strings, execfn, rnd;
	long err;

	if ((err = measure(argv, &argc, &argbytes)) || (err = measure(envp, &envc, &envbytes)))
		return err;
	if (argbytes + envbytes + 8 * (argc + envc) > ARG_MAX)
		return -E2BIG;
	rnd = top - 16;
	execfn = rnd - pathlen;
	strings = execfn - argbytes - envbytes;
	uint64_t auxv[][2] = {
		{ AT_SYSINFO_EHDR, img->vdso },
		{ AT_PHDR, img->phdr }, { AT_PHENT, sizeof(Elf64_Phdr) }, { AT_PHNUM, img->phnum },
		{ AT_PAGESZ, PAGE_SIZE }, { AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
		{ AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
		{ AT_HWCAP, cpu_hwcap() }, { AT_CLKTCK, 100 }, { AT_SECURE, 0 },
		{ AT_RANDOM, rnd }, { AT_EXECFN, execfn }, { AT_NULL, 0 },
	};
	size_t words = 1 + (argc + 1) + (envc + 1) + 2 * ARRAY_SIZE(auxv);
	sp = ALIGN_DOWN(strings - 8 * words, 16);
	uintptr_t argv_at = sp + 8, envp_at = argv_at + 8 * (argc + 1);

	if (copy_to_mm(mm, rnd, random, sizeof(random)) ||
	    copy_to_mm(mm, execfn, path, pathlen) ||
	    copy_to_mm(mm, sp, &(uint64_t){ argc }, 8) ||
	    copy_to_mm(mm, envp_at + 8 * (envc + 1), auxv, sizeof(auxv)))
		return -EFAULT;
	mm->layout.arg_start = strings;
	if ((err = copy_strings(mm, argv, argc, &strings, argv_at)))
		return err;
	mm->layout.arg_end = mm->layout.env_start = strings;
	if ((err = copy_strings(mm, envp, envc, &strings, envp_at)))
		return err;
	mm->layout.env_end = strings;
	*sp_out = mm->layout.start_stack = sp;
	return 0;
}

/* ---- the switch to the new image ---- */

/* Past the point of no return: the new mm replaces the old one. */
static void install_image(struct mm *mm, const char *path, uintptr_t entry, uintptr_t sp)
{
	struct task *t = current;
	struct mm *old = t->mm;
	struct trapframe *tf = t->tf;
	const char *name = strrchr(path, '/');

	mm_release(t);                  /* a vfork parent may go on */
	t->mm = mm;
	load_mm(mm);
	account_mm_release(t, mmput(old));
	files_close_on_exec(t->files);
	sighand_reset_for_exec(t->sighand);
	reset_altstack(t);
	set_comm(t, name ? name + 1 : path);
	t->did_exec = true;
	/* A fresh register file: only rip and rsp matter; rdx = 0 tells the
	 * program no exit handler was registered (the ABI's rule). */
	*tf = (struct trapframe){ .rip = entry, .rsp = sp, .cs = USER_CS, .ss = USER_DS,
				  .rflags = RFLAGS_IF | 0x2 };
	t->fs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	fpu_reset(&t->fpu);
	fpu_restore(&t->fpu);
}

/*
 * The path of the program an mm runs: /proc/PID/exe gives it and the mm's
 * regions are named after it, while the file itself may be renamed or
 * deleted (and the program fork). So the mm holds a copy, shared with the
 * mms fork makes of it and freed with the last of them.
 */
struct exe_path {
	refcount_t refs;
	char path[];
};

static const char *exe_path_new(const char *path)
{
	size_t len = strlen(path) + 1;
	struct exe_path *e = kmalloc(sizeof(*e) + len);

	if (!e)
		return NULL;
	refcount_set(&e->refs, 1);
	memcpy(e->path, path, len);
	return e->path;
}

void exe_path_get(const char *path)
{
	if (path)
		refcount_inc(&container_of(path, struct exe_path, path)->refs);
}

void exe_path_put(const char *path)
{
	struct exe_path *e = path ? container_of(path, struct exe_path, path) : NULL;

	if (e && refcount_dec_and_test(&e->refs))
		kfree(e);
}

static long do_execve(const char *path, const struct strvec *argv, const struct strvec *envp)
{
	struct inode *file;
	struct image img;
	struct mm *mm;
	uintptr_t sp = 0;
	long err = is_proc(path) ? -EACCES : ramfs_get_file(path, &file);

	if (err)
		return err;
	if (!(mm = mm_alloc()) || !(mm->exe = exe_path_new(path))) {
		if (mm)
			mmput(mm);
		ramfs_put(file);
		return -ENOMEM;
	}
	/* Linux reads RLIMIT_STACK as it grows the stack; tasklab once, here,
	 * within the room its layout leaves below the stack. */
	mm->layout.stack_max = MIN(MAX(rlimit(RLIMIT_STACK), USER_STACK_START), USER_STACK_MAX);
	err = load_elf(mm, file, strrchr(mm->exe, '/') + 1, &img);
	ramfs_put(file);
	if (!err && !vma_add(mm, USER_STACK_TOP - USER_STACK_START, USER_STACK_TOP,
			     VM_READ | VM_WRITE | VM_GROWSDOWN, "[stack]"))
		err = -ENOMEM;
	if (!err && !(img.vdso = vdso_map(mm)))
		err = -ENOMEM;
	if (!err)
		err = build_stack(mm, path, argv, envp, &img, &sp);
	if (!err)
		err = de_thread();
	/* Past de_thread, a failure finds the process without its threads
	 * (as on Linux, where it is then killed); only memory can fail here. */
	if (!err)
		err = unshare_files();
	if (!err)
		err = unshare_sighand();
	if (err) {
		mmput(mm);
		return err;
	}
	mm->start_brk = mm->brk = img.brk;
	install_image(mm, path, img.entry, sp);
	return 0;
}

long kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	struct strvec a = { argv, false }, e = { envp, false };

	return do_execve(path, &a, &e);
}

long sys_execve(const char *upath, const char *const *uargv, const char *const *uenvp)
{
	struct strvec a = { uargv, true }, e = { uenvp, true };
	char path[256];
	long err = user_path(upath, path, sizeof(path));

	if (err)
		return err;
	return do_execve(path, &a, &e);
}

/*
 * The thread that called execve takes the place of its group leader: the
 * leader's pid, parent and place among the parent's children, so the
 * parent still sees one process. The old leader (a zombie by now) is
 * released. Under tasklist_lock.
 */
static void take_leader_place(struct task *t, struct task *leader)
{
	int tid = leader->tid;

	assert_held(&tasklist_lock);
	leader->tid = t->tid;
	t->tid = tid;
	list_del(&t->thread_node);
	list_init(&t->thread_group);
	t->group_leader = t;
	t->parent = leader->parent;
	t->exit_signal = leader->exit_signal;
	list_del(&leader->sibling);
	list_add_tail(&t->sibling, &t->parent->children);
	unlink_task(leader);
	wait_task_inactive(leader);     /* a zombie, maybe still switching away */
	leader->state = TASK_DEAD;
}

/*
 * execve in a multi-threaded process: every other thread dies first, as
 * in Linux's de_thread. Returns 0, or -EAGAIN if the process is already
 * exiting.
 */
int de_thread(void)
{
	struct task *t = current, *old_leader = NULL;
	struct signal_struct *sig = t->signal;

	spin_lock(&tasklist_lock);
	if (sig->nr_threads == 1 && t == t->group_leader) {
		spin_unlock(&tasklist_lock);
		return 0;
	}
	if (sig->group_exiting || sig->exec_task) {
		spin_unlock(&tasklist_lock);
		return -EAGAIN;
	}
	sig->exec_task = t;
	zap_other_threads(t);
	/* The vfork parent may be one of the threads we wait for (a
	 * CLONE_VFORK|CLONE_THREAD child execs): let it go, so it can die. */
	spin_unlock(&tasklist_lock);
	mm_release(t);
	spin_lock(&tasklist_lock);
	while (sig->nr_threads > 1)
		wait_sleep(&sig->exec_wait, &tasklist_lock, 0, 0);
	if (t != t->group_leader) {
		old_leader = t->group_leader;
		take_leader_place(t, old_leader);
		account_thread_gone(old_leader);
	}
	sig->exec_task = NULL;
	spin_unlock(&tasklist_lock);
	if (old_leader)
		task_free(old_leader);
	return 0;
}
