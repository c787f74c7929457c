/*
 * The vDSO (Linux's arch/x86/entry/vdso/): clock_gettime, gettimeofday,
 * time and getcpu answered in user mode, without a system call. Its code
 * (vdso/vclock.c) is a small shared object that the kernel carries
 * (vdso/image.S) and maps into every process at exec, read + execute, as
 * [vdso]; below it, read-only, the data page [vvar] with the time base
 * (vdso/vvar.h). The auxiliary vector's AT_SYSINFO_EHDR tells the C
 * library where it is. Every process maps the same frames: fork shares
 * them, exit drops its references, and the kernel keeps one of its own.
 */
#include "kernel.h"
#include "arch/x86/vdso.h"
#include "arch/x86/vdso/vvar.h"
#include "arch/x86/timer.h"
#include "arch/x86/memlayout.h"
#include "drivers/rtc.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"

#define VDSO_MAX_PAGES (USER_VDSO_SIZE / PAGE_SIZE - 1)     /* [vvar] takes one */

extern const uint8_t vdso_image[], vdso_image_end[];

static void *vdso_pages[VDSO_MAX_PAGES];
static unsigned vdso_npages;
static void *vvar_page;

void vdso_init(void)
{
	size_t size = vdso_image_end - vdso_image;
	struct vvar *vv;

	vdso_npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	assert(vdso_npages <= VDSO_MAX_PAGES);
	for (unsigned i = 0; i < vdso_npages; i++) {
		if (!(vdso_pages[i] = page_zalloc()))
			panic("vdso: out of memory");
		memcpy(vdso_pages[i], vdso_image + i * PAGE_SIZE, MIN(PAGE_SIZE, size - i * PAGE_SIZE));
	}
	if (!(vv = vvar_page = page_zalloc()))
		panic("vdso: out of memory");
	timer_fill_vvar(vv);
	vv->realtime_offset = realtime_offset_ns();
}

/* One region of the kernel's pages at va, each page one more reference. */
static bool map_special(struct mm *mm, uintptr_t va, void *const *pages, unsigned n,
			unsigned flags, const char *name)
{
	flags |= VM_SPECIAL;
	if (!vma_add(mm, va, va + n * PAGE_SIZE, flags, name))
		return false;
	for (unsigned i = 0; i < n; i++) {
		pte_t *pte = walk(mm->pgd, va + i * PAGE_SIZE, true);
		if (!pte)
			return false;
		page_get(pages[i]);
		*pte = vma_make_pte(V2P(pages[i]), flags);
	}
	return true;
}

/*
 * Above the stack, ending at USER_VDSO_TOP; [vvar] is the page below the
 * vDSO's header, where vclock.c looks for it. There the two share the
 * stack's page tables: anywhere else they would need a branch of tables
 * of their own, which every fork would copy and every exit and RSS count
 * scan (a fork + exit + wait measured 40% dearer that way).
 */
uintptr_t vdso_map(struct mm *mm)
{
	uintptr_t vdso = USER_VDSO_TOP - vdso_npages * PAGE_SIZE, vvar = vdso - PAGE_SIZE;

	if (!map_special(mm, vvar, &vvar_page, 1, VM_READ, "[vvar]") ||
	    !map_special(mm, vdso, vdso_pages, vdso_npages, VM_READ | VM_EXEC, "[vdso]"))
		return 0;
	return vdso;
}
