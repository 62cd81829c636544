// Lists indexed once for many inputs (include/sanx/prepared_lists.hpp).

#include <sanx/prepared_lists.hpp>

#include <memory>

#include "api/access.hpp"

namespace sanx {

Ruleset::ReadResult prepare_lists(const Ruleset& ruleset, const std::vector<std::string>& lists) {
    Ruleset::ReadResult read = ruleset.read_lists(lists);
    if (has_errors(read.diagnostics)) return read;
    detail::InputData& data = detail::Access::data(read.input);
    auto base = std::make_shared<detail::InputData>(std::move(data));
    if (!base->index_lists()) {  // left as read: each input indexes its own copy
        data = std::move(*base);
        return read;
    }
    data = detail::InputData{};
    data.lists = base->lists;  // for provenance()
    data.base = std::move(base);
    return read;
}

}  // namespace sanx
