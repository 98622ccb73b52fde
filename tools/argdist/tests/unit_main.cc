// The doctest runner for argdist's portable parts, compiled for the host.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
