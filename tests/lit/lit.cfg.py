# -*- Python -*-
# lit.cfg.py - owgc's compiler tests, in LLVM's convention: one test file
# holds its input, its RUN: lines and its CHECK: lines (FileCheck).
#
#   // RUN: %owgc --emit=ir %s | FileCheck %s
#   // RUN: not %owgc %s 2>&1 | FileCheck --check-prefix=ERR %s
#
# Test files: *.owg, *.owgir, *.test anywhere below tests/lit.  Inputs that
# are not tests themselves (imported files, profiles, ...) go into a folder
# named Inputs/ (not scanned); reach them with %S/Inputs/...
#
# Substitutions: %owgc (the built compiler), %owg-gen (bench/owg-gen),
# %examples (the examples/ folder), %srcroot and %objroot (top source and
# build dirs), plus lit's own %s %S %t %T %p.  The built owgc and LLVM's
# FileCheck, not and count are on PATH.  Features for REQUIRES:/UNSUPPORTED:
# asan, ubsan (sanitizer builds).
#
# This file is loaded by the lit.site.cfg.py that configure writes into the
# build dir: run `make check-lit` (part of `make check`).
import os

import lit.formats

if not hasattr(config, "owg_obj_root"):
    lit_config.fatal(
        "run the lit tests from a configured build dir: make check-lit "
        "(or lit -sv <builddir>/tests/lit)")

config.name = "owgc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".owg", ".owgir", ".test"]
config.excludes = ["Inputs", "Output", "lit.cfg.py", "lit.site.cfg.py",
                   "README.md", "README.txt"]
config.test_source_root = os.path.dirname(os.path.abspath(__file__))
config.test_exec_root = os.path.join(config.owg_obj_root, "tests", "lit")

if not os.path.exists(config.owgc):
    lit_config.fatal("%s not built: run make first" % config.owgc)

path = [config.owg_obj_root]
if config.llvm_tools_dir:
    path.append(config.llvm_tools_dir)
path.append(config.environment.get("PATH", ""))
config.environment["PATH"] = os.pathsep.join(path)
config.environment["LC_ALL"] = "C"
config.environment["OWGC"] = config.owgc

# In sanitizer builds a report must fail the test even under `not`, which
# only catches crashes: make every report abort (the caller may override).
if "ASAN_OPTIONS" not in config.environment:
    config.environment["ASAN_OPTIONS"] = "abort_on_error=1"
if "UBSAN_OPTIONS" not in config.environment:
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:abort_on_error=1"
for feature in config.owg_sanitizers:
    config.available_features.add(feature)

config.substitutions.append(("%owgc", config.owgc))
config.substitutions.append(("%owg-gen", config.owg_gen))
config.substitutions.append(("%examples", os.path.join(config.owg_src_root, "examples")))
config.substitutions.append(("%srcroot", config.owg_src_root))
config.substitutions.append(("%objroot", config.owg_obj_root))
# A FileCheck found under another name (FileCheck-14): call it by that path.
if config.filecheck and os.path.basename(config.filecheck) != "FileCheck":
    config.substitutions.append((r"\bFileCheck\b", config.filecheck))
