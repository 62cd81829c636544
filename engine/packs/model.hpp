#pragma once

// What the loaded rule packs say, resolved and checked: the immutable heart of a Ruleset.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sanx/result.hpp>

#include "check/node.hpp"
#include "common/value.hpp"
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

/// What a list does to the parties on it (PRODUCT.md section 3): only an asset freeze blocks
/// and starts ownership chains.
enum class Measure {
    asset_freeze,
    travel_ban,
    investment_ban,
    transaction_ban,
    sectoral,
    export_control,
    other
};
const char* to_string(Measure m);
bool parse_measure(const std::string& s, Measure& out);

/// One list an authority keeps, with the other spellings its listings may use.
struct ListDef {
    std::string id, name;
    std::vector<std::string> aliases;
    Measure measure = Measure::asset_freeze;
    std::vector<std::string> cites;
};

struct OwnershipRules {
    bool present = false;
    double threshold = 50;
    bool inclusive = true;
    std::string aggregate = "sum";                   ///< sum | joint_arrangement
    std::string indirect = "blocked_intermediates";  ///< or majority_chain
};

struct ControlRules {
    bool blocks = false;
    bool caution = false;
    std::vector<std::string> bases;  ///< bases that block; empty: all
};

struct Authority {
    std::string id, name;
    std::vector<std::string> aliases;  ///< other spellings of the authority in listings
    OwnershipRules ownership;          ///< as in force on the date (see on())
    ControlRules control;
    std::vector<ListDef> lists;
    std::vector<std::string> cites;

    /// Ownership and control as the law stood in a period, when it changed (the EU threshold
    /// became inclusive on 2024-07-03). A period's rules replace the undated ones.
    struct Dated {
        Period period;
        std::optional<OwnershipRules> ownership;
        std::optional<ControlRules> control;
        std::vector<std::string> cites;
    };
    std::vector<Dated> periods;

    /// This authority with the ownership and control rules in force on `d`, and the
    /// citations of the period they come from first.
    Authority on(eval::Date d) const;
    /// The list a listing names, by id or alias, without regard to case; null if unknown.
    const ListDef* find_list(std::string_view list_name) const;
    /// What a listing by this authority does: its `measure` field when the reader set one,
    /// else its list's; an absent or unknown list is an asset freeze (the safe reading).
    Measure measure_of(const eval::Value& listing) const;
    bool blocks_listing(const eval::Value& listing) const {
        return measure_of(listing) == Measure::asset_freeze;
    }
    /// "SDN, SSI, Entity List": for messages.
    std::string list_names() const;
};

/// Findings sanx makes itself about listings that no rule assesses (PRODUCT.md section 3).
inline constexpr const char* not_a_freeze_rule = "listings/not-an-asset-freeze";
inline constexpr const char* unknown_authority_rule = "listings/unknown-authority";

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
    /// Every id a finding can have: the rules', and those sanx makes itself (control
    /// cautions, listings no rule assesses).
    std::vector<std::string> finding_ids() const;
    /// The authority a listing names, by id or alias, without regard to case; null if none.
    const Authority* find_authority(std::string_view name) const;
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
