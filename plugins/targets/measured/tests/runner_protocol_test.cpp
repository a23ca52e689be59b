// The protocol's JSON on its own: the request carries what winglet's options give, a minimal
// response (nothing optional measured) parses, and a missing or mistyped field is named.
#define BOOST_TEST_MODULE measured_runner_protocol
#include <boost/test/unit_test.hpp>

#include "runner_protocol.hpp"
#include "test_support.hpp"

#include <nlohmann/json.hpp>

namespace wm = winglet::measured;
using nlohmann::json;

namespace {

json known() { return json::parse(measured_test::read_text(measured_test::kTestsDir / "data" / "known_response.json")); }

std::string error_for(const json& response) {
    try {
        wm::parse_response(response.dump());
    } catch (const wm::RunnerError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(request_carries_inputs_options_and_deadline) {
    wm::RunRequest request;
    request.model_path = "/models/m.onnx";
    request.inputs = {{"input", std::vector<int64_t>{1, 512}, {}},
                      {"sr", std::nullopt, {16000}},
                      {"s", std::vector<int64_t>{}, {}}};
    request.options.graph_optimization = wm::GraphOptimization::disabled;
    request.deadline_s = 30;
    const json j = json::parse(wm::request_json(request));
    BOOST_TEST(j["protocol"] == 1);
    BOOST_TEST(j["model"] == "/models/m.onnx");
    BOOST_TEST(j["inputs"][0] == json::parse(R"({"name":"input","shape":[1,512]})"));
    BOOST_TEST(j["inputs"][1] == json::parse(R"({"name":"sr","values":[16000.0]})"));
    BOOST_TEST(j["inputs"][2] == json::parse(R"({"name":"s","shape":[]})"));  // a scalar
    BOOST_TEST(j["graph_optimization"] == "disabled");
    BOOST_TEST(j["threads"] == 1);
    BOOST_TEST(j["warmup"] == 3);
    BOOST_TEST(j["runs"] == 20);
    BOOST_TEST(j["profile_runs"] == 10);
    BOOST_TEST(j["deadline_s"] == 30.0);
    request.deadline_s.reset();
    BOOST_TEST(!json::parse(wm::request_json(request)).contains("deadline_s"));
}

BOOST_AUTO_TEST_CASE(levels_round_trip) {
    for (const char* name : {"disabled", "basic", "extended", "all"})
        BOOST_TEST(wm::to_string(*wm::graph_optimization_from_string(name)) == name);
    BOOST_TEST(!wm::graph_optimization_from_string("max").has_value());
}

BOOST_AUTO_TEST_CASE(nothing_optional_measured) {
    json r = known();
    r["energy"] = nullptr;
    r["device"]["governor"] = nullptr;
    r.erase("runner_ms");
    r["options"]["profile_runs"] = 0;
    r["kernels"] = json::array();
    const wm::RunResult result = wm::parse_response(r.dump());
    BOOST_TEST(!result.energy.has_value());
    BOOST_TEST(!result.device.governor.has_value());
    BOOST_TEST(result.kernels.empty());
}

BOOST_AUTO_TEST_CASE(missing_and_mistyped_fields_are_named) {
    json r = known();
    r["latency_ms"].erase("p90");
    BOOST_TEST(error_for(r) == "runner response: latency_ms.p90 is missing");
    r = known();
    r["kernels"][1]["outputs"] = "output";
    BOOST_TEST(error_for(r) == "runner response: kernels[1].outputs must be an array");
    r = known();
    r.erase("energy");
    BOOST_TEST(error_for(r) == "runner response: energy is missing (null when not measured)");
    r = known();
    r["latency_ms"]["n"] = 4;
    BOOST_TEST(error_for(r) == "runner response: latency_ms.n is 4 but options.runs is 3");
    r = known();
    r["kernels"][0]["n"] = 3;
    BOOST_TEST(error_for(r) == "runner response: kernels[0].n is 3, more than the 2 profiled runs");
    r = known();
    r["peak_rss_bytes"] = -1;
    BOOST_TEST(error_for(r) == "runner response: peak_rss_bytes must be at least 0 (got -1)");
    r = known();
    r["latency_ms"]["min"] = 2.75;
    BOOST_TEST(error_for(r) == "runner response: latency_ms has min 2.75 above median 2.5");
    BOOST_TEST(error_for(json::parse("[1]")) == "runner output is JSON but not an object");
    BOOST_TEST(error_for(json::parse("{\"n\":1}")) == "runner output has no integer \"protocol\" field");
}
