/* Functions called with known argument patterns, for argdist's tests.
 * Each is noipa: never inlined, cloned or specialised, so it keeps its
 * signature and every call in the source is a call in the binary.
 * argv[1] picks a scenario; see the .vgtest files. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TRACED __attribute__((noipa))

/* ---- integers ---- */
TRACED int constant(int x) { return x; }
TRACED long in_range(long x) { return x * 2; }
TRACED int negative(int x) { return -x; }
TRACED unsigned char small(unsigned char c, short s, _Bool b) { return (unsigned char)(c + s + b); }
TRACED unsigned long big(unsigned long x) { return x; }

static void integers(void) {
  for (int i = 0; i < 5; ++i) constant(7);
  for (long i = 0; i < 100; ++i) in_range(i);
  for (int i = -8; i < 8; ++i) negative(i);
  for (int i = 0; i < 4; ++i) small((unsigned char)(250 + i), (short)(-1 - i), i & 1);
  big(0);
  big(~0UL);
  big(1UL << 63);
}

/* ---- floating point and mixed registers ---- */
TRACED double scale(double x, float y) { return x * y; }
TRACED double mixed(int a, double b, long c, float d, char e) { return a + b + c + d + e; }
TRACED long many(long a, long b, long c, long d, long e, long f, long g, long h) {
  return a + b + c + d + e + f + g + h;
}
struct pair { long first, second; };
struct big { long words[4]; };
TRACED long by_value(struct pair p, long after) { return p.first + p.second + after; }
TRACED long in_memory(struct big b, int after) { return b.words[0] + after; }
TRACED struct big make_big(int seed) {
  struct big b = {{seed, seed + 1, seed + 2, seed + 3}};
  return b;
}

static void floats(void) {
  for (int i = 0; i < 8; ++i) scale(i * 0.25, -2.0f);
  scale(-1.5, 0.0f);
  for (int i = 0; i < 3; ++i) mixed(i, i * 0.5, -i, (float)i, (char)('a' + i));
  for (long i = 0; i < 4; ++i) many(i, i + 1, i + 2, i + 3, i + 4, i + 5, 100 + i, -100 - i);
  struct pair p = {1, 2};
  for (long i = 0; i < 3; ++i) by_value(p, 10 + i);
  struct big b = {{5, 6, 7, 8}};
  for (int i = 0; i < 2; ++i) in_memory(b, -i);
  for (int i = 0; i < 2; ++i) make_big(i);
}

/* ---- pointers and strings ---- */
static int a_global[16];
static char a_buffer[4096];  /* in .bss */
TRACED void *touch(const void *p) { return (void *)p; }
TRACED size_t length_of(const char *s) { return s ? strlen(s) : 0; }

static void pointers(void) {
  int on_stack[4] = {0};
  void *heap = malloc(100);
  touch(heap);
  touch((char *)heap + 10);
  touch(on_stack);
  touch(a_global);
  touch(a_buffer);
  touch((const void *)&pointers);
  touch(NULL);
  touch((const void *)16);
  touch("a literal");
  free(heap);
  const char *words[] = {"apple", "banana", "apple", "cherry", "apple", "banana"};
  for (int i = 0; i < 6; ++i) length_of(words[i]);
  length_of(NULL);
}

/* ---- recursion, longjmp, tail calls ----
 * Recursive calls go through volatile pointers: the compiler cannot turn
 * them into loops. */
TRACED int factorial(int n);
static int (*volatile recurse)(int) = factorial;
TRACED int factorial(int n) { return n <= 1 ? 1 : n * recurse(n - 1); }

static jmp_buf escape;
static volatile int dived;
TRACED void dive(int depth);
static void (*volatile dive_again)(int) = dive;
TRACED void dive(int depth) {
  if (depth == 0) longjmp(escape, 1);
  dive_again(depth - 1);
  dived = depth;  /* not a tail call */
}

TRACED int tail_callee(int x) { return x * 3; }
TRACED int tail_caller(int x) { return tail_callee(x + 1); }

