#!/usr/bin/env bash
# The library never prints, exits or aborts (PRODUCT.md section 10): none of its objects may
# call the C or C++ output and termination functions. Debug builds keep third-party
# headers' assert(), which is the one exception; release builds have none.
set -u
# Every library given (the core, the importers, the tools); std::cin too: standard input is
# the host's to give.
bad=$(nm -A "$@" 2>/dev/null | grep -E ' U ' |
      grep -E ' U (printf|puts|fputs|fprintf|vfprintf|vprintf|fwrite|putchar|perror|abort|exit|_exit|_Exit|quick_exit)$|std::cin|std::cout|std::cerr|std::clog|_ZSt3cin|_ZSt4cout|_ZSt4cerr|_ZSt4clog')
if [ -n "$bad" ]; then
    echo "the library references output or termination functions:"
    echo "$bad"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
