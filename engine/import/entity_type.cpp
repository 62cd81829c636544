// A guess at the sanx type of a listed party the publisher only calls an "entity": a bank, a
// company, or an organization (armed groups, parties, ministries, charities), from words in
// its name. docs/importers.md lists the words.

#include <string>
#include <string_view>

#include "import/readers.hpp"

namespace sanx::import::detail {

namespace {

bool has_word(const std::string& upper_name, std::string_view word) {
    std::size_t p = 0;
    auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    while ((p = upper_name.find(word, p)) != std::string::npos) {
        bool left = p == 0 || !alnum(upper_name[p - 1]);
        std::size_t e = p + word.size();
        bool right = e >= upper_name.size() || !alnum(upper_name[e]) || !alnum(word.back());
        if (left && right) return true;
        ++p;
    }
    return false;
}

}  // namespace

std::string guess_entity_type(const std::string& name, bool bank_hint, bool group_hint) {
    std::string n = name;
    for (auto& c : n)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (bank_hint || has_word(n, "BANK") || has_word(n, "BANQUE") || has_word(n, "BANCO") ||
        has_word(n, "BANKASI"))
        return "bank";
    static constexpr std::string_view company_words[] = {
        "LLC",     "L.L.C.",     "LTD",         "LTD.",    "LIMITED",  "INC",      "INC.",
        "CORP",    "CORP.",      "CORPORATION", "COMPANY", "CO.",      "S.A.",     "S.A",
        "SA",      "JSC",        "OJSC",        "PJSC",    "CJSC",     "OAO",      "ZAO",
        "OOO",     "AO",         "GMBH",        "AG",      "B.V.",     "BV",       "PLC",
        "S.R.L.",  "SRL",        "S.L.",        "FZE",     "FZCO",     "FZC",      "L.L.C",
        "TRADING", "INDUSTRIES", "ENTERPRISE",  "HOLDING", "HOLDINGS", "SHIPPING", "S.A.S.",
        "C.V.",    "S. DE R.L.", "PTE",         "SDN BHD", "KG",       "LLP",      "A.S.",
        "SPA",     "S.P.A.",     "TOO",         "EOOD",    "OU"};
    for (auto w : company_words)
        if (has_word(n, w)) return "company";
    static constexpr std::string_view organization_words[] = {
        "ARMY",       "FRONT",        "BRIGADE",      "BRIGADES",    "MOVEMENT",   "PARTY",
        "FOUNDATION", "ORGANIZATION", "ORGANISATION", "MINISTRY",    "COMMITTEE",  "COUNCIL",
        "FORCES",     "FORCE",        "CARTEL",       "ASSOCIATION", "CHARITY",    "SOCIETY",
        "MARTYRS",    "JIHAD",        "LIBERATION",   "TALIBAN",     "GOVERNMENT", "AGENCY",
        "INSTITUTE",  "UNIVERSITY",   "MILITIA",      "BATTALION",   "REGIMENT",   "DIRECTORATE",
        "AUTHORITY",  "SERVICE",      "HIZBALLAH",    "AL-QA'IDA",   "HAMAS",      "NETWORK",
        "GROUP OF",   "CENTER",       "CENTRE",       "OFFICE",      "DEPARTMENT", "UNION",
        "FUND",       "RELIEF",       "COMMAND",      "CORPS",       "GUARD",      "BUREAU"};
    for (auto w : organization_words)
        if (has_word(n, w)) return "organization";
    if (group_hint) return "organization";
    return "company";
}

}  // namespace sanx::import::detail
