// compile_model end to end with the hand-checkable C target (tests/abi/fixtures/c_target.c):
// per-op results, totals, the JSON and trace exports, plan validation and target refusals.
#define BOOST_TEST_MODULE compile
#include <boost/test/unit_test.hpp>

#include "analysis/analyzer.hpp"
#include "compile/compile.hpp"
#include "core/errors.hpp"
#include "plugins/import.hpp"
#include "report/export.hpp"
#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

namespace fs = std::filesystem;
using namespace winglet;
using winglet::test::env_or_throw;

namespace {

fs::path fixtures() { return env_or_throw("WINGLET_TARGET_FIXTURE_DIR"); }
fs::path model(const std::string& name) { return fs::path(env_or_throw("WINGLET_TEST_MODELS")) / name; }

struct Compiled {
    PluginRegistry registry;
    Model model;
    Report report;
    Compiled(const std::string& file, const std::string& device, CompileOptions options = {}) {
        registry.load_directories({fixtures(), env_or_throw("WINGLET_PLUGIN_DIR")});
        model = import_model(registry, ::model(file));
        report = analyze(model);
        attach_plan(report, compile_model(registry, model, report, device, options));
    }
    nlohmann::json exported(const std::string& format) const {
        std::ostringstream out;
        export_report(registry, report, format, out);
        return nlohmann::json::parse(out.str());
    }
};

std::string compile_error(const std::string& fail) {
    CompileOptions options;
    options.target_options["fail"] = fail;
    try {
        Compiled c("gemm.onnx", "test-npu", options);
    } catch (const PluginError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

BOOST_AUTO_TEST_CASE(gemm_costs_by_hand) {
    const Compiled c("gemm.onnx", "test-npu");
    BOOST_TEST_REQUIRE(c.report.ops.size() == 1u);
    const OpPlan& op = *c.report.ops[0].compiled;
    // Gemm 4x64 * 64x32: 8192 MACs -> 8.192 us, 8.192 uJ.
    BOOST_TEST(c.report.ops[0].macs == 8192u);
    BOOST_TEST(op.unit == "pe");
    BOOST_TEST(op.latency_us == 8.192, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(op.energy_uj == 8.192, boost::test_tools::tolerance(1e-9));
    BOOST_TEST((op.bound == Bound::Compute));
    BOOST_TEST(c.report.plan->latency_ms == 0.008192, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(c.report.plan->fits);
    BOOST_TEST_REQUIRE(c.report.plan->units.size() == 1u);
    BOOST_TEST(c.report.plan->units[0].name == "pe");
}

BOOST_AUTO_TEST_CASE(json_and_trace_exports_carry_the_plan) {
    const Compiled c("conv_groups.onnx", "test-mcu");
    const auto doc = c.exported("json");
    BOOST_TEST(doc["schema_version"] == "1.4");
    BOOST_TEST(doc["ops"][0]["unit"] == "pe");
    BOOST_TEST(doc["ops"][0]["latency_us"].get<double>() == 73.728, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(doc["ops"][0]["bound"] == "compute");
    BOOST_TEST(doc["totals"]["fits"] == false);
    BOOST_TEST(doc["plan"]["device"]["id"] == "test-mcu");
    BOOST_TEST(doc["plan"]["fit_detail"].get<std::string>().find("device has 1024") != std::string::npos);

    const auto trace = c.exported("trace");
    BOOST_TEST(trace["displayTimeUnit"] == "ns");
    const auto& events = trace["traceEvents"];
    BOOST_TEST_REQUIRE(events.size() == 3u);  // process name, one unit track, one op
    BOOST_TEST(events[0]["args"]["name"] == "Test MCU");
    BOOST_TEST(events[1]["args"]["name"] == "pe");
    BOOST_TEST(events[2]["ph"] == "X");
    BOOST_TEST(events[2]["dur"].get<double>() == 73.728, boost::test_tools::tolerance(1e-9));
    BOOST_TEST(events[2]["args"]["macs"] == 73728);
}

BOOST_AUTO_TEST_CASE(inspect_report_has_no_plan_fields_and_no_trace) {
    PluginRegistry registry;
    registry.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")});
    const Report report = analyze(import_model(registry, model("gemm.onnx")));
    std::ostringstream out;
    export_report(registry, report, "json", out);
    const auto doc = nlohmann::json::parse(out.str());
    BOOST_TEST(!doc.contains("plan"));
    BOOST_TEST(!doc["ops"][0].contains("unit"));
    std::ostringstream trace;
    BOOST_CHECK_EXCEPTION(export_report(registry, report, "trace", trace), PluginError, [](const PluginError& e) {
        return std::string(e.what()).find("needs a compiled plan") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(subgraph_ops_are_compiled_too) {
    const Compiled c("if_subgraph.onnx", "test-npu");
    BOOST_TEST(c.report.ops.size() == 3u);
    for (const OpReport& op : c.report.ops) BOOST_TEST(op.compiled.has_value());
}

BOOST_AUTO_TEST_CASE(invalid_plans_are_plugin_errors) {
    BOOST_TEST(compile_error("unit").find("unknown unit 'gpu'") != std::string::npos);
    BOOST_TEST(compile_error("index").find("out of range") != std::string::npos);
    BOOST_TEST(compile_error("partial").find("left 1 ops without a result") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_device_is_a_usage_error) {
    BOOST_CHECK_EXCEPTION(Compiled("gemm.onnx", "no-such-device"), UsageError, [](const UsageError& e) {
        return std::string(e.what()).find("test-npu") != std::string::npos;
    });
}

BOOST_AUTO_TEST_CASE(registry_refuses_bad_targets_and_notes_duplicate_devices) {
    PluginRegistry registry;
    registry.load_directories({fixtures()});
    const fs::path extra = fixtures() / "extra";
    const PluginRecord& null_compile = registry.load_file(extra / "target_null_compile.so");
    BOOST_TEST(!null_compile.accepted);
    BOOST_TEST(null_compile.refusal == "NULL slot 'compile' in the target table");
    const PluginRecord& old = registry.load_file(extra / "target_abi_1_0.so");
    BOOST_TEST(!old.accepted);
    BOOST_TEST(old.refusal == "target plugins need ABI 1.1 or later, this one was built for 1.0");
    BOOST_TEST(registry.load_file(extra / "twin_target.so").accepted);
    BOOST_TEST(registry.devices().size() == 2u);
    BOOST_TEST(registry.device_notes().size() == 2u);
    BOOST_TEST(registry.device("test-npu")->plugin == registry.target_for("test-mcu"));
}

BOOST_AUTO_TEST_CASE(on_one_unit_the_critical_path_is_every_executed_op_and_its_latencies_add_up) {
    // MobileNetV2 on the A17 Pro runs everything on the GPU (the NPU has no fp32), one kernel after
    // another: the path must hold every op that takes time, and their latencies must add up to
    // the model latency the target reported.
    PluginRegistry registry;
    registry.load_directories({env_or_throw("WINGLET_PLUGIN_DIR")});
    const Model m = import_model(registry, env_or_throw("WINGLET_SOURCE_DIR") + "/examples/mobilenet_v2.onnx");
    Report report = analyze(m);
    attach_plan(report, compile_model(registry, m, report, "apple-a17-pro"));
    double on_path_us = 0;
    size_t timed = 0, critical = 0;
    for (const OpReport& op : report.ops) {
        const OpPlan& p = *op.compiled;
        if (p.latency_us > 0) {
            ++timed;
            BOOST_TEST(p.critical, op.name);
        }
        if (p.critical) {
            ++critical;
            on_path_us += p.latency_us * op.multiplier;
        }
    }
    BOOST_TEST(timed > 100u);
    BOOST_TEST(report.plan->critical_path_ops == critical);
    BOOST_TEST(on_path_us / 1000 == report.plan->latency_ms, boost::test_tools::tolerance(1e-9));
    // The memory plan: the GPU holds every activation; its arena can be no smaller than what is
    // live at once, and reuse must beat a buffer per tensor by far on a 52-layer chain.
    const UnitMemory* gpu = nullptr;
    for (const UnitMemory& u : report.plan->unit_memory)
        if (u.unit == "gpu") gpu = &u;
    BOOST_TEST_REQUIRE(gpu);
    BOOST_TEST(gpu->arena_bytes >= gpu->peak_live_bytes);
    BOOST_TEST(gpu->arena_bytes * 4 < gpu->no_reuse_bytes);
    // The first conv's output (1x32x112x112 fp32 = 1,605,632 B) is among the buffers.
    BOOST_TEST(gpu->peak_live_bytes >= 1605632u);
}
