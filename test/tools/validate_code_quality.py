#!/usr/bin/env python3
"""Validates a GitLab Code Quality report: the JSON that a job's
`artifacts: reports: codequality:` gives merge requests.

GitLab reads a JSON array of issues, each an object with (GitLab's
"Code Quality report format"):

  - description: a non-empty string, shown in the merge request;
  - check_name: a non-empty string;
  - fingerprint: a non-empty string, unique in the report (GitLab compares
    the issues of two reports by it);
  - severity: one of info, minor, major, critical, blocker;
  - location.path: the file, relative to the repository (no leading '/',
    no '..');
  - location.lines.begin: a line number, at least 1.

  validate_code_quality.py REPORT

Prints "valid Code Quality report: N issues" and exits 0, or prints each
violation on standard error and exits 1.
"""

import argparse
import json
import sys

SEVERITIES = ("info", "minor", "major", "critical", "blocker")


def nonempty_string(value):
    return isinstance(value, str) and value.strip() != ""


def errors_of(report):
    if not isinstance(report, list):
        return ["the report is a %s, not an array of issues" % type(report).__name__]
    errors, fingerprints = [], {}
    for i, issue in enumerate(report):
        where = "[%d]" % i
        if not isinstance(issue, dict):
            errors.append("%s is not an object" % where)
            continue
        for key in ("description", "check_name", "fingerprint"):
            if not nonempty_string(issue.get(key)):
                errors.append("%s.%s is missing or not a non-empty string" % (where, key))
        if issue.get("severity") not in SEVERITIES:
            errors.append("%s.severity %r is not one of %s"
                          % (where, issue.get("severity"), ", ".join(SEVERITIES)))
        fp = issue.get("fingerprint")
        if isinstance(fp, str):
            if fp in fingerprints:
                errors.append("%s.fingerprint is the fingerprint of [%d] too"
                              % (where, fingerprints[fp]))
            fingerprints.setdefault(fp, i)
        loc = issue.get("location")
        if not isinstance(loc, dict):
            errors.append("%s.location is missing" % where)
            continue
        path = loc.get("path")
        if not nonempty_string(path):
            errors.append("%s.location.path is missing" % where)
        elif path.startswith("/") or "://" in path or ".." in path.split("/"):
            errors.append("%s.location.path %r is not relative to the repository"
                          % (where, path))
        begin = (loc.get("lines") or {}).get("begin") if isinstance(loc.get("lines"), dict) \
            else None
        if not isinstance(begin, int) or isinstance(begin, bool) or begin < 1:
            errors.append("%s.location.lines.begin %r is not a line number" % (where, begin))
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    args = parser.parse_args(argv)
    try:
        with open(args.report, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write("%s: not a JSON file: %s\n" % (args.report, e))
        return 1
    errors = errors_of(report)
    if errors:
        for e in errors:
            sys.stderr.write("%s: invalid Code Quality report: %s\n" % (args.report, e))
        return 1
    print("valid Code Quality report: %d issue%s" % (len(report), "" if len(report) == 1 else "s"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
