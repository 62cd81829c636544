#pragma once

#include <string>
#include <vector>

namespace sanx {

enum class Severity { error, warning, note };

/// "error", "warning" or "note".
const char* to_string(Severity s);

/// A place in a source file, 1-based, with the text of its line for rendering.
struct Location {
    std::string file;         ///< path as given by the user, or "<expr>", "<stdin>"
    int line = 0;             ///< 1-based line; 0 when the file as a whole is meant
    int column = 0;           ///< 1-based column in bytes
    int length = 1;           ///< bytes to underline
    std::string source_line;  ///< the line's text, without its end of line

    bool known() const { return line > 0; }
};

/// A problem found in rules or input, as data. The CLI renders it with render().
struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;     ///< stable kind, e.g. "syntax", "unknown-set", "yaml"
    std::string message;  ///< one sentence, no trailing period
    Location where;
    std::vector<std::string> hints;  ///< e.g. "did you mean 'EAEU'?"
};

/// `file:line:col: error: message`, the source line and a caret underline, then hints.
std::string render(const Diagnostic& d, bool color = false);

/// Renders every diagnostic, in order.
std::string render(const std::vector<Diagnostic>& ds, bool color = false);

bool has_errors(const std::vector<Diagnostic>& ds);

}  // namespace sanx
