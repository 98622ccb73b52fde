// The doctest runner for the replay engine's unit tests.
// The engine handles SIGSEGV, SIGBUS and SIGFPE itself (guest faults, code
// pages); doctest's crash reporting must not take them over.
#define DOCTEST_CONFIG_NO_POSIX_SIGNALS
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
