#!/usr/bin/env python3
"""Runs the job of a GitHub Actions or GitLab CI recipe here, as its runner would.

    run_ci_recipe.py RECIPE.yml --workdir DIR [--skip REGEX]... [--path-prefix DIR]

For the CI examples in examples/ci/: the shell steps of the recipe's one
job run in DIR with the recipe's env/variables, in order, each like the
runner runs it (GitHub: `bash -e` per step; GitLab: before_script and
script as one `bash -e` script). A step whose name (GitHub) or command
(GitLab) matches a --skip REGEX is not run: the installation, which the
tests cover elsewhere. After a failure only GitHub steps with `if:
always()` run. --path-prefix puts a directory first on PATH (where the
skipped installation would have put pipe-tidy). `uses:` steps are not run; for upload-sarif the file it
would upload is checked, and GitLab's artifacts paths too.

Prints one line per step ("step NAME: exit N", "skipped: NAME",
"upload-sarif: FILE present") and exits with the job's status.
"""
import argparse
import os
import re
import subprocess
import sys

import yaml


def run_shell(script, workdir, env):
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=workdir, env=env)
    return proc.returncode


def skipped(text, patterns):
    return any(re.search(p, text) for p in patterns)


def run_github(doc, workdir, skips):
    (job_name, job), = doc["jobs"].items()
    env = dict(os.environ)
    for scope in (doc.get("env") or {}, job.get("env") or {}):
        env.update({k: str(v) for k, v in scope.items()})
    status = 0
    for step in job["steps"]:
        name = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
        condition = str(step.get("if", "success()"))
        if status != 0 and "always()" not in condition and "failure()" not in condition:
            print("not run after the failure: %s" % name)
            continue
        if "uses" in step:
            if step["uses"].startswith("github/codeql-action/upload-sarif"):
                sarif = os.path.join(workdir, step["with"]["sarif_file"])
                print("upload-sarif: %s %s" % (step["with"]["sarif_file"],
                                               "present" if os.path.isfile(sarif) else "MISSING"))
                if not os.path.isfile(sarif):
                    status = status or 1
            else:
                print("uses %s: not run here" % step["uses"])
            continue
        if skipped(name, skips):
            print("skipped: %s" % name)
            continue
        step_env = dict(env)
        step_env.update({k: str(v) for k, v in (step.get("env") or {}).items()})
        sys.stdout.flush()
        code = run_shell(step["run"], workdir, step_env)
        print("step %s: exit %d" % (name, code))
        status = status or code
    print("job %s: exit %d" % (job_name, status))
    return status


def run_gitlab(doc, workdir, skips):
    jobs = {k: v for k, v in doc.items()
            if isinstance(v, dict) and "script" in v and not k.startswith(".")}
    (job_name, job), = jobs.items()
    env = dict(os.environ)
    for scope in (doc.get("variables") or {}, job.get("variables") or {}):
        env.update({k: str(v) for k, v in scope.items()})
    lines = []
    for line in list(job.get("before_script") or []) + list(job["script"]):
        if skipped(line, skips):
            print("skipped: %s" % line)
        else:
            lines.append(line)
    sys.stdout.flush()
    status = run_shell("\n".join(lines), workdir, env)
    print("script: exit %d" % status)
    artifacts = job.get("artifacts") or {}
    for path in artifacts.get("paths") or []:
        present = os.path.exists(os.path.join(workdir, path))
        print("artifact: %s %s" % (path, "present" if present else "MISSING"))
        if not present and (status == 0 or artifacts.get("when") in ("always", "on_failure")):
            status = status or 1
    print("job %s: exit %d" % (job_name, status))
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("--path-prefix")
    args = ap.parse_args()
    if args.path_prefix:
        os.environ["PATH"] = os.pathsep.join([args.path_prefix, os.environ.get("PATH", "")])
    with open(args.recipe) as f:
        doc = yaml.safe_load(f)
    runner = run_github if "jobs" in doc else run_gitlab
    return runner(doc, args.workdir, args.skip)


if __name__ == "__main__":
    sys.exit(main())
