#include "cli/shape_notes.hpp"

#include <algorithm>
#include <map>

namespace winglet::cli {

std::string given_inputs_text(const ModelInfo& model) {
    std::map<std::string, std::string> given;
    for (const auto& [name, dims] : model.given_input_shapes) given[name] = dims_text(dims);
    for (const auto& [name, values] : model.given_input_values) {
        std::string& text = given[name];
        text += (text.empty() ? "" : " = ") + values_text(values);
    }
    std::string out;
    for (const auto& [name, text] : given) out += (out.empty() ? "" : ", ") + name + "=" + text;
    return out;
}

void print_unknown_shapes(std::ostream& out, const Report& r, const std::string& label_padding) {
    if (r.unknown_shapes.empty()) return;
    constexpr size_t kShown = 10;   // the JSON report lists all of them
    out << "unknown" << label_padding << r.unknown_shapes.size() << " value(s) with (partly) unknown shapes"
        << (r.unknown_shapes.size() > kShown ? ", the first " + std::to_string(kShown) : std::string()) << ":\n";
    const std::string indent(7 + label_padding.size(), ' ');
    for (size_t i = 0; i < std::min(kShown, r.unknown_shapes.size()); ++i) {
        const UnknownShape& u = r.unknown_shapes[i];
        out << indent << "  '" << u.value << "' from " << u.op << ": " << u.reason << '\n';
    }
    for (const std::string& s : r.shape_suggestions) out << "suggest" << label_padding << s << '\n';
}

}  // namespace winglet::cli
