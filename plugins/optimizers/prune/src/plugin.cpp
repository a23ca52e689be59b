// The prune optimizer plugin: magnitude, N:M and channel pruning (pruning.hpp) behind the ABI 1.2
// optimizer table. It includes only the public SDK and the core, as a plugin built out of tree
// against find_package(winglet) would. Options, the storage_bits convention and the axes the
// engine relies on are in ../README.md.
#include "pruning.hpp"

#include <winglet/plugin.hpp>

#include <charconv>
#include <climits>
#include <cstdint>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace {

namespace sdk = winglet::sdk;
namespace pr = winglet::prune;

// The accepted values, as `winglet optimizers` lists them; the error messages quote the same text.
constexpr const char* kMethodValues = "magnitude, n_m, channels";
constexpr const char* kFractionValues = "a number in [0, 1)";
constexpr const char* kNValues = "an integer in 1..m";
constexpr const char* kMValues = "an integer >= 1";
constexpr const char* kNormValues = "l1, l2";

constexpr sdk::OptionSpec kOptions[] = {
    {"method", kMethodValues, "magnitude",
     "magnitude: the smallest |w| anywhere; n_m: keep the n largest |w| of every m consecutive "
     "weights along the op's reduction axis; channels: whole output channels of smallest norm"},
    {"sparsity", kFractionValues, "0.5", "fraction of the weights zeroed (method magnitude)"},
    {"n", kNValues, "2", "weights kept in every group of m (method n_m)"},
    {"m", kMValues, "4", "group length along the reduction axis (method n_m)"},
    {"fraction", kFractionValues, "0.5",
     "fraction of the output channels zeroed, at least one kept (method channels)"},
    {"norm", kNormValues, "l2", "the norm channels are ranked by (method channels)"},
};

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(WG_ERR_INVALID_ARGUMENT, "prune: " + message);
}

enum class Method { Magnitude, NM, Channels };

struct Options {
    Method method = Method::Magnitude;
    double sparsity = 0.5;
    int n = 2, m = 4;
    double fraction = 0.5;
    pr::Norm norm = pr::Norm::L2;
};

// Strict decimal integer in [lo, hi]: the whole text, no sign, no spaces.
bool parse_int(const std::string& text, int lo, int hi, int& out) {
    if (text.empty() || text.front() < '0' || text.front() > '9') return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && out >= lo && out <= hi;
}

// A decimal number in [0, 1): "0.5", ".5", "5e-1"; no sign, no spaces, no nan or inf.
bool parse_fraction(const std::string& text, double& out) {
    if (text.empty() || !((text.front() >= '0' && text.front() <= '9') || text.front() == '.')) return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end && out >= 0.0 && out < 1.0;
}

const char* method_name(Method m) {
    switch (m) {
    case Method::Magnitude: return "magnitude";
    case Method::NM: return "n_m";
    case Method::Channels: return "channels";
    }
    return "";
}

// Parses and checks a recipe entry's options; check_options and compress share it.
Options parse_options(const std::map<std::string, std::string>& options) {
    Options o;
    for (const auto& [key, value] : options) {
        if (key == "method") {
            if (value == "magnitude") o.method = Method::Magnitude;
            else if (value == "n_m") o.method = Method::NM;
            else if (value == "channels") o.method = Method::Channels;
            else invalid(key + " " + value + " is not one of " + kMethodValues);
        } else if (key == "sparsity" || key == "fraction") {
            if (!parse_fraction(value, key == "sparsity" ? o.sparsity : o.fraction))
                invalid(key + " " + value + " is not " + kFractionValues);
        } else if (key == "n") {
            if (!parse_int(value, 1, INT_MAX, o.n)) invalid(key + " " + value + " is not " + kNValues);
        } else if (key == "m") {
            if (!parse_int(value, 1, INT_MAX, o.m)) invalid(key + " " + value + " is not " + kMValues);
        } else if (key == "norm") {
            if (value == "l1") o.norm = pr::Norm::L1;
            else if (value == "l2") o.norm = pr::Norm::L2;
            else invalid(key + " " + value + " is not one of " + kNormValues);
        } else {
            std::string names;
            for (const sdk::OptionSpec& spec : kOptions) names += (names.empty() ? "" : ", ") + std::string(spec.name);
            invalid("unknown option '" + key + "' (options: " + names + ")");
        }
    }
    // An option of another method would be silently ignored: a recipe mistake.
    const auto belongs = [&](const char* key, Method method) {
        if (options.count(key) && o.method != method)
            invalid(std::string(key) + " applies only to method " + method_name(method) + " (method is " +
                    method_name(o.method) + ")");
    };
    belongs("sparsity", Method::Magnitude);
    belongs("n", Method::NM);
    belongs("m", Method::NM);
    belongs("fraction", Method::Channels);
    belongs("norm", Method::Channels);
    if (o.n > o.m)
        invalid("n " + std::to_string(o.n) + " is not " + kNValues + " (m is " + std::to_string(o.m) + ")");
    return o;
}

