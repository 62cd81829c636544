#pragma once

// One record's evaluation in a session: every rule in force, its witness, the licences that
// exempt it, what the ownership fixpoints decided, and the verdict (PRODUCT.md section 6).

#include <cstdint>
#include <map>
#include <tuple>

#include <sanx/engine.hpp>
#include <sanx/result.hpp>

#include "runtime/session.hpp"

namespace sanx::detail {

/// Positions of witness facts by expression and range, for one worker: the same facts recur
/// record after record, and finding a position walks the pack's text.
class Positions {
  public:
    const Location& at(const Expr& e, std::uint32_t begin, std::uint32_t end) {
        auto key = std::make_tuple(&e, begin, end);
        auto it = cache_.find(key);
        if (it == cache_.end()) {
            Location at = e.locate(begin, end - begin);
            at.source_line.clear();  // a fact's place is cited, not shown
            it = cache_.emplace(key, std::move(at)).first;
        }
        return it->second;
    }

  private:
    std::map<std::tuple<const Expr*, std::uint32_t, std::uint32_t>, Location> cache_;
};

/// A result that names `rec` (entity, name, file, line, matches) and says nothing else yet.
Result result_for(const Record& rec);

/// The result of one record; never throws for bad data (an error is in Result::errors).
Result evaluate_record(const Session& session, const Record& rec, const CheckOptions& options,
                       Positions& positions);

}  // namespace sanx::detail
