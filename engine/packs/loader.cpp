#include <algorithm>
#include <set>
#include <unordered_set>

#include "check/checker.hpp"
#include "dsl/parse.hpp"
#include "packs/model.hpp"
#include "packs/yaml_util.hpp"
#include "source/sha256.hpp"

namespace sanx::detail {

namespace {

bool same_word(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

constexpr std::pair<const char*, Measure> measure_names[] = {
    {"asset_freeze", Measure::asset_freeze},
    {"travel_ban", Measure::travel_ban},
    {"investment_ban", Measure::investment_ban},
    {"transaction_ban", Measure::transaction_ban},
    {"sectoral", Measure::sectoral},
    {"export_control", Measure::export_control},
    {"other", Measure::other}};

}  // namespace

const char* to_string(Measure m) {
    for (const auto& [name, v] : measure_names)
        if (v == m) return name;
    return "other";
}

bool parse_measure(const std::string& s, Measure& out) {
    for (const auto& [name, v] : measure_names)
        if (s == name) {
            out = v;
            return true;
        }
    return false;
}

Authority Authority::on(eval::Date d) const {
    Authority a = *this;
    std::vector<std::string> cited;
    for (const auto& p : periods) {
        if (!p.period.contains(d)) continue;
        if (p.ownership) a.ownership = *p.ownership;
        if (p.control) a.control = *p.control;
        cited.insert(cited.end(), p.cites.begin(), p.cites.end());
    }
    a.cites.insert(a.cites.begin(), cited.begin(), cited.end());
    return a;
}

const ListDef* Authority::find_list(std::string_view list_name) const {
    for (const auto& l : lists) {
        if (same_word(l.id, list_name)) return &l;
        for (const auto& alias : l.aliases)
            if (same_word(alias, list_name)) return &l;
    }
    return nullptr;
}

Measure Authority::measure_of(const eval::Value& listing) const {
    Measure m = Measure::asset_freeze;
    if (const eval::Value* set = listing.field("measure"); set && set->is(eval::Kind::string))
        return parse_measure(set->as_string(), m) ? m : Measure::asset_freeze;
    const eval::Value* list = listing.field("list");
    if (!list || !list->is(eval::Kind::string)) return Measure::asset_freeze;
    const ListDef* l = find_list(list->as_string());
    return l ? l->measure : Measure::asset_freeze;
}

std::string Authority::list_names() const {
    std::string out;
    for (const auto& l : lists) out += (out.empty() ? "" : ", ") + l.id;
    return out.empty() ? "none declared" : out;
}

std::vector<std::string> Model::finding_ids() const {
    std::vector<std::string> out;
    for (const auto& g : regimes)
        for (const auto& r : g.rules) out.push_back(r.full_id);
    for (const auto& [id, a] : authorities)
        if (a.control.caution) out.push_back("ownership/" + id + "-control");
    out.insert(out.end(), {not_a_freeze_rule, unknown_authority_rule});
    return out;
}

const Authority* Model::find_authority(std::string_view name) const {
    for (const auto& [id, a] : authorities) {
        if (same_word(id, name)) return &a;
        for (const auto& alias : a.aliases)
            if (same_word(alias, name)) return &a;
    }
    return nullptr;
}

bool Licence::exempts_rule(const std::string& full_id) const {
    for (const auto& e : exempts) {
        if (e == full_id) return true;
        if (e.size() > 2 && e.compare(e.size() - 2, 2, "/*") == 0 &&
            full_id.compare(0, e.size() - 1, e, 0, e.size() - 1) == 0)
            return true;
    }
    return false;
}

namespace {

const std::vector<std::string> pack_keys{
    "pack",      "version", "title",       "requires", "countries", "sectors", "blocs",
    "relations", "sets",    "authorities", "regimes",  "licences",  "tests"};

struct PackFile {
    source::SourcePtr src;
    YAML::Node root;
    std::string id;
};

std::string sha256_hex(const std::vector<PackFile>& files) {
    Sha256 sha;
    for (const auto& f : files) sha.update(f.src->text());
    return sha.hex();
}

bool parse_severity(const std::string& s, RuleSeverity& out) {
    static const std::pair<const char*, RuleSeverity> names[] = {
        {"info", RuleSeverity::info},
        {"low", RuleSeverity::low},
        {"medium", RuleSeverity::medium},
        {"high", RuleSeverity::high},
        {"blocked", RuleSeverity::blocked}};
    for (const auto& [n, v] : names)
        if (s == n) {
            out = v;
            return true;
        }
    return false;
}

class Loader {
  public:
    explicit Loader(std::vector<Diagnostic>& diags) : diags_(diags) {}

