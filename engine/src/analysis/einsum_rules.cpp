// Einsum. The equation is parsed (explicit "->" or implicit output, "..." broadcast dims) and
// the operands are contracted left to right, as a naive evaluation would:
//   each step multiplies two operands over the union U of their labels: MACs += prod(size(U));
//   the intermediate keeps the labels still needed by later operands or the output.
// For two operands this is the product over all unique label sizes, e.g.
//   "bij,bjk->bik": b*i*j*k MACs;  "bhid,bhjd->bhij": b*h*i*j*d MACs.
// FLOPs = 2 * MACs. A single operand (transpose, trace, sum over an axis) costs no MACs and one
// add per element summed away: prod(all label sizes) - prod(output label sizes) FLOPs.
// An equation that does not parse against the operand ranks is costed 0 with a warning.
#include "analysis/rule_registry.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace winglet::analysis {

namespace {

// A label is a letter's char code; broadcast dims ("...") get kEllipsis + position, counted
// from the left of the widest ellipsis so that they align to the right as numpy's do.
using Label = int;
using Term = std::vector<Label>;
constexpr Label kEllipsis = 256;

struct Equation {
    std::vector<Term> inputs;
    Term output;
};

struct RawTerm {
    std::vector<char> letters_before, letters_after;  // around "..."
    bool ellipsis = false;
};

std::optional<RawTerm> split_term(const std::string& text) {
    RawTerm term;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 3, "...") == 0 && !term.ellipsis) {
            term.ellipsis = true;
            i += 2;
        } else if (std::isalpha(static_cast<unsigned char>(text[i]))) {
            (term.ellipsis ? term.letters_after : term.letters_before).push_back(text[i]);
        } else {
            return std::nullopt;
        }
    }
    return term;
}

size_t letter_count(const RawTerm& t) { return t.letters_before.size() + t.letters_after.size(); }

Term labels_of(const RawTerm& t, size_t ellipsis_width, size_t widest) {
    Term term(t.letters_before.begin(), t.letters_before.end());
    for (size_t j = 0; j < ellipsis_width; ++j)
        term.push_back(kEllipsis + static_cast<Label>(widest - ellipsis_width + j));
    term.insert(term.end(), t.letters_after.begin(), t.letters_after.end());
    return term;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts(1);
    for (char c : s) {
        if (c == sep)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

// numpy's implicit output: broadcast dims, then the letters used once, in alphabetical order.
Term implicit_output(const std::vector<Term>& inputs, size_t widest) {
    std::map<Label, int> uses;
    for (const Term& t : inputs)
        for (Label l : t) ++uses[l];
    Term out;
    for (size_t j = 0; j < widest; ++j) out.push_back(kEllipsis + static_cast<Label>(j));
    for (auto [label, count] : uses)
        if (label < kEllipsis && count == 1) out.push_back(label);
    return out;
}

std::optional<Equation> parse_equation(std::string text, const std::vector<Dims>& operands) {
    text.erase(
        std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }),
        text.end());
    const size_t arrow = text.find("->");
    const std::vector<std::string> lhs = split(text.substr(0, arrow), ',');
    if (lhs.size() != operands.size()) return std::nullopt;

    std::vector<RawTerm> raw;
    std::vector<size_t> widths;
    for (size_t i = 0; i < lhs.size(); ++i) {
        auto term = split_term(lhs[i]);
        if (!term) return std::nullopt;
        const size_t rank = operands[i].size(), letters = letter_count(*term);
        // An empty Dims is an unknown rank: its letters are taken as size 1.
        if (rank != 0 && (rank < letters || (!term->ellipsis && rank != letters)))
            return std::nullopt;
        widths.push_back(term->ellipsis && rank > letters ? rank - letters : 0);
        raw.push_back(*term);
    }
    const size_t widest = *std::max_element(widths.begin(), widths.end());

    Equation eq;
    for (size_t i = 0; i < raw.size(); ++i)
        eq.inputs.push_back(labels_of(raw[i], widths[i], widest));
    if (arrow == std::string::npos) {
        eq.output = implicit_output(eq.inputs, widest);
        return eq;
    }
    auto out = split_term(text.substr(arrow + 2));
    if (!out) return std::nullopt;
    eq.output = labels_of(*out, out->ellipsis ? widest : 0, widest);
    return eq;
}

// Size of every label: the largest dim it names (a 1 broadcasts).
std::map<Label, uint64_t> label_sizes(const Equation& eq, const std::vector<Dims>& operands) {
    std::map<Label, uint64_t> sizes;
    for (size_t i = 0; i < eq.inputs.size(); ++i)
        for (size_t d = 0; d < eq.inputs[i].size(); ++d) {
            const uint64_t size = d < operands[i].size() ? operands[i][d] : 1;
            uint64_t& s = sizes[eq.inputs[i][d]];
            s = std::max(s, size);
        }
    return sizes;
}

uint64_t volume(const OpContext& op, const std::set<Label>& labels,
                const std::map<Label, uint64_t>& sizes) {
    uint64_t n = 1;
    for (Label l : labels) {
        auto it = sizes.find(l);
        n = op.mul(n, it == sizes.end() ? 1 : it->second);
    }
    return n;
}

OpCost einsum(OpContext& op) {
    std::vector<Dims> operands;
    for (size_t i = 0; i < op.input_count(); ++i) operands.push_back(op.input_dims(i));
    const std::string equation = op.node().attr_string("equation", "");
    const auto eq = operands.empty() ? std::nullopt : parse_equation(equation, operands);
    if (!eq) {
        op.warn("equation '" + equation + "' does not match its operands; costed as 0");
        return {};
    }
    const auto sizes = label_sizes(*eq, operands);
    const std::set<Label> output(eq->output.begin(), eq->output.end());
    std::set<Label> current(eq->inputs[0].begin(), eq->inputs[0].end());
    if (eq->inputs.size() == 1) {
        const uint64_t all = volume(op, current, sizes), kept = volume(op, output, sizes);
        return {0, all > kept ? all - kept : 0};
    }
    uint64_t macs = 0;
    for (size_t j = 1; j < eq->inputs.size(); ++j) {
        current.insert(eq->inputs[j].begin(), eq->inputs[j].end());
        macs = op.add(macs, volume(op, current, sizes));
        std::set<Label> needed = output;
        for (size_t later = j + 1; later < eq->inputs.size(); ++later)
            needed.insert(eq->inputs[later].begin(), eq->inputs[later].end());
        for (auto it = current.begin(); it != current.end();)
            it = needed.count(*it) ? std::next(it) : current.erase(it);
    }
    return {macs, op.mul(2, macs)};
}

constexpr CostRule kEinsum{"einsum", einsum};

}  // namespace

void add_einsum_rules(RuleTable& table) { table.add(kOnnxDomain, "Einsum", kEinsum); }

}  // namespace winglet::analysis
