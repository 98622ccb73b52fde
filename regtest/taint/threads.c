/* A producer thread hands tainted words to a consumer thread through a
   one-slot buffer; the consumer's branches depend on exactly the word it
   got.  input: 16 bytes (four 32-bit words 10, 200, 30, 400). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "taint_test.h"

static uint8_t input[16];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static uint32_t slot;
static int full;

static void* producer(void* arg) {
  (void)arg;
  for (int i = 0; i < 4; ++i) {
    pthread_mutex_lock(&lock);
    while (full) pthread_cond_wait(&changed, &lock);
    memcpy(&slot, input + 4 * i, 4);
    full = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static void* consumer(void* arg) {
  int* big = arg;
  for (int i = 0; i < 4; ++i) {
    pthread_mutex_lock(&lock);
    while (!full) pthread_cond_wait(&changed, &lock);
    uint32_t value = slot;
    full = 0;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    if (value > 100) ++*big;  /* one finding per word: [4 i, 4 i + 4) */
  }
  return NULL;
}

int main(int argc, char** argv) {
  (void)argc;
  read_input(argv[1], input, sizeof input);
  int big = 0;
  pthread_t p, c;
  pthread_create(&p, NULL, producer, NULL);
  pthread_create(&c, NULL, consumer, &big);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  printf("%d big words\n", big);
  return 0;
}