    std::shared_ptr<Model> run(const std::vector<std::string>& paths) {
        auto model = std::make_shared<Model>();
        for (const auto& p : expand(paths)) read_file(p);
        if (has_errors(diags_)) return nullptr;
        for (auto& f : files_) vocabulary(f, *model);
        for (auto& f : files_) contents(f, *model);
        check_requires(*model);
        model->hash = sha256_hex(files_);
        if (has_errors(diags_)) return nullptr;
        return model;
    }

  private:
    std::vector<std::string> expand(const std::vector<std::string>& paths) {
        std::vector<std::string> empty;
        std::vector<std::string> out = pack_files(paths, &empty);
        for (const auto& p : empty)
            diags_.push_back({Severity::error,
                              "io",
                              "no rule packs (*.yaml) in this folder",
                              Location{p, 0, 0, 1, {}},
                              {}});
        return out;
    }

    void read_file(const std::string& path) {
        auto src = read_pack_source(path, diags_);
        if (!src) return;
        PackFile f{src, {}, {}};
        if (!parse_yaml(*src, f.root, diags_)) return;
        YamlReader r(src, diags_);
        if (!f.root.IsMap()) {
            diags_.push_back({Severity::error,
                              "pack",
                              "a rule pack must be a YAML mapping with a 'pack' key",
                              src->locate(0),
                              {}});
            return;
        }
        r.check_keys(f.root, pack_keys, "a rule pack");
        if (!f.root["pack"]) {
            diags_.push_back(
                {Severity::error, "pack", "missing 'pack' (the pack's id)", src->locate(0), {}});
            return;
        }
        r.string(f.root["pack"], f.id, "pack");
        for (const auto& other : files_)
            if (other.id == f.id)
                r.error(f.root["pack"], "duplicate",
                        "pack '" + f.id + "' is loaded twice (also in " + other.src->name() + ")");
        files_.push_back(std::move(f));
    }

    /// First pass: every name a rule may refer to, from every pack.
    void vocabulary(PackFile& f, Model& m) {
        YamlReader r(f.src, diags_);
        const YAML::Node& root = f.root;
        PackInfo info{f.id, {}, {}, f.src->name()};
        if (root["version"]) r.string(root["version"], info.version, "version");
        if (root["title"]) r.string(root["title"], info.title, "title");
        m.packs.push_back(info);
        if (const auto& c = root["countries"]) {
            if (!c.IsMap())
                r.error(c, "wrong-type", "countries must map codes to names");
            else
                for (const auto& kv : c) {
                    std::string code = kv.first.Scalar();
                    if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
                        !std::isupper(static_cast<unsigned char>(code[1])))
                        r.error(kv.first, "bad-country",
                                "country codes are ISO 3166-1 alpha-2, two capital letters");
                    m.countries[code] = kv.second.IsScalar() ? kv.second.Scalar() : code;
                    m.vocab.countries.insert(code);
                }
        }
        if (const auto& s = root["sectors"]) {
            if (!s.IsMap())
                r.error(s, "wrong-type", "sectors must map ids to descriptions");
            else
                for (const auto& kv : s) {
                    m.sectors[kv.first.Scalar()] = kv.second.IsScalar() ? kv.second.Scalar() : "";
                    m.vocab.sectors.insert(kv.first.Scalar());
                }
        }
        if (const auto& b = root["blocs"]) {
            if (!b.IsMap())
                r.error(b, "wrong-type", "blocs must map ids to definitions");
            else
                for (const auto& kv : b) m.vocab.blocs.insert(kv.first.Scalar());
        }
        if (const auto& s = root["sets"]) {
            if (!s.IsMap())
                r.error(s, "wrong-type", "sets must map names to lists");
            else
                for (const auto& kv : s) {
                    std::vector<std::string> items;
                    if (!r.strings(kv.second, items, "a set")) continue;
                    eval::List l(items.begin(), items.end());
                    if (m.vocab.sets.count(kv.first.Scalar()))
                        r.error(kv.first, "duplicate",
                                "set '" + kv.first.Scalar() + "' is defined twice");
                    m.vocab.sets[kv.first.Scalar()] = eval::Value(std::move(l));
                }
        }
        if (const auto& a = root["authorities"]) {
            if (!a.IsMap())
                r.error(a, "wrong-type", "authorities must map ids to definitions");
            else
                for (const auto& kv : a) {
                    m.vocab.authorities.insert(kv.first.Scalar());
                    m.authorities[kv.first.Scalar()] = authority(r, kv.first.Scalar(), kv.second);
                }
        }
        if (const auto& rel = root["relations"]; rel && rel.IsSequence())
            for (const auto& stmt : rel) {
                if (!stmt.IsScalar()) continue;
                auto parsed = dsl::parse_relation(stmt.Scalar());
                if (parsed.issues.empty()) m.vocab.relations.insert(parsed.tree.relation.text);
            }
    }

