# Run by exec.vgtest under lifetime: an execve that fails (exec_bad is
# executable but not a program), then more allocations.
import os

try:
    os.execv("exec_bad", ["exec_bad"])
except OSError:
    print("the exec failed; python3 goes on")
print(len([str(i) for i in range(10000)]))
