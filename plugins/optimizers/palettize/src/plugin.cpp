// The palettize optimizer plugin: k-means look-up tables (palettize.hpp) behind the ABI 1.2
// optimizer table. It includes only the public SDK and the core, as a plugin built out of tree
// against find_package(winglet) would. Options and the conventions the engine relies on are in
// ../README.md.
#include "palettize.hpp"

#include <winglet/plugin.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

namespace sdk = winglet::sdk;
namespace pal = winglet::palettize;

// The accepted values, as `winglet optimizers` lists them; the error messages quote the same text.
constexpr const char* kBitsValues = "an integer in 1..8";
constexpr const char* kGroupingValues = "per_tensor, per_grouped_channel";
constexpr const char* kGroupSizeValues = "an integer >= 1";

constexpr sdk::OptionSpec kOptions[] = {
    {"bits", kBitsValues, "4", "bits per index: each look-up table holds 2^bits weights (k-means centroids)"},
    {"grouping", kGroupingValues, "per_tensor",
     "one look-up table for the whole tensor, or one per group of group_size output channels (the op's "
     "channel axis)"},
    {"group_size", kGroupSizeValues, "16",
     "output channels per look-up table; the last group may be smaller, and a size above the channel "
     "count means one table (grouping per_grouped_channel only)"},
};

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "palettize: " + message);
}

// Strict decimal integer in [lo, hi]: the whole text, no sign, no spaces.
bool parse_int(const std::string& text, int64_t lo, int64_t hi, int64_t& out) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && out >= lo && out <= hi;
}

struct Options {
    int bits = 4;
    pal::Grouping grouping = pal::Grouping::PerTensor;
    int64_t group_size = 16;
};

// Parses and checks a recipe entry's options; check_options and compress share it.
Options parse_options(const std::map<std::string, std::string>& options) {
    Options o;
    for (const auto& [key, value] : options) {
        if (key == "bits") {
            int64_t bits = 0;
            if (!parse_int(value, 1, 8, bits)) invalid(key + " " + value + " is not " + kBitsValues);
            o.bits = static_cast<int>(bits);
        } else if (key == "grouping") {
            if (value == "per_tensor") o.grouping = pal::Grouping::PerTensor;
            else if (value == "per_grouped_channel") o.grouping = pal::Grouping::PerGroupedChannel;
            else invalid(key + " " + value + " is not one of " + kGroupingValues);
        } else if (key == "group_size") {
            if (!parse_int(value, 1, INT64_MAX, o.group_size))
                invalid(key + " " + value + " is not " + kGroupSizeValues);
        } else {
            std::string names;
            for (const sdk::OptionSpec& spec : kOptions) names += (names.empty() ? "" : ", ") + std::string(spec.name);
            invalid("unknown option '" + key + "' (options: " + names + ")");
        }
    }
    // An option that would be silently ignored is a recipe mistake.
    if (options.count("group_size") && o.grouping != pal::Grouping::PerGroupedChannel)
        invalid("group_size applies only to grouping per_grouped_channel (grouping is per_tensor)");
    return o;
}

std::string where(const sdk::CompressRequest& r) {
    return "tensor '" + std::string(r.tensor_name()) + "' of op '" + std::string(r.op_name()) + "'";
}

class PalettizeOptimizer : public sdk::Optimizer {
public:
    static constexpr sdk::PluginInfo info{
        "palettize", WINGLET_PLUGIN_VERSION,
        "weight palettization: 1..8-bit indices into optimal 1-D k-means look-up tables"};
    static constexpr sdk::OptimizerInfo optimizer{
        "palettize", "k-means look-up tables of 2^bits weights, per tensor or per group of output channels",
        kOptions, std::size(kOptions)};

    explicit PalettizeOptimizer(const sdk::Host&) {}

    void check_options(const std::map<std::string, std::string>& options) override { parse_options(options); }

    sdk::Compressed compress(const sdk::CompressRequest& request) override {
        const Options o = parse_options(request.options());
        const std::vector<int64_t> dims = request.dims();
        const int rank = static_cast<int>(dims.size());

        pal::PalettizeOptions core;
        core.bits = o.bits;
        core.grouping = o.grouping;
        // Tables follow the output channels. The core takes axes in 0..rank-1: a negative channel
        // axis counts from the end as in ONNX. One table for the tensor needs no axis, so any
        // axis the tensor lacks (a scalar, say) falls back to 0 there.
        int axis = request.channel_axis() < 0 ? request.channel_axis() + rank : request.channel_axis();
        if (o.grouping == pal::Grouping::PerTensor && (axis < 0 || axis >= rank)) axis = 0;
        core.axis = axis;
        // More channels per table than the tensor has means one table for all of them.
        if (o.grouping == pal::Grouping::PerGroupedChannel && axis >= 0 && axis < rank && dims[axis] >= 1)
            core.group_size = std::min(o.group_size, dims[axis]);
        else
            core.group_size = o.group_size;

        pal::PalettizedTensor t;
        try {
            t = pal::palettize(request.values(), dims, core);
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, where(request) + ": " + e.what());
        }

        sdk::Compressed c;
        c.decoded = t.decode();
        c.storage_bits = t.storage_bits();
        c.compute_dtype = WG_DTYPE_FLOAT32;  // units look the weights up, then compute in float
        c.decode = WG_DECODE_LUT;
        c.encoding = WG_ENCODING_LUT;
        c.code_bits = static_cast<uint32_t>(t.bits);
        c.param_axis = t.axis;
        c.block_size = o.grouping == pal::Grouping::PerGroupedChannel ? t.group_size : 0;
        c.lut_count = t.lut_count();
        c.luts = std::move(t.luts);
        // Indices 0..255 travel as the int8 with the same bit pattern (wg_compressed_desc::codes).
        c.codes.resize(t.indices.size());
        std::transform(t.indices.begin(), t.indices.end(), c.codes.begin(),
                       [](uint8_t index) { return static_cast<int8_t>(index); });
        return c;
    }
};

}  // namespace

WINGLET_PLUGIN(PalettizeOptimizer)
