// pipe-tidy --version after cmake --install: the installed wrapper has no
// CMakeLists.txt next to it and reads the version from the CMake package
// installed with it (lib/cmake/PipeTidy-llvmNN/PipeTidyConfigVersion.cmake),
// which CMake fills from project(pipe-tidy VERSION ...).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: cmake --install %build_dir --prefix %t/prefix > %t/install.txt
// RUN: test ! -e %t/prefix/CMakeLists.txt
// RUN: grep -o 'project(pipe-tidy VERSION [0-9.]*' %repo_root/CMakeLists.txt > %t/version.txt
// RUN: %python %t/prefix/bin/pipe-tidy --llvm %llvm_version --version >> %t/version.txt
// RUN: FileCheck %s -DMAJOR=%llvm_version < %t/version.txt
// CHECK: project(pipe-tidy VERSION [[V:[0-9.]+]]
// CHECK-NEXT: pipe-tidy version [[V]]
// CHECK-NEXT: clang-tidy: {{.*}}clang-tidy{{.*}} (LLVM [[MAJOR]], --llvm)
