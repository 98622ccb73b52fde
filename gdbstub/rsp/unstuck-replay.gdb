# GDB settings for a session on unstuck-gdbstub; `unstuck replay` loads
# this file.  In a GDB connected by hand: source gdbstub/rsp/unstuck-replay.gdb

# GDB caches registers and frames between stops and cannot know that a
# monitor command moved the recording in time (monitor goto, monitor
# restart): reread them after every monitor command.  The same goes for
# the list of shared libraries, which GDB otherwise rereads only when the
# program stops in the dynamic linker's hook: without `sharedlibrary`,
# after `monitor goto` to a time when libc is loaded, GDB would have no
# symbols (nor unwind information) for it, and backtraces, `finish` and
# `reverse-finish` through it would go wrong.
define hookpost-monitor
  maintenance flush register-cache
  sharedlibrary
end
