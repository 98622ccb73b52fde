# GDB settings for a session on unstuck-gdbstub; `unstuck replay` loads
# this file.  In a GDB connected by hand: source gdbstub/rsp/unstuck-replay.gdb

# GDB caches registers and frames between stops and cannot know that a
# monitor command moved the recording in time (monitor goto, monitor
# restart): reread them after every monitor command.
define hookpost-monitor
  maintenance flush register-cache
end
