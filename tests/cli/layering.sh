#!/usr/bin/env bash
# The stages' include paths (engine/CMakeLists.txt) enforce the direction of dependencies
# (docs/architecture.md): a header of the stage itself or of a stage below compiles, a
# header of a stage above does not. Arguments: the C++ compiler, the source tree, the
# folder of the stages' include paths (build/.../engine/stage-includes).
set -u
cxx=$1 src=$2 stages=$3
. "$(dirname "$0")/lib.sh" "" "$src"

compiles() {  # STAGE HEADER: whether a file of STAGE may include HEADER
    echo "#include \"$2\"" | "$cxx" -std=c++20 -fsyntax-only -I"$src/include" -I"$stages/$1" \
        -isystem /usr/include/libxml2 -x c++ - 2>/dev/null
}
refused() { ! compiles "$@"; }
expect_compiles() { check "$1 may include $2" compiles "$1" "$2"; }
expect_refused() { check "$1 must not include $2" refused "$1" "$2"; }

expect_compiles check common/value.hpp
expect_compiles eval check/node.hpp
expect_compiles runtime io/input.hpp
expect_compiles tools runtime/session.hpp
expect_refused common source/source.hpp
expect_refused check eval/evaluator.hpp
expect_refused eval io/input.hpp
expect_refused eval packs/model.hpp
expect_refused ownership io/input.hpp
expect_refused io runtime/session.hpp
expect_refused runtime api/access.hpp
expect_refused import runtime/session.hpp
expect_refused cli io/input.hpp
finish