    Authority authority(YamlReader& r, const std::string& id, const YAML::Node& n) {
        Authority a;
        a.id = id;
        r.check_keys(n, {"name", "aliases", "ownership", "control", "lists", "periods", "cites"},
                     "an authority");
        if (n["blocking_lists"])
            r.error(n["blocking_lists"], "renamed",
                    "'blocking_lists' is replaced by 'lists', where each list names its "
                    "measure",
                    {"write lists: [{id: SDN, measure: asset_freeze, aliases: [...]}, ...]"});
        if (n["name"]) r.string(n["name"], a.name, "name");
        if (n["aliases"]) r.strings(n["aliases"], a.aliases, "aliases");
        if (n["cites"]) r.strings(n["cites"], a.cites, "cites");
        if (const auto& o = n["ownership"]) a.ownership = ownership(r, o);
        if (const auto& c = n["control"]) a.control = control(r, c);
        if (const auto& ls = n["lists"]) {
            if (!ls.IsSequence())
                r.error(ls, "wrong-type", "lists must be a list of {id, measure, aliases?}");
            else
                for (const auto& l : ls) list(r, a, l);
        }
        if (const auto& ps = n["periods"]) {
            if (!ps.IsSequence())
                r.error(ps, "wrong-type",
                        "periods must be a list of {from?, until?, ownership?, control?}");
            else
                for (const auto& p : ps) {
                    r.check_keys(p, {"from", "until", "ownership", "control", "cites"},
                                 "an authority period");
                    Authority::Dated d;
                    r.date(p["from"], d.period.from);
                    r.date(p["until"], d.period.until);
                    // A period's block is read over the undated one: it names what changed.
                    if (p["ownership"]) d.ownership = ownership(r, p["ownership"], a.ownership);
                    if (p["control"]) d.control = control(r, p["control"], a.control);
                    if (p["cites"]) r.strings(p["cites"], d.cites, "cites");
                    a.periods.push_back(std::move(d));
                }
        }
        return a;
    }

    OwnershipRules ownership(YamlReader& r, const YAML::Node& o, OwnershipRules out = {}) {
        r.check_keys(o, {"threshold", "inclusive", "aggregate", "indirect"}, "ownership");
        out.present = true;
        if (o["threshold"]) r.number(o["threshold"], out.threshold, "threshold");
        if (o["inclusive"]) out.inclusive = o["inclusive"].as<bool>(true);
        if (o["aggregate"]) r.string(o["aggregate"], out.aggregate, "aggregate");
        if (o["indirect"]) r.string(o["indirect"], out.indirect, "indirect");
        if (out.aggregate != "sum" && out.aggregate != "joint_arrangement")
            r.error(o["aggregate"], "bad-value", "aggregate must be 'sum' or 'joint_arrangement'");
        if (out.indirect != "blocked_intermediates" && out.indirect != "majority_chain")
            r.error(o["indirect"], "bad-value",
                    "indirect must be 'blocked_intermediates' or 'majority_chain'");
        return out;
    }

