//! The verifier module's runtime without std: a small allocator and a panic handler that traps.
//!
//! The allocator hands out power-of-two blocks (16 bytes and up), one free list per size, carved
//! from memory grown on demand. The verifier allocates a few strings and buffers per call and frees
//! them, so freed blocks are reused at once; nothing is coalesced or given back (wasm memory cannot
//! shrink). dlmalloc, std's allocator, was the largest single part of the module.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr;

const PAGE: usize = 65536;
/// Every block is at least 16 bytes and 16-byte aligned.
const MIN_SHIFT: u32 = 4;
const MIN_ALIGN: usize = 1 << MIN_SHIFT;
/// Size classes 16 B, 32 B, … 2 GiB (a layout's size is below 2 GiB on wasm32).
const CLASSES: usize = 28;

struct State {
    /// Head of each class's free list; a free block starts with the address of the next one.
    free: [*mut u8; CLASSES],
    /// Start of the unused part of the memory grown so far.
    next: usize,
    /// End of the memory grown so far.
    end: usize,
}

struct Heap(UnsafeCell<State>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs a single thread.
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap(UnsafeCell::new(State { free: [ptr::null_mut(); CLASSES], next: 0, end: 0 }));

/// The size class of a layout: blocks of `16 << class` bytes.
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(MIN_ALIGN);
    (usize::BITS - (size - 1).leading_zeros() - MIN_SHIFT) as usize
}

impl State {
    /// A new block of `size` bytes aligned to `align` (at least 16), growing memory when needed.
    fn carve(&mut self, size: usize, align: usize) -> *mut u8 {
        let align_up = |at: usize| at.checked_add(align - 1).map(|a| a & !(align - 1));
        let mut start = align_up(self.next);
        if start.and_then(|s| s.checked_add(size)).is_none_or(|end| end > self.end) {
            let Some(pages) = size.checked_add(align).map(|n| n.div_ceil(PAGE)) else { return ptr::null_mut() };
            let previous = wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return ptr::null_mut();
            }
            let base = previous * PAGE;
            if base != self.end {
                // Not contiguous with the heap so far (first growth): start over at the new memory.
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = align_up(self.next);
        }
        match start {
            Some(s) => {
                self.next = s + size;
                s as *mut u8
            }
            None => ptr::null_mut(),
        }
    }
}

// SAFETY: blocks never overlap: each is carved once from memory past every earlier block, and a
// freed block is handed out again only after `dealloc` put it on its class's list. A block is at
// least as large as every layout of its class, and aligned to 16 (or to a larger layout alignment,
// for which the free lists are skipped).
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and no reference to the state outlives this call.
        let state = unsafe { &mut *self.0.get() };
        let c = class(layout);
        let head = state.free[c];
        if !head.is_null() && layout.align() <= MIN_ALIGN {
            // SAFETY: `head` is a free block of this class; its first word is the next free block.
            state.free[c] = unsafe { head.cast::<*mut u8>().read() };
            return head;
        }
        state.carve(MIN_ALIGN << c, layout.align().max(MIN_ALIGN))
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`; `ptr` is a block of `layout`'s class, at least 16 bytes and aligned.
        unsafe {
            let state = &mut *self.0.get();
            let c = class(layout);
            ptr.cast::<*mut u8>().write(state.free[c]);
            state.free[c] = ptr;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with `layout`'s alignment is a valid layout.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if class(new_layout) == class(layout) {
            return ptr;
        }
        // SAFETY: `new` is a fresh block, distinct from `ptr`; both hold the bytes copied.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

hookwright::if_no_std! {
    /// Panics trap (`unreachable`), as they did with std and panic=abort, where formatting the
    /// message was what pulled `core::fmt` into the module.
    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        wasm32::unreachable()
    }
}
