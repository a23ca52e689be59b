// The numbers that describe one systolic-array device, and the built-in devices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace systolic {

// Operand width on the array. Accumulation is wider inside the array and not modelled apart.
enum class Precision { Int8, Fp16 };

struct ArrayConfig {
    std::string id, name, description;
    // The array: rows x cols processing elements, one MAC per PE per cycle, weight-stationary.
    uint32_t rows = 0, cols = 0;
    double freq_ghz = 0;
    bool fp16 = false;               // int8 is always supported
    uint64_t sram_bytes = 0;         // on-chip buffers (activations, weight FIFO, accumulators)
    uint64_t dram_bytes = 0;         // off-chip capacity
    double dram_bytes_per_s = 0;     // off-chip bandwidth; also costs unit transitions
    double dispatch_us = 0;          // fixed cost of launching one array op
    // The host CPU that runs what the array cannot.
    double cpu_flops_per_s = 0;
    double cpu_bytes_per_s = 0;
    double cpu_dispatch_us = 0;
    // Energy (see energy.hpp for the per-operation constants).
    double sram_pj_per_byte = 0;
    double static_w = 0;
};

// The devices the plugin ships; every number is cited in config.cpp.
const std::vector<ArrayConfig>& builtin_configs();

// "fnv1a64:<16 hex>" over every number of the configuration: changes whenever one does.
std::string fingerprint(const ArrayConfig& c);

// Bytes per operand element.
inline uint32_t element_bytes(Precision p) { return p == Precision::Int8 ? 1u : 2u; }

// "int8" / "fp16" -> Precision; throws std::invalid_argument on anything else.
Precision parse_precision(const std::string& text);
const char* to_string(Precision p);

}  // namespace systolic
