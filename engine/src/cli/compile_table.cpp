#include "cli/compile_table.hpp"

#include "cli/shape_notes.hpp"
#include "cli/memory_summary.hpp"
#include "cli/text_table.hpp"

#include <algorithm>
#include <vector>

namespace winglet::cli {
namespace {

// Kernel names share long scope prefixes; their ends tell them apart.
std::string last_chars(const std::string& text, size_t width) {
    return text.size() <= width ? text : "..." + text.substr(text.size() - (width - 3));
}

// "kernel <name> (1.2..1.4)", "fused into <kernel>", "folded at load", "not observed".
std::string measurement_text(const OpPlan& p) {
    switch (p.source) {
        case Source::Measured:
            return "kernel " + last_chars(p.kernel, 28) + " (" + fixed(p.latency_min_us, 1) + ".." + fixed(p.latency_max_us, 1) + ")";
        case Source::Fused: return "fused into " + last_chars(p.kernel, 34);
        case Source::Folded: return "folded at load";
        case Source::NotObserved: return "not observed";
        default: return "predicted";
    }
}

void print_ops(std::ostream& out, const Report& r, size_t top) {
    std::vector<const OpReport*> ops;
    for (const OpReport& op : r.ops) ops.push_back(&op);
    if (top > 0) {
        std::stable_sort(ops.begin(), ops.end(), [](const OpReport* a, const OpReport* b) {
            return a->compiled->latency_us * a->multiplier > b->compiled->latency_us * b->multiplier;
        });
        if (ops.size() > top) ops.resize(top);
    }
    TextTable table;
    using A = TextTable::Align;
    table.add_column("name", A::Left, 40);
    table.add_column("op", A::Left, 20);
    table.add_column("unit", A::Left);
    table.add_column("fallback", A::Left);
    table.add_column("group", A::Right);
    table.add_column("latency us", A::Right);
    table.add_column("energy uJ", A::Right);
    table.add_column("bound", A::Left);
    table.add_column("crit", A::Left);
    // Only a plan where some op exceeds its unit's on-chip memory gets the column.
    const bool spills = std::any_of(r.ops.begin(), r.ops.end(),
                                    [](const OpReport& op) { return op.compiled && op.compiled->spill_bytes > 0; });
    if (spills) table.add_column("spills", A::Right);
    // A measured plan says per op what the run showed instead of what a model predicts.
    const bool measured = r.plan && r.plan->measured;
    const bool energy = !measured || r.plan->energy_measured;
    if (measured) table.add_column("measured", A::Left, 48);
    for (const OpReport* op : ops) {
        const OpPlan& p = *op->compiled;
        std::vector<std::string> row = {
            op->name, op->op_type, p.unit, p.fallback_reason.empty() ? "-" : shorten(p.fallback_reason, 36),
            p.group < 0 ? "-" : std::to_string(p.group), fixed(p.latency_us, 2), energy ? fixed(p.energy_uj, 3) : "n/m",
            p.bound == Bound::None ? "-" : std::string(bound_name(p.bound)), p.critical ? "*" : ""};
        if (spills) row.push_back(p.spill_bytes > 0 ? iec_bytes(p.spill_bytes) : "-");
        if (measured) row.push_back(measurement_text(p));
        table.add_row(std::move(row));
    }
    table.print(out);
    if (ops.size() < r.ops.size())
        out << "... " << r.ops.size() - ops.size() << " more ops (use --top 0 for all)\n";
}

void print_totals(std::ostream& out, const Report& r) {
    const PlanSummary& p = *r.plan;
    out << "\ndevice       " << p.device_id << (p.device_name.empty() ? "" : " (" + p.device_name + ")") << '\n';
    if (p.measured) {
        out << "latency      " << fixed(p.latency_ms, 3) << " ms per inference, measured: median of " << p.latency_runs
            << " runs (min " << fixed(p.latency_min_ms, 3) << ", p90 " << fixed(p.latency_p90_ms, 3) << ", max "
            << fixed(p.latency_max_ms, 3) << ", stdev " << fixed(p.latency_stdev_ms, 3) << ")\n";
        out << "measured on  " << p.measured_on << "; " << p.runtime
            << (p.peak_rss_bytes ? "; peak RSS " + iec_bytes(p.peak_rss_bytes) : std::string()) << '\n';
    } else {
        out << "latency      " << fixed(p.latency_ms, 3) << " ms per inference (predicted)\n";
    }
    if (p.measured && !p.energy_measured)
        out << "energy       not measured (no energy meter readable on this machine)\n";
    else
        out << "energy       " << fixed(p.energy_mj, 3) << " mJ per inference, " << fixed(p.avg_power_w, 3)
            << " W average" << (p.measured ? " (measured)" : " (predicted)") << '\n';
    print_memory(out, r);
    out << "transitions  " << p.unit_transitions << " between units\n";
    out << "critical     " << p.critical_path_ops << " ops on the critical path (marked *)\n";
    out << "fits         " << (p.fits ? "yes" : "does not fit")
        << (p.fit_detail.empty() ? std::string() : ": " + p.fit_detail) << '\n';
}

}  // namespace

std::string shorten(const std::string& text, size_t width) {
    if (text.size() <= width || width < 4) return text;
    return text.substr(0, width - 3) + "...";
}

void print_compiled(std::ostream& out, const Report& r, size_t top) {
    out << "model     " << r.model.path << "  (" << r.model.content_hash << ")\n";
    if (const std::string given = given_inputs_text(r.model); !given.empty()) out << "inputs    " << given << '\n';
    out << '\n';
    print_ops(out, r, top);
    print_totals(out, r);
    for (const auto& w : r.warnings) out << "warning      " << w << '\n';
    print_unknown_shapes(out, r, "      ");
}

}  // namespace winglet::cli
