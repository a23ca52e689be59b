// N:M pruning: hand-computed groups, the pattern on random tensors along every axis the ONNX
// conventions use, tails, and the degenerate N = 0 and N = M.
#define BOOST_TEST_MODULE prune_n_m
#include <boost/test/unit_test.hpp>

#include "pruning.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace p = winglet::prune;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_CASE(two_of_four_by_hand) {
    // One row of 8 along axis 1 = two groups of 4:
    //   [0.1, -3, 2, 0.5]: |w| order 0.1 < 0.5 < 2 < 3 -> keep -3, 2
    //   [4, 4, -4, 1]:     1 goes, then the three 4s tie: the lowest index (4) goes -> keep 4, -4
    const std::vector<float> w{0.1f, -3.0f, 2.0f, 0.5f, 4.0f, 4.0f, -4.0f, 1.0f};
    const p::PruneResult r = p::prune_n_m(w.data(), {1, 8}, 2, 4, 1);
    BOOST_TEST(r.values == (std::vector<float>{0.0f, -3.0f, 2.0f, 0.0f, 0.0f, 4.0f, -4.0f, 0.0f}), tt::per_element());
    BOOST_TEST(r.zeros == 4u);
}

BOOST_AUTO_TEST_CASE(groups_run_down_columns_on_axis_0) {
    // MatMul B [K = 4, N = 2], 2:4 along K (axis 0): each column is one group.
    //   column 0: [1, -5, 2, 0.5]   -> keep -5, 2
    //   column 1: [3, 0.2, -0.1, 6] -> keep 3, 6
    const std::vector<float> w{1.0f, 3.0f, -5.0f, 0.2f, 2.0f, -0.1f, 0.5f, 6.0f};
    const p::PruneResult r = p::prune_n_m(w.data(), {4, 2}, 2, 4, 0);
    BOOST_TEST(r.values == (std::vector<float>{0.0f, 3.0f, -5.0f, 0.0f, 2.0f, 0.0f, 0.0f, 6.0f}), tt::per_element());
    BOOST_TEST(r.zeros == 4u);
}

BOOST_AUTO_TEST_CASE(tail_groups_keep_min_n_length) {
    // 10 along the axis under 2:4: groups [0,4), [4,8) and a tail [8,10) of length 2, which
    // keeps min(2, 2) = 2 (padded with two zeros it is already 2:4). Under 1:4 it keeps 1.
    const std::vector<float> w{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const p::PruneResult two = p::prune_n_m(w.data(), {10}, 2, 4, 0);
    BOOST_TEST(two.values == (std::vector<float>{0, 0, 3, 4, 0, 0, 7, 8, 9, 10}), tt::per_element());
    BOOST_TEST(two.zeros == 4u);
    const p::PruneResult one = p::prune_n_m(w.data(), {10}, 1, 4, 0);
    BOOST_TEST(one.values == (std::vector<float>{0, 0, 0, 4, 0, 0, 0, 8, 0, 10}), tt::per_element());
    BOOST_TEST(one.zeros == 7u);
    // 3:4 with a tail of 2 keeps both: min(3, 2) = 2.
    BOOST_TEST(p::prune_n_m(w.data(), {10}, 3, 4, 0).zeros == 2u);
}

BOOST_AUTO_TEST_CASE(random_tensors_follow_the_pattern_along_the_axis) {
    // For each case walk every group along the axis independently of the library's view:
    // a full group has exactly M - N zeros (the data has none), a tail keeps min(N, length),
    // each kept |w| >= each pruned |w|, and kept weights are unchanged.
    struct Case {
        std::vector<int64_t> dims;
        int axis, n, m;
    };
    const std::vector<Case> cases{
        {{16, 24, 3, 3}, 1, 2, 4},  // Conv OIHW along input channels
        {{64, 32}, 0, 2, 4},        // MatMul B [K, N] along K
        {{32, 64}, 1, 2, 4},        // Gemm B with transB = 1, [N, K] along K
        {{10, 30}, 1, 2, 4},        // tail of 2
        {{7, 9, 5}, 1, 1, 4},       // tail of 1
        {{8, 40}, 1, 4, 8},
        {{8, 40}, -1, 2, 8},
        {{5, 12, 2}, 2, 1, 2},
    };
    std::mt19937 rng(21);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT("rank " << c.dims.size() << ", axis " << c.axis << ", " << c.n << ":" << c.m) {
            int64_t count = 1;
            for (int64_t d : c.dims) count *= d;
            std::vector<float> w(count);
            for (float& x : w) {
                do x = g(rng);
                while (x == 0.0f);
            }
            const p::PruneResult r = p::prune_n_m(w.data(), c.dims, c.n, c.m, c.axis);
            const int axis = c.axis < 0 ? c.axis + static_cast<int>(c.dims.size()) : c.axis;
            int64_t stride = 1;
            for (size_t d = axis + 1; d < c.dims.size(); ++d) stride *= c.dims[d];
            const int64_t extent = c.dims[axis];
            size_t bad_groups = 0, changed_kept = 0;
            uint64_t zeros = 0;
            for (int64_t start = 0; start < count; ++start) {
                if ((start / stride) % extent != 0) continue;  // start of a line along the axis
                for (int64_t first = 0; first < extent; first += c.m) {
                    const int64_t length = std::min<int64_t>(c.m, extent - first);
                    float smallest_kept = INFINITY, largest_pruned = 0.0f;
                    int64_t pruned = 0;
                    for (int64_t a = first; a < first + length; ++a) {
                        const int64_t at = start + a * stride;
                        if (r.values[at] == 0.0f) {
                            ++pruned;
                            largest_pruned = std::max(largest_pruned, std::fabs(w[at]));
                        } else {
                            changed_kept += r.values[at] != w[at];
                            smallest_kept = std::min(smallest_kept, std::fabs(w[at]));
                        }
                    }
                    zeros += static_cast<uint64_t>(pruned);
                    const int64_t expected = length - std::min<int64_t>(c.n, length);
                    bad_groups += pruned != expected || largest_pruned > smallest_kept;
                }
            }
            BOOST_TEST(bad_groups == 0u);
            BOOST_TEST(changed_kept == 0u);
            BOOST_TEST(r.zeros == zeros);
        }
    }
}

BOOST_AUTO_TEST_CASE(two_four_gives_at_least_two_zeros_per_group_with_existing_zeros) {
    // With zeros already in the data a group may end with more than 2 zeros, never fewer.
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> v(-3, 3);
    std::vector<float> w(64 * 48);
    for (float& x : w) x = static_cast<float>(v(rng));
    const p::PruneResult r = p::prune_n_m(w.data(), {64, 48}, 2, 4, 1);
    size_t short_groups = 0;
    for (size_t g = 0; g < w.size(); g += 4)
        short_groups += std::count(r.values.begin() + g, r.values.begin() + g + 4, 0.0f) < 2;
    BOOST_TEST(short_groups == 0u);
    BOOST_TEST(r.zeros == w.size() / 2);
}

BOOST_AUTO_TEST_CASE(n_equal_m_keeps_all_and_n_zero_prunes_all) {
    const std::vector<float> w{1, -2, 3, -4, 5, -6};
    const p::PruneResult all = p::prune_n_m(w.data(), {2, 3}, 3, 3, 1);
    BOOST_TEST(all.values == w, tt::per_element());
    BOOST_TEST(all.zeros == 0u);
    const p::PruneResult none = p::prune_n_m(w.data(), {2, 3}, 0, 3, 1);
    BOOST_TEST(none.values == std::vector<float>(6, 0.0f), tt::per_element());
    BOOST_TEST(none.zeros == 6u);
}
