/* turns: two threads taking turns, for real_threads.vgtest.
   A thread waits for its turn by yielding with a raw sched_yield, so that
   a thread not running is always in raw_yield, a function of ours with
   line numbers (Valgrind runs one thread at a time and switches at system
   calls).  Line numbers are part of the expected output: keep them. */
#include <pthread.h>
#include <stdio.h>

static volatile int turn = 1;   /* whose turn: 1 main, 2 worker */
static long main_total, worker_total;

static void raw_yield(void) {
  long nr = 24;                 /* SYS_sched_yield */
  __asm__ volatile("syscall" : "+a"(nr) : : "rcx", "r11", "memory");
}

static void wait_turn(int me) {
  while (turn != me)
    raw_yield();
}

static void *worker(void *arg) {
  wait_turn(2);
  worker_total += 10;
  worker_total *= 3;
  turn = 1;
  wait_turn(2);
  worker_total += 7;
  return arg;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  main_total = 1;
  turn = 2;
  wait_turn(1);
  main_total += 100;
  main_total *= 2;
  turn = 2;
  pthread_join(t, NULL);
  printf("main %ld worker %ld\n", main_total, worker_total);
  return 0;
}
