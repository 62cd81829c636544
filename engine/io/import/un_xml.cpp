#include "io/import/readers.hpp"

namespace sanx::import::detail {

void read_un_xml(const std::vector<NamedText>& files, Sink& sink) {
    for (const auto& f : files) sink.file_error(f.name, "the un-xml importer is not built yet");
}

}  // namespace sanx::import::detail
