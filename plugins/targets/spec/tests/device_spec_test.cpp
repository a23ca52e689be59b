// Tests for the device spec layer: shipped specs load, values round-trip, and bad specs fail
// with messages that name the file, the key and the problem (never a crash).
#define BOOST_TEST_MODULE device_spec
#include <boost/test/unit_test.hpp>

#include "device_spec.hpp"

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace ds = winglet::device_spec;
namespace fs = std::filesystem;

namespace {

const fs::path kDevices = WINGLET_SPEC_DEVICES_DIR;

// A small valid spec; bad-spec tests each break one thing in it.
const std::string kSmall = R"(format = 1
[device]
id = "tiny"
name = "Tiny"
vendor = "Test"

[memory]
ram_bytes = { value = 1048576, source = "s" }
ram_bandwidth = { value = 2e9, source = "s" }
energy_pj_per_byte = { sram = { value = 1.5, source = "s", derived = "by hand" } }

[[unit]]
name = "npu"
kind = "npu"
bandwidth = { value = 4e9, source = "s" }
dispatch_us = { value = 10, source = "s" }
static_power_w = { value = 0.25, source = "s" }
ops = ["Conv", "Relu"]
sparsity_2_4 = true
decode_ops_per_element = { lut = { value = 3, source = "s" } }
peak_ops = { int8 = { value = 1e12, source = "s" } }
energy_pj_per_mac = { int8 = { value = 0.5, source = "s" } }
constraints = { Conv = { kernel_max = 5, dynamic_shapes = false, source = "s" } }
efficiency = { default = { value = 0.5, source = "s" }, conv = { min = 0.2, max = 0.8, half_at_macs = 1e6, source = "s" } }

[[unit]]
name = "cpu"
kind = "cpu"
bandwidth = { value = 2e9, source = "s" }
dispatch_us = { value = 0, source = "s" }
static_power_w = { value = 0.1, source = "s" }
ops = ["*"]
sparsity_unstructured = true
peak_ops = { fp32 = { value = 2e9, source = "s" } }
energy_pj_per_mac = { fp32 = { value = 5, source = "s" } }
efficiency = { default = { value = 0.7, source = "s" } }

[placement]
preference = ["npu", "cpu"]

[[fusion]]
unit = "npu"
pattern = ["Conv", "Relu"]

[transition]
fixed_us = { value = 5, source = "s" }
bandwidth = { value = 1e9, source = "s" }

[[source]]
key = "s"
title = "Test source"
url = "https://example.com/s"
says = "Numbers for the test."
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto pos = text.find(from);
    BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "test bug: '" << from << "' not in spec");
    return text.replace(pos, from.size(), to);
}

// Parses `text` as "devices/bad.toml", expects failure, and returns the whole message.
std::string error_of(const std::string& text) {
    try {
        ds::parse_device_spec(text, "devices/bad.toml");
    } catch (const ds::SpecError& e) {
        return e.what();
    }
    BOOST_FAIL("spec was accepted");
    return {};
}

#define CHECK_HAS(haystack, needle) \
    BOOST_CHECK_MESSAGE((haystack).find(needle) != std::string::npos, "'" << (needle) << "' not in:\n" << (haystack))

}  // namespace

BOOST_AUTO_TEST_CASE(shipped_specs_load_and_validate) {
    auto files = ds::find_device_specs({kDevices, kDevices / "no-such-dir"});
    BOOST_TEST(files.size() >= 5u);
    std::set<std::string> ids;
    for (const auto& f : files) {
        BOOST_TEST_CONTEXT(f) {
            ds::DeviceSpec spec;
            BOOST_CHECK_NO_THROW(spec = ds::load_device_spec(f));
            BOOST_TEST(spec.origin == f.string());
            BOOST_TEST(spec.fingerprint.rfind("xxh3-128:", 0) == 0u);
            BOOST_TEST(spec.preference.size() == spec.units.size());
            ids.insert(spec.id);
        }
    }
    for (const char* id : {"apple-a17-pro", "stm32h743", "jetson-orin-nano-8gb", "intel-i7-1185g7"})
        BOOST_TEST(ids.count(id) == 1u, "shipped device " << id);
}

