#!/usr/bin/env python3
"""Runs the job of a GitHub Actions or GitLab CI recipe here, as its runner would.

    run_ci_recipe.py RECIPE.yml --workdir DIR [--source REPO] [--skip REGEX]...
                     [--path-prefix DIR] [--repository OWNER/NAME]

For the CI examples in examples/ci/: the shell steps of the recipe's one
job run in DIR with the recipe's env/variables, in order, each like the
runner runs it:

  - GitHub: each `run` step as its own script, `bash -e` (`bash --noprofile
    --norc -eo pipefail` with `shell: bash`, from the step or `defaults`);
    after a failure only the steps with `if: always()` or `failure()` run.
    `${{ github.* }}` expressions are replaced (server_url
    https://github.com, repository --repository, sha the --source HEAD,
    workspace DIR); any other expression is an error. GITHUB_* variables
    and GITHUB_OUTPUT are set, and HOME is DIR.home (GitHub's container
    jobs have a home of their own), so that `git config --global` in a
    step stays in the job. GIT_CEILING_DIRECTORIES keeps git from finding
    a repository above DIR.
  - GitLab: before_script and script as one `bash -e -o pipefail` script
    (what the runner's bash shell does). The job's and the file's
    `variables` are expanded ($VAR, ${VAR}), with the predefined CI_*
    variables (CI_PROJECT_DIR, CI_COMMIT_SHA, CI_PROJECT_URL
    https://gitlab.example.com/ + --repository); HOME is DIR.home.

Checkout (--source REPO, a git repository whose HEAD is the commit pushed;
DIR must not exist or be empty):

  - `actions/checkout`: when git is on the container's PATH at that point,
    it clones the repository (DIR has .git); when it is not, it downloads
    the commit's files through the REST API, and DIR has no .git. Git is on
    PATH when the job has no `container` (GitHub's hosted runners have git)
    or a step before the checkout installs it (apt-get/apt/apk/dnf/yum
    install ... git; a --skip'ped installation step counts as run). The
    test machine's git stays usable in the later steps either way, as git
    installed after the checkout would be.
  - GitLab: the runner clones the repository before the job (its helper
    image has git): DIR has .git.

A --source that is a plain directory is first committed, as it is, to a
new repository DIR.origin. Without --source, DIR is used as it is.

A step whose name (GitHub) or command (GitLab) matches a --skip REGEX is
not run: the installation, which the tests cover elsewhere. --path-prefix
puts a directory first on PATH (where the skipped installation would have
put pipe-tidy). `uses:` steps other than checkout are not run; for
upload-sarif the file it would upload is checked (missing: the step fails,
as the action does) and its executionSuccessful and result count printed;
GitLab's artifacts paths and codequality report too (a job that passes
without them fails here).

Prints one line per step ("step NAME: exit N", "skipped: NAME",
"upload-sarif: FILE present (...)") and exits with the job's status.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

GITHUB_SERVER = "https://github.com"
GITLAB_SERVER = "https://gitlab.example.com"
# An installation command that puts git on PATH.
INSTALLS_GIT = re.compile(r"\b(?:apt-get|apt|apk|dnf|yum)\b[^\n]*\b(?:install|add)\b"
                          r"[^\n]*\sgit(?:\s|$)")


def skipped(text, patterns):
    return any(re.search(p, text) for p in patterns)


def head_of(source):
    return subprocess.run(["git", "-C", source, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()


def pushed_repository(source, workdir):
    """The repository whose HEAD the job checks out: 'source' itself, or a
    new one at DIR.origin with the files of 'source' committed."""
    if os.path.isdir(os.path.join(source, ".git")):
        return source
    origin = os.path.abspath(workdir).rstrip(os.sep) + ".origin"
    if os.path.exists(origin):
        shutil.rmtree(origin)
    shutil.copytree(source, origin)
    git = ["git", "-C", origin, "-c", "user.name=ci", "-c", "user.email=ci@example.org",
           "-c", "init.defaultBranch=main"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "pushed"], check=True)
    return origin


def prepare_workdir(workdir):
    if os.path.isdir(workdir) and os.listdir(workdir):
        sys.exit("run_ci_recipe.py: --workdir %s is not empty; a checkout needs an empty "
                 "directory" % workdir)
    os.makedirs(workdir, exist_ok=True)


def git_clone(source, workdir):
    prepare_workdir(workdir)
    subprocess.run(["git", "clone", "-q", source, workdir], check=True)


def download_files(source, workdir):
    """The commit's files without .git, as actions/checkout's REST API
    download gives them."""
    prepare_workdir(workdir)
    archive = subprocess.run(["git", "-C", source, "archive", "--format=tar", "HEAD"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", workdir], input=archive, check=True)


def job_env(workdir):
    """The environment of a job: this one, with HOME the job's own (DIR.home)
    and git not looking above DIR's parent for a repository (a runner's
    checkout is not inside another repository; a test's DIR may be)."""
    env = dict(os.environ)
    home = os.path.abspath(workdir).rstrip(os.sep) + ".home"
    os.makedirs(home, exist_ok=True)
    env["HOME"] = home
    env["GIT_CEILING_DIRECTORIES"] = os.path.dirname(os.path.abspath(workdir).rstrip(os.sep))
    return env


