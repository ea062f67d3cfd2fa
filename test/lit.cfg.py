# -*- Python -*-
# lit configuration of the pipe-tidy test suite.
#
#   python3 /usr/lib/llvm-NN/build/utils/lit/lit.py -sv test --param llvm_version=NN
#
# Parameters (--param NAME=VALUE):
#   llvm_version        required: the LLVM major whose clang-tidy runs the tests
#   plugin              the plugin to load (default build/llvm-NN/PipeTidy-llvmNN.so)
#   other_plugin        optional: a plugin built for another LLVM major; when the
#                       file exists the feature 'other-plugin' is available
#   other_llvm_version  optional: that plugin's LLVM major (default: read from
#                       its file name PipeTidy-llvmMM.so)
#
# scripts/run-tests.sh passes all of them.

import os
import re
import shlex
import sys

import lit.formats

# lit runs this file with `config` and `lit_config` defined.

config.name = "pipe-tidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp"]
# Helper scripts and the inputs of tests are not tests; Output is lit's own
# scratch directory when it runs inside the source tree.
config.excludes = ["tools", "Inputs", "Output"]

config.test_source_root = os.path.dirname(os.path.abspath(__file__))
repo_root = os.path.dirname(config.test_source_root)


def param(name, default=None):
    value = lit_config.params.get(name, default)
    if isinstance(value, str):
        value = value.strip()
    return value if value else default


def repo_path(path):
    path = os.path.expanduser(path)
    if not os.path.isabs(path):
        path = os.path.join(repo_root, path)
    return os.path.normpath(path)


llvm_version = param("llvm_version")
if not llvm_version or not re.fullmatch(r"\d+", llvm_version):
    lit_config.fatal(
        "pipe-tidy: give the LLVM major with --param llvm_version=NN "
        "(for example: lit test --param llvm_version=19)"
    )

llvm_bin = "/usr/lib/llvm-%s/bin" % llvm_version
clang_tidy = os.path.join(llvm_bin, "clang-tidy")
if not os.access(clang_tidy, os.X_OK):
    lit_config.fatal(
        "pipe-tidy: %s not found: install the Debian package clang-tidy-%s"
        % (clang_tidy, llvm_version)
    )
for tool in ("FileCheck", "not", "count"):
    if not os.access(os.path.join(llvm_bin, tool), os.X_OK):
        lit_config.fatal(
            "pipe-tidy: %s/%s not found: install the Debian package llvm-%s-tools"
            % (llvm_bin, tool, llvm_version)
        )

plugin = repo_path(
    param("plugin", "build/llvm-%s/PipeTidy-llvm%s.so" % (llvm_version, llvm_version))
)
if not os.path.isfile(plugin):
    lit_config.fatal(
        "pipe-tidy: plugin %s does not exist; build it with\n"
        "  cmake -S . -B build/llvm-%s -G Ninja -DPIPE_TIDY_LLVM_VERSION=%s && "
        "cmake --build build/llvm-%s\nor give --param plugin=PATH"
        % (plugin, llvm_version, llvm_version, llvm_version)
    )

other_plugin = param("other_plugin")
other_llvm_version = param("other_llvm_version")
if other_plugin:
    other_plugin = repo_path(other_plugin)
    if not other_llvm_version:
        m = re.search(r"PipeTidy-llvm(\d+)\.so$", other_plugin)
        if m:
            other_llvm_version = m.group(1)
    if os.path.isfile(other_plugin) and other_llvm_version:
        if other_llvm_version == llvm_version:
            lit_config.warning(
                "pipe-tidy: other_plugin %s is for the same LLVM %s; "
                "the cross-load tests are skipped" % (other_plugin, llvm_version)
            )
        else:
            config.available_features.add("other-plugin")
    else:
        lit_config.note(
            "pipe-tidy: other_plugin %s not usable; the cross-load tests are skipped"
            % other_plugin
        )

# Each LLVM gets its own scratch tree under build/, so the source tree stays
# clean and runs for two versions never share %t files.
config.test_exec_root = os.path.join(repo_root, "build", "lit", "llvm-" + llvm_version)

config.available_features.add("llvm-" + llvm_version)
# Boost.Asio / Boost.Process / Boost.Thread headers and boost::thread's
# library, which the run-proofs link (Debian libboost1.81-dev,
# libboost-thread1.81-dev): tests of the Boost model say REQUIRES: boost.
# Headers alone (another package's build dependencies) are not enough.
import glob as _glob
if os.path.exists("/usr/include/boost/asio/readable_pipe.hpp") and os.path.exists(
    "/usr/include/boost/process/v2.hpp"
) and os.path.exists("/usr/include/boost/thread.hpp") and (
    _glob.glob("/usr/lib/*/libboost_thread.so") or _glob.glob("/usr/lib/libboost_thread.so")
):
    config.available_features.add("boost")

# FileCheck, not, count of the same LLVM come first on PATH.
config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))]
)
# Never let the caller's environment force the version guard's answer.
config.environment.pop("PIPE_TIDY_HOST_LLVM_MAJOR", None)
# run_example.py caches the test programs it compiles here.
config.environment["PIPE_TIDY_EXAMPLE_CACHE"] = os.path.join(
    repo_root, "build", "run-example-cache"
)
# scripts/run-tests.sh proves each scenario once per invocation (see
# test/tools/run_example.py).
for var in ("CC", "CXX", "HOME", "PIPE_TIDY_PROOF_RESULTS"):
    if os.environ.get(var):
        config.environment[var] = os.environ[var]

