#pragma once
// Seeded weight-like samples and the uniform-quantization baseline, shared by the tests.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace palettize_test {

enum class Distribution { Gaussian, Uniform, Laplace };

inline const char* name(Distribution d) {
    switch (d) {
    case Distribution::Gaussian: return "gaussian";
    case Distribution::Uniform: return "uniform";
    case Distribution::Laplace: return "laplace";
    }
    return "?";
}

inline std::vector<float> sample(Distribution d, size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> gaussian(0.0, 0.02);
    std::uniform_real_distribution<double> uniform(-0.05, 0.05);
    std::exponential_distribution<double> exponential(1.0 / 0.02);
    std::bernoulli_distribution negative(0.5);
    std::vector<float> v(n);
    for (float& x : v) {
        switch (d) {
        case Distribution::Gaussian: x = static_cast<float>(gaussian(rng)); break;
        case Distribution::Uniform: x = static_cast<float>(uniform(rng)); break;
        case Distribution::Laplace: x = static_cast<float>(negative(rng) ? -exponential(rng) : exponential(rng)); break;
        }
    }
    return v;
}

// SSE of min-max uniform quantization: 2^bits evenly spaced levels from min to max (kept in
// double), each value rounded to the nearest level.
inline double uniform_quantization_sse(const std::vector<float>& v, int bits) {
    const auto [lo_it, hi_it] = std::minmax_element(v.begin(), v.end());
    const double lo = *lo_it, hi = *hi_it;
    const double step = (hi - lo) / ((1 << bits) - 1);
    double sse = 0;
    for (const float x : v) {
        const double q = step > 0 ? lo + std::round((x - lo) / step) * step : lo;
        sse += (x - q) * (x - q);
    }
    return sse;
}

// SSE of the values against their nearest centroid, recomputed independently of the library.
inline double nearest_sse(const std::vector<float>& v, const std::vector<float>& centroids) {
    double sse = 0;
    for (const float x : v) {
        double best = INFINITY;
        for (const float c : centroids) best = std::min(best, (double(x) - c) * (double(x) - c));
        sse += best;
    }
    return sse;
}

}  // namespace palettize_test
