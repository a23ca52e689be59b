// The client against fake runners (fake_runner.sh): known timings come back exactly; a runner that
// crashes, hangs, prints garbage, speaks another protocol or prints impossible numbers gives a
// RunnerError that says so, with its stderr, and no result.
#define BOOST_TEST_MODULE measured_runner_client
#include <boost/test/unit_test.hpp>

#include "runner_client.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <initializer_list>

namespace wm = winglet::measured;
using namespace measured_test;

namespace {

wm::RunRequest small_request() {
    wm::RunRequest request;
    request.model_path = kExampleModel.string();
    request.inputs = {{"input", std::vector<int64_t>{1, 3, 8, 8}, {}}, {"sr", std::nullopt, {16000}}};
    request.options.threads = 2;
    request.options.graph_optimization = wm::GraphOptimization::basic;
    request.options.warmup = 1;
    request.options.runs = 3;
    request.options.profile_runs = 2;
    return request;
}

// A fake runner in `mode` must fail with `kind` and a message holding every one of `parts`.
void expect_failure(const std::string& mode, wm::FailureKind kind, std::initializer_list<const char*> parts,
                    double timeout_s = 10) {
    try {
        wm::measure(fake_runner(mode, timeout_s), small_request());
        BOOST_FAIL("fake runner '" << mode << "' produced a result");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST_MESSAGE(mode << ": " << e.what());
        BOOST_TEST((e.kind() == kind), mode);
        for (const char* part : parts)
            BOOST_TEST(std::string(e.what()).find(part) != std::string::npos, mode << ": no '" << part << "'");
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(known_timings_come_back_exactly) {
    TempDir tmp;
    const fs::path request_file = tmp.path() / "request.json";
    setenv("FAKE_REQUEST_OUT", request_file.c_str(), 1);
    std::vector<wm::Progress> progress;
    wm::MeasureOptions options;
    options.on_progress = [&](const wm::Progress& p) { progress.push_back(p); };
    const wm::RunResult r = wm::measure(fake_runner("ok"), small_request(), options);
    unsetenv("FAKE_REQUEST_OUT");

    BOOST_TEST(r.runtime.name == "fake-runtime");
    BOOST_TEST(r.runtime.version == "9.8.7");
    BOOST_TEST(r.device.cpu_model == "Fake CPU @ 1 GHz");
    BOOST_TEST(r.device.logical_cpus == 8);
    BOOST_TEST(r.device.governor.value_or("") == "performance");
    BOOST_TEST(r.options.runs == 3);
    BOOST_TEST((r.options.graph_optimization == wm::GraphOptimization::basic));
    BOOST_TEST(r.latency_ms.n == 3);
    BOOST_TEST(r.latency_ms.min == 2.25);
    BOOST_TEST(r.latency_ms.median == 2.5);
    BOOST_TEST(r.latency_ms.p90 == 2.9);
    BOOST_TEST(r.latency_ms.max == 3.0);
    BOOST_TEST(r.latency_ms.stdev == 0.3818813079129867);
    BOOST_TEST_REQUIRE(r.kernels.size() == 2u);
    BOOST_TEST(r.kernels[0].node == "conv_relu");
    BOOST_TEST(r.kernels[0].op_type == "FusedConv");
    BOOST_TEST(r.kernels[0].domain == "com.microsoft");
    BOOST_TEST((r.kernels[0].inputs == std::vector<std::string>{"input", "w", "b"}));
    BOOST_TEST((r.kernels[0].outputs == std::vector<std::string>{"relu_out"}));
    BOOST_TEST(!r.kernels[0].parent.has_value());
    BOOST_TEST(r.kernels[0].median_us == 1500);
    BOOST_TEST(r.kernels[1].median_us == 250.5);
    BOOST_TEST(r.kernels[1].start_us == 1530.5);
    BOOST_TEST(r.kernels[1].matched_by == "order");
    BOOST_TEST_REQUIRE(r.unobserved_nodes.size() == 1u);
    BOOST_TEST(r.unobserved_nodes[0].parent.value_or("") == "if_node");
    BOOST_TEST(r.peak_rss_bytes == 123456789u);
    BOOST_TEST_REQUIRE(r.energy.has_value());
    BOOST_TEST(r.energy->joules_per_inference == 0.25);
    BOOST_TEST(r.energy->source == "rapl");

    // Progress lines are forwarded, other stderr lines are not.
    BOOST_TEST_REQUIRE(progress.size() == 2u);
    BOOST_TEST(progress[0].phase == "load");
    BOOST_TEST(progress[1].done == 3);
    BOOST_TEST(progress[1].total == 3);

    // The request the runner read: the model's absolute path, the inputs, the options and a
    // deadline hint within the device's time limit.
    const auto sent = nlohmann::json::parse(read_text(request_file));
    BOOST_TEST(sent["protocol"] == 1);
    BOOST_TEST(sent["model"] == kExampleModel.lexically_normal().string());
    BOOST_TEST(sent["inputs"][0]["shape"] == nlohmann::json::parse("[1,3,8,8]"));
    BOOST_TEST(sent["inputs"][1]["values"] == nlohmann::json::parse("[16000.0]"));
    BOOST_TEST(!sent["inputs"][1].contains("shape"));
    BOOST_TEST(sent["graph_optimization"] == "basic");
    BOOST_TEST(sent["threads"] == 2);
    BOOST_TEST(sent["deadline_s"].get<double>() > 0);
    BOOST_TEST(sent["deadline_s"].get<double>() <= 10);
}

BOOST_AUTO_TEST_CASE(a_runner_that_does_not_read_its_stdin_cannot_hurt_the_host) {
    wm::RunRequest request = small_request();
    request.inputs[1].values.assign(200000, 1.0);  // more than a socket buffer holds
    const wm::RunResult r = wm::measure(fake_runner("no-read"), request);
    BOOST_TEST(r.latency_ms.median == 2.5);
}

BOOST_AUTO_TEST_CASE(a_crash_reports_exit_code_and_stderr) {
    expect_failure("crash", wm::FailureKind::exit, {"device 'test-device'", "exit code 3", "cannot allocate the arena"});
}

BOOST_AUTO_TEST_CASE(a_runner_killed_by_a_signal_says_which) {
    expect_failure("killed", wm::FailureKind::exit, {"signal 9", "about to be killed"});
}

BOOST_AUTO_TEST_CASE(a_hanging_runner_is_killed_at_the_timeout) {
    const auto started = std::chrono::steady_clock::now();
    expect_failure("hang", wm::FailureKind::timeout, {"timed out after 1 s", "fake runner: hanging"}, 1.0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    BOOST_TEST_MESSAGE("returned after " << seconds << " s");
    BOOST_TEST(seconds < 4.0);  // 1 s limit + SIGTERM; sleep dies at once
}

BOOST_AUTO_TEST_CASE(garbage_output_is_shown) {
    expect_failure("garbage", wm::FailureKind::output, {"not JSON", "Segmentation fault? no"});
}

BOOST_AUTO_TEST_CASE(another_protocol_version_is_refused) {
    expect_failure("protocol2", wm::FailureKind::output, {"runner speaks protocol 2, this client speaks 1"});
}

BOOST_AUTO_TEST_CASE(impossible_numbers_are_refused) {
    expect_failure("negative", wm::FailureKind::output, {"latency_ms.median must not be negative"});
    expect_failure("nan", wm::FailureKind::output, {"not JSON"});  // NaN is not JSON at all
    // nlohmann/json refuses to read infinity
    expect_failure("overflow", wm::FailureKind::output, {"number overflow parsing '1e999'"});
    expect_failure("unordered", wm::FailureKind::output, {"kernels[0] has median_us 9000 above max_us 1600"});
}

BOOST_AUTO_TEST_CASE(the_runners_own_error_is_passed_on) {
    expect_failure("error", wm::FailureKind::reported, {"model file not found: /nowhere.onnx", "exit code 2"});
}

BOOST_AUTO_TEST_CASE(a_missing_runner_program_is_a_launch_error) {
    try {
        wm::measure(device_running({"/nonexistent/winglet-runner"}), small_request());
        BOOST_FAIL("no error");
    } catch (const wm::RunnerError& e) {
        BOOST_TEST((e.kind() == wm::FailureKind::launch));
        const std::string message = e.what();
        BOOST_TEST(message.find("cannot run '/nonexistent/winglet-runner': No such file or directory") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(progress_lines_are_parsed_strictly) {
    const auto p = wm::parse_progress_line("progress profile 3/10");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->phase == "profile");
    BOOST_TEST(p->done == 3);
    BOOST_TEST(p->total == 10);
    BOOST_TEST(!wm::parse_progress_line("progress run 3/").has_value());
    BOOST_TEST(!wm::parse_progress_line("progress run 3/4 extra").has_value());
    BOOST_TEST(!wm::parse_progress_line("warning: progress run 3/4").has_value());
    BOOST_TEST(!wm::parse_progress_line("progress run x/4").has_value());
}
