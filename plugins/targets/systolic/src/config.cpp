// The built-in devices. Numbers marked "assumption" are this plugin's choices where no public
// source gives one; everything else cites where it comes from.
#include "config.hpp"

#include "energy.hpp"

#include <cstdio>
#include <stdexcept>

namespace systolic {

namespace {

constexpr uint64_t KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

// N. P. Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit",
// ISCA 2017: a 256x256 array of 8-bit MACs at 700 MHz (92 TOPS); 24 MiB Unified Buffer + 4 MiB
// of accumulators on chip; 8 GiB of DDR3 weight memory at 34 GB/s; 28 W idle (Table 2). The
// host is the paper's Haswell E5-2699 v3 server: 1.3 TFLOP/s fp32 and 51 GB/s (Table 2).
ArrayConfig tpu_v1() {
    ArrayConfig c;
    c.id = "systolic-tpu-v1";
    c.name = "TPU v1-like (256x256 int8 @ 700 MHz)";
    c.description = "weight-stationary 256x256 int8 array, 28 MiB on-chip, 34 GB/s DDR3 "
                    "(Jouppi et al., ISCA 2017)";
    c.rows = 256;
    c.cols = 256;
    c.freq_ghz = 0.7;
    c.fp16 = false;  // the TPU v1 multiplies 8-bit integers only
    c.sram_bytes = 28 * MiB;
    c.dram_bytes = 8 * GiB;
    c.dram_bytes_per_s = 34e9;
    c.dispatch_us = 1.0;  // assumption: one CISC instruction issued over PCIe
    c.cpu_flops_per_s = 1.3e12;
    c.cpu_bytes_per_s = 51e9;
    c.cpu_dispatch_us = 5.0;  // assumption: a framework kernel launch on the host
    c.sram_pj_per_byte = energy::kSram1MiBPjPerByte;  // MiB-scale buffers
    c.static_w = 28.0;
    return c;
}

// An edge-sized accelerator. Illustrative, not a product: 32x32 MACs at 1 GHz with 512 KiB of
// SRAM (assumptions); one x32 LPDDR4-2133 channel gives about 8.5 GB/s, taken as 8 GB/s; the host
// is a small quad-core Arm, about 8 GFLOP/s fp32 (assumption); 0.1 W static (assumption).
ArrayConfig edge_32x32() {
    ArrayConfig c;
    c.id = "systolic-edge-32x32";
    c.name = "Edge systolic array (32x32 @ 1 GHz, 512 KiB)";
    c.description = "illustrative edge accelerator: 32x32 int8/fp16 array, 512 KiB SRAM, 8 GB/s DRAM";
    c.rows = 32;
    c.cols = 32;
    c.freq_ghz = 1.0;
    c.fp16 = true;
    c.sram_bytes = 512 * KiB;
    c.dram_bytes = 1 * GiB;
    c.dram_bytes_per_s = 8e9;
    c.dispatch_us = 1.0;
    c.cpu_flops_per_s = 8e9;
    c.cpu_bytes_per_s = 8e9;  // shares the DRAM channel
    c.cpu_dispatch_us = 10.0;
    c.sram_pj_per_byte = energy::kSram32KiBPjPerByte;  // banked into 32 KiB arrays
    c.static_w = 0.1;
    return c;
}

// H. Genc et al., "Gemmini: Enabling Systematic Deep-Learning Architecture Evaluation via
// Full-Stack Integration", DAC 2021: the default configuration is a 16x16 int8 array with a
// 256 KiB scratchpad and a 64 KiB accumulator, driven by a Rocket core. Clock, DRAM and power
// are assumptions (1 GHz, 16 GB/s, 2 GiB, 0.05 W); the in-order host does about 1 GFLOP/s.
ArrayConfig gemmini() {
    ArrayConfig c;
    c.id = "systolic-gemmini-16x16";
    c.name = "Gemmini-like (16x16 int8, 256+64 KiB)";
    c.description = "Gemmini default: 16x16 int8 array, 256 KiB scratchpad + 64 KiB accumulator "
                    "(Genc et al., DAC 2021)";
    c.rows = 16;
    c.cols = 16;
    c.freq_ghz = 1.0;
    c.fp16 = false;
    c.sram_bytes = 256 * KiB + 64 * KiB;
    c.dram_bytes = 2 * GiB;
    c.dram_bytes_per_s = 16e9;
    c.dispatch_us = 0.5;
    c.cpu_flops_per_s = 1e9;
    c.cpu_bytes_per_s = 4e9;
    c.cpu_dispatch_us = 2.0;
    c.sram_pj_per_byte = energy::kSram32KiBPjPerByte;
    c.static_w = 0.05;
    return c;
}

}  // namespace

const std::vector<ArrayConfig>& builtin_configs() {
    static const std::vector<ArrayConfig> configs = {tpu_v1(), edge_32x32(), gemmini()};
    return configs;
}

std::string fingerprint(const ArrayConfig& c) {
    char text[1024];
    std::snprintf(text, sizeof text,
                  "%s|%u|%u|%.17g|%d|%llu|%llu|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|%.17g|"
                  "%.17g|%.17g|%.17g",
                  c.id.c_str(), c.rows, c.cols, c.freq_ghz, c.fp16 ? 1 : 0,
                  static_cast<unsigned long long>(c.sram_bytes),
                  static_cast<unsigned long long>(c.dram_bytes), c.dram_bytes_per_s, c.dispatch_us,
                  c.cpu_flops_per_s, c.cpu_bytes_per_s, c.cpu_dispatch_us, c.sram_pj_per_byte,
                  c.static_w, energy::kInt8MacPj, energy::kFp16MacPj, energy::kDramPjPerByte,
                  energy::kCpuPjPerFlop);
    uint64_t h = 14695981039346656037ull;  // FNV-1a 64-bit offset basis and prime
    for (const char* p = text; *p; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ull;
    char out[32];
    std::snprintf(out, sizeof out, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return out;
}

Precision parse_precision(const std::string& text) {
    if (text == "int8") return Precision::Int8;
    if (text == "fp16") return Precision::Fp16;
    throw std::invalid_argument("dtype must be int8 or fp16, got '" + text + "'");
}

const char* to_string(Precision p) { return p == Precision::Int8 ? "int8" : "fp16"; }

}  // namespace systolic
