// The read input as the library holds it: a part of an indexed input (Input::part). Reading is
// in read_*.cpp over entity_view and entity_schema, decoding in input_text.cpp, and the
// linking of parties to list entries in link.cpp.

#include "io/input.hpp"

#include <sanx/engine.hpp>

#include <algorithm>
#include <memory>

namespace sanx::detail {

// ---- parts of an input (scale-out) ---------------------------------------------------------

// A part copies its records and shares everything else: lookups, ownership and list matches
// were settled by the whole's index(), so a record checks the same in any part.
std::unique_ptr<InputData> InputData::part(std::shared_ptr<const void> keep, const InputData& whole,
                                           std::size_t begin, std::size_t end) {
    auto out = std::make_unique<InputData>();
    end = std::min(end, whole.records.size());
    begin = std::min(begin, end);
    const auto first = whole.records.begin();
    out->records.assign(first + static_cast<std::ptrdiff_t>(begin),
                        first + static_cast<std::ptrdiff_t>(end));
    out->as_of = whole.as_of;
    out->by_id = whole.by_id;
    // The part's own records are found as themselves, as in the whole (an entity is told
    // from the entries it names by address).
    for (std::size_t i = begin; i < end; ++i)
        if (auto it = out->by_id.find(whole.records[i].id);
            it != out->by_id.end() && it->second == &whole.records[i].value)
            it->second = &out->records[i - begin].value;
    out->lists = whole.lists;
    out->derived = whole.derived;
    out->whole = std::move(keep);
    return out;
}

}  // namespace sanx::detail

namespace sanx {

Input Input::part(std::shared_ptr<const Input> whole, std::size_t begin, std::size_t end) {
    Input out;
    const detail::InputData& data = *whole->data_;
    out.data_ = detail::InputData::part(std::move(whole), data, begin, end);
    return out;
}

}  // namespace sanx
