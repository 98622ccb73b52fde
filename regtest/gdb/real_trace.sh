# Sourced by the tests of regtest/gdb/ on real recordings (real_*.vgtest):
# recording a program of this folder, and GDB sessions on the recording.
#   here, top        this folder, the top of the build tree
#   root             a fresh trace root, removed on exit
#   record PROG      records ./PROG into $root (its stdout in $root/PROG.out);
#                    prints why and exits when the recording fails
#   replay_gdb PROG -ex COMMAND...
#                    the system's GDB in batch mode on PROG's symbols,
#                    connected through the pipe transport to unstuck-gdbstub
#                    serving $root/latest-trace, with unstuck-replay.gdb
#                    loaded as unstuck replay loads it, and source files
#                    shown by their base names (calls.c, wherever make
#                    compiled it from); stderr merged into stdout, the
#                    trace root's path replaced by TRACE_ROOT and this
#                    folder's by REGTEST_GDB
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/unstuck-gdb.XXXXXX")
trap 'rm -rf "$root"' EXIT

record() {
  if ! "$top/bin/valgrind" -q --tool=record --trace-dir="$root" "$here/$1" \
       >"$root/$1.out" 2>"$root/$1.valgrind"; then
    echo "recording $1 failed:"
    cat "$root/$1.valgrind"
    exit 1
  fi
}

replay_gdb() {
  prog=$1
  shift
  gdb -batch -nx -ex 'set sysroot /' -ex 'set filename-display basename' \
    -x "$top/gdbstub/rsp/unstuck-replay.gdb" "$here/$prog" \
    -ex "target extended-remote | '$top/gdbstub/unstuck-gdbstub' '$root/latest-trace'" \
    "$@" 2>&1 | sed -e "s|$root|TRACE_ROOT|g" -e "s|$here|REGTEST_GDB|g"
}
