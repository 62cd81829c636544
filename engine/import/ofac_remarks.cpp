#include "import/ofac_remarks.hpp"

#include <algorithm>
#include <cctype>

#include "import/countries.hpp"
#include "import/text.hpp"

namespace sanx::import::detail {

namespace {

struct Label {
    std::string_view text;
    std::string_view type;
};

// OFAC's identifier labels and the uniform type each maps to (docs/importers.md). Longer
// labels come before their prefixes ("Identification Number IMO" before "Identification
// Number"); the first match wins.
constexpr Label labels[] = {
    {"Vessel Registration Identification IMO", "imo"},
    {"Identification Number IMO", "imo"},
    {"Company Number IMO", "imo_company"},
    {"MMSI", "mmsi"},
    {"Tax ID No.", "tax_id"},
    {"R.F.C. #", "tax_id"},
    {"R.F.C.", "tax_id"},
    {"RFC", "tax_id"},
    {"NIT #", "tax_id"},
    {"RUC #", "tax_id"},
    {"RIF #", "tax_id"},
    {"C.U.I.T.", "tax_id"},
    {"Italian Fiscal Code", "tax_id"},
    {"US FEIN", "tax_id"},
    {"V.A.T. Number", "vat"},
    {"Legal Entity Number", "lei"},
    {"LE Number", "lei"},
    {"SWIFT/BIC", "swift_bic"},
    {"BIK (RU)", "bik"},
    {"D-U-N-S Number", "duns"},
    {"Unified Social Credit Code (USCC)", "registration"},
    {"United Social Credit Code Certificate (USCCC)", "registration"},
    {"Business Registration Document #", "registration"},
    {"Business Registration Number", "registration"},
    {"Business Number", "registration"},
    {"Registration Number", "registration"},
    {"Registration ID", "registration"},
    {"Public Registration Number", "registration"},
    {"Commercial Registry Number", "registration"},
    {"Central Registration System Number", "registration"},
    {"Economic Register Number (CBLS)", "registration"},
    {"Certificate of Incorporation Number", "registration"},
    {"UK Company Number", "registration"},
    {"Company Number", "registration"},
    {"Enterprise Number", "registration"},
    {"Folio Mercantil No.", "registration"},
    {"Matricula Mercantil No", "registration"},
    {"Romanian C.R.", "registration"},
    {"C.R. No.", "registration"},
    {"Chamber of Commerce Number", "registration"},
    {"Istanbul Chamber of Comm. No.", "registration"},
    {"Dubai Chamber of Commerce Membership No.", "registration"},
    {"Trade License No.", "registration"},
    {"Registered Charity No.", "registration"},
    {"Government Gazette Number", "okpo"},
    {"Diplomatic Passport", "passport"},
    {"Passport", "passport"},
    {"National Foreign ID Number", "national_id"},
    {"National ID No.", "national_id"},
    {"Tazkira National ID Card", "national_id"},
    {"Turkish Identification Number", "national_id"},
    {"Identification Number", "national_id"},
    {"Personal ID Card", "national_id"},
    {"Kenyan ID No.", "national_id"},
    {"Citizen's Card Number", "national_id"},
    {"Numero de Identidad", "national_id"},
    {"Cedula No.", "national_id"},
    {"C.U.R.P. #", "national_id"},
    {"C.U.R.P.", "national_id"},
    {"D.N.I.", "national_id"},
    {"SSN", "national_id"},
    {"Residency Number", "national_id"},
    {"Birth Certificate Number", "national_id"},
    {"Electoral Registry No.", "electoral_id"},
    {"Credencial electoral", "electoral_id"},
    {"I.F.E.", "electoral_id"},
    {"Driver's License No.", "driving_licence"},
    {"Aircraft Manufacturer's Serial Number (MSN)", "aircraft_msn"},
    {"Aircraft Tail Number", "aircraft_tail"},
    {"Aircraft Mode S Transponder Code", "aircraft_mode_s"},
    {"Digital Currency Address - ", "crypto_address"},
};

std::string strip_quotes(std::string_view s) {
    s = trim(s);
    while (!s.empty() && s.back() == '.') s.remove_suffix(1);
    if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') s = s.substr(1, s.size() - 2);
    return std::string(trim(s));
}

/// Drops the period that ends the whole Remarks text when it is not part of an
/// abbreviation ("ZALA AERO." but "S.A. DE C.V.").
std::string drop_final_period(std::string_view s) {
    s = trim(s);
    if (s.empty() || s.back() != '.') return std::string(s);
    auto word_start = s.find_last_of(' ');
    std::string_view word = s.substr(word_start == std::string_view::npos ? 0 : word_start + 1);
    word.remove_suffix(1);
    if (word.find('.') != std::string_view::npos || word.size() == 1) return std::string(s);
    return std::string(s.substr(0, s.size() - 1));
}

bool contains(std::string_view s, std::string_view what) {
    return s.find(what) != std::string_view::npos;
}

std::string secondary_tag(std::string_view seg) {
    if (contains(seg, "Section 11 of Executive Order 14024") ||
        contains(seg, "section 11 of Executive Order 14024") ||
        contains(seg, "military-industrial base"))
        return "EO14024-S11";
    if (contains(seg, "589.201") || contains(seg, "589.209")) return "CFR589";
    if (contains(seg, "13224")) return "EO13224";
    if (contains(seg, "North Korea Sanctions Regulations")) return "NKSR";
    if (contains(seg, "Hong Kong Autonomy Act")) return "HKAA";
    return "OTHER";
}

/// "Executive Order 13662 Directive Determination - Subject to Directive 1" -> EO13662-D1;
/// also "Listing Date (EO 14024 Directive 2): ..." and "EO 14014 Directive Information".
std::string directive_tag(std::string_view seg) {
    auto digits_after = [&](std::string_view key) -> std::string {
        auto p = seg.find(key);
        if (p == std::string_view::npos) return {};
        p += key.size();
        std::string out;
        while (p < seg.size() && std::isdigit(static_cast<unsigned char>(seg[p]))) out += seg[p++];
        return out;
    };
    std::string eo = digits_after("Executive Order ");
    if (eo.empty()) eo = digits_after("EO ");
    if (eo.size() != 5) return {};
    // The directive number follows the last "Directive " in the segment.
    auto p = seg.rfind("Directive ");
    while (p != std::string_view::npos) {
        std::size_t q = p + 10;
        std::string n;
        while (q < seg.size() && std::isalnum(static_cast<unsigned char>(seg[q])) && n.size() < 3)
            n += seg[q++];
        if (!n.empty() && std::isdigit(static_cast<unsigned char>(n[0])))
            return "EO" + eo + "-D" + n;
        if (p == 0) break;
        p = seg.rfind("Directive ", p - 1);
    }
    return {};
}

bool identifier(std::string_view seg, Remarks& out) {
    for (const auto& l : labels) {
        if (!seg.starts_with(l.text)) continue;
        std::string_view rest = seg.substr(l.text.size());
        std::string label(l.text);
        if (l.type == "crypto_address") {
            auto sp = rest.find(' ');
            if (sp == std::string_view::npos) return false;
            label += rest.substr(0, sp);
            rest = rest.substr(sp + 1);
        } else if (!rest.empty() && rest.front() != ' ' && rest.front() != ':' &&
                   rest.front() != '#') {
            continue;  // a longer word that merely starts like the label
        }
        rest = trim(rest);
        while (!rest.empty() && (rest.front() == ':' || rest.front() == '#'))
            rest = trim(rest.substr(1));
        std::string country;
        auto paren = rest.find(" (");
        if (paren != std::string_view::npos) {
            auto close = rest.find(')', paren);
            if (close != std::string_view::npos)
                country = country_code(rest.substr(paren + 2, close - paren - 2));
            rest = rest.substr(0, paren);
        }
        for (std::string_view cut : {" issued", " expires", " Issue Date", " Expiration Date"}) {
            auto c = rest.find(cut);
            if (c != std::string_view::npos) rest = rest.substr(0, c);
        }
        rest = trim(rest);
        while (!rest.empty() && (rest.back() == '.' || rest.back() == ',')) rest.remove_suffix(1);
        if (rest.empty()) return false;
        out.identifiers.push_back({std::string(l.type), std::string(rest), country, label});
        return true;
    }
    return false;
}

}  // namespace

Remarks parse_remarks(std::string_view text) {
    Remarks out;
    std::vector<std::string> segments = split_trimmed(text, "; ");
    for (std::size_t i = 0; i < segments.size(); ++i) {
        std::string_view seg = segments[i];
        bool last = i + 1 == segments.size();
        if (seg.starts_with("alt. ") || seg.starts_with("Alt. ")) seg.remove_prefix(5);
        if (seg.starts_with("a.k.a. ")) {
            add_unique(out.aliases, strip_quotes(seg.substr(7)));
        } else if (seg.starts_with("f.k.a. ")) {
            add_unique(out.former_names, strip_quotes(seg.substr(7)));
        } else if (seg.starts_with("n.k.a. ")) {
            add_unique(out.new_names, strip_quotes(seg.substr(7)));
        } else if (seg.starts_with("Linked To: ")) {
            std::string_view name = seg.substr(11);
            add_unique(out.linked_to, last ? drop_final_period(name) : std::string(trim(name)));
        } else if (seg.starts_with("Secondary sanctions risk:")) {
            std::string tag = secondary_tag(seg);
            if (tag == "OTHER") out.secondary_unrecognised.emplace_back(seg);
            add_unique(out.secondary, tag);
        } else if (seg.starts_with("Additional Sanctions Information - Subject to Secondary")) {
            add_unique(out.secondary, contains(seg, "Hizballah") ? "HFSR" : "IRAN-SSR");
        } else if (contains(seg, "Directive") &&
                   (seg.starts_with("Executive Order") || seg.starts_with("Listing Date (EO") ||
                    seg.starts_with("Effective Date (EO"))) {
            add_unique(out.directives, directive_tag(seg));
        } else if (seg.starts_with("DOB ")) {
            out.birth_dates.push_back(last ? drop_final_period(seg.substr(4))
                                           : std::string(seg.substr(4)));
        } else if (seg.starts_with("POB ")) {
            out.birth_places.push_back(last ? drop_final_period(seg.substr(4))
                                            : std::string(seg.substr(4)));
        } else if (seg.starts_with("nationality ")) {
            out.nationality.push_back(drop_final_period(seg.substr(12)));
        } else if (seg.starts_with("citizen ")) {
            out.citizenship.push_back(drop_final_period(seg.substr(8)));
        } else if (seg.starts_with("Gender ")) {
            out.gender = drop_final_period(seg.substr(7));
        } else if (seg.starts_with("Target Type ")) {
            out.target_type = drop_final_period(seg.substr(12));
        } else {
            identifier(seg, out);
        }
    }
    return out;
}

}  // namespace sanx::import::detail
