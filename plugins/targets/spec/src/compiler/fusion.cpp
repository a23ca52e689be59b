#include "fusion.hpp"

#include <algorithm>

namespace winglet::spec_target {

namespace {

// How many ops read each op's outputs; a fused intermediate must have exactly one reader.
std::vector<size_t> consumer_counts(const std::vector<OpDesc>& ops) {
    std::vector<size_t> n(ops.size(), 0);
    for (const OpDesc& op : ops)
        for (const Edge& e : op.inputs) ++n[e.producer];
    return n;
}

bool feeds_only(const std::vector<OpDesc>& ops, const std::vector<size_t>& readers, size_t from,
                size_t to) {
    if (readers[from] != 1) return false;
    const auto& in = ops[to].inputs;
    return std::any_of(in.begin(), in.end(), [&](const Edge& e) { return e.producer == from; });
}

// Number of ops the match of `pattern` starting at op `i` spans, or 0. Folded Constants that an
// exporter put between the pattern's ops (Clip's min/max between BatchNormalization and Clip) are
// spanned, not matched: they cost nothing and must not break the chain.
size_t match(const device_spec::Fusion& f, size_t unit, const std::vector<OpDesc>& ops,
             const std::vector<OpPlan>& plan, const std::vector<size_t>& readers, size_t i) {
    size_t j = i, previous = i;
    for (size_t k = 0; k < f.pattern.size(); ++k, ++j) {
        if (k > 0)
            while (j < ops.size() && ops[j].folded) ++j;
        if (j >= ops.size() || ops[j].type != f.pattern[k] || plan[j].unit != unit) return 0;
        if (k > 0 && !feeds_only(ops, readers, previous, j)) return 0;
        previous = j;
    }
    return j - i;
}

}  // namespace

void fuse(const DeviceSpec& spec, const std::vector<OpDesc>& ops, std::vector<OpPlan>& plan) {
    const std::vector<size_t> readers = consumer_counts(ops);
    int64_t next_group = 0;
    for (size_t i = 0; i < ops.size();) {
        const std::string& unit = spec.units[plan[i].unit].name;
        size_t best = 0;
        for (const device_spec::Fusion& f : spec.fusions)
            if (f.unit == unit) best = std::max(best, match(f, plan[i].unit, ops, plan, readers, i));
        if (best < 2) {
            ++i;
            continue;
        }
        for (size_t k = 0; k < best; ++k) {
            plan[i + k].unit = plan[i].unit;  // a spanned folded op joins its group's unit
            plan[i + k].group = next_group;
            plan[i + k].group_head = k == 0;
        }
        ++next_group;
        i += best;
    }
}

}  // namespace winglet::spec_target
