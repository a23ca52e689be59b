#include "run_request.hpp"

#include "runner_client.hpp"

#include <filesystem>

namespace winglet::measured {
namespace {

using sdk::Error;

int64_t count_option(const std::string& key, const std::string& text, int64_t min) {
    size_t used = 0;
    long long v = -1;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || v < min)
        throw Error(WG_ERR_INVALID_ARGUMENT, "option " + key + "=" + text + ": expected an integer >= " + std::to_string(min));
    return v;
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    size_t begin = 0;
    for (size_t end; (end = text.find(sep, begin)) != std::string::npos; begin = end + 1) parts.push_back(text.substr(begin, end - begin));
    parts.push_back(text.substr(begin));
    return parts;
}

std::string str(const char* s) { return s ? s : ""; }

// The inputs the report was computed for, as the runner feeds them.
std::vector<InputSpec> given_inputs(const wg_report& r) {
    std::vector<InputSpec> inputs;
    if (!WINGLET_HAS_FIELD(r, wg_report, given_input_values)) return inputs;
    for (uint64_t i = 0; i < r.given_input_count; ++i) {
        InputSpec in;
        in.name = str(r.given_input_names[i]);
        const std::string shape = str(r.given_input_shapes[i]), values = str(r.given_input_values[i]);
        if (shape == "scalar") in.shape = std::vector<int64_t>{};
        else if (!shape.empty()) {
            in.shape.emplace();
            for (const std::string& d : split(shape, 'x')) in.shape->push_back(std::stoll(d));
        }
        if (!values.empty())
            for (const std::string& v : split(values, ',')) in.values.push_back(v == "true" ? 1.0 : v == "false" ? 0.0 : std::stod(v));
        inputs.push_back(std::move(in));
    }
    return inputs;
}

}  // namespace

std::string accepted_options() { return "threads, graph_optimization, warmup, runs, profile_runs"; }

RunRequest run_request_for(const MeasuredDevice& device, const sdk::CompileRequest& request) {
    const sdk::GraphView& graph = request.graph();
    const wg_report* report = graph.raw().report;
    if (!report || !report->model_path || !*report->model_path)
        throw Error(WG_ERR_INVALID_ARGUMENT, "the compile request names no model file to run");
    for (uint64_t i = 0; i < graph.op_count(); ++i) {
        const wg_op_record& rec = graph.op(i).record();
        if (WINGLET_HAS_FIELD(rec, wg_op_record, compression) && rec.compression)
            throw Error(WG_ERR_UNSUPPORTED, "op '" + str(rec.name) + "' is compressed in memory by a recipe; a measured "
                                            "device runs the model file, which does not hold the compression (write it "
                                            "with `winglet optimize` and compile that file)");
    }
    RunRequest run;
    run.model_path = model_path_on_device(device, std::filesystem::absolute(report->model_path));
    run.inputs = given_inputs(*report);
    run.options = device.defaults;
    for (const auto& [key, value] : request.options()) {
        if (key == "threads") run.options.threads = count_option(key, value, 1);
        else if (key == "warmup") run.options.warmup = count_option(key, value, 0);
        else if (key == "runs") run.options.runs = count_option(key, value, 1);
        else if (key == "profile_runs") run.options.profile_runs = count_option(key, value, 1);
        else if (key == "graph_optimization") {
            const auto level = graph_optimization_from_string(value);
            if (!level) throw Error(WG_ERR_INVALID_ARGUMENT, "option graph_optimization=" + value + ": expected disabled, basic, extended or all");
            run.options.graph_optimization = *level;
        } else {
            throw Error(WG_ERR_INVALID_ARGUMENT, "device '" + device.id + "' has no option '" + key + "' (options: " + accepted_options() + ")");
        }
    }
    return run;
}

}  // namespace winglet::measured
