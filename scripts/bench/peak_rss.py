"""Prints the peak RSS (KiB) of a shell command: the largest of its processes, via wait4.

Each stage of a pipeline is its own process; the figure is the largest stage's peak, which is
what bounds a pipeline's memory per process.
"""
import os
import sys

pid = os.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", "-c", sys.argv[1]])
_, _, usage = os.wait4(pid, 0)
print(usage.ru_maxrss)
