#include "cli/compression_table.hpp"

#include "cli/compile_table.hpp"
#include "cli/text_table.hpp"

#include <cmath>
#include <cstdio>

namespace winglet::cli {
namespace {

std::string number(double v, const char* format) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

void print_compression(std::ostream& out, const Report& r, const WrittenModel* written) {
    TextTable table;
    using A = TextTable::Align;
    table.add_column("name", A::Left, 40);
    table.add_column("technique", A::Left);
    table.add_column("options", A::Left, 36);
    table.add_column("size", A::Right);
    table.add_column("compressed", A::Right);
    table.add_column("SQNR dB", A::Right);
    table.add_column("rel L2", A::Right);
    table.add_column("cosine", A::Right);
    table.add_column("max |err|", A::Right);
    uint64_t original = 0, stored = 0, count = 0;
    for (const OpReport& op : r.ops) {
        const auto& c = op.compression;
        if (!c) continue;
        ++count;
        original += c->original_bits;
        stored += c->compressed->storage_bits;
        table.add_row({op.name, c->technique, shorten(c->options, 36), iec_bytes((c->original_bits + 7) / 8),
                       iec_bytes((c->compressed->storage_bits + 7) / 8), number(c->error.sqnr_db, "%.2f"),
                       number(c->error.rel_l2, "%.5f"), number(c->error.cosine, "%.6f"), number(c->error.max_abs, "%.3g")});
    }
    table.print(out);
    out << "\ncompressed   " << count << " weights: " << iec_bytes((original + 7) / 8) << " -> " << iec_bytes((stored + 7) / 8)
        << (stored ? " (" + number(static_cast<double>(original) / static_cast<double>(stored), "%.2f") + "x smaller)" : "")
        << '\n';
    // The file: the compressed weights as stored, everything else of the source, the decode nodes.
    if (written)
        out << "written      " << written->path << " " << iec_bytes(written->bytes) << " (" << written->bytes
            << " bytes; the source file " << iec_bytes(r.model.file_size) << ")\n";
    if (r.baseline) {
        out << "model        weights " << iec_bytes(r.baseline->totals.weight_bytes) << " -> " << iec_bytes(r.totals.weight_bytes)
            << ", MACs " << r.baseline->totals.macs << " -> " << r.totals.macs << '\n';
        if (r.plan && r.baseline->plan) {
            const PlanSummary &b = *r.baseline->plan, &a = *r.plan;
            out << "on device    latency " << number(b.latency_ms, "%.3f") << " -> " << number(a.latency_ms, "%.3f")
                << " ms, energy " << number(b.energy_mj, "%.3f") << " -> " << number(a.energy_mj, "%.3f")
                << " mJ, peak memory " << iec_bytes(b.peak_memory_bytes) << " -> " << iec_bytes(a.peak_memory_bytes)
                << ", storage " << iec_bytes(b.storage_bytes) << " -> " << iec_bytes(a.storage_bytes) << '\n';
        }
    }
}

}  // namespace winglet::cli
