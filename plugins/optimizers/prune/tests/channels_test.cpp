// Channel pruning on hand-built tensors whose L1 and L2 rankings differ (norms written out).
#define BOOST_TEST_MODULE prune_channels
#include <boost/test/unit_test.hpp>

#include "pruning.hpp"

#include <cmath>

namespace p = winglet::prune;
namespace tt = boost::test_tools;
using p::Norm;

namespace {

// 4 channels (axis 0) x 4 weights:
//   c0: [3, 0, 0, 0]          L1 = 3   L2 = 3
//   c1: [1, 1, 1, 1]          L1 = 4   L2 = sqrt(4) = 2
//   c2: [-2, 2, -2, 2]        L1 = 8   L2 = sqrt(16) = 4
//   c3: [0.5, -0.5, 0, 0]     L1 = 1   L2 = sqrt(0.5) = 0.7071
// fraction 0.5 -> llround(2) = 2 channels go:
//   L1 ascending c3 (1), c0 (3), c1 (4), c2 (8)          -> remove {0, 3}, keep {1, 2}
//   L2 ascending c3 (0.707), c1 (2), c0 (3), c2 (4)      -> remove {1, 3}, keep {0, 2}
const std::vector<float> kFilters{3, 0, 0, 0, 1, 1, 1, 1, -2, 2, -2, 2, 0.5f, -0.5f, 0, 0};

}  // namespace

BOOST_AUTO_TEST_CASE(l1_removes_the_smallest_l1_channels) {
    const p::ChannelPruneResult r = p::prune_channels(kFilters.data(), {4, 4}, 0.5, Norm::L1, 0);
    BOOST_TEST(r.norms == (std::vector<double>{3, 4, 8, 1}), tt::per_element());
    BOOST_TEST(r.removed == (std::vector<int64_t>{0, 3}), tt::per_element());
    BOOST_TEST(r.kept == (std::vector<int64_t>{1, 2}), tt::per_element());
    BOOST_TEST(r.values == (std::vector<float>{0, 0, 0, 0, 1, 1, 1, 1, -2, 2, -2, 2, 0, 0, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(l2_removes_the_smallest_l2_channels) {
    const p::ChannelPruneResult r = p::prune_channels(kFilters.data(), {4, 4}, 0.5, Norm::L2, 0);
    BOOST_TEST(r.norms == (std::vector<double>{3, 2, 4, std::sqrt(0.5)}), tt::per_element());
    BOOST_TEST(r.removed == (std::vector<int64_t>{1, 3}), tt::per_element());
    BOOST_TEST(r.kept == (std::vector<int64_t>{0, 2}), tt::per_element());
    BOOST_TEST(r.values == (std::vector<float>{3, 0, 0, 0, 0, 0, 0, 0, -2, 2, -2, 2, 0, 0, 0, 0}), tt::per_element());
}

BOOST_AUTO_TEST_CASE(inner_axis_of_a_conv_weight) {
    // W [O = 2, I = 3, 1, 2], pruning input channels (axis 1); channel i gathers W[o, i, 0, :]:
    //   i0: [1, 1] and [1, 0]     L1 = 3
    //   i1: [0, 0.5] and [0, 0]   L1 = 0.5
    //   i2: [-4, 0] and [0, 1]    L1 = 5
    // fraction 0.34 -> llround(1.02) = 1 -> remove i1.
    const std::vector<float> w{1, 1, 0, 0.5f, -4, 0, 1, 0, 0, 0, 0, 1};
    const p::ChannelPruneResult r = p::prune_channels(w.data(), {2, 3, 1, 2}, 0.34, Norm::L1, 1);
    BOOST_TEST(r.norms == (std::vector<double>{3, 0.5, 5}), tt::per_element());
    BOOST_TEST(r.removed == (std::vector<int64_t>{1}), tt::per_element());
    BOOST_TEST(r.kept == (std::vector<int64_t>{0, 2}), tt::per_element());
    BOOST_TEST(r.values == (std::vector<float>{1, 1, 0, 0, -4, 0, 1, 0, 0, 0, 0, 1}), tt::per_element());
    // Negative axis: -3 is axis 1 of a rank-4 tensor.
    BOOST_TEST(p::prune_channels(w.data(), {2, 3, 1, 2}, 0.34, Norm::L1, -3).removed == r.removed, tt::per_element());
}

BOOST_AUTO_TEST_CASE(at_least_one_channel_stays) {
    // 2 channels, fraction 0.9 -> llround(1.8) = 2, capped at 2 - 1 = 1: the larger stays.
    const std::vector<float> w{1, 2, 3, 4};
    const p::ChannelPruneResult r = p::prune_channels(w.data(), {2, 2}, 0.9, Norm::L2, 0);
    BOOST_TEST(r.removed == (std::vector<int64_t>{0}), tt::per_element());
    BOOST_TEST(r.kept == (std::vector<int64_t>{1}), tt::per_element());
    // One channel: nothing can go.
    BOOST_TEST(p::prune_channels(w.data(), {1, 4}, 0.9, Norm::L1, 0).removed.empty());
}

BOOST_AUTO_TEST_CASE(ties_remove_the_lower_index_first_and_fraction_zero_removes_none) {
    // Three channels of equal L1 norm 2; fraction 0.5 -> llround(1.5) = 2 -> channels 0 and 1.
    const std::vector<float> w{1, -1, 2, 0, 0, -2};
    const p::ChannelPruneResult r = p::prune_channels(w.data(), {3, 2}, 0.5, Norm::L1, 0);
    BOOST_TEST(r.removed == (std::vector<int64_t>{0, 1}), tt::per_element());
    BOOST_TEST(r.kept == (std::vector<int64_t>{2}), tt::per_element());
    const p::ChannelPruneResult none = p::prune_channels(w.data(), {3, 2}, 0.0, Norm::L1, 0);
    BOOST_TEST(none.removed.empty());
    BOOST_TEST(none.values == w, tt::per_element());
}
