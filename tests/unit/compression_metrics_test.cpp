// The engine's own measurements of compressed weights, against hand calculations, and the recipe
// parser's reading of values.
#define BOOST_TEST_MODULE compression_metrics
#include <boost/test/unit_test.hpp>

#include "compression/compressed_report.hpp"
#include "compression/error_metrics.hpp"
#include "compression/recipe.hpp"
#include "core/errors.hpp"

#include <cmath>

using namespace winglet;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(error_metrics_by_hand) {
    // x = (3, 4), y = (3, 3): signal 25, noise 1 -> SQNR 10 log10 25 = 13.9794 dB; relative L2
    // 1/5; cosine (9 + 12) / (5 * sqrt 18) = 0.989949; max |err| 1; MSE 1/2.
    const float x[] = {3, 4}, y[] = {3, 3};
    const ErrorMetrics m = measure_error(x, y, 2);
    BOOST_TEST(m.sqnr_db == 13.979400086720377, tt::tolerance(1e-12));
    BOOST_TEST(m.rel_l2 == 0.2, tt::tolerance(1e-12));
    BOOST_TEST(m.cosine == 21.0 / (5.0 * std::sqrt(18.0)), tt::tolerance(1e-12));
    BOOST_TEST(m.max_abs == 1.0);
    BOOST_TEST(m.mse == 0.5);
}

BOOST_AUTO_TEST_CASE(exact_and_degenerate_tensors) {
    const float x[] = {1, -2, 0.5f};
    const ErrorMetrics exact = measure_error(x, x, 3);
    BOOST_TEST(std::isinf(exact.sqnr_db));
    BOOST_TEST(exact.sqnr_db > 0);
    BOOST_TEST(exact.rel_l2 == 0.0);
    BOOST_TEST(exact.cosine == 1.0, tt::tolerance(1e-15));
    const float zeros[] = {0, 0, 0};
    BOOST_TEST(measure_error(zeros, zeros, 3).cosine == 1.0);
    BOOST_TEST(measure_error(x, zeros, 3).cosine == 0.0);  // everything pruned away
    BOOST_TEST(measure_error(x, zeros, 3).rel_l2 == 1.0, tt::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(kept_channels_are_counted_along_the_axis) {
    // dims [3, 2], channels on axis 0 are rows: row 1 is all zero, so 2 of 3 are kept.
    const std::vector<float> w = {1, 2, 0, 0, 0, 3};
    BOOST_TEST(kept_channel_fraction(w, {3, 2}, 0) == 2.0 / 3.0, tt::tolerance(1e-15));
    // Columns on axis 1: column 0 holds 1, 0, 0; column 1 holds 2, 0, 3 -> both kept.
    BOOST_TEST(kept_channel_fraction(w, {3, 2}, 1) == 1.0);
}

BOOST_AUTO_TEST_CASE(recipe_values_reach_plugins_as_text) {
    const Recipe r = parse_recipe(R"(
exclude = ["first", "/a/*"]
[default]
technique = "quantize"
bits = 4
symmetric = false
ratio = 0.25
granularity = "per_block"
[[override]]
top_latency = 2
technique = "none"
)", "r.toml");
    BOOST_REQUIRE(r.default_entry);
    BOOST_TEST(r.default_entry->technique == "quantize");
    BOOST_TEST(r.default_entry->options.at("bits") == "4");
    BOOST_TEST(r.default_entry->options.at("symmetric") == "false");
    BOOST_TEST(r.default_entry->options.at("ratio") == "0.25");
    BOOST_TEST(r.default_entry->options.at("granularity") == "per_block");
    BOOST_TEST(r.default_entry->where == "r.toml:3");
    BOOST_REQUIRE(r.overrides.size() == 1u);
    BOOST_TEST(r.overrides[0].selector.count == 2);
    BOOST_TEST(r.overrides[0].selector.text() == "top_latency = 2");
    BOOST_TEST(r.exclude == (std::vector<std::string>{"first", "/a/*"}), tt::per_element());
    BOOST_TEST(r.content_hash.rfind("xxh3-128:", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(malformed_recipes_name_the_place) {
    auto message = [](const std::string& text) {
        try {
            parse_recipe(text, "bad.toml");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    BOOST_TEST(message("[default]\nbits = 8\n").find("bad.toml:1:1: [default] needs technique") == 0u);
    BOOST_TEST(message("speed = 3\n").find("unknown key 'speed'") != std::string::npos);
    BOOST_TEST(message("[[override]]\ntop_latency = 0\ntechnique = \"prune\"\n").find("top_latency must be an integer >= 1") !=
               std::string::npos);
    BOOST_TEST(message("[default]\ntechnique = \"none\"\nbits = 4\n").find("takes no options") != std::string::npos);
    BOOST_TEST(message("exclude = [1]\n[default]\ntechnique = \"quantize\"\n").find("exclude entries are strings") !=
               std::string::npos);
    BOOST_TEST(message("").find("neither [default] nor [[override]]") != std::string::npos);
    BOOST_TEST(message("[default\n").find("bad.toml:1:") == 0u);
}
