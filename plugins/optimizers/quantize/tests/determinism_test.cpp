// The output must not depend on how many threads run or how TBB splits the work: one thread
// (global_control), the default, and an oversubscribed arena of 7 give bit-identical tensors.
#define BOOST_TEST_MODULE quantize_determinism
#include <boost/test/unit_test.hpp>

#include "linear_quant.hpp"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cstring>
#include <random>

namespace q = winglet::quantize;
using q::Granularity;

namespace {

bool identical(const q::QuantizedTensor& a, const q::QuantizedTensor& b) {
    return a.codes == b.codes && a.zero_points == b.zero_points && a.scales.size() == b.scales.size() &&
           std::memcmp(a.scales.data(), b.scales.data(), a.scales.size() * sizeof(float)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(any_thread_count_gives_the_same_bits) {
    // Big enough for dozens of tasks in every pass (16K elements per task).
    struct Config {
        std::vector<int64_t> dims;
        Granularity g;
        int axis;
    };
    const std::vector<Config> configs{
        {{640, 1000}, Granularity::PerTensor, 0},
        {{640, 1000}, Granularity::PerChannel, 0},
        {{640, 1000}, Granularity::PerChannel, 1},
        {{64, 40, 250}, Granularity::PerChannel, 1},
        {{640, 1000}, Granularity::PerBlock, 1},
        {{640, 1000}, Granularity::PerBlock, 0},
    };
    std::mt19937 rng(5);
    std::student_t_distribution<float> heavy(3.0f);  // outliers make ranges differ per group
    std::vector<float> w(640000);
    for (float& v : w) v = heavy(rng);

    for (const Config& c : configs) {
        for (bool symmetric : {true, false}) {
            q::QuantOptions o;
            o.bits = 4;
            o.symmetric = symmetric;
            o.granularity = c.g;
            o.axis = c.axis;
            BOOST_TEST_CONTEXT("granularity " << static_cast<int>(c.g) << ", axis " << c.axis << ", symmetric "
                                              << symmetric) {
                q::QuantizedTensor serial;
                {
                    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
                    serial = q::quantize(w.data(), c.dims, o);
                }
                const q::QuantizedTensor by_default = q::quantize(w.data(), c.dims, o);
                tbb::task_arena seven(7);
                q::QuantizedTensor oversubscribed;
                seven.execute([&] { oversubscribed = q::quantize(w.data(), c.dims, o); });
                BOOST_TEST(identical(serial, by_default));
                BOOST_TEST(identical(serial, oversubscribed));
            }
        }
    }
}
