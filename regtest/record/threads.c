/* threads: four workers, each adding to a mutex-protected counter, so the
   record tool must attribute instructions to five threads. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *work(void *arg) {
  long rounds = (long)arg;
  for (long i = 0; i < rounds; ++i) {
    pthread_mutex_lock(&lock);
    counter += i % 7;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(void) {
  pthread_t t[4];
  for (long i = 0; i < 4; ++i) pthread_create(&t[i], NULL, work, (void *)(1000 * (i + 1)));
  for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
  printf("counter %ld\n", counter);
  return 0;
}
