/* Atomics: lock xadd, cmpxchg (succeeding and failing) and xchg move
   labels like the plain operations.  input: 4 bytes "\x01\x02\x03\x04". */
#include <stdint.h>

#include "taint_test.h"

int main(int argc, char** argv) {
  (void)argc;
  static uint8_t in[4];
  read_input(argv[1], in, sizeof in);

  static long counter;
  counter = in[0];
  long before = __atomic_fetch_add(&counter, (long)in[1], __ATOMIC_SEQ_CST);
  show("fetch_add: old value", &before, sizeof before);
  show("fetch_add: counter", &counter, sizeof counter);

  static long x = 10, y = 20, z = 30;
  long expected = 10, desired = in[2];
  int swapped = __atomic_compare_exchange_n(&x, &expected, desired, 0, __ATOMIC_SEQ_CST,
                                            __ATOMIC_SEQ_CST);
  show("cmpxchg that succeeds: x", &x, sizeof x);
  long wrong = 99;
  int not_swapped = __atomic_compare_exchange_n(&y, &wrong, desired, 0, __ATOMIC_SEQ_CST,
                                                __ATOMIC_SEQ_CST);
  show("cmpxchg that fails: y", &y, sizeof y);
  long old_z = __atomic_exchange_n(&z, (long)in[3], __ATOMIC_SEQ_CST);
  show("xchg: z", &z, sizeof z);
  show("xchg: old z", &old_z, sizeof old_z);
  return swapped && !not_swapped ? 0 : 1;
}