    ControlRules control(YamlReader& r, const YAML::Node& c, ControlRules out = {}) {
        r.check_keys(c, {"blocks", "caution", "bases"}, "control");
        if (c["blocks"]) out.blocks = c["blocks"].as<bool>(false);
        if (c["caution"]) out.caution = c["caution"].as<bool>(false);
        if (c["bases"]) r.strings(c["bases"], out.bases, "bases");
        return out;
    }

    void list(YamlReader& r, Authority& a, const YAML::Node& n) {
        if (!n.IsMap()) {
            r.error(n, "wrong-type", "a list is a mapping {id, measure, aliases?}");
            return;
        }
        r.check_keys(n, {"id", "name", "aliases", "measure", "cites"}, "a list");
        ListDef l;
        if (!n["id"])
            r.error(n, "missing-field", "a list needs 'id'");
        else
            r.string(n["id"], l.id, "id");
        if (n["name"]) r.string(n["name"], l.name, "name");
        if (n["aliases"]) r.strings(n["aliases"], l.aliases, "aliases");
        if (n["cites"]) r.strings(n["cites"], l.cites, "cites");
        std::string measure;
        if (!n["measure"])
            r.error(n, "missing-field", "a list needs 'measure' (what it does to those on it)");
        else if (r.string(n["measure"], measure, "measure") && !parse_measure(measure, l.measure)) {
            std::vector<std::string> all;
            for (const auto& m : measure_names) all.emplace_back(m.first);
            std::vector<std::string> hints;
            if (auto s = source::suggest(measure, all); !s.empty())
                hints.push_back("did you mean '" + s + "'?");
            r.error(n["measure"], "bad-value",
                    "unknown measure '" + measure +
                        "' (asset_freeze, travel_ban, investment_ban, "
                        "transaction_ban, sectoral, export_control, other)",
                    std::move(hints));
        }
        for (const auto& name : l.aliases)
            if (const ListDef* other = a.find_list(name))
                r.error(n, "duplicate",
                        "alias '" + name + "' already names list '" + other->id + "'");
        if (!l.id.empty() && a.find_list(l.id))
            r.error(n["id"], "duplicate", "list '" + l.id + "' is declared twice");
        a.lists.push_back(std::move(l));
    }

    /// Second pass: blocs, relations, regimes and licences, checked against the vocabulary.
    void contents(PackFile& f, Model& m) {
        YamlReader r(f.src, diags_);
        const YAML::Node& root = f.root;
        if (const auto& b = root["blocs"]; b && b.IsMap())
            for (const auto& kv : b)
                m.blocs[kv.first.Scalar()] = bloc(r, m, kv.first.Scalar(), kv.second);
        if (const auto& rel = root["relations"]) {
            if (!rel.IsSequence())
                r.error(rel, "wrong-type", "relations must be a list of statements");
            else
                for (const auto& stmt : rel) relation(r, m, stmt);
        }
        if (const auto& regs = root["regimes"]) {
            if (!regs.IsSequence())
                r.error(regs, "wrong-type", "regimes must be a list");
            else
                for (const auto& n : regs) regime(r, m, f.id, n);
        }
        if (const auto& lics = root["licences"]) {
            if (!lics.IsSequence())
                r.error(lics, "wrong-type", "licences must be a list");
            else
                for (const auto& n : lics) licence(r, m, n);
        }
    }

    void check_code(YamlReader& r, const Model& m, const YAML::Node& n, const std::string& code) {
        if (m.vocab.countries.count(code)) return;
        std::vector<std::string> all(m.vocab.countries.begin(), m.vocab.countries.end());
        std::vector<std::string> hints;
        if (auto s = source::suggest(code, all); !s.empty())
            hints.push_back("did you mean '" + s + "'?");
        r.error(n, "unknown-country", "unknown country '" + code + "'", hints);
    }

