// The runner protocol (PROTOCOL.md) as plain C++: the request winglet sends a runner, the
// response it reads back, and the conversions between them and JSON. parse_response() accepts only
// a response that is complete and consistent; anything else is a RunnerError naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winglet::measured {

inline constexpr int kProtocolVersion = 1;

// Why a measurement failed; the message says it in words, this lets a caller branch on it.
enum class FailureKind {
    device_file,  // the device description is invalid
    launch,       // a command could not be started (not found, not executable)
    copy,         // the declared copy step failed
    exit,         // the runner exited with a non-zero code or was killed by a signal
    timeout,      // the runner exceeded its time limit and was killed
    output,       // the runner's stdout is not a protocol response (not JSON, wrong protocol, invalid)
    reported,     // the runner answered with {"error": ...}
};

class RunnerError : public std::runtime_error {
public:
    RunnerError(FailureKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    FailureKind kind() const { return kind_; }

private:
    FailureKind kind_;
};

enum class GraphOptimization { disabled, basic, extended, all };
std::string_view to_string(GraphOptimization level);
std::optional<GraphOptimization> graph_optimization_from_string(std::string_view text);

struct RunOptions {
    int64_t threads = 1;  // intra-op threads; inter-op is always 1, execution sequential
    GraphOptimization graph_optimization = GraphOptimization::all;
    int64_t warmup = 3;
    int64_t runs = 20;
    int64_t profile_runs = 10;
};

// One model input, as winglet's --input NAME=1x512 and --input-value NAME=16000 give it.
struct InputSpec {
    std::string name;
    std::optional<std::vector<int64_t>> shape;  // none: the model's own (fixed) dims
    std::vector<double> values;                 // empty: pseudo-random floats, zero integers
};

struct RunRequest {
    std::string model_path;
    std::vector<InputSpec> inputs;
    RunOptions options;
    std::optional<double> deadline_s;  // a hint: the runner shortens its runs to answer in time
};

struct LatencyStats {
    int64_t n = 0;
    double min = 0, median = 0, p90 = 0, max = 0, mean = 0, stdev = 0;
};

struct RuntimeInfo {
    std::string name, version, provider;
};

struct DeviceFacts {
    std::string cpu_model;
    int64_t logical_cpus = 0;
    int64_t threads = 0;
    std::optional<std::string> governor;  // none where the runner could not read it
    std::string os;
};

// A node of the graph the runtime ran (after its own fusions): names as the runtime saved them.
struct GraphNode {
    std::string node, op_type, domain;
    std::vector<std::string> inputs, outputs;
    std::optional<std::string> parent;  // the control-flow node whose subgraph holds it
};

// One kernel of the profiled runs. Times are per run (a kernel called several times in a run,
// inside a Loop, counts its calls' sum); start_us is relative to the run's start. A kernel with a
// parent ran inside that kernel and is part of its time.
struct Kernel : GraphNode {
    std::string provider;
    std::string matched_by;  // how the graph node was found: "name", "order" or "none"
    int64_t n = 0;           // profiled runs it appeared in
    double calls_per_run = 0;
    double median_us = 0, min_us = 0, max_us = 0, start_us = 0;
};

struct EnergyMeasurement {
    std::string source;  // "rapl"
    double joules_per_inference = 0;
    double joules_total = 0;
    double seconds = 0;
    double average_power_w = 0;
    int64_t inferences = 0;
};

struct InputShape {
    std::string name;
    std::vector<int64_t> shape;
};

struct RunResult {
    RuntimeInfo runtime;
    DeviceFacts device;
    RunOptions options;  // as run: runs and profile_runs may be cut to meet the deadline hint
    bool limited_by_deadline = false;
    std::vector<InputShape> inputs;
    LatencyStats latency_ms;
    std::vector<Kernel> kernels;
    std::vector<GraphNode> unobserved_nodes;  // in the runtime's graph, never seen in the profile
    uint64_t peak_rss_bytes = 0;
    std::optional<EnergyMeasurement> energy;  // none: not measured (never estimated)
    std::vector<std::pair<std::string, double>> runner_ms;  // the runner's own phases
};

// The request as one line of JSON.
std::string request_json(const RunRequest& request);

// A runner's stdout, checked and converted; throws RunnerError(output) when it is not JSON, speaks
// another protocol or is inconsistent, and RunnerError(reported) for {"error": ...}.
RunResult parse_response(std::string_view text);

}  // namespace winglet::measured
