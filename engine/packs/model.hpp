#pragma once

// What the loaded rule packs say, resolved and checked: the immutable heart of a Ruleset.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sanx/result.hpp>

#include "check/node.hpp"
#include "eval/value.hpp"
#include "source/source.hpp"

namespace sanx::detail {

/// A checked expression and where it came from.
struct Expr {
    std::string scalar;    ///< the whole YAML scalar it stands in (a template may hold several)
    std::size_t base = 0;  ///< where the expression starts inside `scalar`
    std::string text;      ///< the expression itself
    source::ScalarOrigin origin;
    std::shared_ptr<const check::Checked> checked;

    Location locate(std::size_t offset, std::size_t length = 1) const {
        return origin.locate(scalar, base + offset, length);
    }
};

/// A message with `{{ expr }}` holes.
struct Template {
    struct Piece {
        std::string literal;
        std::optional<Expr> hole;
    };
    std::vector<Piece> pieces;
};

/// Validity on dates: from and until are both inclusive; absent means open.
struct Period {
    std::optional<eval::Date> from, until;
    bool contains(eval::Date d) const {
        return (!from || from->days <= d.days) && (!until || d.days <= until->days);
    }
};

struct BlocMember {
    std::string code;
    Period period;
    std::string status = "member";  ///< anything but "member" is not membership
};

struct Bloc {
    std::string id, name, kind;
    std::vector<BlocMember> members;
    std::vector<std::string> cites;
};

struct Relation {
    std::string subject, relation;
    std::vector<std::string> objects, via;
    Period period;
    std::string text;
};

struct Authority {
    std::string id, name;
    struct {
        bool present = false;
        double threshold = 50;
        bool inclusive = true;
        std::string aggregate = "sum";                   ///< sum | joint_arrangement
        std::string indirect = "blocked_intermediates";  ///< or majority_chain
    } ownership;
    struct {
        bool blocks = false;
        bool caution = false;
        std::vector<std::string> bases;  ///< bases that block; empty: all
    } control;
    /// Lists whose entries are blocked (e.g. SDN, not SSI); empty: every listing by this
    /// authority. A listing without `list` always counts.
    std::vector<std::string> blocking_lists;
    std::vector<std::string> cites;

    bool blocks_listing(const eval::Value& listing) const;
};

struct Rule {
    std::string id, full_id, title;
    RuleSeverity severity = RuleSeverity::info;
    Expr when;
    Template message;
    std::vector<std::string> cites;
    Period period;
};

struct Regime {
    std::string id, authority, title, legal_basis, pack;
    std::vector<std::string> targets;
    Period period;
    std::vector<Rule> rules;
};

struct Licence {
    std::string id, title;
    std::vector<std::string> exempts;  ///< rule ids or REGIME/*
    Expr when;
    Period period;
    std::string supersedes;
    std::vector<std::string> cites;

    bool exempts_rule(const std::string& full_id) const;
};

struct Model {
    std::vector<PackInfo> packs;
    check::Vocabulary vocab;
    std::map<std::string, std::string> countries;
    std::map<std::string, std::string> sectors;
    std::map<std::string, Bloc> blocs;
    std::vector<Relation> relations;
    std::map<std::string, Authority> authorities;
    std::vector<Regime> regimes;
    std::vector<Licence> licences;
    std::string hash;
};

/// Loads and checks packs; `model` is null when any error was found.
struct Loaded {
    std::shared_ptr<const Model> model;
    std::vector<Diagnostic> diagnostics;
};
Loaded load_packs(const std::vector<std::string>& paths);

}  // namespace sanx::detail
