#!/usr/bin/env python3
"""Prints, every second, the CPU (in cores) of the busiest threads of a running JVM, read from /proc.

Usage: scripts/thread-cpu.py <text in the java command line> [threads to show, default 6]
Waits until a java process whose command line contains the text starts, then samples it until it exits. The benchmark
notes in docs/performance.md quote it for where a row's CPU goes (e.g. the C2 compiler thread during a measured round).
Linux only; names are the kernel's 15-character thread names.
"""
import os
import sys
import time


def find(text):
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            args = open(f'/proc/{pid}/cmdline', 'rb').read().decode(errors='ignore').split('\0')
        except OSError:
            continue
        if args and args[0].endswith('java') and any(text in a for a in args):
            return pid
    return None


def ticks(pid):
    out = {}
    try:
        tasks = os.listdir(f'/proc/{pid}/task')
    except OSError:
        return out
    for t in tasks:
        try:
            stat = open(f'/proc/{pid}/task/{t}/stat').read()
        except OSError:
            continue
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat.rsplit(')', 1)[1].split()
        out[t] = (name, int(fields[11]) + int(fields[12]))  # utime + stime
    return out


def main():
    text = sys.argv[1]
    shown = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    pid = find(text)
    while pid is None:
        time.sleep(0.5)
        pid = find(text)
    hz = os.sysconf('SC_CLK_TCK')
    before = ticks(pid)
    while os.path.exists(f'/proc/{pid}'):
        time.sleep(1)
        now = ticks(pid)
        used = sorted(((t - before.get(k, (n, t))[1]) / hz, n) for k, (n, t) in now.items())
        used.reverse()
        before = now
        print(time.strftime('%H:%M:%S'), f'total={sum(c for c, _ in used):.2f}',
              ' '.join(f'{n}={c:.2f}' for c, n in used[:shown] if c > 0.02), flush=True)


if __name__ == '__main__':
    main()
