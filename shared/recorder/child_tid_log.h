// A thread's clear_child_tid word (set by clone with CLONE_CHILD_CLEARTID,
// or by set_tid_address) is zeroed by the kernel when the thread's OS
// thread ends: under Valgrind that happens after the core lets other
// threads run again, at a moment no tool hears about, so whether another
// thread (pthread_join) sees the zero before or after its next read is a
// race the trace could not reproduce.  The recorder zeroes the word itself
// when the thread's last instruction has run, holding Valgrind's lock, and
// logs the write; the kernel's own clear then changes nothing.
#pragma once

namespace unstuck::recorder {

// Subscribes to clone, set_tid_address, thread creation and exit.
void install_child_tid_log();

}  // namespace unstuck::recorder