def github_expressions(text, context):
    def repl(m):
        expr = m.group(1).strip()
        if expr in context:
            return context[expr]
        sys.exit("run_ci_recipe.py: the expression ${{ %s }} is not supported here "
                 "(only %s)" % (expr, ", ".join(sorted(context))))
    return re.sub(r"\$\{\{(.*?)\}\}", repl, text)


def github_shell(step, job, doc):
    shell = step.get("shell") or ((job.get("defaults") or {}).get("run") or {}).get("shell") \
        or ((doc.get("defaults") or {}).get("run") or {}).get("shell")
    if shell in (None, ""):
        return ["bash", "-e", "-c"]
    if shell == "bash":
        return ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
    if shell == "sh":
        return ["sh", "-e", "-c"]
    sys.exit("run_ci_recipe.py: shell %r is not supported here" % shell)


def describe_sarif(path):
    try:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        run = log["runs"][0]
        ok = (run.get("invocations") or [{}])[0].get("executionSuccessful")
        results = len(run.get("results") or [])
        return "executionSuccessful: %s, %d result%s" % (
            json.dumps(ok), results, "" if results == 1 else "s")
    except (OSError, ValueError, KeyError, IndexError) as e:
        return "unreadable: %s" % e


def run_github(doc, workdir, skips, source, repository):
    (job_name, job), = doc["jobs"].items()
    sha = head_of(source) if source else "0" * 40
    context = {"github.server_url": GITHUB_SERVER, "github.repository": repository,
               "github.sha": sha, "github.workspace": os.path.abspath(workdir)}
    # The job's own home (GitHub's is /github/home): git config --global
    # in a step must not change the machine's.
    env = job_env(workdir)
    env.update({"CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": GITHUB_SERVER,
                "GITHUB_REPOSITORY": repository, "GITHUB_SHA": sha,
                "GITHUB_WORKSPACE": os.path.abspath(workdir)})
    for scope in (doc.get("env") or {}, job.get("env") or {}):
        env.update({k: github_expressions(str(v), context) for k, v in scope.items()})
    env["GITHUB_OUTPUT"] = os.path.join(env["HOME"], "github-output")
    if source is None:
        os.makedirs(workdir, exist_ok=True)
    git_on_path = "container" not in job
    status = 0
    for step in job["steps"]:
        name = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
        condition = str(step.get("if", "success()"))
        if status != 0 and "always()" not in condition and "failure()" not in condition:
            print("not run after the failure: %s" % name)
            continue
        if "uses" in step:
            uses = step["uses"]
            if uses.startswith("actions/checkout@"):
                if source is None:
                    print("uses %s: not run here (no --source)" % uses)
                elif git_on_path:
                    git_clone(source, workdir)
                    print("uses %s: git clone (.git present)" % uses)
                else:
                    download_files(source, workdir)
                    print("uses %s: no git in the container: files of %s downloaded, "
                          "no .git" % (uses, sha[:12]))
            elif uses.startswith("github/codeql-action/upload-sarif"):
                sarif_file = github_expressions(str(step["with"]["sarif_file"]), context)
                sarif = os.path.join(workdir, sarif_file)
                if os.path.isfile(sarif):
                    print("upload-sarif: %s present (%s)" % (sarif_file, describe_sarif(sarif)))
                else:
                    print("upload-sarif: %s MISSING" % sarif_file)
                    status = status or 1
            else:
                print("uses %s: not run here" % uses)
            continue
        script = github_expressions(step["run"], context)
        if INSTALLS_GIT.search(script):
            git_on_path = True
        if skipped(name, skips):
            print("skipped: %s" % name)
            continue
        step_env = dict(env)
        step_env.update({k: github_expressions(str(v), context)
                         for k, v in (step.get("env") or {}).items()})
        sys.stdout.flush()
        code = subprocess.run(github_shell(step, job, doc) + [script], cwd=workdir,
                              env=step_env).returncode
        print("step %s: exit %d" % (name, code))
        status = status or code
    print("job %s: exit %d" % (job_name, status))
    return status


