// Thread names, as GDB shows them (`info threads`): a thread starts with
// its creator's name and changes it with prctl(PR_SET_NAME) or by writing
// /proc/.../comm (what pthread_setname_np does for another thread).  The
// kernel keeps the names where replay cannot see them, so the recorder
// logs each change as a ThreadName event at the time the syscall returns.
#pragma once

namespace unstuck::recorder {

// Subscribes to syscalls and to threads starting and exiting.
void install_thread_name_log();

}  // namespace unstuck::recorder
