// The vectorized loops (value_range.hpp, quantize_runs.hpp) compiled once per instruction set,
// and the choice among them at run time. The build targets baseline x86-64 (SSE2); AVX2 halves
// the time of the division-bound quantize loop. Every set computes bit-identical results: the
// same IEEE-754 operations in the same order per element, only more of them at once.
#pragma once

#include "linear_quant.hpp"
#include "value_range.hpp"

#include <cstdint>
#include <vector>

namespace winglet::quantize {

// `symmetric` selects the loops that track and use max|x| only (value_range.hpp).
struct Kernels {
    const char* name;
    ValueRange (*range_of)(const float* x, int64_t n, bool symmetric);
    // Symmetric: only hi_keys (magnitude keys) is widened; lo_keys may be null.
    void (*widen_columns)(const float* x, int64_t n, int32_t* lo_keys, int32_t* hi_keys, bool symmetric);
    void (*quantize_run)(const float* x, int64_t n, float scale, int32_t zero_point, int qmin, int qmax,
                         int8_t* codes);
    // Symmetric: zero_points is not read.
    void (*quantize_run_varying)(const float* x, int64_t n, const float* scales, const int8_t* zero_points,
                                 int qmin, int qmax, bool symmetric, int8_t* codes);
    // `runs` back-to-back runs of `length` weights, each its own group: range, parameters (into
    // scales[r], zero_points[r]) and codes, each run visited while in cache. False if a run held
    // a non-finite weight (that run's outputs are left as they were).
    bool (*quantize_runs)(const float* x, int64_t runs, int64_t length, CodeRange codes, bool symmetric,
                          float* scales, int8_t* zero_points, int8_t* out);
};

// Every set this build has and this CPU runs, narrowest first ("baseline", then "avx2").
std::vector<const Kernels*> supported_kernels();

// The set quantize() uses: the widest supported one, unless one was forced by name
// (tests and quantize_bench compare them). Throws std::invalid_argument for an unknown or
// unsupported name; an empty name restores the default.
const Kernels& active_kernels();
void force_kernels(const char* name);

}  // namespace winglet::quantize
