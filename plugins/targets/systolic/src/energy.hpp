// Energy per operation, from M. Horowitz, "Computing's energy problem (and what we can do about
// it)", ISSCC 2014, 45 nm at 0.9 V. Not scaled to each device's node: newer nodes spend less, so
// these are upper bounds (roughly 2x high at 28 nm, Horowitz's own scaling remark).
#pragma once

#include "config.hpp"

namespace systolic::energy {

// 8-bit integer multiply 0.2 pJ + 8-bit add 0.03 pJ.
inline constexpr double kInt8MacPj = 0.2 + 0.03;
// 16-bit float multiply 1.1 pJ + 16-bit float add 0.4 pJ.
inline constexpr double kFp16MacPj = 1.1 + 0.4;
// DRAM: 1.3-2.6 nJ per 64-bit access; the midpoint, per byte: 1950 pJ / 8.
inline constexpr double kDramPjPerByte = 1950.0 / 8.0;
// SRAM read of 64 bits: 10 pJ from an 8 KiB array, 20 pJ from 32 KiB, 100 pJ from 1 MiB.
inline constexpr double kSram32KiBPjPerByte = 20.0 / 8.0;
inline constexpr double kSram1MiBPjPerByte = 100.0 / 8.0;
// A general-purpose core spends about 70 pJ per instruction (fetch, decode, register file),
// whatever the arithmetic; one instruction per FLOP on the host CPU.
inline constexpr double kCpuPjPerFlop = 70.0;

inline double mac_pj(Precision p) { return p == Precision::Int8 ? kInt8MacPj : kFp16MacPj; }
// One add per FLOP of an op fused into the array's output pipeline: 8-bit int add 0.03 pJ,
// 16-bit float add 0.4 pJ.
inline double fused_pj_per_flop(Precision p) { return p == Precision::Int8 ? 0.03 : 0.4; }

}  // namespace systolic::energy
