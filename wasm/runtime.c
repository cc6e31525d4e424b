// The little C library the Embedded Swift grader needs on wasm32-unknown-none-wasm, where there is
// no libc: a size-class allocator over linear memory, memcmp, 128-bit multiply and a fixed seed
// for hashing. Only scripts/build-wasm.sh compiles this file; the native build never sees it.
#include <stddef.h>
#include <stdint.h>

extern unsigned char __heap_base;
static uintptr_t heap_top = 0;
static uintptr_t heap_end = 0;
// Free blocks by size class: class k holds blocks of 16 << k bytes (header included).
#define CLASSES 27
static void *free_lists[CLASSES];

static int size_class(size_t size) {
    size_t need = size + 16;
    int k = 0;
    while (((size_t)16 << k) < need) {
        k++;
        if (k >= CLASSES) return -1;
    }
    return k;
}

static void *take(size_t bytes) {
    if (heap_top == 0) heap_top = ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
    if (heap_end == 0) heap_end = __builtin_wasm_memory_size(0) * 65536;
    while (heap_top + bytes > heap_end) {
        size_t pages = (heap_top + bytes - heap_end + 65535) / 65536;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
        heap_end += pages * 65536;
    }
    void *block = (void *)heap_top;
    heap_top += bytes;
    return block;
}

void *malloc(size_t size) {
    int k = size_class(size);
    if (k < 0) return 0;
    unsigned char *block = free_lists[k];
    if (block) {
        free_lists[k] = *(void **)(block + 16);
    } else {
        block = take((size_t)16 << k);
        if (!block) return 0;
    }
    *(uint32_t *)block = (uint32_t)k;
    return block + 16;
}

void free(void *pointer) {
    if (!pointer) return;
    unsigned char *block = (unsigned char *)pointer - 16;
    int k = (int)*(uint32_t *)block;
    *(void **)(block + 16) = free_lists[k];
    free_lists[k] = block;
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    if (alignment > 16) return 12;
    void *pointer = malloc(size);
    if (!pointer) return 12;
    *out = pointer;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t size) {
    void *pointer = 0;
    return posix_memalign(&pointer, alignment, size) == 0 ? pointer : 0;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

// Hashing seeds: the grader's results never depend on hash order, so a fixed seed is enough.
void arc4random_buf(void *buffer, size_t n) {
    unsigned char *bytes = buffer;
    for (size_t i = 0; i < n; i++) bytes[i] = (unsigned char)(0x5A + 31 * i);
}

// 128-bit multiply (low 128 bits), for overflow-checked 64-bit arithmetic.
typedef struct { uint64_t low, high; } u128;
u128 __multi3(uint64_t a_low, uint64_t a_high, uint64_t b_low, uint64_t b_high) {
    uint64_t a0 = a_low & 0xffffffffu, a1 = a_low >> 32;
    uint64_t b0 = b_low & 0xffffffffu, b1 = b_low >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t middle = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    u128 result;
    result.low = (p00 & 0xffffffffu) | (middle << 32);
    result.high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32) + a_low * b_high + a_high * b_low;
    return result;
}

// Round half away from zero (Swift's `rounded()`); wasm's own f64.nearest rounds half to even.
double round(double x) {
    double whole = __builtin_trunc(x);
    if (__builtin_fabs(x - whole) >= 0.5) whole += __builtin_copysign(1.0, x);
    return whole;
}
