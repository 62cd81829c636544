#include "tools/tree.hpp"

#include <algorithm>

#include "common/value.hpp"

namespace sanx::tools::tree {

namespace {

using check::Macro;
using check::Node;
using check::Op;

const char* op_name(Op op) {
    switch (op) {
        case Op::literal:
            return "lit";
        case Op::entity:
            return "entity";
        case Op::as_of:
            return "as_of";
        case Op::local:
            return "local";
        case Op::variable:
            return "var";
        case Op::select:
            return "select";
        case Op::has:
            return "has";
        case Op::index:
            return "index";
        case Op::call:
            return "call";
        case Op::list:
            return "list";
        case Op::map:
            return "map";
        case Op::not_:
            return "not";
        case Op::neg:
            return "neg";
        case Op::binary:
            return "bin";
        case Op::and_:
            return "and";
        case Op::or_:
            return "or";
        case Op::cond:
            return "cond";
        case Op::macro:
            return "macro";
    }
    return "?";
}

void head(const Node& n, std::string& out) {
    out += op_name(n.op);
    switch (n.op) {
        case Op::literal:
            out += ' ';
            out += eval::cel_literal(n.value);
            out += ':';
            out += eval::type_name(n.value);
            break;
        case Op::local:
            out += ' ' + std::to_string(n.slot);
            break;
        case Op::variable:
        case Op::select:
        case Op::has:
        case Op::binary:
            out += ' ' + n.name;
            break;
        case Op::call:
            out += ' ' + std::to_string(static_cast<int>(n.fn)) + ' ' + n.name;
            break;
        case Op::macro:
            out += ' ' + std::to_string(static_cast<int>(n.macro)) + ' ' + std::to_string(n.slot);
            break;
        default:
            break;
    }
}

void dump_into(const Node& n, std::string& out) {
    out += '(';
    head(n, out);
    for (const auto& k : n.kids) {
        out += ' ';
        dump_into(k, out);
    }
    out += ')';
}

void chain(const Node& n, Op op, std::vector<const Node*>& out) {
    if (n.op == op) {
        for (const auto& k : n.kids) chain(k, op, out);
    } else {
        out.push_back(&n);
    }
}

std::string normalized_impl(const Node& n) {
    if (n.op == Op::and_ || n.op == Op::or_) {
        std::vector<const Node*> ops;
        chain(n, n.op, ops);
        std::vector<std::string> parts;
        for (const auto* o : ops) parts.push_back(normalized_impl(*o));
        std::sort(parts.begin(), parts.end());
        parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
        std::string out = n.op == Op::and_ ? "(and*" : "(or*";
        for (const auto& p : parts) out += ' ' + p;
        return out + ')';
    }
    std::string out = "(";
    head(n, out);
    for (const auto& k : n.kids) out += ' ' + normalized_impl(k);
    return out + ')';
}

}  // namespace

std::string dump(const Node& n) {
    std::string out;
    dump_into(n, out);
    return out;
}

std::string normalized(const Node& n) { return normalized_impl(n); }

std::optional<bool> constant(const Node& n) {
    switch (n.op) {
        case Op::literal:
            if (n.value.is(eval::Kind::boolean)) return n.value.as_bool();
            return std::nullopt;
        case Op::not_:
            if (auto v = constant(n.kids[0])) return !*v;
            return std::nullopt;
        case Op::and_:
        case Op::or_: {
            bool is_and = n.op == Op::and_;
            auto a = constant(n.kids[0]);
            auto b = constant(n.kids[1]);
            // The side that decides wins, whatever the other side is.
            if ((a && *a != is_and) || (b && *b != is_and)) return !is_and;
            if (a && b) return is_and;
            // `x || !x` and `x && !x`.
            const Node& l = n.kids[0];
            const Node& r = n.kids[1];
            if ((l.op == Op::not_ && dump(l.kids[0]) == dump(r)) ||
                (r.op == Op::not_ && dump(r.kids[0]) == dump(l)))
                return !is_and;
            return std::nullopt;
        }
        case Op::cond:
            if (auto c = constant(n.kids[0])) return constant(n.kids[*c ? 1 : 2]);
            return std::nullopt;
        case Op::binary: {
            const Node& l = n.kids[0];
            const Node& r = n.kids[1];
            const std::string& op = n.name;
            if (l.op == Op::literal && r.op == Op::literal) {
                const auto& a = l.value;
                const auto& b = r.value;
                if (op == "==") return eval::equal(a, b);
                if (op == "!=") return !eval::equal(a, b);
                if (op == "in" && b.is(eval::Kind::list)) {
                    for (const auto& e : b.as_list())
                        if (eval::equal(a, e)) return true;
                    return false;
                }
                int c = eval::compare(a, b);
                if (c == eval::unordered) return std::nullopt;
                if (op == "<") return c < 0;
                if (op == "<=") return c <= 0;
                if (op == ">") return c > 0;
                if (op == ">=") return c >= 0;
                return std::nullopt;
            }
            // The same sub-expression on both sides.
            if (dump(l) == dump(r)) {
                if (op == "==" || op == "<=" || op == ">=") return true;
                if (op == "!=" || op == "<" || op == ">") return false;
            }
            return std::nullopt;
        }
        case Op::macro: {
            // A macro over a literal empty list.
            const Node& range = n.kids[0];
            bool empty = (range.op == Op::list && range.kids.empty()) ||
                         (range.op == Op::literal && range.value.is(eval::Kind::list) &&
                          range.value.as_list().empty());
            if (!empty) return std::nullopt;
            if (n.macro == Macro::all) return true;
            if (n.macro == Macro::exists || n.macro == Macro::exists_one) return false;
            return std::nullopt;
        }
        default:
            return std::nullopt;
    }
}

namespace {

void collect(const Node& n, std::vector<BranchPoint>& out) {
    if ((n.op == Op::and_ || n.op == Op::or_)) {
        for (const auto& k : n.kids)
            if (k.op != n.op) out.push_back({&k, "operand"});
    }
    if (n.op == Op::macro && n.kids.size() >= 2 &&
        (n.macro == Macro::all || n.macro == Macro::exists || n.macro == Macro::exists_one ||
         n.macro == Macro::filter || (n.macro == Macro::map && n.kids.size() == 3)))
        out.push_back({&n.kids[1], "macro body"});
    for (const auto& k : n.kids) collect(k, out);
}

}  // namespace

std::vector<BranchPoint> branch_points(const Node& root) {
    std::vector<BranchPoint> out;
    collect(root, out);
    std::sort(out.begin(), out.end(), [](const BranchPoint& a, const BranchPoint& b) {
        return a.node->begin != b.node->begin ? a.node->begin < b.node->begin
                                              : a.node->end > b.node->end;
    });
    return out;
}

}  // namespace sanx::tools::tree
