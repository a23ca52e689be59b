// The real host runner (node + onnxruntime-node) through the client, on the repo's MobileNetV2:
// the response validates, every kernel has its node and value names, with optimizations disabled
// the kernels are the ONNX nodes one for one, kernel times add up to about the end-to-end time,
// and the same runner works behind a command prefix with a copy step. Skipped where node or the
// runner's node_modules are missing (scripts/install-deps.sh installs them).
#define BOOST_TEST_MODULE measured_real_runner
#include <boost/test/unit_test.hpp>

#include "device_discovery.hpp"
#include "fingerprint.hpp"
#include "runner_client.hpp"
#include "subprocess.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <set>

namespace wm = winglet::measured;
using namespace measured_test;

namespace {

struct RunnerInstalled {
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
        boost::test_tools::assertion_result ok(fs::exists(wm::runner_dir() / "node_modules" / "onnxruntime-node"));
        if (!ok) ok.message() << "onnxruntime-node is not installed in " << wm::runner_dir() << " (scripts/install-deps.sh)";
        return ok;
    }
};

wm::MeasuredDevice host_device() { return wm::load_measured_device(kMeasuredDir / "devices" / "host-ort.toml"); }

wm::RunRequest mobilenet(wm::GraphOptimization level, int64_t runs, int64_t profile_runs) {
    wm::RunRequest request;
    request.model_path = kExampleModel.string();
    request.options.threads = 1;
    request.options.graph_optimization = level;
    request.options.warmup = 2;
    request.options.runs = runs;
    request.options.profile_runs = profile_runs;
    return request;
}

double top_level_kernel_sum_us(const wm::RunResult& r, double wm::Kernel::*time) {
    double sum = 0;
    for (const wm::Kernel& k : r.kernels)
        if (!k.parent) sum += k.*time;
    return sum;
}

void log_result(const std::string& what, const wm::RunResult& r) {
    std::string phases;
    for (const auto& [phase, ms] : r.runner_ms) phases += " " + phase + "=" + std::to_string(int(ms + 0.5));
    BOOST_TEST_MESSAGE(what << ": e2e median " << r.latency_ms.median << " ms (min " << r.latency_ms.min << ", p90 "
                            << r.latency_ms.p90 << ", stdev " << r.latency_ms.stdev << ", n " << r.latency_ms.n << "); "
                            << r.kernels.size() << " kernels, sum of medians "
                            << top_level_kernel_sum_us(r, &wm::Kernel::median_us) / 1000 << " ms, sum of minima "
                            << top_level_kernel_sum_us(r, &wm::Kernel::min_us) / 1000 << " ms; peak RSS "
                            << r.peak_rss_bytes / 1048576 << " MiB; runner phases (ms):" << phases);
}

