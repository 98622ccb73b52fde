# GDB command `log-steps N FILE COMMAND`, for real_differential.vgtest:
# writes the register file of the selected thread to FILE (one line, step
# 0), then runs COMMAND (stepi or reverse-stepi) N times, writing the
# register file after each.  The registers are those both Valgrind's
# gdbserver and unstuck-gdbstub define: rip, the general-purpose ones,
# eflags, cs and ss (compare_step_logs says which bits may differ).
import gdb

REGISTERS = ["rip", "rsp", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp",
             "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
             "eflags", "cs", "ss"]


def register_file():
    frame = gdb.selected_frame()
    return " ".join("%s=%x" % (name, int(frame.read_register(name)) & 0xffffffffffffffff)
                    for name in REGISTERS)


class LogSteps(gdb.Command):
    """log-steps N FILE COMMAND: the register file before and after each of N COMMANDs."""

    def __init__(self):
        super().__init__("log-steps", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        count, path, command = argument.split()
        with open(path, "w") as out:
            out.write("0 %s\n" % register_file())
            for step in range(1, int(count) + 1):
                gdb.execute(command, to_string=True)
                out.write("%d %s\n" % (step, register_file()))


LogSteps()
