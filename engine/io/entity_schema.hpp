#pragma once

// The entity schema of PRODUCT.md section 3 as the readers apply it, one view at a time: the
// known fields, the kind each value must have, the warnings (unknown fields, countries,
// sectors, authorities and lists) at their positions, and the record a read entity becomes.

#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <sanx/diagnostic.hpp>

#include "io/entity_view.hpp"
#include "io/input.hpp"
#include "packs/model.hpp"

namespace sanx::detail::reading {

/// Reads entities against the schema; one reader per file, as it warns about an unknown
/// authority or list once per file. A value it cannot read throws Reject<View>.
template <typename View>
class EntityReader {
  public:
    using Rejection = Reject<View>;

    explicit EntityReader(const Model& m);
    Value entity(const View& n);

  private:
    void warn(const View& n, std::string msg, const std::string& word,
              const std::vector<std::string>& known);
    void check_keys(const View& map, const std::vector<std::string>& allowed,
                    const std::string& what);
    std::string text(const View& n, const std::string& what);
    Value country(const View& n);
    Value sector(const View& n);
    Value hs_code(const View& n);
    template <typename F>
    Value list(const View& n, const std::string& what, F each);
    Value date(const View& n);
    Value share(const View& n);
    /// A number (`volume`) as a double, however it is written: 1000000, 1e6, "1000000".
    Value amount(const View& n, const std::string& what);
    /// An identifier `{type, value, country?}` whose type and value are strings: a value
    /// written as a whole number is its digits as written (`1841015504`).
    Value identifier(const View& n);
    /// A nested mapping with known keys; `convert` maps each key's value.
    template <typename F>
    Value object(const View& n, const char* what, const std::vector<std::string>& keys,
                 const std::vector<std::string>& required, F convert);
    Value owner(const View& n);
    Value controller(const View& n);
    Value counterparty(const View& n);
    /// A listing with its authority and list spelt as the packs spell them, and the list's
    /// measure (PRODUCT.md section 3). What the packs do not know is warned, once per
    /// spelling and file, and read the safe way: an unknown list is an asset freeze.
    Value listing(const View& n);

    std::set<std::string> warned_;  ///< authorities and lists already warned about
    const Model& m_;
};

/// Reads one entity into a record; a rejection becomes the record's error, in place.
/// The record's text is [begin, end) of the input: a byte there that is not UTF-8 rejects it.
/// A record whose id is in `ids` already is rejected as a duplicate, else its id is added;
/// with no `ids` the caller checks (read_json_lines, whose parts are read at once).
template <typename View>
Record read_record(EntityReader<View>& reader, const View& n, InputText& in, std::size_t begin,
                   std::size_t end, int line, std::unordered_set<std::string>* ids,
                   std::vector<Diagnostic>& diags);

/// Why a record whose id an earlier record has is rejected.
std::string duplicate_id(const std::string& id);

/// Whether an EntityReader says `d` once per file (an unknown authority or list): readers of
/// the parts of one file each say it, and only the first may be kept.
bool said_once_per_file(const Diagnostic& d);

extern template class EntityReader<YamlView>;
extern template class EntityReader<JsonView>;

}  // namespace sanx::detail::reading
