// Per-channel symmetric int8 quantization of a 4096 x 4096 fp32 Gaussian matrix, the workload
// of numpy_quantize.py beside this file: median wall time of `runs` calls (default 20), after
// one warm-up call.
//   quantize_bench [--runs N] [--threads T] [--kernels baseline|avx2]
#include "kernels.hpp"
#include "linear_quant.hpp"

#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace q = winglet::quantize;

int main(int argc, char** argv) {
    int runs = 20, threads = tbb::info::default_concurrency();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--kernels") q::force_kernels(argv[i + 1]);
        else {
            std::fprintf(stderr, "usage: quantize_bench [--runs N] [--threads T] [--kernels baseline|avx2]\n");
            return 2;
        }
    }
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));

    const int64_t rows = 4096, cols = 4096;
    std::vector<float> w(static_cast<size_t>(rows * cols));
    std::mt19937 rng(42);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    for (float& x : w) x = gauss(rng);

    q::QuantOptions options;  // int8, symmetric, per channel along axis 0 (rows)
    int64_t checksum = 0;
    auto run_once = [&] {
        const q::QuantizedTensor t = q::quantize(w.data(), {rows, cols}, options);
        checksum += t.codes[12345] + t.codes.back();
    };
    run_once();  // warm-up: page in the input, start TBB's workers

    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        run_once();
        const auto stop = std::chrono::steady_clock::now();
        ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    const double median = ms[ms.size() / 2];
    const double gb_per_s = static_cast<double>(w.size()) * (sizeof(float) + 1) / (median * 1e6);
    std::printf("quantize_bench: per-channel symmetric int8, %lldx%lld fp32, %d threads, %s kernels\n",
                static_cast<long long>(rows), static_cast<long long>(cols), threads, q::active_kernels().name);
    std::printf("  median %.3f ms over %d runs (min %.3f, max %.3f), %.1f GB/s in+out  [checksum %lld]\n",
                median, runs, ms.front(), ms.back(), gb_per_s, static_cast<long long>(checksum));
    return 0;
}
