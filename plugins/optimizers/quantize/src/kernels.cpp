#include "kernels.hpp"

#include "quantize_runs.hpp"
#include "scale_choice.hpp"

#include <atomic>
#include <stdexcept>
#include <string>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define WINGLET_HAVE_AVX2_KERNELS 1
#else
#define WINGLET_HAVE_AVX2_KERNELS 0
#endif

namespace winglet::quantize {

namespace baseline_set {
#define WINGLET_KERNEL_TARGET
#include "kernel_set.inc"
#undef WINGLET_KERNEL_TARGET
const Kernels table{"baseline", &range, &widen, &run, &run_varying, &runs};
}  // namespace baseline_set

#if WINGLET_HAVE_AVX2_KERNELS
// target("avx2") functions may inline the target-less loops (a subset of their ISA); nothing
// compiled for AVX2 is shared with the rest of the program, so no AVX2 code can leak into a
// baseline caller through an inline function's one-definition merge.
namespace avx2_set {
#define WINGLET_KERNEL_TARGET __attribute__((target("avx2")))
#include "kernel_set.inc"
#undef WINGLET_KERNEL_TARGET
const Kernels table{"avx2", &range, &widen, &run, &run_varying, &runs};
}  // namespace avx2_set
#endif

namespace {

std::vector<const Kernels*> detect() {
    std::vector<const Kernels*> sets{&baseline_set::table};
#if WINGLET_HAVE_AVX2_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) sets.push_back(&avx2_set::table);  // checks OS YMM support too
#endif
    return sets;
}

const std::vector<const Kernels*>& supported() {
    static const std::vector<const Kernels*> sets = detect();
    return sets;
}

std::atomic<const Kernels*> forced{nullptr};

}  // namespace

std::vector<const Kernels*> supported_kernels() { return supported(); }

const Kernels& active_kernels() {
    const Kernels* k = forced.load(std::memory_order_acquire);
    return k ? *k : *supported().back();
}

void force_kernels(const char* name) {
    const std::string wanted = name ? name : "";
    if (wanted.empty()) {
        forced.store(nullptr, std::memory_order_release);
        return;
    }
    for (const Kernels* k : supported()) {
        if (wanted == k->name) {
            forced.store(k, std::memory_order_release);
            return;
        }
    }
    throw std::invalid_argument("quantize: kernel set '" + wanted + "' is unknown or not supported on this CPU");
}

}  // namespace winglet::quantize
