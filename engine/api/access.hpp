#pragma once

// The library's modules reach a Ruleset's model and an Input's records through here.

#include <sanx/engine.hpp>

#include "io/input.hpp"
#include "packs/model.hpp"

namespace sanx::detail {

struct Access {
    static const Model& model(const Ruleset& r) { return *r.model_; }
    static const InputData& data(const Input& i) { return *i.data_; }
    static InputData& data(Input& i) { return *i.data_; }
};

}  // namespace sanx::detail
