// `winglet inspect`: import a model and show per-operation costs and model totals.
#include "analysis/analyzer.hpp"
#include "cli/cli.hpp"
#include "cli/command_options.hpp"
#include "cli/shape_notes.hpp"
#include "cli/text_table.hpp"
#include "core/errors.hpp"
#include "plugins/import.hpp"
#include "report/export.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>

namespace po = boost::program_options;

namespace winglet::cli {
namespace {

std::string shapes_text(const OpReport& op) {
    std::string out;
    for (size_t i = 0; i < op.output_shapes.size(); ++i) {
        if (i) out += " ";
        out += shape_to_string(op.output_shapes[i]);
    }
    return out;
}

uint64_t sort_key(const OpReport& op, const std::string& key) {
    if (key == "macs") return op.macs;
    if (key == "flops") return op.flops;
    if (key == "params") return op.params;
    if (key == "weights") return op.weight_bytes;
    if (key == "activations") return op.input_bytes + op.output_bytes;
    throw UsageError("--sort: unknown key '" + key + "' (macs, flops, params, weights, activations, order)");
}

void print_report(const Report& r, size_t top, const std::string& sort) {
    std::cout << "model     " << r.model.path << "  (" << iec_bytes(r.model.file_size) << ", "
              << r.model.content_hash << ")\n";
    std::cout << "format    " << r.model.format << " IR " << r.model.ir_version << ", producer "
              << (r.model.producer_name.empty() ? "?" : r.model.producer_name) << ' ' << r.model.producer_version
              << ", opsets";
    for (const auto& [domain, version] : r.model.opsets)
        std::cout << ' ' << (domain.empty() ? "ai.onnx" : domain) << ':' << version;
    if (const std::string given = given_inputs_text(r.model); !given.empty()) std::cout << "\ninputs    " << given;
    std::cout << "\n\n";

    std::vector<const OpReport*> ops;
    for (const OpReport& op : r.ops) ops.push_back(&op);
    if (sort != "order")
        std::stable_sort(ops.begin(), ops.end(), [&](const OpReport* a, const OpReport* b) {
            return sort_key(*a, sort) > sort_key(*b, sort);
        });
    if (top > 0 && ops.size() > top) ops.resize(top);

    TextTable table;
    using A = TextTable::Align;
    table.add_column("name", A::Left, 48);
    table.add_column("op", A::Left, 24);
    table.add_column("output shapes", A::Left, 40);
    table.add_column("MACs", A::Right);
    table.add_column("FLOPs", A::Right);
    table.add_column("params", A::Right);
    table.add_column("weights", A::Right);
    table.add_column("act in", A::Right);
    table.add_column("act out", A::Right);
    for (const OpReport* op : ops) {
        const bool costed = op->has_cost_rule;
        table.add_row({op->name, op->op_type, shapes_text(*op), costed ? si_count(op->macs) : "n/a",
                       costed ? si_count(op->flops) : "n/a", si_count(op->params), iec_bytes(op->weight_bytes),
                       iec_bytes(op->input_bytes), iec_bytes(op->output_bytes)});
    }
    table.print(std::cout);
    if (ops.size() < r.ops.size())
        std::cout << "... " << r.ops.size() - ops.size() << " more ops (use --top 0 for all)\n";

    const Totals& t = r.totals;
    std::cout << "\ntotals    " << t.op_count << " ops, " << si_count(t.macs) << " MACs, " << si_count(t.flops)
              << " FLOPs, " << si_count(t.params) << " params, " << iec_bytes(t.weight_bytes) << " weights, "
              << iec_bytes(t.peak_activation_bytes) << " peak activations\n";
    std::cout << "op types ";
    for (size_t i = 0; i < r.op_types.size(); ++i)
        std::cout << (i ? ", " : " ") << r.op_types[i].first << ' ' << r.op_types[i].second;
    std::cout << '\n';
    if (t.ops_without_cost_rule)
        std::cout << "note      " << t.ops_without_cost_rule << " ops have no cost rule (shown as n/a; "
                  << "their MACs/FLOPs are not in the totals)\n";
    for (const auto& w : r.warnings) std::cout << "warning   " << w << '\n';
    print_unknown_shapes(std::cout, r, "   ");
}

}  // namespace

int run_inspect(const GlobalOptions& global, const std::vector<std::string>& args) {
    po::options_description desc("winglet inspect MODEL [options]");
    desc.add_options()
        ("help,h", "show this help")
        ("json", "print the JSON report to stdout instead of the table")
        ("output,o", po::value<std::string>(), "also write the report to FILE")
        ("format", po::value<std::string>(), "format of --output: json, csv, ... (default: from the file extension)")
        ("sort", po::value<std::string>()->default_value("order"), "table order: order, macs, flops, params, weights, activations")
        ("top", po::value<size_t>()->default_value(0), "show only the first N rows of the table (0: all)");
    add_import_options(desc);
    const po::variables_map vm = parse_with_model(desc, args);
    if (vm.count("help")) {
        std::cout << "Import MODEL and show per-operation MACs, FLOPs, parameters, weight bytes and activation\n"
                     "bytes, with model totals (peak activation memory from liveness, op-type histogram).\n\n"
                  << desc;
        return 0;
    }
    if (!vm.count("model")) throw UsageError("inspect needs a MODEL file (see `winglet inspect --help`)");

    const ImportOptions options = import_options_from(vm);
    const std::string sort = vm["sort"].as<std::string>();
    if (sort != "order") sort_key(OpReport{}, sort);  // validate before the slow work

    PluginRegistry registry;
    load_plugins(registry, global);
    const Model model = import_model(registry, vm["model"].as<std::string>(), options);
    Report report = analyze(model);

    write_requested_output(registry, report, vm);
    if (vm.count("json"))
        export_report(registry, report, "json", std::cout);
    else
        print_report(report, vm["top"].as<size_t>(), sort);
    return 0;
}

}  // namespace winglet::cli
