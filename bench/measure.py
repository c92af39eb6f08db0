#!/usr/bin/python3 -SI
"""measure.py - run one command; write its wall time and rusage as JSON.

Usage: /usr/bin/python3 -S -I bench/measure.py RESULT.json COMMAND [ARGS...]

Forks, execs COMMAND (stdin, stdout and stderr inherited), waits for it with
os.wait4 and writes {"exit", "wall_s", "maxrss_kib", "user_s", "sys_s"} to
RESULT.json. SIGINT and SIGTERM are passed on to COMMAND.

Why a separate small process: on Linux a process's ru_maxrss counts the memory
of the address space it had before exec, which is a copy of its parent's (or,
after vfork, the parent's own). Spawned straight from bench.py, a trainer would
report at least bench.py's own peak RSS (hundreds of MiB after counting the
corpus words). Spawned from this process (run with -S -I to stay small, about
5 MiB), every tool's ru_maxrss is its own, with a floor of about 5 MiB.
"""
import json
import os
import signal
import sys
import time


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    result, cmd = argv[0], argv[1:]
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            sys.stderr.write(f"measure: cannot run {cmd[0]}: {e}\n")
        os._exit(127)

    def forward(sig, _frame):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    while True:
        try:
            _, status, ru = os.wait4(pid, 0)
            break
        except InterruptedError:
            continue
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w") as f:
        json.dump({"exit": code, "wall_s": wall, "maxrss_kib": ru.ru_maxrss,
                   "user_s": ru.ru_utime, "sys_s": ru.ru_stime}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
