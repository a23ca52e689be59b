// Times per-tensor palettization (default 4 bits, k = 16) of N synthetic weights and reports
// its MSE. sklearn_kmeans.py runs scikit-learn's KMeans on the same values: pass --dump FILE.npy.
//
//   palettize_bench [--n N] [--bits B] [--seed S] [--repeat R] [--dump FILE.npy]
//
// The weights: a Gaussian body (sigma 0.02, 95%) with Laplace tails (b = 0.06, 5%), like the
// heavier-than-Gaussian tails of trained layers; deterministic for a given seed.

#include "palettize.hpp"

#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

struct Args {
    size_t n = 10'000'000;
    int bits = 4;
    uint64_t seed = 42;
    int repeat = 5;
    std::string dump;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) throw std::invalid_argument("missing value after " + flag);
        const char* value = argv[++i];
        if (flag == "--n") a.n = static_cast<size_t>(std::stod(value));
        else if (flag == "--bits") a.bits = std::stoi(value);
        else if (flag == "--seed") a.seed = std::stoull(value);
        else if (flag == "--repeat") a.repeat = std::max(1, std::stoi(value));
        else if (flag == "--dump") a.dump = value;
        else throw std::invalid_argument("unknown flag " + flag);
    }
    return a;
}

std::vector<float> make_weights(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> body(0.0, 0.02);
    std::exponential_distribution<double> tail(1.0 / 0.06);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<float> w(n);
    for (float& x : w) {
        const double u = unit(rng);
        if (u < 0.95) x = static_cast<float>(body(rng));
        else x = static_cast<float>(u < 0.975 ? -tail(rng) : tail(rng));
    }
    return w;
}

// A 1-D little-endian float32 .npy (format version 1.0), readable by numpy.load.
void write_npy(const std::string& path, const std::vector<float>& w) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(w.size()) + ",), }";
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const uint16_t length = static_cast<uint16_t>(header.size());
    const char length_le[2] = {static_cast<char>(length & 0xff), static_cast<char>(length >> 8)};
    out.write(length_le, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(w.data()), static_cast<std::streamsize>(w.size() * sizeof(float)));
    if (!out) throw std::runtime_error("could not write " + path);
}

double uniform_mse(const std::vector<float>& w, int bits) {
    const auto [lo_it, hi_it] = std::minmax_element(w.begin(), w.end());
    const double lo = *lo_it, step = (*hi_it - lo) / ((1 << bits) - 1);
    double sse = 0;
    for (const float x : w) {
        const double q = lo + std::round((x - lo) / step) * step;
        sse += (x - q) * (x - q);
    }
    return sse / static_cast<double>(w.size());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace winglet::palettize;
    try {
        const Args args = parse(argc, argv);
        const std::vector<float> w = make_weights(args.n, args.seed);
        if (!args.dump.empty()) write_npy(args.dump, w);

        PalettizeOptions options;
        options.bits = args.bits;
        const std::vector<int64_t> dims{static_cast<int64_t>(w.size())};
        std::vector<double> ms, cpu_ms;  // wall clock; CPU time of all threads (shows contention)
        PalettizedTensor p;
        for (int r = 0; r < args.repeat; ++r) {
            const auto start = std::chrono::steady_clock::now();
            const std::clock_t cpu_start = std::clock();
            p = palettize(w.data(), dims, options);
            cpu_ms.push_back(1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        const std::vector<float> decoded = p.decode();
        double sse = 0;
        for (size_t i = 0; i < w.size(); ++i) sse += (double(w[i]) - decoded[i]) * (double(w[i]) - decoded[i]);
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());

        std::printf("weights: n=%zu seed=%llu (95%% N(0,0.02) + 5%% Laplace(0,0.06)), threads=%d\n", w.size(),
                    static_cast<unsigned long long>(args.seed), tbb::info::default_concurrency());
        std::printf("palettize %d-bit (k=%d), per-tensor: best %.1f ms, median %.1f ms over %d runs (least CPU time %.1f ms)\n",
                    args.bits, 1 << args.bits, sorted.front(), sorted[sorted.size() / 2], args.repeat,
                    *std::min_element(cpu_ms.begin(), cpu_ms.end()));
        std::printf("MSE %.6e   (uniform min-max %d-bit: %.6e)\n", sse / static_cast<double>(w.size()), args.bits,
                    uniform_mse(w, args.bits));
        std::printf("LUT:");
        for (size_t j = 0; j < (size_t{1} << args.bits) && j < 16; ++j) std::printf(" %.5f", p.luts[j]);
        std::printf("\n");
        if (!args.dump.empty()) std::printf("wrote %s\n", args.dump.c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "palettize_bench: %s\n", e.what());
        return 1;
    }
}