python = shlex.quote(sys.executable or "python3")
tools_dir = os.path.join(config.test_source_root, "tools")

config.substitutions.append(
    (
        "%check_pipe_tidy",
        "%s %s --clang-tidy %s --plugin %s --filecheck %s"
        % (
            python,
            shlex.quote(os.path.join(tools_dir, "check_pipe_tidy.py")),
            shlex.quote(clang_tidy),
            shlex.quote(plugin),
            shlex.quote(os.path.join(llvm_bin, "FileCheck")),
        ),
    )
)
config.substitutions.append(
    (
        "%run_example",
        "%s %s" % (python, shlex.quote(os.path.join(tools_dir, "run_example.py"))),
    )
)
# %expect_exit STATUS CMD...: CMD must exit with exactly STATUS; a crash
# fails (lit's `not` would count it as the expected failure).
config.substitutions.append(
    (
        "%expect_exit",
        "%s %s" % (python, shlex.quote(os.path.join(tools_dir, "expect_exit.py"))),
    )
)
config.substitutions.append(("%clang_tidy", shlex.quote(clang_tidy)))
config.substitutions.append(("%other_plugin", shlex.quote(other_plugin or "")))
config.substitutions.append(("%plugin", shlex.quote(plugin)))
config.substitutions.append(("%other_llvm_version", other_llvm_version or ""))
config.substitutions.append(("%llvm_version", llvm_version))
# clang-tidy-diff passes clang-tidy's failure on only from LLVM 17; the
# drivers of 14-16 end with status 0 whatever clang-tidy did.
config.substitutions.append(
    ("%diff_status_on_failure", "1" if int(llvm_version) >= 17 else "0")
)
config.available_features.add("llvm-" + llvm_version)
config.substitutions.append(("%python", python))
config.substitutions.append(("%repo_root", shlex.quote(repo_root)))
# The plugin's build directory (cmake --install, cpack).
config.substitutions.append(("%build_dir", shlex.quote(os.path.dirname(plugin))))
# pre-commit (Debian package pre-commit): the hook test drives it.
import shutil as _shutil
if _shutil.which("pre-commit") and _shutil.which("git"):
    config.available_features.add("pre-commit")
# man and lexgrog (Debian package man-db): the man page test renders the
# installed pages with them.
if _shutil.which("man") and _shutil.which("lexgrog"):
    config.available_features.add("man")
# lintian, and what cpack needs to build the .deb (dpkg-deb, and
# dpkg-shlibdeps from dpkg-dev): the package test holds the .deb to
# lintian's rules.
if all(_shutil.which(t) for t in ("lintian", "dpkg-deb", "dpkg-shlibdeps")):
    config.available_features.add("lintian")
# run-clang-tidy and clang-tidy-diff.py of the same LLVM (package clang-tidy-NN).
config.substitutions.append(
    ("%run_clang_tidy", "%s %s" % (python, shlex.quote(os.path.join(llvm_bin, "run-clang-tidy")))))
config.substitutions.append(
    ("%tidy_diff_script", shlex.quote("/usr/lib/llvm-%s/share/clang/clang-tidy-diff.py" % llvm_version)))
# pipe-clang-tidy, when the build made it (it needs clangTidyMain).
if os.access(os.path.join(os.path.dirname(plugin), "bin", "pipe-clang-tidy"), os.X_OK):
    config.available_features.add("pipe-clang-tidy")
# pipe-clangd: the build makes it whenever this LLVM ships clangdMain
# (LLVM 17 and later), so the feature follows the library, not the binary: a
# build that failed to make it fails the test instead of skipping it.
if os.path.exists("/usr/lib/llvm-%s/lib/libclangdMain.a" % llvm_version):
    config.available_features.add("pipe-clangd")
# A FileCheck prefix for what is there with pipe-clangd or without it, and
# the option that forbids it without (lit 14 has no %if).
_clangd = "pipe-clangd" in config.available_features
config.substitutions.append(("%clangd_prefix", "CLANGD" if _clangd else "NO-CLANGD"))
config.substitutions.append(
    ("%clangd_absent", "" if _clangd else "--implicit-check-not=pipe-clangd"))
# jsonschema (Debian package python3-jsonschema): the SARIF test validates
# its log against the SARIF 2.1.0 schema with it.
try:
    import jsonschema as _jsonschema  # noqa: F401
    config.available_features.add("jsonschema")
except ImportError:
    pass
# Headless Chromium (Debian package chromium): the HTML report test renders
# its pages with it (feature 'chromium').
if _shutil.which("chromium"):
    config.available_features.add("chromium")
# Installing the .deb changes the machine: only when asked (.ci/run).
if os.environ.get("PIPE_TIDY_TEST_INSTALL_DEB") == "1" and os.geteuid() == 0:
    config.available_features.add("install-deb")
config.substitutions.append(
    ("%pipe_tidy", "%s %s" % (python, shlex.quote(os.path.join(repo_root, "tools", "pipe-tidy"))))
)

lit_config.note(
    "pipe-tidy: LLVM %s, clang-tidy %s, plugin %s%s"
    % (
        llvm_version,
        clang_tidy,
        plugin,
        (", other plugin %s (LLVM %s)" % (other_plugin, other_llvm_version))
        if "other-plugin" in config.available_features
        else "",
    )
)
