// Shapes computed at run time, through the CLI: --input and --input-value on the hand-built models
// of tests/data/make_test_models.py and on Silero VAD (../shared/models), with every expected
// number counted by hand from the shapes the operator definitions give.
#define BOOST_TEST_MODULE shape_arithmetic
#include <boost/test/unit_test.hpp>

#include "support/run_command.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>

using namespace winglet::test;
using Json = nlohmann::json;

namespace {

std::string cli(const std::string& args) { return winglet_cmd("-q " + args); }

Json inspect_json(const std::string& model, const std::string& flags) {
    const CommandResult r = run_command(cli("inspect " + model + " " + flags + " --json") + " 2>/dev/null");
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return Json::parse(r.output);
}

const Json& op_named(const Json& doc, const std::string& name) {
    for (const Json& op : doc["ops"])
        if (op["name"] == name) return op;
    BOOST_FAIL("no op " << name);
    return doc;
}

bool has_warning(const Json& doc, const std::string& text) {
    for (const Json& w : doc["warnings"])
        if (w.get<std::string>().find(text) != std::string::npos) return true;
    return false;
}

std::string shared_model(const std::string& name) { return quoted(env_or_throw("WINGLET_SHARED_MODELS") + "/" + name); }

}  // namespace

BOOST_AUTO_TEST_CASE(reshape_computed_by_shape_gather_concat) {
    // X [2,10,64] -> Reshape to [2, 10*8, 64/8] = [2,80,8] -> MatMul W[8,16]: 2*80*8*16 = 20480 MACs.
    const Json doc = inspect_json(test_model("computed_reshape.onnx"), "--input X=2x10x64");
    BOOST_TEST(op_named(doc, "reshape")["output_shapes"][0] == Json::parse("[2,80,8]"));
    BOOST_TEST(op_named(doc, "matmul")["macs"] == 20480);
    BOOST_TEST(doc["unknown_shapes"].empty());
    BOOST_TEST(doc["model"]["given_inputs"] == Json::parse(R"([{"name":"X","shape":[2,10,64],"values":null}])"));
}

BOOST_AUTO_TEST_CASE(if_on_a_computed_condition_counts_the_branch_that_runs) {
    // X [4,16]. sr = 16000: Equal(16000 / 1000, 16) -> then: 4*16*32 = 2048 MACs.
    const Json khz16 = inspect_json(test_model("computed_if.onnx"), "--input X=4x16 --input-value sr=16000");
    BOOST_TEST(khz16["totals"]["macs"] == 2048);
    BOOST_TEST(op_named(khz16, "then_matmul")["branch"] == "taken");
    BOOST_TEST(op_named(khz16, "else_matmul_a")["branch"] == "not taken");
    BOOST_TEST(op_named(khz16, "else_matmul_a")["multiplier"] == 0.0);
    BOOST_TEST(!has_warning(khz16, "costlier branch"));
    // sr = 8000 -> else: 4*16*64 + 4*64*32 = 4096 + 8192 = 12288 MACs.
    const Json khz8 = inspect_json(test_model("computed_if.onnx"), "--input X=4x16 --input-value sr=8000");
    BOOST_TEST(khz8["totals"]["macs"] == 12288);
    BOOST_TEST(op_named(khz8, "else_matmul_b")["branch"] == "taken");
    // Not given: the costlier branch (else) is counted, and the report says why.
    const Json unknown = inspect_json(test_model("computed_if.onnx"), "--input X=4x16");
    BOOST_TEST(unknown["totals"]["macs"] == 12288);
    BOOST_TEST(op_named(unknown, "else_matmul_b")["branch"] == "counted");
    BOOST_TEST(op_named(unknown, "then_matmul")["branch"] == "not counted");
    BOOST_TEST(has_warning(unknown, "op 'if_16k' (If): its condition is not known from the inputs, so the totals count "
                                    "the costlier branch 'else_branch'"));
}

BOOST_AUTO_TEST_CASE(loop_with_a_computed_trip_count) {
    // M = 2 + 3 = 5 iterations of MatMul [1,16] x [16,16]: 5 * 256 = 1280 MACs; scan output [5,1,16].
    const Json doc = inspect_json(test_model("loop_computed_trips.onnx"), "");
    BOOST_TEST(op_named(doc, "body_matmul")["multiplier"] == 5.0);
    BOOST_TEST(doc["totals"]["macs"] == 1280);
    BOOST_TEST(op_named(doc, "loop")["output_shapes"][1] == Json::parse("[5,1,16]"));
}

BOOST_AUTO_TEST_CASE(an_input_stored_with_dim_0) {
    // X stored as [0,3,32,32]: a dynamic dim, not an empty tensor. Given 1x3x32x32, the Conv
    // (8 filters of 3x3x3, pad 1) costs 8*32*32 * 27 = 221184 MACs.
    const Json given = inspect_json(test_model("zero_dim_input.onnx"), "--input X=1x3x32x32");
    BOOST_TEST(op_named(given, "conv")["output_shapes"][0] == Json::parse("[1,8,32,32]"));
    BOOST_TEST(given["totals"]["macs"] == 221184);
    BOOST_TEST(given["unknown_shapes"].empty());
    // Not given: the 0 is taken as unknown (never as an empty tensor), and the report says what to do.
    const Json stored = inspect_json(test_model("zero_dim_input.onnx"), "");
    BOOST_TEST(has_warning(stored, "the model stores size 0 for input 'X' dim 0"));
    BOOST_TEST(stored["totals"]["macs"] == 221184);   // the unknown dim taken as 1, and flagged
    BOOST_TEST(op_named(stored, "conv")["assumed_dims"] == true);
    BOOST_TEST(stored["shape_suggestions"] ==
               Json::parse(R"(["--input X=DIMS: its shape [?,3,32,32] is not fully known"])"));
}

