"""Runs a command, passes its output through, and then prints its exit
status on standard output as 'exit status: N'; exits 0 itself, so that
FileCheck can check the exact status.

  python3 status.py COMMAND [ARGS...]
"""
import subprocess
import sys

sys.stdout.flush()
status = subprocess.call(sys.argv[1:])
sys.stdout.write("exit status: %d\n" % status)
