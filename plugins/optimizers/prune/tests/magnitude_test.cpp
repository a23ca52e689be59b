// Magnitude pruning: exact counts by hand arithmetic; the pruned set against an independent
// stable sort; the tie rule.
#define BOOST_TEST_MODULE prune_magnitude
#include <boost/test/unit_test.hpp>

#include "pruning.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>

namespace p = winglet::prune;
namespace tt = boost::test_tools;

namespace {

std::vector<float> gaussian(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::vector<float> w(n);
    for (float& x : w) {
        do x = g(rng);
        while (x == 0.0f);  // no zeros before pruning, so counting zeros counts the mask
    }
    return w;
}

uint64_t zeros_in(const std::vector<float>& v) { return static_cast<uint64_t>(std::count(v.begin(), v.end(), 0.0f)); }

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

BOOST_AUTO_TEST_CASE(exact_counts) {
    struct Row {
        size_t n;
        double sparsity;
        uint64_t k;  // llround(sparsity * n), worked out by hand
    };
    const Row rows[] = {
        {10, 0.5, 5},       // 5
        {10, 0.0, 0},       // 0
        {7, 0.3, 2},        // 2.1 -> 2
        {7, 0.5, 4},        // 3.5 -> 4 (half away from zero)
        {3, 0.5, 2},        // 1.5 -> 2
        {10, 0.25, 3},      // 2.5 -> 3
        {1, 0.4, 0},        // 0.4 -> 0
        {1, 0.5, 1},        // 0.5 -> 1: the only weight goes
        {100, 0.999, 100},  // 99.9 -> 100: everything goes
        {1000, 0.9, 900},   // 900
        {1001, 0.9, 901},   // 900.9 -> 901
        {4096, 0.75, 3072}, // 3072
        {12345, 0.1, 1235}, // 1234.5 -> 1235
        {65536, 0.5, 32768},
        {0, 0.5, 0},
    };
    unsigned seed = 1;
    for (const Row& row : rows) {
        BOOST_TEST_CONTEXT("n " << row.n << ", sparsity " << row.sparsity) {
            const std::vector<float> w = gaussian(row.n, seed++);
            const p::PruneResult r = p::prune_magnitude(w.data(), w.size(), row.sparsity);
            BOOST_TEST(r.zeros == row.k);
            BOOST_TEST(zeros_in(r.values) == row.k);
            BOOST_TEST(r.values.size() == row.n);
        }
    }
}

BOOST_AUTO_TEST_CASE(pruned_weights_are_the_smallest_by_an_independent_sort) {
    // Magnitudes from a small set so ties are everywhere; signs random. The expected mask: the
    // first k of the indices stably sorted by |w| (stable = ties stay in index order).
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> level(0, 40), sign(0, 1);
    for (size_t n : {17u, 256u, 1000u, 4099u}) {
        std::vector<float> w(n);
        for (float& x : w) x = (sign(rng) ? -1.0f : 1.0f) * (0.25f + 0.125f * static_cast<float>(level(rng)));
        std::vector<size_t> order(n);
        std::iota(order.begin(), order.end(), size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::fabs(w[a]) < std::fabs(w[b]); });
        for (double sparsity : {0.1, 0.37, 0.5, 0.8, 0.95}) {
            BOOST_TEST_CONTEXT("n " << n << ", sparsity " << sparsity) {
                const uint64_t k = static_cast<uint64_t>(std::llround(sparsity * static_cast<double>(n)));
                std::vector<bool> expect_pruned(n, false);
                for (uint64_t i = 0; i < k; ++i) expect_pruned[order[i]] = true;
                const p::PruneResult r = p::prune_magnitude(w.data(), n, sparsity);
                size_t wrong = 0;
                for (size_t i = 0; i < n; ++i)
                    wrong += expect_pruned[i] ? !same_bits(r.values[i], 0.0f) : !same_bits(r.values[i], w[i]);
                BOOST_TEST(wrong == 0u);
                BOOST_TEST(r.zeros == k);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(ties_prune_the_lower_index_first) {
    // |w| = [0.5, 0.5, 0.1, 0.5, 0.1], sparsity 0.6 -> k = 3. Prune order (|w|, index):
    // (0.1, 2), (0.1, 4), (0.5, 0), (0.5, 1), (0.5, 3) -> indices 2, 4, 0 go.
    const std::vector<float> w{0.5f, -0.5f, 0.1f, 0.5f, -0.1f};
    const p::PruneResult r = p::prune_magnitude(w.data(), w.size(), 0.6);
    BOOST_TEST(r.values == (std::vector<float>{0.0f, -0.5f, 0.0f, 0.5f, 0.0f}), tt::per_element());
    BOOST_TEST(r.zeros == 3u);
}

BOOST_AUTO_TEST_CASE(existing_zeros_are_pruned_first_and_counted_once) {
    // Zeros are the smallest magnitudes: with 3 zeros among 8 and k = llround(0.25 * 8) = 2,
    // two of them (indices 1, 4) are "pruned" and the third stays a zero that is not counted.
    const std::vector<float> w{1.0f, 0.0f, 2.0f, -3.0f, -0.0f, 4.0f, 0.0f, 5.0f};
    const p::PruneResult r = p::prune_magnitude(w.data(), w.size(), 0.25);
    BOOST_TEST(r.zeros == 2u);
    BOOST_TEST(r.values == w, tt::per_element());
    BOOST_TEST(!std::signbit(r.values[4]));  // pruned weights are written as +0
}
