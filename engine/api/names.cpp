// The names of the public enums, as every report spells them.

#include <sanx/engine.hpp>
#include <sanx/version.hpp>

namespace sanx {

const char* version() { return SANX_VERSION; }

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::clear:
            return "clear";
        case Verdict::low:
            return "low";
        case Verdict::medium:
            return "medium";
        case Verdict::high:
            return "high";
        case Verdict::blocked:
            return "blocked";
    }
    return "clear";
}

const char* to_string(RuleSeverity s) {
    switch (s) {
        case RuleSeverity::info:
            return "info";
        case RuleSeverity::low:
            return "low";
        case RuleSeverity::medium:
            return "medium";
        case RuleSeverity::high:
            return "high";
        case RuleSeverity::blocked:
            return "blocked";
    }
    return "info";
}

const char* to_string(BlockReason r) {
    switch (r) {
        case BlockReason::listed:
            return "listed";
        case BlockReason::ownership:
            return "ownership";
        case BlockReason::control:
            return "control";
    }
    return "listed";
}

const char* to_string(MatchBy b) {
    switch (b) {
        case MatchBy::id:
            return "id";
        case MatchBy::identifier:
            return "identifier";
        case MatchBy::name:
            return "name";
        case MatchBy::none:
            return "none";
    }
    return "none";
}

const char* to_string(MatchDecision d) {
    switch (d) {
        case MatchDecision::match:
            return "match";
        case MatchDecision::possible:
            return "possible";
        case MatchDecision::unmatched:
            return "unmatched";
    }
    return "unmatched";
}

const char* to_string(TraceOutcome o) {
    switch (o) {
        case TraceOutcome::fired:
            return "fired";
        case TraceOutcome::not_fired:
            return "false";
        case TraceOutcome::unknown:
            return "unknown";
        case TraceOutcome::error:
            return "error";
    }
    return "error";
}

const char* to_string(TraceKind k) {
    switch (k) {
        case TraceKind::and_:
            return "and";
        case TraceKind::or_:
            return "or";
        case TraceKind::not_:
            return "not";
        case TraceKind::cond:
            return "cond";
        case TraceKind::compare:
            return "compare";
        case TraceKind::call:
            return "call";
        case TraceKind::all:
            return "all";
        case TraceKind::exists:
            return "exists";
        case TraceKind::exists_one:
            return "exists_one";
        case TraceKind::map:
            return "map";
        case TraceKind::filter:
            return "filter";
        case TraceKind::bind:
            return "bind";
        case TraceKind::macro:
            return "macro";
        case TraceKind::element:
            return "element";
        case TraceKind::value:
            return "value";
    }
    return "value";
}

}  // namespace sanx
