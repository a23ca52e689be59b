// The GEMM mapping against hand calculations, on the built-in edge device:
// R = C = 32 PEs, F = 1 GHz, SRAM S = 512 KiB = 524288 B, DRAM B = 8e9 B/s, dispatch 1 us,
// SRAM 2.5 pJ/B, DRAM 243.75 pJ/B, int8 MAC 0.23 pJ (numbers in src/config.cpp, src/energy.hpp).
#define BOOST_TEST_MODULE systolic_cost_model
#include <boost/test/unit_test.hpp>

#include "config.hpp"
#include "edge_device.hpp"
#include "energy.hpp"
#include "gemm_cost.hpp"

#include <set>

namespace tt = boost::test_tools;
using namespace systolic;
using systolic::test::edge;

BOOST_AUTO_TEST_CASE(gemm_64x128x256_on_32x32) {
    // M = 64, K = 128, N = 256, int8 (e = 1 byte):
    //   k_tiles = ceil(128/32) = 4, n_tiles = ceil(256/32) = 8, tiles = 32
    //   cycles  = 32 * (2*32 + 32 + 64 - 2) = 32 * 158 = 5056  -> 5.056 us at 1 GHz
    //   W = 128*256 = 32768 B, A = 64*128 = 8192 B, O = 64*256 = 16384 B
    //   working set = 8192 + 16384 + 2*32*32 = 26624 B <= 524288: no spill
    //   DRAM = W = 32768 B -> 32768 / 8e9 = 4.096 us < 5.056 us: compute-bound
    //   SRAM = n_tiles*M*K + W + k_tiles*O = 65536 + 32768 + 65536 = 163840 B
    //   MACs = 64*128*256 = 2097152
    //   energy = 2097152*0.23 + 163840*2.5 + 32768*243.75 pJ
    //          = 482344.96 + 409600 + 7987200 = 8879144.96 pJ
    const GemmCost g = gemm_cost(edge(), Precision::Int8, plain_gemm(64, 128, 256));
    BOOST_TEST(g.k_tiles == 4u);
    BOOST_TEST(g.n_tiles == 8u);
    BOOST_TEST(g.tiles == 32u);
    BOOST_TEST(g.cycles == 5056u);
    BOOST_TEST(g.compute_s * 1e6 == 5.056, tt::tolerance(1e-12));
    BOOST_TEST(g.working_set_bytes == 26624u);
    BOOST_TEST(!g.spills);
    BOOST_TEST(g.dram_bytes == 32768u);
    BOOST_TEST(g.memory_s * 1e6 == 4.096, tt::tolerance(1e-12));
    BOOST_TEST(g.sram_bytes == 163840u);
    BOOST_TEST(g.macs == 2097152u);
    const double pj = static_cast<double>(g.macs) * energy::mac_pj(Precision::Int8) +
                      static_cast<double>(g.sram_bytes) * edge().sram_pj_per_byte +
                      static_cast<double>(g.dram_bytes) * energy::kDramPjPerByte;
    BOOST_TEST(pj == 8879144.96, tt::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(conv_as_implicit_gemm) {
    // 3x3 Conv, 64 -> 64 channels, 56x56 output, batch 1 (a ResNet stage-1 conv):
    //   M = 1*56*56 = 3136, K = 64*3*3 = 576, N = 64
    //   k_tiles = 18, n_tiles = 2, tiles = 36; cycles = 36 * (64 + 32 + 3136 - 2) = 116280
    //   resident input = 64*56*56 = 200704 B, O = 3136*64 = 200704 B, W = 576*64 = 36864 B
    //   working set = 200704 + 200704 + 2048 = 403456 B <= 524288: fits, DRAM = W
    const GemmShape s = conv_as_gemm(1, 64, 64, 1, 9, 56 * 56, 64 * 56 * 56);
    BOOST_TEST(s.m == 3136u);
    BOOST_TEST(s.k == 576u);
    BOOST_TEST(s.n == 64u);
    const GemmCost g = gemm_cost(edge(), Precision::Int8, s);
    BOOST_TEST(g.tiles == 36u);
    BOOST_TEST(g.cycles == 116280u);
    BOOST_TEST(g.working_set_bytes == 403456u);
    BOOST_TEST(!g.spills);
    BOOST_TEST(g.dram_bytes == 36864u);
    BOOST_TEST(g.macs == 115605504u);
}

BOOST_AUTO_TEST_CASE(depthwise_conv_uses_one_column_per_group) {
    // Depthwise 3x3 on 32 channels, 8x8 output: per group M = 64, K = 9, N = 1, so 32 groups of
    // one tile each: cycles = 32 * (64 + 32 + 64 - 2) = 5056 for only 64*9*32 = 18432 MACs.
    const GemmCost g = gemm_cost(edge(), Precision::Int8, conv_as_gemm(1, 32, 32, 32, 9, 64, 32 * 64));
    BOOST_TEST(g.tiles == 32u);
    BOOST_TEST(g.cycles == 5056u);
    BOOST_TEST(g.macs == 18432u);
}

BOOST_AUTO_TEST_CASE(sram_overflow_rereads_inputs_per_column_strip) {
    // M = 4096, K = 256, N = 256, int8: A = O = 1048576 B; working set 2099200 B > 524288.
    //   k_tiles = n_tiles = 8, tiles = 64; cycles = 64 * (64 + 32 + 4096 - 2) = 268160 (268.16 us)
    //   DRAM = W + n_tiles*A + O = 65536 + 8*1048576 + 1048576 = 9502720 B -> 1187.84 us
    //   memory-bound: 1187.84 us > 268.16 us
    const GemmCost g = gemm_cost(edge(), Precision::Int8, plain_gemm(4096, 256, 256));
    BOOST_TEST(g.spills);
    BOOST_TEST(g.working_set_bytes == 2099200u);
    BOOST_TEST(g.cycles == 268160u);
    BOOST_TEST(g.dram_bytes == 9502720u);
    BOOST_TEST(g.memory_s * 1e6 == 1187.84, tt::tolerance(1e-12));
    BOOST_TEST(g.memory_s > g.compute_s);
}

BOOST_AUTO_TEST_CASE(fp16_doubles_the_bytes_not_the_cycles) {
    const GemmCost a = gemm_cost(edge(), Precision::Int8, plain_gemm(64, 128, 256));
    const GemmCost b = gemm_cost(edge(), Precision::Fp16, plain_gemm(64, 128, 256));
    BOOST_TEST(b.cycles == a.cycles);
    BOOST_TEST(b.dram_bytes == 2 * a.dram_bytes);
    BOOST_TEST(b.working_set_bytes == 2 * a.working_set_bytes);
}

BOOST_AUTO_TEST_CASE(devices_have_distinct_stable_fingerprints) {
    std::set<std::string> seen;
    for (const ArrayConfig& c : builtin_configs()) {
        BOOST_TEST(fingerprint(c) == fingerprint(c));
        BOOST_TEST(fingerprint(c).rfind("fnv1a64:", 0) == 0u);
        seen.insert(fingerprint(c));
    }
    BOOST_TEST(seen.size() == builtin_configs().size());
    ArrayConfig changed = edge();
    changed.dram_bytes_per_s *= 2;
    BOOST_TEST(fingerprint(changed) != fingerprint(edge()));
}

BOOST_AUTO_TEST_CASE(precision_names) {
    BOOST_TEST((parse_precision("int8") == Precision::Int8));
    BOOST_TEST((parse_precision("fp16") == Precision::Fp16));
    BOOST_CHECK_THROW(parse_precision("int4"), std::invalid_argument);
}