def gitlab_expand(value, env):
    def repl(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1) or m.group(2)
        return env.get(name, m.group(0))
    return re.sub(r"\$\$|\$\{(\w+)\}|\$(\w+)", repl, value)


def check_artifact(workdir, path, what, status, when):
    present = os.path.exists(os.path.join(workdir, path))
    detail = ""
    if present and what == "codequality report":
        try:
            with open(os.path.join(workdir, path), encoding="utf-8") as f:
                issues = json.load(f)
            detail = " (%d issue%s)" % (len(issues), "" if len(issues) == 1 else "s")
        except (OSError, ValueError, TypeError) as e:
            detail = " (unreadable: %s)" % e
    print("%s: %s %s%s" % (what, path, "present" if present else "MISSING", detail))
    if not present and (status == 0 or when in ("always", "on_failure")):
        return status or 1
    return status


def run_gitlab(doc, workdir, skips, source, repository):
    jobs = {k: v for k, v in doc.items()
            if isinstance(v, dict) and "script" in v and not k.startswith(".")}
    (job_name, job), = jobs.items()
    if source is not None:
        git_clone(source, workdir)
        print("runner: git clone (.git present)")
    sha = head_of(source) if source else "0" * 40
    env = job_env(workdir)
    env.update({"CI": "true", "GITLAB_CI": "true", "CI_SERVER_URL": GITLAB_SERVER,
                "CI_PROJECT_PATH": repository,
                "CI_PROJECT_URL": "%s/%s" % (GITLAB_SERVER, repository),
                "CI_PROJECT_DIR": os.path.abspath(workdir), "CI_COMMIT_SHA": sha})
    for scope in (doc.get("variables") or {}, job.get("variables") or {}):
        for k, v in scope.items():
            env[k] = gitlab_expand(str(v.get("value", "") if isinstance(v, dict) else v), env)
    lines = []
    for line in list(job.get("before_script") or []) + list(job["script"]):
        if skipped(line, skips):
            print("skipped: %s" % line)
        else:
            lines.append(line)
    sys.stdout.flush()
    status = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", "\n".join(lines)],
                            cwd=workdir, env=env).returncode
    print("script: exit %d" % status)
    artifacts = job.get("artifacts") or {}
    when = artifacts.get("when", "on_success")
    for path in artifacts.get("paths") or []:
        status = check_artifact(workdir, path, "artifact", status, when)
    for kind, paths in (artifacts.get("reports") or {}).items():
        for path in [paths] if isinstance(paths, str) else paths:
            status = check_artifact(workdir, path, "%s report" % kind, status, when)
    print("job %s: exit %d" % (job_name, status))
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recipe")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--source")
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("--path-prefix")
    ap.add_argument("--repository", default="example/project")
    args = ap.parse_args()
    if args.path_prefix:
        os.environ["PATH"] = os.pathsep.join([args.path_prefix, os.environ.get("PATH", "")])
    with open(args.recipe) as f:
        doc = yaml.safe_load(f)
    source = pushed_repository(os.path.abspath(args.source), args.workdir) \
        if args.source else None
    runner = run_github if "jobs" in doc else run_gitlab
    return runner(doc, args.workdir, args.skip, source, args.repository)


if __name__ == "__main__":
    sys.exit(main())
