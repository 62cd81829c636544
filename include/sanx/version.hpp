#pragma once

namespace sanx {

/// The library's version, as "MAJOR.MINOR.PATCH".
const char* version();

}  // namespace sanx