    Bloc bloc(YamlReader& r, const Model& m, const std::string& id, const YAML::Node& n) {
        Bloc b;
        b.id = id;
        r.check_keys(n, {"name", "kind", "members", "cites"}, "a bloc");
        if (n["name"]) r.string(n["name"], b.name, "name");
        if (n["kind"]) r.string(n["kind"], b.kind, "kind");
        if (n["cites"]) r.strings(n["cites"], b.cites, "cites");
        if (const auto& ms = n["members"]; ms && ms.IsSequence()) {
            for (const auto& e : ms) {
                BlocMember bm;
                if (e.IsScalar()) {
                    bm.code = e.Scalar();
                    check_code(r, m, e, bm.code);
                } else if (e.IsMap()) {
                    r.check_keys(e, {"code", "from", "until", "status"}, "a bloc member");
                    if (!e["code"]) {
                        r.error(e, "missing-field", "a bloc member needs 'code'");
                        continue;
                    }
                    r.string(e["code"], bm.code, "code");
                    check_code(r, m, e["code"], bm.code);
                    r.date(e["from"], bm.period.from);
                    r.date(e["until"], bm.period.until);
                    if (e["status"]) r.string(e["status"], bm.status, "status");
                } else {
                    r.error(e, "wrong-type",
                            "a bloc member is a country code or {code, from, until, status}");
                    continue;
                }
                b.members.push_back(std::move(bm));
            }
        } else if (n["members"]) {
            r.error(n["members"], "wrong-type", "members must be a list");
        }
        return b;
    }

    void relation(YamlReader& r, Model& m, const YAML::Node& stmt) {
        if (!stmt.IsScalar()) {
            r.error(stmt, "wrong-type",
                    "a relation is one statement string, e.g. 'KZ borders RU, CN'");
            return;
        }
        const std::string& text = stmt.Scalar();
        auto origin = r.origin(stmt);
        auto parsed = dsl::parse_relation(text);
        if (!parsed.issues.empty()) {
            const auto& i = parsed.issues.front();
            diags_.push_back(source::make_diagnostic(Severity::error, "syntax", i.message, origin,
                                                     text, i.offset, i.length));
            return;
        }
        const auto& t = parsed.tree;
        Relation rel;
        rel.text = text;
        rel.relation = t.relation.text;
        auto known = [&](const dsl::ast::word& w, bool bloc_ok) {
            if (m.vocab.countries.count(w.text) || (bloc_ok && m.vocab.blocs.count(w.text))) return;
            std::vector<std::string> all(m.vocab.countries.begin(), m.vocab.countries.end());
            all.insert(all.end(), m.vocab.blocs.begin(), m.vocab.blocs.end());
            std::vector<std::string> hints;
            if (auto s = source::suggest(w.text, all); !s.empty())
                hints.push_back("did you mean '" + s + "'?");
            diags_.push_back(source::make_diagnostic(
                Severity::error, "unknown-country", "unknown country or bloc '" + w.text + "'",
                origin, text, w.begin, w.end - w.begin, hints));
        };
        known(t.subject, true);
        rel.subject = t.subject.text;
        for (const auto& o : t.objects) {
            known(o, true);
            rel.objects.push_back(o.text);
        }
        for (const auto& v : t.via) {
            if (!m.vocab.blocs.count(v.text)) {
                std::vector<std::string> all(m.vocab.blocs.begin(), m.vocab.blocs.end());
                std::vector<std::string> hints;
                if (auto s = source::suggest(v.text, all); !s.empty())
                    hints.push_back("did you mean '" + s + "'?");
                diags_.push_back(source::make_diagnostic(Severity::error, "unknown-bloc",
                                                         "unknown bloc '" + v.text + "'", origin,
                                                         text, v.begin, v.end - v.begin, hints));
            }
            rel.via.push_back(v.text);
        }
        auto date = [&](const boost::optional<dsl::ast::word>& w, std::optional<eval::Date>& out) {
            if (!w) return;
            eval::Date d;
            if (eval::parse_date(w->text, d))
                out = d;
            else
                diags_.push_back(source::make_diagnostic(
                    Severity::error, "bad-date", "'" + w->text + "' is not a real date", origin,
                    text, w->begin, w->end - w->begin));
        };
        date(t.since, rel.period.from);
        date(t.until, rel.period.until);
        m.relations.push_back(std::move(rel));
    }

