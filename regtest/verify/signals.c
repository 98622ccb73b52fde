/* signals: SIGALRM from a timer, and SIGSEGV caught and left with
   siglongjmp, so the recorder must log signal frames and sigreturns. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t alarms;
static sigjmp_buf recover;

static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_segv(int sig) { (void)sig; siglongjmp(recover, 1); }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigaction(SIGALRM, &sa, NULL);
  sa.sa_handler = on_segv;
  sigaction(SIGSEGV, &sa, NULL);

  struct itimerval t = {{0, 2000}, {0, 2000}};
  setitimer(ITIMER_REAL, &t, NULL);
  unsigned long spin = 0;
  while (alarms < 5) spin++;
  t.it_value.tv_usec = t.it_interval.tv_usec = 0;
  setitimer(ITIMER_REAL, &t, NULL);

  int faults = 0;
  for (int i = 0; i < 3; ++i) {
    if (sigsetjmp(recover, 1) == 0) {
      volatile int *p = (int *)(16 + i);
      *p = 1;
    } else {
      faults++;
    }
  }
  /* One more SIGALRM may already be pending when the timer stops: the
     count is at least 5, not exactly 5. */
  printf("alarms %s, faults %d, spun %s\n", alarms >= 5 ? "at least 5" : "fewer than 5",
         faults, spin > 0 ? "yes" : "no");
  return 0;
}
