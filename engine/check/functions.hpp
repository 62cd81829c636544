#pragma once

// The functions an expression can call: CEL's standard ones and the domain functions
// (PRODUCT.md section 5), with their arity and the types they take and give.

#include <optional>
#include <string>
#include <vector>

#include "check/node.hpp"

namespace sanx::check {

struct FnSig {
    const char* name;
    Fn fn;
    int min_args, max_args;  // not counting the receiver
    bool method;             // x.f(...) rather than f(x, ...)
};

/// Every signature; `size` and the string functions exist in both forms, as in CEL.
const std::vector<FnSig>& functions();

/// What argument `i` (the receiver of a method is 0) of `fn` must be, as a phrase ("a
/// string"), when `t` cannot be it; nullopt when it can.
std::optional<std::string> argument_mismatch(Fn fn, std::size_t i, const Type& t);

/// The type of a call of `fn`.
Type result_type(Fn fn);

}  // namespace sanx::check