// The original model's nodes by name (op type, inputs, outputs), read by python3-onnx.
struct OnnxNode {
    std::string op_type;
    std::vector<std::string> inputs, outputs;
};
std::map<std::string, OnnxNode> onnx_nodes(const fs::path& model) {
    wm::ProcessSpec spec;
    spec.argv = {"/usr/bin/python3", "-c",
                 "import json, sys, onnx\n"
                 "m = onnx.load(sys.argv[1], load_external_data=False)\n"
                 "print(json.dumps([[n.name, n.op_type, list(n.input), list(n.output)] for n in m.graph.node]))\n",
                 model.string()};
    const auto out = wm::run_process(spec);
    BOOST_TEST_REQUIRE(out.exit_code == 0, "python3-onnx could not list " << model);
    std::map<std::string, OnnxNode> nodes;
    for (const auto& n : nlohmann::json::parse(out.stdout_data))
        nodes[n[0].get<std::string>()] = {n[1], n[2].get<std::vector<std::string>>(), n[3].get<std::vector<std::string>>()};
    return nodes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(real_runner, *boost::unit_test::precondition(RunnerInstalled()))

BOOST_AUTO_TEST_CASE(mobilenet_fully_optimized) {
    TempDir tmp;  // the runner's temp files go here and must be gone afterwards
    setenv("TMPDIR", tmp.path().c_str(), 1);
    std::set<std::string> phases;
    wm::MeasureOptions options;
    options.on_progress = [&](const wm::Progress& p) { phases.insert(p.phase); };
    const auto started = std::chrono::steady_clock::now();
    const wm::RunResult r = wm::measure(host_device(), mobilenet(wm::GraphOptimization::all, 10, 5), options);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    unsetenv("TMPDIR");
    log_result("MobileNetV2, 1 thread, 'all'", r);
    BOOST_TEST_MESSAGE("client wall time " << wall << " s");

    BOOST_TEST(r.runtime.name == "onnxruntime");
    BOOST_TEST(r.runtime.version == wm::runtime_version_from_lock(wm::runner_dir()));
    BOOST_TEST(r.device.threads == 1);
    BOOST_TEST(r.device.cpu_model == wm::read_host_facts().cpu_model);  // the fingerprint reads the same facts
    BOOST_TEST(r.device.logical_cpus == wm::read_host_facts().logical_cpus);
    BOOST_TEST(r.latency_ms.n == 10);
    BOOST_TEST(!r.limited_by_deadline);
    BOOST_TEST((phases == std::set<std::string>{"load", "warmup", "run", "profile"}));
    // ONNX Runtime's own telemetry SDK leaves a `.ses` file in TMPDIR; the runner's files are gone.
    for (const auto& entry : fs::directory_iterator(tmp.path()))
        BOOST_TEST(entry.path().filename().string().rfind("winglet-runner-", 0) != 0u, entry.path());
    BOOST_TEST(r.peak_rss_bytes > fs::file_size(kExampleModel));
    BOOST_TEST_REQUIRE(!r.kernels.empty());
    for (const wm::Kernel& k : r.kernels) {
        BOOST_TEST(!k.node.empty());
        BOOST_TEST(k.matched_by == "name", k.node);
        BOOST_TEST(!k.outputs.empty(), k.node);
        BOOST_TEST(!k.inputs.empty(), k.node);
        BOOST_TEST(k.n == 5);
    }
    BOOST_TEST(r.unobserved_nodes.empty());

    // Kernel times come from other runs than the end-to-end times and leave out the executor's and
    // the binding's own work, so they only roughly add up; on a loaded machine both spread.
    const double median_ratio = top_level_kernel_sum_us(r, &wm::Kernel::median_us) / 1000 / r.latency_ms.median;
    const double min_ratio = top_level_kernel_sum_us(r, &wm::Kernel::min_us) / 1000 / r.latency_ms.min;
    BOOST_TEST_MESSAGE("kernel sum / e2e: medians " << median_ratio << ", minima " << min_ratio);
    BOOST_TEST(min_ratio > 0.5);
    BOOST_TEST(min_ratio < 1.5);
}

BOOST_AUTO_TEST_CASE(mobilenet_unoptimized_kernels_are_the_onnx_nodes) {
    const wm::RunResult r = wm::measure(host_device(), mobilenet(wm::GraphOptimization::disabled, 5, 3));
    log_result("MobileNetV2, 1 thread, 'disabled'", r);
    const auto nodes = onnx_nodes(kExampleModel);
    std::set<std::string> kernels;
    for (const wm::Kernel& k : r.kernels) {
        kernels.insert(k.node);
        const auto it = nodes.find(k.node);
        BOOST_TEST_REQUIRE((it != nodes.end()), "kernel " << k.node << " is not a node of the model");
        BOOST_TEST(k.op_type == it->second.op_type);
        BOOST_TEST(k.inputs == it->second.inputs, k.node);
        BOOST_TEST(k.outputs == it->second.outputs, k.node);
    }
    // ONNX Runtime turns Constant nodes into initializers when it loads the model: no kernel runs.
    size_t constants = 0;
    for (const auto& [name, node] : nodes) {
        if (node.op_type == "Constant") ++constants;
        else BOOST_TEST(kernels.count(name) == 1u, "node " << name << " has no kernel");
    }
    BOOST_TEST(kernels.size() + constants == nodes.size());
}

BOOST_AUTO_TEST_CASE(through_a_command_prefix_with_a_copy_step) {
    TempDir remote, log_dir;
    wm::MeasuredDevice device = host_device();
    device.id = "stand-in-board";
    device.prefix = {"sh", (kTestsDir / "fake_ssh.sh").string(), "board"};
    device.copy = wm::CopyStep{{"cp", "{model}", "{remote_model}"}, remote.path().string()};
    const fs::path log = log_dir.path() / "ssh.log";
    setenv("FAKE_SSH_LOG", log.c_str(), 1);
    const wm::RunResult r = wm::measure(device, mobilenet(wm::GraphOptimization::basic, 3, 2));
    unsetenv("FAKE_SSH_LOG");
    log_result("MobileNetV2 through the stand-in prefix", r);
    BOOST_TEST(r.latency_ms.n == 3);
    BOOST_TEST(fs::file_size(remote.path() / "mobilenet_v2.onnx") == fs::file_size(kExampleModel));
    BOOST_TEST(read_text(log) == "board node " + (wm::runner_dir() / "run.mjs").string() + "\n");
    BOOST_TEST(wm::model_path_on_device(device, kExampleModel) == (remote.path() / "mobilenet_v2.onnx").string());
}

BOOST_AUTO_TEST_CASE(a_failed_copy_step_stops_before_the_runner) {
    wm::MeasuredDevice device = host_device();
    device.copy = wm::CopyStep{{"cp", "{model}", "{remote_model}"}, "/nonexistent-winglet-dir"};
    try {
        wm::measure(device, mobilenet(wm::GraphOptimization::all, 1, 0));
        BOOST_FAIL("no error");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST((e.kind() == wm::FailureKind::copy));
        BOOST_TEST(std::string(e.what()).find("copy step `cp ") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("exit code 1") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(the_deadline_hint_shortens_the_runs) {
    wm::RunRequest request = mobilenet(wm::GraphOptimization::all, 100000, 100000);
    request.deadline_s = 4;
    const auto started = std::chrono::steady_clock::now();
    const wm::RunResult r = wm::measure(host_device(), request);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST_MESSAGE("deadline 4 s: " << r.options.runs << " timed and " << r.options.profile_runs
                                        << " profiled runs in " << wall << " s");
    BOOST_TEST(r.limited_by_deadline);
    BOOST_TEST(r.options.runs < 100000);
    BOOST_TEST(r.latency_ms.n == r.options.runs);
    BOOST_TEST(wall < 10.0);
}

BOOST_AUTO_TEST_CASE(an_input_of_unknown_size_is_named) {
    const fs::path model = kMeasuredDir / "tests" / "data" / "dynamic_add.onnx";
    wm::RunRequest request;
    request.model_path = model.string();
    request.options.warmup = 0;
    request.options.runs = 1;
    request.options.profile_runs = 1;
    try {
        wm::measure(host_device(), request);
        BOOST_FAIL("no error");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST((e.kind() == wm::FailureKind::reported));
        BOOST_TEST(std::string(e.what()).find("input 'x' has unknown dims [batch, 4]") != std::string::npos);
    }
    request.inputs = {{"x", std::vector<int64_t>{2, 4}, {}}};
    const wm::RunResult r = wm::measure(host_device(), request);
    BOOST_TEST_REQUIRE(r.inputs.size() == 1u);
    BOOST_TEST((r.inputs[0].shape == std::vector<int64_t>{2, 4}));
}

BOOST_AUTO_TEST_CASE(kernels_inside_a_subgraph_name_their_parent) {
    wm::RunRequest request;
    request.model_path = (kMeasuredDir / "tests" / "data" / "if_model.onnx").string();
    request.inputs = {{"c", std::nullopt, {1}}};  // a bool scalar: the then-branch runs
    request.options.warmup = 1;
    request.options.runs = 3;
    request.options.profile_runs = 2;
    const wm::RunResult r = wm::measure(host_device(), request);
    std::map<std::string, std::string> parents;
    for (const wm::Kernel& k : r.kernels) parents[k.node] = k.parent.value_or("(top)");
    const std::map<std::string, std::string> expected{{"if_node", "(top)"}, {"then_relu", "if_node"}, {"mul", "(top)"}};
    BOOST_TEST((parents == expected));
    BOOST_TEST_REQUIRE(r.unobserved_nodes.size() == 1u);
    BOOST_TEST(r.unobserved_nodes[0].node == "else_neg");
    BOOST_TEST(r.unobserved_nodes[0].parent.value_or("") == "if_node");
}

BOOST_AUTO_TEST_SUITE_END()
