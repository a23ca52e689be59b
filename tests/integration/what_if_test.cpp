// The report's what-if alternatives and graph edges, through the binary. Expected sizes are
// worked out by hand from the shapes of conv_chain.onnx: W1 [8,3,3,3] (216 weights), W2 [4,8,3,3]
// (288 weights), fp32.
#define BOOST_TEST_MODULE what_if
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

using namespace winglet::test;
using Json = nlohmann::json;

namespace {

std::string cli(const std::string& args) { return winglet_cmd("-q " + args); }
std::string model(const std::string& name) { return test_model(name); }

// conv_chain on the single-core MCU: one op after another, so per-op latencies add up exactly.
Json conv_chain_what_if() {
    const CommandResult r =
        run_command(cli("compile " + model("conv_chain.onnx") + " -t stm32h743 --what-if --json --no-cache") + " 2>/dev/null");
    BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    return Json::parse(r.output);
}

const Json& alternative(const Json& doc, const std::string& id) {
    for (const Json& a : doc["what_if"]["alternatives"])
        if (a["id"] == id) return a;
    throw std::runtime_error("no alternative " + id);
}

}  // namespace

BOOST_AUTO_TEST_CASE(inputs_are_the_graph_edges) {
    const Json doc = conv_chain_what_if();
    BOOST_TEST(doc["schema_version"] == "1.4");
    BOOST_TEST(doc["ops"][0]["inputs"] == Json::array({"X"}));  // weights are not edges
    BOOST_TEST(doc["ops"][1]["inputs"] == Json::array({"H"}));
    BOOST_TEST(doc["ops"][2]["inputs"] == Json::array({"R"}));
}

BOOST_AUTO_TEST_CASE(the_standard_alternatives_cover_the_two_convolutions) {
    const Json doc = conv_chain_what_if();
    const Json& w = doc["what_if"];
    BOOST_TEST(w["ops"] == Json::array({0, 2}));  // the Relu has no weight
    std::vector<std::string> ids;
    for (const Json& a : w["alternatives"]) ids.push_back(a["id"]);
    BOOST_TEST(ids == (std::vector<std::string>{"none", "int8", "int4", "palettize4", "palettize6", "prune2_4", "prune50"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(none_is_the_uncompressed_compile) {
    const Json doc = conv_chain_what_if();
    const Json& none = alternative(doc, "none");
    BOOST_TEST(none["weight_bytes"] == Json::array({216 * 4, 288 * 4}));
    BOOST_TEST(none["sqnr_db"] == Json::array({nullptr, nullptr}));  // exact
    BOOST_TEST(none["latency_us"][0].get<double>() == doc["ops"][0]["latency_us"].get<double>());
    BOOST_TEST(none["latency_us"][1].get<double>() == doc["ops"][2]["latency_us"].get<double>());
    BOOST_TEST(none["totals"]["latency_ms"].get<double>() == doc["totals"]["latency_ms"].get<double>());
}

BOOST_AUTO_TEST_CASE(stored_sizes_match_hand_counts) {
    const Json doc = conv_chain_what_if();
    // int8 per output channel: one byte a weight + one fp32 scale per channel (symmetric: no zero point).
    BOOST_TEST(alternative(doc, "int8")["weight_bytes"] == Json::array({216 + 8 * 4, 288 + 4 * 4}));
    // int4 in blocks of 32 along the input-channel axis (ONNX blocked quantization): W1 has 3 input
    // channels, so one block and one scale per (out, kh, kw): 216 * 4 bits + 72 * 32 bits.
    BOOST_TEST(alternative(doc, "int4")["weight_bytes"] == Json::array({(216 * 4 + 72 * 32) / 8, (288 * 4 + 36 * 32) / 8}));
    // Palettes: an index per weight + 2^bits fp32 entries.
    BOOST_TEST(alternative(doc, "palettize4")["weight_bytes"] == Json::array({(216 * 4 + 16 * 32) / 8, (288 * 4 + 16 * 32) / 8}));
    BOOST_TEST(alternative(doc, "palettize6")["weight_bytes"] == Json::array({(216 * 6 + 64 * 32) / 8, (288 * 6 + 64 * 32) / 8}));
    // Half the weights kept as fp32 + a one-bit mask per weight.
    BOOST_TEST(alternative(doc, "prune50")["weight_bytes"] == Json::array({(108 * 32 + 216) / 8, (144 * 32 + 288) / 8}));
    for (const char* id : {"int8", "int4", "palettize4", "palettize6", "prune2_4", "prune50"})
        for (const Json& sqnr : alternative(doc, id)["sqnr_db"]) BOOST_TEST((sqnr.is_number() && sqnr.get<double>() > 0), id);
}

BOOST_AUTO_TEST_CASE(weight_only_alternatives_add_up_op_by_op) {
    // On a one-core timeline an alternative that touches only the convolutions changes the model
    // latency by exactly the sum of their changes: the what-if panel's arithmetic.
    const Json doc = conv_chain_what_if();
    const double base = doc["totals"]["latency_ms"];
    for (const char* id : {"int4", "palettize4", "palettize6", "prune2_4", "prune50"}) {
        const Json& alt = alternative(doc, id);
        double delta_us = 0;
        for (size_t k = 0; k < 2; ++k) {
            const size_t op = doc["what_if"]["ops"][k];
            delta_us += alt["latency_us"][k].get<double>() - doc["ops"][op]["latency_us"].get<double>();
        }
        BOOST_TEST(alt["totals"]["latency_ms"].get<double>() == base + delta_us / 1000, boost::test_tools::tolerance(1e-12));
    }
    // int8 activations also speed up the Relu between them, which no per-op column holds: the
    // whole-model total is then the one to show.
    BOOST_TEST(alternative(doc, "int8")["totals"]["latency_ms"].get<double>() < base);
}
