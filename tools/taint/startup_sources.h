// --taint-argv and --taint-env: the strings of the initial stack.  When
// the program's first instruction is about to run, the stack pointer
// points at argc, then argv[0..argc), NULL, envp[...], NULL (the layout
// the kernel, and Valgrind for its client, build).  Each string becomes
// bytes of source "argv" (or "env") at offsets that count the strings
// one after the other, NULs included; the sources list each string as a
// named part ("argv[1]", "PATH").
#pragma once

namespace unstuck::taint {

void install_startup_sources();

}  // namespace unstuck::taint