static void control(void) {
  factorial(5);
  if (setjmp(escape) == 0) dive(3);
  for (int i = 0; i < 4; ++i) tail_caller(i);
  factorial(3);
}

/* ---- pause: calls, then waits (up to 60 s) for the file argv[2] to
 * exist, then calls again: time for `monitor argdist` from outside. ---- */
static void pause_for(const char *path) {
  for (int i = 1; i <= 3; ++i) constant(i);
  printf("waiting\n");
  fflush(stdout);
  for (int i = 0; i < 600 && access(path, F_OK) != 0; ++i) usleep(100000);
  for (int i = 0; i < 2; ++i) constant(10);
}

int main(int argc, char **argv) {
  const char *scenario = argc > 1 ? argv[1] : "all";
  if (strcmp(scenario, "pause") == 0 && argc > 2) {
    pause_for(argv[2]);
    return 0;
  }
  int all = strcmp(scenario, "all") == 0;
  if (all || strcmp(scenario, "integers") == 0) integers();
  if (all || strcmp(scenario, "floats") == 0) floats();
  if (all || strcmp(scenario, "pointers") == 0) pointers();
  if (all || strcmp(scenario, "control") == 0) control();
  if (strcmp(scenario, "deep") == 0) { void deep(void); deep(); }
  if (strcmp(scenario, "threads") == 0) { void threads(void); threads(); }
  if (strcmp(scenario, "forks") == 0) { void forks(void); forks(); }
  printf("done\n");
  return 0;
}

/* ---- deep: more traced frames than argdist's generated code first has
 * room for (1024), a longjmp out of thousands of them, and enough calls
 * to fill its call log many times over. ---- */
TRACED long depth_sum(long n);
static long (*volatile depth_again)(long) = depth_sum;
TRACED long depth_sum(long n) { return n == 0 ? 0 : n + depth_again(n - 1); }

void deep(void) {
  depth_sum(5000);
  if (setjmp(escape) == 0) dive(3000);
  for (long i = 0; i < 100000; ++i) in_range(i & 1023);
  depth_sum(2000);
}

/* ---- threads: two threads calling traced functions at once, each
 * yielding to the other with 50 of its own traced frames open, and time
 * slices ending wherever they do: argdist's call log holds one thread's
 * calls at a time and is replayed at every switch.  (Included here: the
 * line numbers above are in other tests' expected outputs.) ---- */
#include <pthread.h>
#include <sched.h>

TRACED long nest(long n);
static long (*volatile nest_again)(long) = nest;
TRACED long nest(long n) {
  if (n == 0) {
    sched_yield();
    return 0;
  }
  return n + nest_again(n - 1);
}

TRACED long per_thread(long id, long i) { return id * 1000000 + i; }

static void *thread_main(void *arg) {
  long id = (long)arg;
  for (long i = 0; i < 200000; ++i) {
    per_thread(id, i);
    if (i % 10000 == 0) nest(50);
  }
  return NULL;
}

void threads(void) {
  pthread_t t[2];
  for (long i = 0; i < 2; ++i) pthread_create(&t[i], NULL, thread_main, (void *)(i + 1));
  for (int i = 0; i < 2; ++i) pthread_join(t[i], NULL);
}

/* ---- forks: calls before a fork (more than argdist hands over in one
 * batch, so some may still be with its aggregation thread at the fork),
 * different calls in the child and in the parent after it.  The child's
 * results hold the calls before the fork and its own; the parent's, the
 * calls before and after, none of the child's. ---- */
#include <sys/wait.h>
TRACED long forked(long x) { return x; }

void forks(void) {
  for (long i = 0; i < 1000; ++i) forked(i);
  pid_t child = fork();
  if (child == 0) {
    for (long i = 0; i < 500; ++i) forked(-1 - i);
    exit(0);
  }
  int status;
  waitpid(child, &status, 0);
  for (long i = 0; i < 300; ++i) forked(5000 + i);
}
