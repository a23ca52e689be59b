// Every rejected input throws std::invalid_argument whose message names the problem.
#define BOOST_TEST_MODULE prune_bad_inputs
#include <boost/test/unit_test.hpp>

#include "pruning.hpp"

#include <functional>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>

namespace p = winglet::prune;

namespace {

std::string failure(const std::function<void()>& call) {
    try {
        call();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

bool mentions(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

const std::vector<float> kW{1, -2, 3, -4, 5, -6, 7, -8};

}  // namespace

BOOST_AUTO_TEST_CASE(sparsity_and_fraction_outside_zero_one) {
    for (double s : {1.5, 1.0, -0.1}) {
        const std::string m = failure([&] { p::prune_magnitude(kW.data(), kW.size(), s); });
        std::ostringstream value;
        value << s;
        BOOST_TEST(mentions(m, "prune_magnitude: sparsity " + value.str() + " is outside [0, 1)"), m);
    }
    std::string m = failure([&] { p::prune_magnitude(kW.data(), kW.size(), std::numeric_limits<double>::quiet_NaN()); });
    BOOST_TEST(mentions(m, "sparsity nan is outside [0, 1)"), m);
    m = failure([&] { p::prune_channels(kW.data(), {2, 4}, 1.0, p::Norm::L1, 0); });
    BOOST_TEST(mentions(m, "prune_channels: fraction 1 is outside [0, 1)"), m);
}

BOOST_AUTO_TEST_CASE(n_and_m) {
    std::string m = failure([&] { p::prune_n_m(kW.data(), {8}, 3, 2, 0); });
    BOOST_TEST(mentions(m, "prune_n_m: n 3 is greater than m 2"), m);
    m = failure([&] { p::prune_n_m(kW.data(), {8}, 0, 0, 0); });
    BOOST_TEST(mentions(m, "m 0 must be at least 1"), m);
    m = failure([&] { p::prune_n_m(kW.data(), {8}, -1, 4, 0); });
    BOOST_TEST(mentions(m, "n -1 must not be negative"), m);
}

BOOST_AUTO_TEST_CASE(axes_and_dims) {
    std::string m = failure([&] { p::prune_n_m(kW.data(), {2, 4}, 2, 4, 2); });
    BOOST_TEST(mentions(m, "prune_n_m: axis 2 is out of range for a rank-2 tensor (expected -2..1)"), m);
    m = failure([&] { p::prune_channels(kW.data(), {2, 4}, 0.5, p::Norm::L2, -3); });
    BOOST_TEST(mentions(m, "prune_channels: axis -3 is out of range"), m);
    m = failure([&] { p::prune_channels(kW.data(), {}, 0.5, p::Norm::L2, 0); });
    BOOST_TEST(mentions(m, "rank-0"), m);
    m = failure([&] { p::prune_n_m(kW.data(), {-2, 4}, 2, 4, 1); });
    BOOST_TEST(mentions(m, "dims[0] = -2 is negative"), m);
}

BOOST_AUTO_TEST_CASE(non_finite_and_null_weights) {
    const float specials[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity()};
    for (float bad : specials) {
        std::vector<float> w = kW;
        w[5] = bad;
        const std::string expected = "weight at flat index 5 is not finite";
        std::string m = failure([&] { p::prune_magnitude(w.data(), w.size(), 0.5); });
        BOOST_TEST(mentions(m, "prune_magnitude: " + expected), m);
        m = failure([&] { p::prune_n_m(w.data(), {2, 4}, 2, 4, 1); });
        BOOST_TEST(mentions(m, "prune_n_m: " + expected), m);
        m = failure([&] { p::prune_channels(w.data(), {2, 4}, 0.5, p::Norm::L1, 0); });
        BOOST_TEST(mentions(m, "prune_channels: " + expected), m);
    }
    const std::string m = failure([&] { p::prune_magnitude(nullptr, 4, 0.5); });
    BOOST_TEST(mentions(m, "null"), m);
    BOOST_CHECK_NO_THROW(p::prune_magnitude(nullptr, 0, 0.5));
}
