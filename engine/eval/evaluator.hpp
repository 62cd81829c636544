#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check/node.hpp"
#include "common/value.hpp"

namespace sanx::eval {

/// The facts of the world the domain functions read: blocs, relations, listings,
/// ownership. Each answer can say why, for explanations.
class Domain {
  public:
    virtual ~Domain() = default;
    virtual Date as_of() const = 0;
    virtual Value member(const std::string& country, const std::string& bloc,
                         std::string* why) const = 0;
    virtual Value blocs(const std::string& country) const = 0;
    virtual Value borders(const std::string& a, const std::string& b, std::string* why) const = 0;
    virtual Value related(const std::string& a, const std::string& relation, const std::string& b,
                          std::string* why) const = 0;
    /// `authority` and `program` may be empty: any.
    virtual Value listed(const Value& x, const std::string& authority, const std::string& program,
                         std::string* why) const = 0;
    virtual Value blocked(const Value& x, const std::string& authority, std::string* why) const = 0;
    virtual Value blocked_share(const Value& x, const std::string& authority,
                                std::string* why) const = 0;
    /// The declared (or listed) entity whose id x names (x an entity-like map or an id),
    /// with its own counterparties and goods: one hop, for rules on indirect dealings. Null
    /// when x names none; an unknown when which one it is cannot be told.
    virtual Value declared(const Value& x) const {
        (void)x;
        return Null{};
    }
    /// Whether anything is known of x's listings: it declares them, or it was tied to a
    /// declared or listed entity. A party known by name alone matched no list entry, and
    /// "not listed" says less about it than about one that was looked up.
    virtual bool looked_up(const Value& x) const {
        (void)x;
        return true;
    }
};

/// Told the value of every node as its evaluation ends, for branch coverage (`sanx test
/// --coverage`). Optional; evaluation does not depend on it.
struct Observer {
    virtual ~Observer() = default;
    virtual void seen(const check::Node& node, const Value& value) = 0;
};

/// (node, element or side) pairs; see Frame::choices.
using Choices = std::vector<std::pair<const check::Node*, std::size_t>>;

/// One evaluation: the entity, the domain, and room for macro variables.
struct Frame {
    const Value* entity = nullptr;
    const Domain* domain = nullptr;
    /// Values of the names declared in check::CheckOptions::variables.
    const std::map<std::string, Value, std::less<>>* variables = nullptr;
    std::vector<Value> locals;
    std::vector<std::string> local_paths;  ///< what each macro variable is bound to, for messages
    int depth = 0;
    /// Nodes evaluated so far by the current evaluate() or witness() call, and the most it
    /// may take: nested comprehensions cannot run away with the process.
    std::uint64_t steps = 0;
    std::uint64_t max_steps = 10'000'000;
    Observer* observer = nullptr;  ///< optional, see Observer
    /// When set, evaluation records here the choices that made nodes true: which element
    /// satisfied an `exists`, which side of an `||` held, in order.
    Choices* choices = nullptr;
};

/// One fact of a witness: a sub-expression that held, and what it saw.
struct Fact {
    std::uint32_t begin = 0, end = 0;  ///< the sub-expression in the expression text
    std::string expr;                  ///< its text
    std::string seen;                  ///< the values or the reason that made it true
};

Value evaluate(const check::Checked& expr, Frame& frame);

/// Evaluates one node of a checked expression in `frame`, whose macro variables the caller
/// has bound (explanations walk sub-trees this way). Does not reset the step count.
Value evaluate_node(const check::Node& node, Frame& frame);
/// `entity.counterparties[2].country` for a node that reads the entity's data; empty otherwise.
std::string path_of(const check::Node& node, Frame& frame);
/// A domain function call's reason for a true answer; empty when it gives none.
std::string domain_reason(const check::Node& call, Frame& frame);

/// The facts that made `expr` true; call only when it evaluated to true. `choices`, when
/// given, are what that evaluation (and nothing since) recorded in Frame::choices: the
/// witness then follows them instead of searching again.
std::vector<Fact> witness(const check::Checked& expr, std::string_view text, Frame& frame,
                          const Choices* choices = nullptr);

}  // namespace sanx::eval
