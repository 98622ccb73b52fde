// A pool allocator of its own, which tells lifetime about its blocks with
// the client requests of <unstuck/lifetime.h>: blocks carved from one
// malloc'd pool become objects of their own (check_custom_allocator).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unstuck/lifetime.h>

enum { kPoolBytes = 4096, kSlot = 64 };

struct Pool {
  char* memory;
  size_t used;
};

__attribute__((noinline)) static struct Pool pool_create(void) {
  struct Pool p = {malloc(kPoolBytes), 0};
  return p;
}

// Bump allocation in 64-byte slots.
__attribute__((noinline)) static void* pool_take(struct Pool* p, size_t size) {
  void* block = p->memory + p->used;
  p->used += (size + kSlot - 1) / kSlot * kSlot;
  UNSTUCK_LIFETIME_ALLOCATED(block, size);
  return block;
}

__attribute__((noinline)) static void pool_give(struct Pool* p, void* block) {
  (void)p;
  UNSTUCK_LIFETIME_FREED(block);
}

// In place when the slots allow, else moved to new slots.
__attribute__((noinline)) static void* pool_resize(struct Pool* p, void* block,
                                                   size_t old_size, size_t size) {
  void* to = block;
  if ((size + kSlot - 1) / kSlot > (old_size + kSlot - 1) / kSlot) {
    to = p->memory + p->used;
    p->used += (size + kSlot - 1) / kSlot * kSlot;
    memcpy(to, block, old_size);
  }
  UNSTUCK_LIFETIME_RESIZED(block, to, size);
  return to;
}

__attribute__((noinline)) static char* make_name(struct Pool* p) {
  char* name = pool_take(p, 32);
  strcpy(name, "a pooled name");
  return name;
}

__attribute__((noinline)) static long* make_numbers(struct Pool* p) {
  long* numbers = pool_take(p, 8 * sizeof(long));
  for (int i = 0; i < 8; ++i) numbers[i] = i * i;
  return numbers;
}

int main(void) {
  struct Pool pool = pool_create();
  char* name = make_name(&pool);
  long* numbers = make_numbers(&pool);
  long sum = 0;
  for (int i = 0; i < 8; ++i) sum += numbers[i];
  numbers = pool_resize(&pool, numbers, 8 * sizeof(long), 40 * sizeof(long));
  numbers[39] = 1;
  name = pool_resize(&pool, name, 32, 48);  // fits its slot: in place
  printf("%s %ld %ld\n", name, sum, numbers[7]);
  pool_give(&pool, numbers);
  pool_give(&pool, name);
  free(pool.memory);
  return 0;
}