    bool compile(YamlReader& r, const Model& m, const YAML::Node& n, Expr& out,
                 const check::CheckOptions& opts, const std::string& scalar, std::size_t base,
                 const std::string& text) {
        out.scalar = scalar;
        out.base = base;
        out.text = text;
        out.origin = r.origin(n);
        auto res = check::compile(text, m.vocab, opts);
        for (const auto& i : res.issues)
            diags_.push_back(source::make_diagnostic(Severity::error, i.code, i.message, out.origin,
                                                     scalar, base + i.begin, i.end - i.begin,
                                                     i.hints));
        if (!res.checked) return false;
        out.checked = std::make_shared<const check::Checked>(std::move(*res.checked));
        return true;
    }

    bool expression(YamlReader& r, const Model& m, const YAML::Node& n, Expr& out,
                    const check::CheckOptions& opts) {
        if (!n || !n.IsScalar()) {
            r.error(n, "wrong-type", "expected an expression");
            return false;
        }
        return compile(r, m, n, out, opts, n.Scalar(), 0, n.Scalar());
    }

    Template message(YamlReader& r, const Model& m, const YAML::Node& n,
                     const check::CheckOptions& opts) {
        Template t;
        if (!n.IsScalar()) {
            r.error(n, "wrong-type", "message must be a string");
            return t;
        }
        const std::string& s = n.Scalar();
        std::size_t at = 0;
        while (at < s.size()) {
            std::size_t open = s.find("{{", at);
            if (open == std::string::npos) {
                t.pieces.push_back({s.substr(at), std::nullopt});
                break;
            }
            if (open > at) t.pieces.push_back({s.substr(at, open - at), std::nullopt});
            std::size_t close = s.find("}}", open + 2);
            if (close == std::string::npos) {
                diags_.push_back(source::make_diagnostic(Severity::error, "template",
                                                         "'{{' without a closing '}}'", r.origin(n),
                                                         s, open, 2));
                break;
            }
            Expr e;
            if (compile(r, m, n, e, opts, s, open + 2, s.substr(open + 2, close - open - 2)))
                t.pieces.push_back({{}, std::move(e)});
            at = close + 2;
        }
        return t;
    }

    void regime(YamlReader& r, Model& m, const std::string& pack, const YAML::Node& n) {
        if (!n.IsMap()) {
            r.error(n, "wrong-type", "a regime is a mapping with id, authority, rules");
            return;
        }
        r.check_keys(n,
                     {"id", "authority", "title", "legal_basis", "targets", "from", "until",
                      "rules", "cites"},
                     "a regime");
        Regime g;
        g.pack = pack;
        if (!n["id"])
            r.error(n, "missing-field", "a regime needs 'id'");
        else
            r.string(n["id"], g.id, "id");
        for (const auto& other : m.regimes)
            if (other.id == g.id)
                r.error(n["id"], "duplicate", "regime '" + g.id + "' is defined twice");
        if (!n["authority"])
            r.error(n, "missing-field", "a regime needs 'authority'");
        else {
            r.string(n["authority"], g.authority, "authority");
            if (!m.vocab.authorities.count(g.authority)) {
                std::vector<std::string> all(m.vocab.authorities.begin(),
                                             m.vocab.authorities.end());
                std::vector<std::string> hints;
                if (auto s = source::suggest(g.authority, all); !s.empty())
                    hints.push_back("did you mean '" + s + "'?");
                r.error(n["authority"], "unknown-authority",
                        "unknown authority '" + g.authority + "' (declare it under authorities:)",
                        hints);
            }
        }
        if (n["title"]) r.string(n["title"], g.title, "title");
        if (n["legal_basis"]) r.string(n["legal_basis"], g.legal_basis, "legal_basis");
        if (n["targets"]) {
            r.strings(n["targets"], g.targets, "targets");
            for (const auto& t : n["targets"]) check_code(r, m, t, t.Scalar());
        }
        r.date(n["from"], g.period.from);
        r.date(n["until"], g.period.until);
        eval::Map regime_value{{eval::Value("id"), eval::Value(g.id)},
                               {eval::Value("authority"), eval::Value(g.authority)},
                               {eval::Value("title"), eval::Value(g.title)}};
        check::CheckOptions opts;
        opts.regime = eval::Value(std::move(regime_value));
        if (const auto& rules = n["rules"]; rules && rules.IsSequence()) {
            std::unordered_set<std::string> ids;  // a pack may hold thousands of rules
            for (const auto& rn : rules) {
                Rule rule;
                if (this->rule(r, m, g, rn, opts, rule, ids)) g.rules.push_back(std::move(rule));
            }
        } else {
            r.error(n["rules"] ? n["rules"] : n, "missing-field",
                    "a regime needs a list of 'rules'");
        }
        m.regimes.push_back(std::move(g));
    }