BOOST_AUTO_TEST_CASE(hostile_shape_arithmetic_is_never_allocated) {
    // Range(0, 2^40): shaped, not evaluated, a warning says so; the import takes no memory.
    const Json range = inspect_json(test_model("hostile_range.onnx"), "");
    BOOST_TEST(op_named(range, "range")["output_shapes"][0] == Json::parse("[1099511627776]"));
    BOOST_TEST(has_warning(range, "were not evaluated: integer tensors of more than 4096 elements"));
    // ConstantOfShape of 2^62 float32 elements: 2^64 bytes, refused as bad input naming the op.
    const CommandResult fill = run_command(cli("inspect " + test_model("hostile_fill.onnx")));
    BOOST_TEST(fill.exit_code == 2);
    BOOST_TEST(fill.output.find("op 'fill' (ConstantOfShape): size of 'f' overflows 64 bits") != std::string::npos,
               fill.output);
}

BOOST_AUTO_TEST_CASE(bad_input_options_are_usage_errors) {
    const std::string m = test_model("computed_if.onnx");
    const struct {
        std::string flags, message;
    } cases[] = {
        {"--input X=4xa", "--input X: '4xa' is not a shape like 1x3x224x224"},
        {"--input nope=1", "--input nope: the model has no input named 'nope' (inputs: X, sr)"},
        {"--input X=4x16 --input X=2x16", "--input X is given twice"},
        {"--input-value sr=16k", "--input-value sr: '16k' is not an integer (the input is int64)"},
        {"--input-value sr=1,2", "--input-value sr: 2 value(s) for an input of shape []"},
        {"--input-value sr", "--input-value expects NAME=VALUE"},
    };
    for (const auto& c : cases) {
        const CommandResult r = run_command(cli("inspect " + m + " " + c.flags));
        BOOST_TEST(r.exit_code == 1, c.flags << ": " << r.output);
        BOOST_TEST(r.output.find(c.message) != std::string::npos, c.flags << ": " << r.output);
    }
}

BOOST_AUTO_TEST_CASE(given_inputs_are_part_of_the_compile_cache_key) {
    // The same model and device with sr = 16000 and 8000 must not share a cached plan: their
    // latencies differ because different branches run.
    const std::string cache = (std::filesystem::temp_directory_path() / "winglet_shape_arith_cache.db").string();
    std::filesystem::remove(cache);
    auto latency = [&](const std::string& sr) {
        const CommandResult r = run_command(cli("compile " + test_model("computed_if.onnx") + " -t stm32h743 --input X=4x16 "
                                                "--input-value sr=" + sr + " --cache " + quoted(cache) + " --json") +
                                            " 2>/dev/null");
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
        return Json::parse(r.output)["totals"]["latency_ms"].get<double>();
    };
    const double first16 = latency("16000"), first8 = latency("8000");
    BOOST_TEST(first16 < first8);
    BOOST_TEST(latency("16000") == first16);   // replayed or from the cache: the same numbers
    BOOST_TEST(latency("8000") == first8);
    std::filesystem::remove(cache);
}

BOOST_AUTO_TEST_CASE(silero_vad_macs_by_hand) {
    // Silero VAD 16 kHz on a [1,512] chunk: the STFT pads 64 samples (reflect) -> 576; Conv k256
    // s128 -> 3 frames of 258 channels: 258*3*256 = 198144. Encoder (k3): 128*3*129*3 = 148608,
    // 64*2*128*3 = 49152, 64*1*64*3 = 12288, 128*1*64*3 = 24576; decoder Conv 1x128: 128.
    // Conv total 432896. LSTM (hidden 128, input 128, one step): 4*128*(128+128) = 131072.
    const Json doc = inspect_json(shared_model("silero_vad_16k_op15.onnx"),
                                  "--input input=1x512 --input state=2x1x128 --input-value sr=16000");
    uint64_t conv = 0, lstm = 0;
    for (const Json& op : doc["ops"]) {
        const uint64_t macs = op["macs"].is_null() ? 0 : op["macs"].get<uint64_t>();
        const auto counted = static_cast<uint64_t>(op["multiplier"].get<double>());
        if (op["op_type"] == "Conv") conv += macs * counted;
        if (op["op_type"] == "LSTM") lstm += macs * counted;
    }
    BOOST_TEST(conv == 432896u);
    BOOST_TEST(lstm == 131072u);
    BOOST_TEST(doc["totals"]["macs"] == 432896 + 131072);
    BOOST_TEST(doc["unknown_shapes"].empty());
    // Every If condition evaluates: no branch is counted by the worst-case rule.
    for (const Json& op : doc["ops"])
        if (op.contains("branch")) BOOST_TEST((op["branch"] == "taken" || op["branch"] == "not taken"), op["name"]);
}
