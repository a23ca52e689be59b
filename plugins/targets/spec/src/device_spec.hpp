// Device spec: the plain data a spec-driven target reads from a TOML file (format in
// plugins/targets/spec/devices/example.toml). Loading validates everything, so consumers can
// trust every field: numbers are finite, cited, and in range; names refer to things that exist.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace winglet::device_spec {

enum class DType { fp32, fp16, bf16, int8, int4 };
enum class UnitKind { cpu, gpu, npu, dsp, mcu, accelerator };
enum class MemoryLevel { dram, sram, flash };
// Where a model's weights live while it runs: copied into RAM at load (phones, GPUs, PCs), or
// read in place from memory-mapped storage (an MCU's flash, execute-in-place).
enum class WeightsIn { ram, storage };

std::string_view to_string(DType d);
std::string_view to_string(UnitKind k);
std::string_view to_string(MemoryLevel m);
std::string_view to_string(WeightsIn w);
std::optional<DType> parse_dtype(std::string_view s);
std::optional<UnitKind> parse_unit_kind(std::string_view s);
std::optional<MemoryLevel> parse_memory_level(std::string_view s);
std::optional<WeightsIn> parse_weights_in(std::string_view s);

// Operator classes that efficiencies are given for; "default" covers every class not listed.
const std::vector<std::string>& efficiency_classes();

// A number with its citation. `derivation` is non-empty when the value is an engineering
// estimate computed from cited figures rather than a figure the source states directly.
struct Quantity {
    double value = 0;
    std::string source;
    std::string derivation;
    bool estimate() const { return !derivation.empty(); }
};

// Fraction of peak a unit reaches. Constant when half_at_macs == 0; otherwise it rises with the
// op's size: at(macs) = min + (max - min) * macs / (macs + half_at_macs).
struct Efficiency {
    double min = 1;
    double max = 1;
    double half_at_macs = 0;
    std::string source;
    std::string derivation;
    double at(double macs) const;
};

// Limits on one op type on one unit; unset limits mean "no limit".
struct OpConstraint {
    std::vector<DType> dtypes;  // empty: every dtype the unit has a peak for
    std::optional<int64_t> kernel_max;
    std::optional<int64_t> rank_max;
    bool dynamic_shapes = true;
    std::string source;
};

// Ops per weight element to decode a compressed weight when the spec gives no figure: one lookup or
// one (code - zero_point) * scale, counted as one op.
inline constexpr double kDefaultDecodeOps = 1;

struct Unit {
    std::string name;
    UnitKind kind = UnitKind::cpu;
    std::string description;
    std::map<DType, Quantity> peak_ops;  // ops/s (1 MAC = 2 ops); absent dtype = unsupported
    std::map<DType, Quantity> energy_pj_per_mac;
    std::optional<Quantity> onchip_bytes;
    Quantity bandwidth;  // B/s the unit can stream from main memory
    Quantity dispatch_us;
    // A unit that runs a compiled program (Core ML on the Neural Engine) pays dispatch_us once per
    // run of consecutive ops on it in execution order, not per op.
    bool dispatch_per_segment = false;
    Quantity static_power_w;
    bool all_ops = false;          // ops = ["*"]
    std::vector<std::string> ops;  // when !all_ops
    std::map<std::string, OpConstraint> constraints;  // by ONNX op type
    std::map<std::string, Efficiency> efficiency;     // by class; always has "default"
    // Ops the unit spends per weight element to turn stored codes into compute values
    // (decode_ops_per_element.{lut,dequantize}); absent: kDefaultDecodeOps.
    std::optional<Quantity> decode_ops_lut, decode_ops_dequantize;
    bool sparsity_2_4 = false;             // 2:4 structured-sparse weights run their MACs at 2x ...
    std::vector<DType> sparsity_2_4_dtypes;  // ... in these dtypes; empty: in every dtype
    bool sparsity_unstructured = false;    // MACs on zero weights are skipped, whatever the pattern
    bool supports(DType d) const { return peak_ops.count(d) != 0; }
    bool sparse_2_4_in(DType d) const;
    bool supports_op(const std::string& op_type) const;
};

struct Memory {
    Quantity ram_bytes;
    std::optional<Quantity> storage_bytes;
    Quantity ram_bandwidth;  // B/s of main memory (DRAM; an MCU's SRAM)
    std::map<MemoryLevel, Quantity> energy_pj_per_byte;
    // `weights_in`; when the spec leaves it out: storage on a device with an mcu unit and a
    // storage_bytes, else ram (see plugins/targets/spec/README.md, "Memory").
    WeightsIn weights_in = WeightsIn::ram;
    bool weights_in_defaulted = true;
    std::string weights_in_source;      // the [[source]] key it cites; "" when bare or defaulted
    std::string weights_in_derivation;  // its `derived`: the reasoning, when the source is not explicit
    // B/s of reads in place from storage; absent: as fast as the unit reads RAM (its bandwidth).
    std::optional<Quantity> storage_read_bandwidth;
};

struct Fusion {
    std::string unit;
    std::vector<std::string> pattern;  // ONNX op types, producer first
    std::string source;                // optional for fusions (they hold no numbers)
};

// Cost of moving a tensor between two units: fixed_us + bytes / bandwidth.
struct TransitionCost {
    Quantity fixed_us;
    Quantity bandwidth;
};

struct Transition {
    TransitionCost default_cost;
    std::map<std::pair<std::string, std::string>, TransitionCost> pairs;  // (from, to) overrides
    const TransitionCost& cost(const std::string& from, const std::string& to) const;
};

struct Source {
    std::string key;
    std::string title;
    std::string url;   // empty for an in-house assumption (no public figure exists)
    std::string says;  // what the source states that the spec relies on
};

struct DeviceSpec {
    int64_t format = 1;
    std::string id;
    std::string name;
    std::string description;
    std::string vendor;
    Memory memory;
    std::vector<Unit> units;
    std::vector<std::string> preference;  // unit names, most preferred first
    std::vector<Fusion> fusions;
    Transition transition;
    std::vector<Source> sources;
    std::string origin;       // file path or the name given to parse_device_spec
    std::string fingerprint;  // "xxh3-128:<hex>" of the file bytes, for cache keys
    const Unit* find_unit(std::string_view name) const;
    const Source* find_source(std::string_view key) const;
};

// Every problem found in one spec, one per line in what(), each "origin[:line:col]: problem".
class SpecError : public std::runtime_error {
public:
    explicit SpecError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Throws SpecError for unreadable files, TOML syntax errors and every validation problem.
DeviceSpec load_device_spec(const std::filesystem::path& path);
DeviceSpec parse_device_spec(std::string_view text, std::string_view origin);

// The *.toml files directly in each existing directory, sorted by path within each directory;
// missing directories are skipped (search paths are often optional).
std::vector<std::filesystem::path> find_device_specs(const std::vector<std::filesystem::path>& dirs);

// The same fingerprint load_device_spec stores, for bytes already in memory.
std::string fingerprint_of(std::string_view bytes);

}  // namespace winglet::device_spec
