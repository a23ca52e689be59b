// The quantize optimizer plugin: linear weight quantization (ONNX QuantizeLinear semantics, see
// linear_quant.hpp) behind the ABI 1.2 optimizer table. It includes only the public SDK and the
// core, as a plugin built out of tree against find_package(winglet) would. Options and the
// conventions the engine relies on are in ../README.md.
#include "linear_quant.hpp"

#include <winglet/plugin.hpp>

#include <charconv>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace {

namespace sdk = winglet::sdk;
namespace q = winglet::quantize;

// The accepted values, as `winglet optimizers` lists them; the error messages quote the same text.
constexpr const char* kBitsValues = "8, 4, 2";
constexpr const char* kSymmetricValues = "true, false";
constexpr const char* kGranularityValues = "per_tensor, per_channel, per_block";
constexpr const char* kBlockSizeValues = "an integer >= 1";
constexpr const char* kActivationsValues = "fp, int8";

constexpr sdk::OptionSpec kOptions[] = {
    {"bits", kBitsValues, "8",
     "bits per code; symmetric codes lie in [-(2^(bits-1)-1), 2^(bits-1)-1], asymmetric in "
     "[-2^(bits-1), 2^(bits-1)-1]"},
    {"symmetric", kSymmetricValues, "true",
     "true: zero point 0, scale = max|w| / qmax; false: an integer zero point per scale, 0 exactly "
     "representable"},
    {"granularity", kGranularityValues, "per_channel",
     "one scale per tensor, per output channel (the op's channel axis), or per block of block_size "
     "consecutive weights along the op's reduction axis (ONNX blocked quantization)"},
    {"block_size", kBlockSizeValues, "32",
     "weights per block along the reduction axis; the last block may be shorter (granularity "
     "per_block only)"},
    {"activations", kActivationsValues, "fp",
     "int8 marks the op's activations for int8 execution (read by the engine; the weights are "
     "quantized the same either way)"},
};

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "quantize: " + message);
}

// "bits 9 is not one of 8, 4, 2"
[[noreturn]] void not_one_of(const std::string& key, const std::string& value, const char* accepted) {
    invalid(key + " " + value + " is not one of " + accepted);
}

struct Options {
    q::QuantOptions core;  // bits, symmetric, granularity, block_size; axis comes per request
    bool int8_activations = false;
};

// Strict decimal integer: the whole text, no sign, no spaces.
bool parse_positive(const std::string& text, int64_t& out) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && out >= 1;
}

// Parses and checks a recipe entry's options; check_options and compress share it.
Options parse_options(const std::map<std::string, std::string>& options) {
    Options o;
    for (const auto& [key, value] : options) {
        if (key == "bits") {
            if (value == "8") o.core.bits = 8;
            else if (value == "4") o.core.bits = 4;
            else if (value == "2") o.core.bits = 2;
            else not_one_of(key, value, kBitsValues);
        } else if (key == "symmetric") {
            if (value == "true") o.core.symmetric = true;
            else if (value == "false") o.core.symmetric = false;
            else not_one_of(key, value, kSymmetricValues);
        } else if (key == "granularity") {
            if (value == "per_tensor") o.core.granularity = q::Granularity::PerTensor;
            else if (value == "per_channel") o.core.granularity = q::Granularity::PerChannel;
            else if (value == "per_block") o.core.granularity = q::Granularity::PerBlock;
            else not_one_of(key, value, kGranularityValues);
        } else if (key == "block_size") {
            if (!parse_positive(value, o.core.block_size))
                invalid(key + " " + value + " is not " + kBlockSizeValues);
        } else if (key == "activations") {
            if (value == "fp") o.int8_activations = false;
            else if (value == "int8") o.int8_activations = true;
            else not_one_of(key, value, kActivationsValues);
        } else {
            std::string names;
            for (const sdk::OptionSpec& spec : kOptions) names += (names.empty() ? "" : ", ") + std::string(spec.name);
            invalid("unknown option '" + key + "' (options: " + names + ")");
        }
    }
    // An option that would be silently ignored is a recipe mistake.
    if (options.count("block_size") && o.core.granularity != q::Granularity::PerBlock)
        invalid("block_size applies only to granularity per_block (granularity is " +
                (options.count("granularity") ? options.at("granularity") : std::string("per_channel")) + ")");
    return o;
}

std::string where(const sdk::CompressRequest& r) {
    return "tensor '" + std::string(r.tensor_name()) + "' of op '" + std::string(r.op_name()) + "'";
}

class QuantizeOptimizer : public sdk::Optimizer {
public:
    static constexpr sdk::PluginInfo info{
        "quantize", WINGLET_PLUGIN_VERSION,
        "linear weight quantization to 8, 4 or 2 bits (ONNX QuantizeLinear semantics)"};
    static constexpr sdk::OptimizerInfo optimizer{
        "quantize", "linear int8/int4/int2 weights: per tensor, per channel or per block scales",
        kOptions, std::size(kOptions)};

    explicit QuantizeOptimizer(const sdk::Host&) {}

    void check_options(const std::map<std::string, std::string>& options) override { parse_options(options); }

    sdk::Compressed compress(const sdk::CompressRequest& request) override {
        Options o = parse_options(request.options());
        // Scales follow the output channels; blocks split what one output sums over (ONNX blocked
        // quantization groups along the reduction axis, K of a MatMul).
        if (o.core.granularity == q::Granularity::PerChannel) o.core.axis = request.channel_axis();
        if (o.core.granularity == q::Granularity::PerBlock) o.core.axis = request.reduction_axis();

        q::QuantizedTensor t;
        try {
            t = q::quantize(request.values(), request.dims(), o.core);
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, where(request) + ": " + e.what());
        }

        sdk::Compressed c;
        c.decoded = t.dequantize();
        c.storage_bits = t.storage_bits();
        // 8-bit codes are what int8 units multiply; narrower codes are widened to float first.
        c.compute_dtype = t.bits == 8 ? WG_DTYPE_INT8 : WG_DTYPE_FLOAT32;
        c.decode = WG_DECODE_DEQUANTIZE;
        c.encoding = WG_ENCODING_LINEAR;
        c.code_bits = static_cast<uint32_t>(t.bits);
        c.param_axis = t.granularity == q::Granularity::PerTensor ? -1 : t.axis;
        c.block_size = t.granularity == q::Granularity::PerBlock ? t.block_size : 0;
        c.param_dims = t.scale_dims();
        c.scales = std::move(t.scales);
        if (!t.symmetric) c.zero_points = std::move(t.zero_points);
        c.codes = std::move(t.codes);
        return c;
    }
};

}  // namespace

WINGLET_PLUGIN(QuantizeOptimizer)
