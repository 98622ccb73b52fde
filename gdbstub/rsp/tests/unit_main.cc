// The doctest runner for the GDB remote-protocol server (gdbstub/rsp/).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