BOOST_AUTO_TEST_CASE(small_spec_round_trips) {
    ds::DeviceSpec s = ds::parse_device_spec(kSmall, "small.toml");
    BOOST_TEST(s.id == "tiny");
    BOOST_TEST(s.memory.ram_bytes.value == 1048576.0);
    BOOST_TEST(s.memory.ram_bandwidth.value == 2e9);
    BOOST_TEST(!s.memory.storage_bytes.has_value());
    const ds::Quantity& sram = s.memory.energy_pj_per_byte.at(ds::MemoryLevel::sram);
    BOOST_TEST(sram.value == 1.5);
    BOOST_TEST(sram.estimate());
    BOOST_TEST(sram.derivation == "by hand");
    BOOST_REQUIRE(s.units.size() == 2u);
    const ds::Unit& npu = s.units[0];
    BOOST_TEST(npu.name == "npu");
    BOOST_TEST((npu.kind == ds::UnitKind::npu));
    BOOST_TEST(npu.bandwidth.value == 4e9);
    BOOST_TEST(npu.bandwidth.source == "s");
    BOOST_TEST(!npu.bandwidth.estimate());
    BOOST_TEST(npu.dispatch_us.value == 10.0);
    BOOST_TEST(npu.static_power_w.value == 0.25);
    BOOST_TEST(npu.sparsity_2_4);
    BOOST_TEST(!npu.sparsity_unstructured);
    BOOST_REQUIRE(npu.decode_ops_lut.has_value());
    BOOST_TEST(npu.decode_ops_lut->value == 3.0);
    BOOST_TEST(npu.decode_ops_lut->source == "s");
    BOOST_TEST(!npu.decode_ops_dequantize.has_value());  // the cost model's default: 1 op
    BOOST_TEST(npu.supports(ds::DType::int8));
    BOOST_TEST(!npu.supports(ds::DType::fp32));
    BOOST_TEST(npu.peak_ops.at(ds::DType::int8).value == 1e12);
    BOOST_TEST(npu.energy_pj_per_mac.at(ds::DType::int8).value == 0.5);
    BOOST_TEST(npu.supports_op("Conv"));
    BOOST_TEST(!npu.supports_op("Gather"));
    const ds::OpConstraint& conv = npu.constraints.at("Conv");
    BOOST_TEST(conv.kernel_max.value_or(0) == 5);
    BOOST_TEST(!conv.rank_max.has_value());
    BOOST_TEST(!conv.dynamic_shapes);
    BOOST_TEST(conv.dtypes.empty());
    // Size-dependent efficiency: min at 0 MACs, halfway at half_at_macs, towards max beyond.
    const ds::Efficiency& eff = npu.efficiency.at("conv");
    BOOST_TEST(eff.at(0) == 0.2);
    BOOST_TEST(eff.at(1e6) == 0.5, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(eff.at(3e6) == 0.65, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(npu.efficiency.at("default").at(123) == 0.5);
    const ds::Unit& cpu = s.units[1];
    BOOST_TEST(cpu.all_ops);
    BOOST_TEST(cpu.supports_op("Anything"));
    BOOST_TEST(cpu.dispatch_us.value == 0.0);
    BOOST_TEST(!cpu.sparsity_2_4);
    BOOST_TEST(cpu.sparsity_unstructured);
    BOOST_TEST(!cpu.decode_ops_lut.has_value());
    BOOST_TEST(s.preference == (std::vector<std::string>{"npu", "cpu"}));
    BOOST_REQUIRE(s.fusions.size() == 1u);
    BOOST_TEST(s.fusions[0].pattern == (std::vector<std::string>{"Conv", "Relu"}));
    BOOST_TEST(s.transition.cost("npu", "cpu").fixed_us.value == 5.0);
    BOOST_TEST(s.transition.cost("cpu", "npu").bandwidth.value == 1e9);
    BOOST_REQUIRE(s.find_source("s"));
    BOOST_TEST(s.find_source("s")->url == "https://example.com/s");
    BOOST_TEST(s.find_unit("cpu") == &s.units[1]);
    BOOST_TEST(s.find_unit("gpu") == nullptr);
}

BOOST_AUTO_TEST_CASE(example_spec_documents_every_feature) {
    ds::DeviceSpec s = ds::load_device_spec(kDevices / "example.toml");
    BOOST_TEST(s.memory.storage_bytes.has_value());
    const ds::Unit* npu = s.find_unit("npu");
    BOOST_REQUIRE(npu);
    BOOST_TEST(npu->onchip_bytes.has_value());
    BOOST_TEST(npu->constraints.at("Conv").rank_max.value_or(0) == 4);
    BOOST_TEST((npu->constraints.at("Conv").dtypes == std::vector<ds::DType>{ds::DType::fp16, ds::DType::int8}));
    BOOST_TEST(s.transition.cost("cpu", "npu").fixed_us.value == 30.0);
    BOOST_TEST(s.transition.cost("npu", "cpu").fixed_us.value == 20.0);
    BOOST_TEST(npu->decode_ops_lut.has_value());
    BOOST_TEST(npu->decode_ops_dequantize.has_value());
}

BOOST_AUTO_TEST_CASE(decode_ops_and_sparsity_keys_are_checked) {
    const std::string decode = "decode_ops_per_element = { lut = { value = 3, source = \"s\" } }";
    CHECK_HAS(error_of(replaced(kSmall, decode, "decode_ops_per_element = { lut = 3 }")),
              "unit 'npu' key 'decode_ops_per_element.lut': number without a source");
    CHECK_HAS(error_of(replaced(kSmall, decode, "decode_ops_per_element = { lut = { value = -1, source = \"s\" } }")),
              "unit 'npu' key 'decode_ops_per_element.lut': must not be negative, got -1");
    CHECK_HAS(error_of(replaced(kSmall, decode, "decode_ops_per_element = { palette = { value = 1, source = \"s\" } }")),
              "unit 'npu' key 'decode_ops_per_element.palette': unknown key");
    CHECK_HAS(error_of(replaced(kSmall, decode, "decode_ops_per_element = {}")),
              "unit 'npu' key 'decode_ops_per_element': must give lut, dequantize or both");
    CHECK_HAS(error_of(replaced(kSmall, decode, "decode_ops_per_element = 2")),
              "unit 'npu' key 'decode_ops_per_element': expected a table, got an integer");
    CHECK_HAS(error_of(replaced(kSmall, "sparsity_unstructured = true", "sparsity_unstructured = 1")),
              "unit 'cpu' key 'sparsity_unstructured': expected a boolean, got an integer");
    // sparsity_2_4 may name the dtypes whose path exploits it.
    const ds::DeviceSpec listed = ds::parse_device_spec(replaced(kSmall, "sparsity_2_4 = true", "sparsity_2_4 = [\"int8\"]"), "l.toml");
    BOOST_TEST(listed.units[0].sparsity_2_4);
    BOOST_TEST(listed.units[0].sparse_2_4_in(ds::DType::int8));
    BOOST_TEST(!listed.units[0].sparse_2_4_in(ds::DType::fp16));
    BOOST_TEST(ds::parse_device_spec(kSmall, "s.toml").units[0].sparse_2_4_in(ds::DType::fp16));
    CHECK_HAS(error_of(replaced(kSmall, "sparsity_2_4 = true", "sparsity_2_4 = [\"fp32\"]")),
              "unit 'npu' key 'sparsity_2_4': dtype 'fp32' has no peak_ops entry on this unit");
    CHECK_HAS(error_of(replaced(kSmall, "sparsity_2_4 = true", "sparsity_2_4 = [\"int3\"]")),
              "unit 'npu' key 'sparsity_2_4': unknown dtype 'int3'");
    CHECK_HAS(error_of(replaced(kSmall, "sparsity_2_4 = true", "sparsity_2_4 = []")),
              "unit 'npu' key 'sparsity_2_4': must list at least one dtype (or write false)");
    CHECK_HAS(error_of(replaced(kSmall, "sparsity_2_4 = true", "sparsity_2_4 = 2")),
              "unit 'npu' key 'sparsity_2_4': expected true, false or an array of dtypes, got an integer");
    // Zero is allowed: a unit that decodes in its load path for free.
    BOOST_CHECK_NO_THROW(ds::parse_device_spec(
        replaced(kSmall, decode, "decode_ops_per_element = { lut = { value = 0, source = \"s\" } }"), "zero.toml"));
}

// ---- Where the weights live (memory.weights_in, memory.storage_read_bandwidth).

namespace {

const std::string kRamLine = "ram_bandwidth = { value = 2e9, source = \"s\" }\n";

// kSmall with `lines` added to [memory].
std::string with_memory(const std::string& lines) { return replaced(kSmall, kRamLine, kRamLine + lines + "\n"); }

const std::string kStorage = "storage_bytes = { value = 2097152, source = \"s\" }";

}  // namespace

BOOST_AUTO_TEST_CASE(weights_in_is_read_in_both_forms_and_defaults_by_device_kind) {
    // kSmall: an npu and a cpu, no storage: weights in RAM by default.
    const ds::DeviceSpec plain = ds::parse_device_spec(kSmall, "s.toml");
    BOOST_TEST((plain.memory.weights_in == ds::WeightsIn::ram));
    BOOST_TEST(plain.memory.weights_in_defaulted);
    BOOST_TEST(!plain.memory.storage_read_bandwidth.has_value());

    const ds::DeviceSpec bare = ds::parse_device_spec(with_memory(kStorage + "\nweights_in = \"storage\""), "b.toml");
    BOOST_TEST((bare.memory.weights_in == ds::WeightsIn::storage));
    BOOST_TEST(!bare.memory.weights_in_defaulted);

    const ds::DeviceSpec cited = ds::parse_device_spec(
        with_memory(kStorage + "\nweights_in = { value = \"storage\", source = \"s\", derived = \"XIP\" }\n"
                               "storage_read_bandwidth = { value = 1.5e9, source = \"s\" }"),
        "c.toml");
    BOOST_TEST((cited.memory.weights_in == ds::WeightsIn::storage));
    BOOST_TEST(cited.memory.weights_in_source == "s");
    BOOST_TEST(cited.memory.weights_in_derivation == "XIP");
    BOOST_TEST(cited.memory.storage_read_bandwidth->value == 1.5e9);

    // An old spec of an MCU (a unit of kind mcu and a storage_bytes) reads its weights from storage.
    const ds::DeviceSpec mcu = ds::parse_device_spec(replaced(with_memory(kStorage), "kind = \"cpu\"", "kind = \"mcu\""), "m.toml");
    BOOST_TEST((mcu.memory.weights_in == ds::WeightsIn::storage));
    BOOST_TEST(mcu.memory.weights_in_defaulted);
    // Without storage_bytes it keeps them in RAM (nothing to check flash against).
    const ds::DeviceSpec mcu_no_flash = ds::parse_device_spec(replaced(kSmall, "kind = \"cpu\"", "kind = \"mcu\""), "n.toml");
    BOOST_TEST((mcu_no_flash.memory.weights_in == ds::WeightsIn::ram));

    // The shipped MCU says it explicitly, with its citations; the phone keeps weights in RAM.
    const ds::DeviceSpec stm32 = ds::load_device_spec(kDevices / "stm32h743.toml");
    BOOST_TEST((stm32.memory.weights_in == ds::WeightsIn::storage));
    BOOST_TEST(stm32.memory.weights_in_source == "st-edge-ai-client-api");
    BOOST_TEST(stm32.memory.storage_read_bandwidth->value == 1.536e9);
    BOOST_TEST((ds::load_device_spec(kDevices / "apple-a17-pro.toml").memory.weights_in == ds::WeightsIn::ram));
}

BOOST_AUTO_TEST_CASE(bad_weights_in_keys_are_refused_with_file_and_key) {
    // The value sits on line 10 (after [memory]'s three lines), column 14.
    std::string err = error_of(with_memory(kStorage + "\nweights_in = \"flsh\""));
    CHECK_HAS(err, "devices/bad.toml:11:14: key 'memory.weights_in': unknown value 'flsh' (expected \"storage\": "
                   "read in place from flash, or \"ram\": copied to RAM at load)");
    CHECK_HAS(error_of(with_memory("weights_in = \"storage\"")),
              "key 'memory.weights_in': \"storage\" needs memory.storage_bytes");
    CHECK_HAS(error_of(with_memory("weights_in = 2")),
              "key 'memory.weights_in': expected \"storage\", \"ram\" or { value = \"storage\", source = \"<key>\" }, "
              "got an integer");
    CHECK_HAS(error_of(with_memory("weights_in = { value = \"ram\" }")),
              "key 'memory.weights_in': without a source: write { value = \"ram\", source = \"<key of a [[source]]>\" }, "
              "or the bare string");
    CHECK_HAS(error_of(with_memory("weights_in = { value = \"ram\", source = \"nope\" }")),
              "source 'nope' is cited but not defined");
    CHECK_HAS(error_of(with_memory("weights_in = { value = \"ram\", source = \"s\", flash = true }")),
              "key 'memory.weights_in.flash': unknown key");
    CHECK_HAS(error_of(with_memory("storage_read_bandwidth = { value = 1e9, source = \"s\" }")),
              "key 'memory.storage_read_bandwidth': is used only when weights are read in place "
              "(weights_in = \"storage\"); weights here are copied to RAM (the default for a device without an "
              "mcu unit and storage_bytes)");
    CHECK_HAS(error_of(with_memory(kStorage + "\nweights_in = \"storage\"\n"
                                   "storage_read_bandwidth = { value = -1, source = \"s\" }")),
              "key 'memory.storage_read_bandwidth': must be positive, got -1");
}

BOOST_AUTO_TEST_CASE(fingerprint_is_stable_and_content_based) {
    auto a = ds::parse_device_spec(kSmall, "a.toml");
    auto b = ds::parse_device_spec(kSmall, "b.toml");
    auto c = ds::parse_device_spec(kSmall + "\n# changed\n", "a.toml");
    BOOST_TEST(a.fingerprint == b.fingerprint);
    BOOST_TEST(a.fingerprint != c.fingerprint);
    BOOST_TEST(a.fingerprint == ds::fingerprint_of(kSmall));
    BOOST_TEST(a.fingerprint.size() == 9u + 32u);
}

BOOST_AUTO_TEST_CASE(missing_key_is_named) {
    std::string err = error_of(replaced(kSmall, "ram_bytes = { value = 1048576, source = \"s\" }\n", ""));
    CHECK_HAS(err, "devices/bad.toml:");
    CHECK_HAS(err, "key 'memory.ram_bytes': missing required key");
    err = error_of(replaced(kSmall, "bandwidth = { value = 4e9, source = \"s\" }\n", ""));
    CHECK_HAS(err, "unit 'npu' key 'bandwidth': missing required key");
}

BOOST_AUTO_TEST_CASE(negative_bandwidth_is_named_with_position) {
    std::string err = error_of(replaced(kSmall, "value = 4e9", "value = -5e9"));
    CHECK_HAS(err, "devices/bad.toml:15:");
    CHECK_HAS(err, "unit 'npu' key 'bandwidth': must be positive, got -5e9");
}

BOOST_AUTO_TEST_CASE(unknown_unit_kind) {
    std::string err = error_of(replaced(kSmall, "kind = \"npu\"", "kind = \"tpuu\""));
    CHECK_HAS(err, "unit 'npu' key 'kind': unknown unit kind 'tpuu' (expected one of cpu, gpu, npu, dsp, mcu, accelerator)");
}

BOOST_AUTO_TEST_CASE(unknown_dtype) {
    std::string err = error_of(replaced(kSmall, "peak_ops = { int8", "peak_ops = { int3 = { value = 1, source = \"s\" }, int8"));
    CHECK_HAS(err, "unit 'npu' key 'peak_ops.int3': unknown dtype 'int3'");
}

BOOST_AUTO_TEST_CASE(number_without_source) {
    std::string err = error_of(replaced(kSmall, "dispatch_us = { value = 10, source = \"s\" }", "dispatch_us = 10"));
    CHECK_HAS(err, "unit 'npu' key 'dispatch_us': number without a source");
    err = error_of(replaced(kSmall, "static_power_w = { value = 0.25, source = \"s\" }", "static_power_w = { value = 0.25 }"));
    CHECK_HAS(err, "unit 'npu' key 'static_power_w': number without a source");
    err = error_of(replaced(kSmall, "kernel_max = 5, dynamic_shapes = false, source = \"s\"", "kernel_max = 5"));
    CHECK_HAS(err, "unit 'npu' key 'constraints.Conv': number without a source");
}

BOOST_AUTO_TEST_CASE(cited_but_undefined_source) {
    std::string err = error_of(replaced(kSmall, "value = 2e9, source = \"s\" }\nenergy", "value = 2e9, source = \"nope\" }\nenergy"));
    CHECK_HAS(err, "devices/bad.toml:9:");
    CHECK_HAS(err, "source 'nope' is cited but not defined");
}

BOOST_AUTO_TEST_CASE(malformed_toml_gives_line_and_column) {
    std::string err = error_of(replaced(kSmall, "name = \"Tiny\"", "name = \"Tiny"));
    CHECK_HAS(err, "devices/bad.toml:4:");
    CHECK_HAS(err, "TOML syntax error");
}

BOOST_AUTO_TEST_CASE(wrong_type_is_named) {
    std::string err = error_of(replaced(kSmall, "ops = [\"Conv\", \"Relu\"]", "ops = \"Conv\""));
    CHECK_HAS(err, "unit 'npu' key 'ops': expected an array of strings, got a string");
    err = error_of(replaced(kSmall, "value = 4e9", "value = \"fast\""));
    CHECK_HAS(err, "unit 'npu' key 'bandwidth.value': expected a number, got a string");
    err = error_of(replaced(replaced(kSmall, "format = 1", "format = 1\nplacement = 3"),
                            "[placement]\npreference = [\"npu\", \"cpu\"]\n", ""));
    CHECK_HAS(err, "key 'placement': expected a table, got an integer");
}

BOOST_AUTO_TEST_CASE(cross_references_are_checked) {
    CHECK_HAS(error_of(replaced(kSmall, "preference = [\"npu\", \"cpu\"]", "preference = [\"npu\", \"gpu\"]")),
              "key 'placement.preference': unknown unit 'gpu'");
    CHECK_HAS(error_of(replaced(kSmall, "pattern = [\"Conv\", \"Relu\"]", "pattern = [\"Conv\", \"Gather\"]")),
              "fusion #1 key 'pattern': op 'Gather' is not in unit 'npu' ops");
    CHECK_HAS(error_of(replaced(kSmall, "[device]", "[device]\nextra = 1")), "key 'device.extra': unknown key");
    CHECK_HAS(error_of(kSmall + "[[source]]\nkey = \"unused\"\ntitle = \"t\"\nurl = \"https://x\"\nsays = \"x\"\n"),
              "source 'unused' is defined but never cited");
}

BOOST_AUTO_TEST_CASE(hostile_values_never_crash) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"value = 4e9", "value = nan"},
        {"value = 4e9", "value = inf"},
        {"value = 4e9", "value = 1e400"},
        {"value = 4e9", "value = 1e300"},
        {"value = 4e9", "value = 99999999999999999999999"},
        {"kernel_max = 5", "kernel_max = 9223372036854775807"},
        {"kernel_max = 5", "kernel_max = -1"},
        {"ops = [\"Conv\", \"Relu\"]", "ops = " + std::string(5000, '[') + std::string(5000, ']')},
        {"[placement]", "a = " + std::string(5000, '{') + std::string(5000, '}') + "\n[placement]"},
        {"[placement]", "[" + std::string(3000, 'a') + std::string(3000, '.') + "]\n[placement]"},
        {"format = 1", "format = 2"},
        {"format = 1", ""},
        {"[[unit]]", "unit = 7\n[[unit]]"},
    };
    for (const auto& [from, to] : cases) {
        BOOST_TEST_CONTEXT(to.substr(0, 40)) {
            std::string err = error_of(replaced(kSmall, from, to));
            CHECK_HAS(err, "devices/bad.toml");
        }
    }
    BOOST_CHECK_THROW(ds::parse_device_spec("", "empty.toml"), ds::SpecError);
    BOOST_CHECK_THROW(ds::parse_device_spec(std::string("\0\xff\xfe", 3), "bin.toml"), ds::SpecError);
}

BOOST_AUTO_TEST_CASE(truncated_specs_never_crash) {
    std::ifstream in(kDevices / "example.toml", std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    const std::string text = buf.str();
    BOOST_REQUIRE(text.size() > 1000u);
    size_t accepted = 0;
    for (size_t len = 0; len <= text.size(); len += 7) {
        try {
            ds::parse_device_spec(std::string_view(text).substr(0, len), "cut.toml");
            ++accepted;
        } catch (const ds::SpecError& e) {
            BOOST_TEST(std::string(e.what()).rfind("cut.toml", 0) == 0u);
            BOOST_TEST(!e.problems().empty());
        }
    }
    BOOST_TEST(accepted <= 2u);  // only (nearly) the whole file is a complete spec
}

BOOST_AUTO_TEST_CASE(unreadable_file_and_discovery) {
    BOOST_CHECK_THROW(ds::load_device_spec(kDevices / "missing.toml"), ds::SpecError);
    auto files = ds::find_device_specs({kDevices});
    BOOST_TEST(std::is_sorted(files.begin(), files.end()));
    for (const auto& f : files) BOOST_TEST(f.extension() == ".toml");
    BOOST_TEST(ds::find_device_specs({kDevices / "nope"}).empty());
}
