#include "cli/compile_table.hpp"

#include "cli/shape_notes.hpp"
#include "cli/text_table.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace winglet::cli {
namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
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
    for (const OpReport* op : ops) {
        const OpPlan& p = *op->compiled;
        table.add_row({op->name, op->op_type, p.unit, p.fallback_reason.empty() ? "-" : shorten(p.fallback_reason, 36),
                       p.group < 0 ? "-" : std::to_string(p.group), fixed(p.latency_us, 2), fixed(p.energy_uj, 3),
                       p.bound == Bound::None ? "-" : std::string(bound_name(p.bound)), p.critical ? "*" : ""});
    }
    table.print(out);
    if (ops.size() < r.ops.size())
        out << "... " << r.ops.size() - ops.size() << " more ops (use --top 0 for all)\n";
}

void print_totals(std::ostream& out, const PlanSummary& p) {
    out << "\ndevice       " << p.device_id << (p.device_name.empty() ? "" : " (" + p.device_name + ")") << '\n';
    out << "latency      " << fixed(p.latency_ms, 3) << " ms per inference\n";
    out << "energy       " << fixed(p.energy_mj, 3) << " mJ per inference, " << fixed(p.avg_power_w, 3)
        << " W average\n";
    out << "memory       " << iec_bytes(p.peak_memory_bytes) << " peak, " << iec_bytes(p.weights_resident_bytes)
        << " weights resident, " << iec_bytes(p.storage_bytes) << " storage\n";
    for (size_t i = 0; i < p.units.size(); ++i) {
        const UnitPlan& u = p.units[i];
        out << "  unit " << u.name << " (" << (u.kind.empty() ? "?" : u.kind) << ")  peak "
            << iec_bytes(u.peak_memory_bytes) << (u.memory_bytes ? " of " + iec_bytes(u.memory_bytes) : std::string());
        if (i < p.unit_memory.size() && p.unit_memory[i].buffers > 0) {
            const UnitMemory& m = p.unit_memory[i];
            out << "; activation arena " << iec_bytes(m.arena_bytes) << " for " << m.buffers << " buffers (live peak "
                << iec_bytes(m.peak_live_bytes) << ", " << iec_bytes(m.no_reuse_bytes) << " without reuse)";
        }
        out << '\n';
    }
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
    print_totals(out, *r.plan);
    for (const auto& w : r.warnings) out << "warning      " << w << '\n';
    print_unknown_shapes(out, r, "      ");
}

}  // namespace winglet::cli
