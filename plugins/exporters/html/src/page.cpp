#include "page.hpp"

namespace winglet::html_exporter {

std::string script_safe(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (const char c : json) {
        if (c == '<')
            out += "\\u003c";
        else
            out += c;
    }
    return out;
}

}  // namespace winglet::html_exporter
