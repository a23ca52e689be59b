// Names, small lookups, file loading and discovery; parsing lives in parse.cpp.
#include "device_spec.hpp"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace winglet::device_spec {

namespace {

template <typename E, size_t N>
std::optional<E> lookup(const std::array<std::string_view, N>& names, std::string_view s) {
    for (size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<E>(i);
    return std::nullopt;
}

// Indexed by enum value.
constexpr std::array<std::string_view, 5> kDTypes{"fp32", "fp16", "bf16", "int8", "int4"};
constexpr std::array<std::string_view, 6> kKinds{"cpu", "gpu", "npu", "dsp", "mcu", "accelerator"};
constexpr std::array<std::string_view, 3> kLevels{"dram", "sram", "flash"};
constexpr std::array<std::string_view, 2> kWeightsIn{"ram", "storage"};

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
    return out;
}

}  // namespace

std::string_view to_string(DType d) { return kDTypes[static_cast<size_t>(d)]; }
std::string_view to_string(UnitKind k) { return kKinds[static_cast<size_t>(k)]; }
std::string_view to_string(MemoryLevel m) { return kLevels[static_cast<size_t>(m)]; }
std::string_view to_string(WeightsIn w) { return kWeightsIn[static_cast<size_t>(w)]; }
std::optional<DType> parse_dtype(std::string_view s) { return lookup<DType>(kDTypes, s); }
std::optional<UnitKind> parse_unit_kind(std::string_view s) { return lookup<UnitKind>(kKinds, s); }
std::optional<MemoryLevel> parse_memory_level(std::string_view s) { return lookup<MemoryLevel>(kLevels, s); }
std::optional<WeightsIn> parse_weights_in(std::string_view s) { return lookup<WeightsIn>(kWeightsIn, s); }

const std::vector<std::string>& efficiency_classes() {
    // Mirrors the engine's cost-rule families (engine/src/analysis/*_rules.cpp).
    static const std::vector<std::string> classes{"default", "conv", "depthwise_conv", "matmul",
                                                  "elementwise", "norm", "pool", "reduce",
                                                  "data_movement", "resize", "rnn"};
    return classes;
}

double Efficiency::at(double macs) const {
    if (half_at_macs <= 0) return max;  // constant
    if (!(macs > 0)) return min;
    return min + (max - min) * macs / (macs + half_at_macs);
}

bool Unit::supports_op(const std::string& op_type) const {
    return all_ops || std::find(ops.begin(), ops.end(), op_type) != ops.end();
}

bool Unit::sparse_2_4_in(DType d) const {
    return sparsity_2_4 && (sparsity_2_4_dtypes.empty() ||
                            std::find(sparsity_2_4_dtypes.begin(), sparsity_2_4_dtypes.end(), d) != sparsity_2_4_dtypes.end());
}

const TransitionCost& Transition::cost(const std::string& from, const std::string& to) const {
    auto it = pairs.find({from, to});
    return it == pairs.end() ? default_cost : it->second;
}

const Unit* DeviceSpec::find_unit(std::string_view unit_name) const {
    for (const auto& u : units)
        if (u.name == unit_name) return &u;
    return nullptr;
}

const Source* DeviceSpec::find_source(std::string_view key) const {
    for (const auto& s : sources)
        if (s.key == key) return &s;
    return nullptr;
}

SpecError::SpecError(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

std::string fingerprint_of(std::string_view bytes) {
    // Same format as the engine's ContentHasher, so cache keys read alike.
    const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return std::string("xxh3-128:") + buf;
}

DeviceSpec load_device_spec(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SpecError({path.string() + ": cannot open device spec"});
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (in.bad()) throw SpecError({path.string() + ": cannot read device spec"});
    return parse_device_spec(bytes.str(), path.string());
}

std::vector<std::filesystem::path> find_device_specs(const std::vector<std::filesystem::path>& dirs) {
    std::vector<std::filesystem::path> out;
    for (const auto& dir : dirs) {
        std::error_code ec;
        std::vector<std::filesystem::path> found;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->path().extension() == ".toml" && it->is_regular_file(ec)) found.push_back(it->path());
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

}  // namespace winglet::device_spec
