#include "runner_protocol.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>

namespace winglet::measured {

using nlohmann::json;

namespace {

constexpr std::array<std::pair<GraphOptimization, std::string_view>, 4> kLevels{{
    {GraphOptimization::disabled, "disabled"},
    {GraphOptimization::basic, "basic"},
    {GraphOptimization::extended, "extended"},
    {GraphOptimization::all, "all"},
}};

[[noreturn]] void invalid(const std::string& path, const std::string& problem) {
    throw RunnerError(FailureKind::output, "runner response: " + path + " " + problem);
}

// Typed, checked access to one JSON object of the response; `path` names it in messages.
class Field {
public:
    Field(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

    Field at(const std::string& key) const {
        const auto it = value_.find(key);
        if (it == value_.end()) invalid(child_path(key), "is missing");
        return Field(*it, child_path(key));
    }
    bool has_non_null(const std::string& key) const {
        const auto it = value_.find(key);
        return it != value_.end() && !it->is_null();
    }
    const json& raw() const { return value_; }
    const std::string& path() const { return path_; }

    const json& object() const {
        if (!value_.is_object()) invalid(path_, "must be an object");
        return value_;
    }
    const json& array() const {
        if (!value_.is_array()) invalid(path_, "must be an array");
        return value_;
    }
    std::string string(bool non_empty = false) const {
        if (!value_.is_string()) invalid(path_, "must be a string");
        std::string s = value_.get<std::string>();
        if (non_empty && s.empty()) invalid(path_, "must not be empty");
        return s;
    }
    bool boolean() const {
        if (!value_.is_boolean()) invalid(path_, "must be true or false");
        return value_.get<bool>();
    }
    // A finite number >= 0.
    double number() const {
        if (!value_.is_number()) invalid(path_, "must be a number");
        const double v = value_.get<double>();
        if (!std::isfinite(v)) invalid(path_, "must be finite");
        if (v < 0) invalid(path_, "must not be negative (got " + value_.dump() + ")");
        return v;
    }
    int64_t integer(int64_t min = 0) const {
        if (!value_.is_number_integer()) invalid(path_, "must be an integer");
        if (value_.is_number_unsigned() && value_.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
            invalid(path_, "is too large");
        const int64_t v = value_.get<int64_t>();
        if (v < min) invalid(path_, "must be at least " + std::to_string(min) + " (got " + value_.dump() + ")");
        return v;
    }
    std::vector<std::string> strings() const {
        std::vector<std::string> out;
        for (size_t i = 0; i < array().size(); ++i) out.push_back(item(i).string());
        return out;
    }
    Field item(size_t i) const { return Field(value_[i], path_ + "[" + std::to_string(i) + "]"); }
    std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

private:
    const json& value_;
    std::string path_;
};

std::string number_text(double v) {
    char out[32];
    std::snprintf(out, sizeof out, "%.10g", v);
    return out;
}

// a <= b up to rounding in the runner's arithmetic.
void ordered(const Field& where, const char* a_name, double a, const char* b_name, double b) {
    if (a > b + 1e-9 * std::max(std::abs(a), std::abs(b)))
        invalid(where.path(), std::string("has ") + a_name + " " + number_text(a) + " above " + b_name + " " +
                                  number_text(b));
}

// Each key, a finite number >= 0, into its member of `into`.
template <typename T>
void read_numbers(const Field& f, T& into, std::initializer_list<std::pair<const char*, double T::*>> fields) {
    for (const auto& [key, member] : fields) into.*member = f.at(key).number();
}

LatencyStats read_latency(const Field& f) {
    f.object();
    LatencyStats s;
    s.n = f.at("n").integer(1);
    read_numbers(f, s, {{"min", &LatencyStats::min}, {"median", &LatencyStats::median}, {"p90", &LatencyStats::p90},
                        {"max", &LatencyStats::max}, {"mean", &LatencyStats::mean}, {"stdev", &LatencyStats::stdev}});
    ordered(f, "min", s.min, "median", s.median);
    ordered(f, "median", s.median, "p90", s.p90);
    ordered(f, "p90", s.p90, "max", s.max);
    ordered(f, "min", s.min, "mean", s.mean);
    ordered(f, "mean", s.mean, "max", s.max);
    return s;
}

void read_graph_node(const Field& f, GraphNode& node) {
    f.object();
    node.node = f.at("node").string();
    node.op_type = f.at("op_type").string(true);
    node.domain = f.at("domain").string();
    node.inputs = f.at("inputs").strings();
    node.outputs = f.at("outputs").strings();
    if (f.has_non_null("parent")) node.parent = f.at("parent").string();
}

Kernel read_kernel(const Field& f, int64_t profile_runs) {
    Kernel k;
    read_graph_node(f, k);
    if (k.node.empty()) invalid(f.child_path("node"), "must not be empty");
    if (f.raw().contains("provider")) k.provider = f.at("provider").string();
    k.matched_by = f.at("matched_by").string(true);
    k.n = f.at("n").integer(1);
    if (k.n > profile_runs)
        invalid(f.child_path("n"), "is " + std::to_string(k.n) + ", more than the " + std::to_string(profile_runs) +
                                     " profiled runs");
    read_numbers(f, k, {{"calls_per_run", &Kernel::calls_per_run}, {"median_us", &Kernel::median_us},
                        {"min_us", &Kernel::min_us}, {"max_us", &Kernel::max_us}, {"start_us", &Kernel::start_us}});
    ordered(f, "min_us", k.min_us, "median_us", k.median_us);
    ordered(f, "median_us", k.median_us, "max_us", k.max_us);
    return k;
}

std::optional<EnergyMeasurement> read_energy(const Field& parent) {
    if (!parent.raw().contains("energy")) invalid(parent.child_path("energy"), "is missing (null when not measured)");
    if (!parent.has_non_null("energy")) return std::nullopt;
    const Field f = parent.at("energy");
    f.object();
    EnergyMeasurement e;
    e.source = f.at("source").string(true);
    read_numbers(f, e, {{"joules_per_inference", &EnergyMeasurement::joules_per_inference},
                        {"joules_total", &EnergyMeasurement::joules_total}, {"seconds", &EnergyMeasurement::seconds},
                        {"average_power_w", &EnergyMeasurement::average_power_w}});
    e.inferences = f.at("inferences").integer(1);
    return e;
}

RunOptions read_options(const Field& f, bool& limited) {
    f.object();
    RunOptions o;
    o.threads = f.at("threads").integer(1);
    const std::string level = f.at("graph_optimization").string();
    const auto parsed = graph_optimization_from_string(level);
    if (!parsed) invalid(f.child_path("graph_optimization"), "is '" + level + "', not a known level");
    o.graph_optimization = *parsed;
    o.warmup = f.at("warmup").integer(0);
    o.runs = f.at("runs").integer(1);
    o.profile_runs = f.at("profile_runs").integer(0);
    limited = f.at("limited_by_deadline").boolean();
    return o;
}

RunResult read_result(const Field& root) {
    RunResult r;
    const Field runtime = root.at("runtime");
    runtime.object();
    r.runtime = {runtime.at("name").string(true), runtime.at("version").string(true),
                 runtime.at("provider").string(true)};

    const Field device = root.at("device");
    device.object();
    r.device.cpu_model = device.at("cpu_model").string(true);
    r.device.logical_cpus = device.at("logical_cpus").integer(1);
    r.device.threads = device.at("threads").integer(1);
    if (device.has_non_null("governor")) r.device.governor = device.at("governor").string();
    r.device.os = device.at("os").string(true);

    r.options = read_options(root.at("options"), r.limited_by_deadline);
    const Field inputs = root.at("inputs");
    for (size_t i = 0; i < inputs.array().size(); ++i) {
        const Field in = inputs.item(i);
        in.object();
        InputShape shape{in.at("name").string(true), {}};
        const Field dims = in.at("shape");
        for (size_t d = 0; d < dims.array().size(); ++d) shape.shape.push_back(dims.item(d).integer(0));
        r.inputs.push_back(std::move(shape));
    }

    r.latency_ms = read_latency(root.at("latency_ms"));
    if (r.latency_ms.n != r.options.runs)
        invalid("latency_ms.n", "is " + std::to_string(r.latency_ms.n) + " but options.runs is " +
                                    std::to_string(r.options.runs));
    const Field kernels = root.at("kernels");
    for (size_t i = 0; i < kernels.array().size(); ++i)
        r.kernels.push_back(read_kernel(kernels.item(i), r.options.profile_runs));
    if (r.options.profile_runs > 0 && r.kernels.empty()) invalid("kernels", "is empty after profiled runs");
    const Field unobserved = root.at("unobserved_nodes");
    for (size_t i = 0; i < unobserved.array().size(); ++i) {
        GraphNode node;
        read_graph_node(unobserved.item(i), node);
        r.unobserved_nodes.push_back(std::move(node));
    }
    r.peak_rss_bytes = static_cast<uint64_t>(root.at("peak_rss_bytes").integer(0));
    r.energy = read_energy(root);
    if (root.raw().contains("runner_ms")) {
        const Field phases = root.at("runner_ms");
        for (const auto& [phase, value] : phases.object().items())
            r.runner_ms.emplace_back(phase, Field(value, phases.child_path(phase)).number());
    }
    return r;
}

}  // namespace

std::string_view to_string(GraphOptimization level) {
    for (const auto& [value, name] : kLevels)
        if (value == level) return name;
    return "all";
}

std::optional<GraphOptimization> graph_optimization_from_string(std::string_view text) {
    for (const auto& [value, name] : kLevels)
        if (name == text) return value;
    return std::nullopt;
}

std::string request_json(const RunRequest& request) {
    json inputs = json::array();
    for (const InputSpec& in : request.inputs) {
        json entry{{"name", in.name}};
        if (in.shape) entry["shape"] = *in.shape;
        if (!in.values.empty()) entry["values"] = in.values;
        inputs.push_back(std::move(entry));
    }
    json j{
        {"protocol", kProtocolVersion},
        {"model", request.model_path},
        {"inputs", std::move(inputs)},
        {"warmup", request.options.warmup},
        {"runs", request.options.runs},
        {"profile_runs", request.options.profile_runs},
        {"threads", request.options.threads},
        {"graph_optimization", std::string(to_string(request.options.graph_optimization))},
    };
    if (request.deadline_s) j["deadline_s"] = *request.deadline_s;
    return j.dump() + "\n";
}

RunResult parse_response(std::string_view text) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        // Quoted as a JSON string: control characters and broken UTF-8 stay readable.
        const std::string head = json(std::string(text.substr(0, 200))).dump(-1, ' ', false, json::error_handler_t::replace);
        throw RunnerError(FailureKind::output,
                          "runner output is not JSON (" + std::string(e.what()) + "); it begins: " + head);
    }
    if (!root.is_object()) throw RunnerError(FailureKind::output, "runner output is JSON but not an object");
    const auto protocol = root.find("protocol");
    if (protocol == root.end() || !protocol->is_number_integer())
        throw RunnerError(FailureKind::output, "runner output has no integer \"protocol\" field");
    if (*protocol != kProtocolVersion)
        throw RunnerError(FailureKind::output, "runner speaks protocol " + protocol->dump() + ", this client speaks " +
                                                   std::to_string(kProtocolVersion));
    if (const auto error = root.find("error"); error != root.end())
        throw RunnerError(FailureKind::reported,
                          "runner reported an error: " + (error->is_string() ? error->get<std::string>() : error->dump()));
    return read_result(Field(root, ""));
}

}  // namespace winglet::measured
