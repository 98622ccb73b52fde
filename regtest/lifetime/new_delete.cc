// C++ allocation: new and delete in every form the preload wraps (plain,
// array, sized, aligned, nothrow), a bad_alloc thrown through the wrapper
// of operator new, and a mismatched delete.  check_new_delete reads what
// lifetime.out says of each.
#include <cstdio>
#include <new>

// Keeps the compiler from removing an allocation it can see through.
template <typename T>
T* keep(T* p) {
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
}

struct alignas(64) Aligned {
  char data[64];
};

struct Counted {
  long value = 1;
  ~Counted() { keep(this); }  // not trivial: delete[] gets the count
};

volatile size_t g_huge = size_t{1} << 62;

__attribute__((noinline)) long single() {
  long* p = keep(new long(41));
  long v = *p + 1;
  delete p;  // sized: operator delete(void*, size_t)
  return v;
}

__attribute__((noinline)) long array() {
  Counted* a = keep(new Counted[10]);
  long v = a[9].value;
  delete[] a;
  return v;
}

__attribute__((noinline)) long aligned_single() {
  Aligned* p = keep(new Aligned);
  p->data[63] = 7;
  long v = p->data[63];
  delete p;  // operator delete(void*, size_t, align_val_t)
  return v;
}

__attribute__((noinline)) long aligned_array() {
  Aligned* p = keep(new Aligned[3]);
  p[2].data[0] = 3;
  long v = p[2].data[0];
  delete[] p;
  return v;
}

__attribute__((noinline)) long no_throw() {
  int* p = keep(new (std::nothrow) int[4]);
  p[0] = 5;
  long v = p[0];
  delete[] p;
  return v;
}

__attribute__((noinline)) long too_big() {
  try {
    char* p = keep(new char[g_huge]);
    return p[0];
  } catch (const std::bad_alloc&) {
    return 1;
  }
}

// After the exception unwound through the wrapper, allocations still count.
__attribute__((noinline)) long after_throw() {
  long* p = keep(new long(2));
  long v = *p;
  delete p;
  return v;
}

__attribute__((noinline)) void mismatched() {
  int* p = keep(new int[2]);
  p[0] = 1;
  ::operator delete(p);  // memory from new[] given to delete
}

// Sized delete told the wrong size.
__attribute__((noinline)) void wrong_size() {
  long* p = keep(new long(3));
  ::operator delete(p, 2 * sizeof(long));
}

// With an argument, no bad_alloc: DHAT, which dhat_differential compares
// with, cannot throw one (it aborts the program instead).
int main(int argc, char**) {
  long total = single() + array() + aligned_single() + aligned_array() + no_throw();
  if (argc < 2) total += too_big();
  total += after_throw();
  mismatched();
  wrong_size();
  std::printf("%ld\n", total);
  return 0;
}