std::string where(const sdk::CompressRequest& r) {
    return "tensor '" + std::string(r.tensor_name()) + "' of op '" + std::string(r.op_name()) + "'";
}

// The sparse form the compressed-model writer stores for unstructured and N:M pruning: every
// non-zero weight in fp32 plus a one-bit-per-weight mask. Weights that are 0 after pruning (pruned,
// or 0 already) cost only their mask bit.
uint64_t values_and_mask_bits(const std::vector<float>& values) {
    uint64_t nonzeros = 0;
    for (float v : values) nonzeros += v != 0.0f;
    return 32 * nonzeros + values.size();
}

class PruneOptimizer : public sdk::Optimizer {
public:
    static constexpr sdk::PluginInfo info{
        "prune", WINGLET_PLUGIN_VERSION,
        "weight pruning: unstructured magnitude, N:M semi-structured, structured output channels"};
    static constexpr sdk::OptimizerInfo optimizer{
        "prune", "zero weights: smallest magnitudes, N of every M along the reduction axis, or whole channels",
        kOptions, std::size(kOptions)};

    explicit PruneOptimizer(const sdk::Host&) {}

    void check_options(const std::map<std::string, std::string>& options) override { parse_options(options); }

    sdk::Compressed compress(const sdk::CompressRequest& request) override {
        const Options o = parse_options(request.options());
        const std::vector<int64_t> dims = request.dims();
        const uint64_t elements = request.element_count();
        sdk::Compressed c;
        c.encoding = WG_ENCODING_DENSE;  // `decoded` with exact zeros; writers store it sparse
        c.decode = WG_DECODE_NONE;
        c.compute_dtype = WG_DTYPE_FLOAT32;
        try {
            switch (o.method) {
            case Method::Magnitude: {
                pr::PruneResult r = pr::prune_magnitude(request.values(), elements, o.sparsity);
                c.storage_bits = values_and_mask_bits(r.values);
                c.sparsity_pattern = WG_SPARSITY_UNSTRUCTURED;
                c.decoded = std::move(r.values);
                break;
            }
            case Method::NM: {
                pr::PruneResult r = pr::prune_n_m(request.values(), dims, o.n, o.m, request.reduction_axis());
                // For 2:4 the mask costs what NVIDIA's 2-bit positions of the kept half cost.
                c.storage_bits = values_and_mask_bits(r.values);
                c.sparsity_pattern = WG_SPARSITY_N_M;
                c.sparsity_n = static_cast<uint32_t>(o.n);
                c.sparsity_m = static_cast<uint32_t>(o.m);
                c.decoded = std::move(r.values);
                break;
            }
            case Method::Channels: {
                pr::ChannelPruneResult r =
                    pr::prune_channels(request.values(), dims, o.fraction, o.norm, request.channel_axis());
                // The removed channels are not stored at all: the stored ones in fp32, plus a
                // one-bit-per-channel mask. A channel is stored when it holds a non-zero weight
                // (a kept channel of zeros is as good as removed), as the writer decides.
                const int rank = static_cast<int>(dims.size());
                const int axis = request.channel_axis() < 0 ? request.channel_axis() + rank : request.channel_axis();
                const uint64_t channels = r.kept.size() + r.removed.size();
                const uint64_t per_channel = channels > 0 ? elements / channels : 0;
                uint64_t inner = 1;
                for (int d = axis + 1; d < rank; ++d) inner *= static_cast<uint64_t>(dims[static_cast<size_t>(d)]);
                std::vector<bool> stored(channels, false);
                for (uint64_t i = 0; i < elements; ++i)
                    if (r.values[i] != 0.0f) stored[i / inner % channels] = true;
                uint64_t stored_channels = 0;
                for (bool s : stored) stored_channels += s;
                c.storage_bits = 32 * per_channel * stored_channels + channels;
                c.sparsity_pattern = WG_SPARSITY_CHANNELS;
                c.param_axis = axis;  // the writer gathers the stored channels along it
                c.decoded = std::move(r.values);
                break;
            }
            }
        } catch (const std::invalid_argument& e) {
            throw sdk::Error(WG_ERR_INVALID_ARGUMENT, where(request) + ": " + e.what());
        }
        return c;
    }
};

}  // namespace

WINGLET_PLUGIN(PruneOptimizer)
