/* The pthreads workload: four threads increment a mutex-protected counter
   and do some private arithmetic between increments. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long counter;

static void *work(void *arg) {
  unsigned long x = (unsigned long)arg, local = 0;
  for (int i = 0; i < 200000; ++i) {
    for (int j = 0; j < 20; ++j) x = x * 6364136223846793005UL + 1442695040888963407UL;
    local += x >> 60;
    pthread_mutex_lock(&lock);
    counter += 1;
    pthread_mutex_unlock(&lock);
  }
  return (void *)local;
}

int main(void) {
  pthread_t t[4];
  for (unsigned long i = 0; i < 4; ++i) pthread_create(&t[i], NULL, work, (void *)(i + 1));
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  printf("%lu\n", counter);
  return 0;
}
