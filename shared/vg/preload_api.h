// Valgrind's headers for code that runs on the guest CPU: the preload
// libraries (vgpreload_<tool>-amd64-linux.so) that Valgrind loads into the
// program beside a tool.  They use client requests and function wrapping
// (valgrind.h), and the Z-encoded names of wrappers (pub_tool_redir.h).
// C, unlike valgrind_api.h: preloads are built like Valgrind's own, as C.
#ifndef UNSTUCK_SHARED_VG_PRELOAD_API_H
#define UNSTUCK_SHARED_VG_PRELOAD_API_H

#include "pub_tool_basics.h"
#include "pub_tool_redir.h"
#include "valgrind.h"

#endif
