#!/usr/bin/env python3
"""Validates a SARIF log against the official SARIF 2.1.0 JSON schema
(test/Inputs/sarif/sarif-schema-2.1.0.json, JSON Schema draft-04), plus the
rules of the SARIF specification that the schema cannot express and that
viewers such as GitHub code scanning rely on:

  - result.ruleIndex points into tool.driver.rules at the rule whose id is
    result.ruleId;
  - informationUri, helpUri and the originalUriBaseIds are absolute URIs
    (a base URI also ends with '/');
  - a relative artifact uri names its uriBaseId, and that base is defined;
  - the ids of a result's relatedLocations are unique.

With --https-help, the help links (helpUri, informationUri) must also be
https URLs, which is what a log for code scanning needs: a file:// link
opens nothing there.

  validate_sarif.py [--schema SCHEMA] [--https-help] LOG

Prints "valid SARIF 2.1.0: N runs, M results" and exits 0, or prints each
violation on standard error and exits 1. Needs the jsonschema module
(Debian: python3-jsonschema).
"""

import argparse
import json
import os
import sys
import urllib.parse

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "..", "Inputs", "sarif", "sarif-schema-2.1.0.json")


def is_absolute_uri(uri):
    parts = urllib.parse.urlsplit(uri)
    return bool(parts.scheme) and (bool(parts.netloc) or bool(parts.path))


def spec_errors(log, https_help=False):
    errors = []
    for r, run in enumerate(log.get("runs") or []):
        driver = run.get("tool", {}).get("driver", {})
        rules = driver.get("rules") or []
        if "informationUri" in driver and not is_absolute_uri(driver["informationUri"]):
            errors.append("runs[%d].tool.driver.informationUri is not absolute: %r"
                          % (r, driver["informationUri"]))
        for i, rule in enumerate(rules):
            if "helpUri" in rule and not is_absolute_uri(rule["helpUri"]):
                errors.append("runs[%d].tool.driver.rules[%d].helpUri is not absolute: %r"
                              % (r, i, rule["helpUri"]))
        if https_help:
            links = [("tool.driver.informationUri", driver.get("informationUri"))]
            links += [("tool.driver.rules[%d].helpUri" % i, rule.get("helpUri"))
                      for i, rule in enumerate(rules) if rule.get("id", "").startswith("pipe-")]
            for where, uri in links:
                if not (uri or "").startswith("https://"):
                    errors.append("runs[%d].%s is not an https URL: %r" % (r, where, uri))
        bases = run.get("originalUriBaseIds") or {}
        for name, loc in bases.items():
            uri = loc.get("uri", "")
            if not is_absolute_uri(uri) or not uri.endswith("/"):
                errors.append("runs[%d].originalUriBaseIds[%s].uri is not an absolute URI "
                              "ending in '/': %r" % (r, name, uri))

        def check_artifact(where, art):
            uri = art.get("uri")
            if uri is None or is_absolute_uri(uri):
                return
            base = art.get("uriBaseId")
            if base is None:
                errors.append("%s: relative uri %r without uriBaseId" % (where, uri))
            elif base not in bases:
                errors.append("%s: uriBaseId %r is not in originalUriBaseIds" % (where, base))

        def check_location(where, loc):
            phys = loc.get("physicalLocation")
            if phys and "artifactLocation" in phys:
                check_artifact(where + ".physicalLocation.artifactLocation",
                               phys["artifactLocation"])

        for n, res in enumerate(run.get("results") or []):
            where = "runs[%d].results[%d]" % (r, n)
            if "ruleIndex" in res:
                idx = res["ruleIndex"]
                if not 0 <= idx < len(rules):
                    errors.append("%s.ruleIndex %d is not an index of the %d rules"
                                  % (where, idx, len(rules)))
                elif "ruleId" in res and rules[idx].get("id") != res["ruleId"]:
                    errors.append("%s.ruleIndex %d is rule %r, not the ruleId %r"
                                  % (where, idx, rules[idx].get("id"), res["ruleId"]))
            for k, loc in enumerate(res.get("locations") or []):
                check_location("%s.locations[%d]" % (where, k), loc)
            ids = [loc.get("id") for loc in res.get("relatedLocations") or [] if "id" in loc]
            if len(ids) != len(set(ids)):
                errors.append("%s.relatedLocations: ids are not unique: %r" % (where, ids))
            for k, loc in enumerate(res.get("relatedLocations") or []):
                check_location("%s.relatedLocations[%d]" % (where, k), loc)
            for c, flow in enumerate(res.get("codeFlows") or []):
                for t, thread in enumerate(flow.get("threadFlows") or []):
                    for k, step in enumerate(thread.get("locations") or []):
                        if "location" in step:
                            check_location("%s.codeFlows[%d].threadFlows[%d].locations[%d].location"
                                           % (where, c, t, k), step["location"])
            for f, fix in enumerate(res.get("fixes") or []):
                for a, change in enumerate(fix.get("artifactChanges") or []):
                    check_artifact("%s.fixes[%d].artifactChanges[%d].artifactLocation"
                                   % (where, f, a), change.get("artifactLocation", {}))
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA)
    parser.add_argument("--https-help", action="store_true")
    args = parser.parse_args(argv)

    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    try:
        with open(args.log, encoding="utf-8") as f:
            log = json.load(f)
    except ValueError as e:
        sys.stderr.write("%s: not JSON: %s\n" % (args.log, e))
        return 1

    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message)
              for e in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))]
    if not errors:
        errors = spec_errors(log, args.https_help)
    if errors:
        for e in errors:
            sys.stderr.write("%s: invalid SARIF: %s\n" % (args.log, e))
        return 1
    runs = log.get("runs") or []
    results = sum(len(run.get("results") or []) for run in runs)
    print("valid SARIF %s: %d run%s, %d result%s"
          % (log.get("version"), len(runs), "" if len(runs) == 1 else "s",
             results, "" if results == 1 else "s"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
