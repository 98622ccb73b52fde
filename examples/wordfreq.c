/* wordfreq: counts words on stdin and prints the ten most frequent.
   A small real program for the demo: it reads input, hashes, allocates,
   sorts and writes output. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  char *word;
  unsigned count;
  struct entry *next;
};

enum { BUCKETS = 4096 };
static struct entry *table[BUCKETS];
static size_t distinct;

static unsigned hash(const char *s) {
  unsigned h = 2166136261u;
  for (; *s; ++s) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static void count_word(const char *w) {
  unsigned b = hash(w) % BUCKETS;
  for (struct entry *e = table[b]; e; e = e->next)
    if (strcmp(e->word, w) == 0) {
      e->count++;
      return;
    }
  struct entry *e = malloc(sizeof *e);
  e->word = strdup(w);
  e->count = 1;
  e->next = table[b];
  table[b] = e;
  distinct++;
}

static int by_count(const void *a, const void *b) {
  const struct entry *x = *(struct entry *const *)a;
  const struct entry *y = *(struct entry *const *)b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->word, y->word);
}

int main(void) {
  char word[64];
  size_t n = 0;
  int c;
  while ((c = getchar()) != EOF) {
    if (isalpha(c) && n + 1 < sizeof word) {
      word[n++] = (char)tolower(c);
    } else if (n > 0) {
      word[n] = '\0';
      count_word(word);
      n = 0;
    }
  }
  if (n > 0) {
    word[n] = '\0';
    count_word(word);
  }
  struct entry **all = malloc(distinct * sizeof *all);
  size_t k = 0;
  for (unsigned b = 0; b < BUCKETS; ++b)
    for (struct entry *e = table[b]; e; e = e->next) all[k++] = e;
  qsort(all, distinct, sizeof *all, by_count);
  for (size_t i = 0; i < distinct && i < 10; ++i)
    printf("%7u %s\n", all[i]->count, all[i]->word);
  return 0;
}