    bool rule(YamlReader& r, const Model& m, const Regime& g, const YAML::Node& n,
              const check::CheckOptions& opts, Rule& out, std::unordered_set<std::string>& ids) {
        if (!n.IsMap()) {
            r.error(n, "wrong-type", "a rule is a mapping with id, when, severity");
            return false;
        }
        r.check_keys(n, {"id", "title", "when", "severity", "message", "cites", "from", "until"},
                     "a rule");
        bool ok = true;
        for (const char* key : {"id", "when", "severity"})
            if (!n[key]) {
                r.error(n, "missing-field", std::string("a rule needs '") + key + "'");
                ok = false;
            }
        if (!ok) return false;
        r.string(n["id"], out.id, "id");
        out.full_id = g.id + "/" + out.id;
        if (!ids.insert(out.id).second)
            r.error(n["id"], "duplicate", "rule '" + out.full_id + "' is defined twice");
        if (n["title"]) r.string(n["title"], out.title, "title");
        std::string sev;
        if (r.string(n["severity"], sev, "severity") && !parse_severity(sev, out.severity))
            r.error(n["severity"], "bad-value",
                    "severity must be one of blocked, high, medium, low, info");
        if (n["cites"]) r.strings(n["cites"], out.cites, "cites");
        r.date(n["from"], out.period.from);
        r.date(n["until"], out.period.until);
        ok = expression(r, m, n["when"], out.when, opts);
        if (n["message"]) out.message = message(r, m, n["message"], opts);
        return ok;
    }

    void licence(YamlReader& r, Model& m, const YAML::Node& n) {
        if (!n.IsMap()) {
            r.error(n, "wrong-type", "a licence is a mapping with id, exempts, when");
            return;
        }
        r.check_keys(n, {"id", "title", "exempts", "when", "from", "until", "supersedes", "cites"},
                     "a licence");
        Licence l;
        for (const char* key : {"id", "exempts", "when"})
            if (!n[key]) {
                r.error(n, "missing-field", std::string("a licence needs '") + key + "'");
                return;
            }
        r.string(n["id"], l.id, "id");
        if (n["title"]) r.string(n["title"], l.title, "title");
        r.strings(n["exempts"], l.exempts, "exempts");
        if (n["cites"]) r.strings(n["cites"], l.cites, "cites");
        if (n["supersedes"]) r.string(n["supersedes"], l.supersedes, "supersedes");
        r.date(n["from"], l.period.from);
        r.date(n["until"], l.period.until);
        if (expression(r, m, n["when"], l.when, {})) m.licences.push_back(std::move(l));
    }

    void check_requires(const Model& m) {
        for (const auto& f : files_) {
            const auto& req = f.root["requires"];
            if (!req) continue;
            YamlReader r(f.src, diags_);
            std::vector<std::string> ids;
            r.strings(req, ids, "requires");
            std::size_t i = 0;
            for (const auto& id : ids) {
                bool found = std::any_of(m.packs.begin(), m.packs.end(),
                                         [&](const PackInfo& p) { return p.id == id; });
                if (!found)
                    r.error(req.IsSequence() ? req[i] : req, "missing-pack",
                            "pack '" + f.id + "' requires pack '" + id + "', which is not loaded");
                ++i;
            }
        }
    }

    std::vector<Diagnostic>& diags_;
    std::vector<PackFile> files_;
};

}  // namespace

Loaded load_packs(const std::vector<std::string>& paths) {
    Loaded out;
    Loader l(out.diagnostics);
    out.model = l.run(paths);
    return out;
}

}  // namespace sanx::detail
