// Quantization noise against closed forms and a numerical integral, not against the library.
//
// Symmetric per-tensor quantization with absmax scaling has step D = max|x| / qmax and codes
// -qmax..qmax, so the grid covers [-max|x|, max|x|] and nothing is clipped: the error is pure
// rounding error, |e| <= D/2.
//
// Uniform x on [-a, a] (max|x| -> a, D = a / qmax): every rounding cell, the half-cells at the
// ends included, is uniformly filled, so e is uniform on [-D/2, D/2] and
//     MSE = D^2 / 12,    signal power = a^2 / 3,
//     SQNR = 10 log10((a^2/3) / (D^2/12)) = 10 log10(4 qmax^2) = 20 log10(2 qmax) dB
//          = 20 log10(2^b - 2): 48.10 dB at 8 bits, 22.92 at 4, 6.02 at 2.
// (The textbook 6.02 b + 1.76 dB is for a full-scale sine and 2^b levels; uniform input over
// 2^b levels gives 6.02 b. The restricted range has 2^b - 1 levels, hence 2 qmax = 2^b - 2.)
//
// Gaussian x: with D small against sigma (8 and 4 bits: D ~ 5 sigma / qmax) the error is
// again ~uniform (Bennett / Sheppard), MSE ~ D^2 / 12. At 2 bits (levels -D, 0, D with
// D ~ 5 sigma) almost all mass sits in the zero cell, where e = x, so MSE ~ sigma^2, well under
// D^2 / 12. In all three cases the expected MSE is the integral of (x - Q(x))^2 against the
// normal density, computed here cell by cell with Simpson's rule.
#define BOOST_TEST_MODULE quantize_closed_form
#include <boost/test/unit_test.hpp>

#include "linear_quant.hpp"

#include <cmath>
#include <random>

namespace q = winglet::quantize;
namespace tt = boost::test_tools;

namespace {

constexpr int kSamples = 1 << 20;  // MSE estimates then have a relative spread of ~0.1%

struct Noise {
    double step = 0;         // the scale
    double mse = 0;          // mean (x - dequantized)^2
    double signal = 0;       // mean x^2
};

Noise per_tensor_noise(const std::vector<float>& x, int bits) {
    q::QuantOptions o;
    o.bits = bits;
    o.granularity = q::Granularity::PerTensor;
    const q::QuantizedTensor t = q::quantize(x.data(), {static_cast<int64_t>(x.size())}, o);
    const std::vector<float> y = t.dequantize();
    Noise n;
    n.step = t.scales.at(0);
    for (size_t i = 0; i < x.size(); ++i) {
        const double e = static_cast<double>(x[i]) - y[i];
        n.mse += e * e;
        n.signal += static_cast<double>(x[i]) * x[i];
    }
    n.mse /= static_cast<double>(x.size());
    n.signal /= static_cast<double>(x.size());
    return n;
}

int qmax_of(int bits) { return (1 << (bits - 1)) - 1; }

// E[(x - Q(x))^2] for x ~ N(0, 1), Q rounding to the nearest multiple of `step` in
// [-qmax step, qmax step]; the tails beyond add (x - qmax step)^2 and are integrated too.
double gaussian_mse(double step, int qmax) {
    const double pi = 3.14159265358979323846;
    auto density = [&](double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * pi); };
    auto quantized = [&](double x) {
        const double k = std::round(x / step);
        return std::fmax(-qmax, std::fmin(qmax, k)) * step;
    };
    auto simpson = [&](double a, double b) {  // over one cell, where Q is constant
        const int m = 400;
        const double h = (b - a) / m;
        double s = 0;
        for (int i = 0; i <= m; ++i) {
            const double x = a + i * h;
            const double f = (x - quantized(0.5 * (a + b))) * (x - quantized(0.5 * (a + b))) * density(x);
            s += f * (i == 0 || i == m ? 1 : (i % 2 ? 4 : 2));
        }
        return s * h / 3;
    };
    double total = 0;
    for (int k = -qmax; k <= qmax; ++k) {
        const double lo = k == -qmax ? -12.0 : (k - 0.5) * step;
        const double hi = k == qmax ? 12.0 : (k + 0.5) * step;
        total += simpson(lo, hi);
    }
    return total;
}

double db(double ratio) { return 10.0 * std::log10(ratio); }

}  // namespace

BOOST_AUTO_TEST_CASE(uniform_input_has_step_squared_over_12_noise) {
    const float a = 2.0f;
    std::mt19937 rng(2024);
    std::uniform_real_distribution<float> uniform(-a, a);
    std::vector<float> x(kSamples);
    for (float& v : x) v = uniform(rng);

    for (int bits : {8, 4, 2}) {
        BOOST_TEST_CONTEXT("bits " << bits) {
            const int qmax = qmax_of(bits);
            const Noise n = per_tensor_noise(x, bits);
            BOOST_TEST(n.step == a / qmax, tt::tolerance(1e-5));  // max|x| of 1M draws is a within ~4e-6 a
            BOOST_TEST(n.mse == n.step * n.step / 12.0, tt::tolerance(0.02));
            const double expected_sqnr = 20.0 * std::log10(2.0 * qmax);
            BOOST_TEST(std::fabs(db(n.signal / n.mse) - expected_sqnr) < 0.1);
        }
    }
    // The closed forms written out: 20 log10(254), 20 log10(14), 20 log10(2).
    BOOST_TEST(20.0 * std::log10(2.0 * qmax_of(8)) == 48.0967, tt::tolerance(1e-5));
    BOOST_TEST(20.0 * std::log10(2.0 * qmax_of(4)) == 22.9226, tt::tolerance(1e-5));
    BOOST_TEST(20.0 * std::log10(2.0 * qmax_of(2)) == 6.0206, tt::tolerance(1e-4));
}

BOOST_AUTO_TEST_CASE(gaussian_input_noise_matches_the_integral) {
    std::mt19937 rng(77);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::vector<float> x(kSamples);
    for (float& v : x) v = gauss(rng);

    for (int bits : {8, 4, 2}) {
        BOOST_TEST_CONTEXT("bits " << bits) {
            const Noise n = per_tensor_noise(x, bits);
            const double granular = n.step * n.step / 12.0;
            BOOST_TEST(n.mse == gaussian_mse(n.step, qmax_of(bits)), tt::tolerance(0.02));
            if (bits == 2) BOOST_TEST(n.mse < 0.6 * granular);  // zero cell dominates: ~sigma^2 vs ~2 sigma^2
            else BOOST_TEST(n.mse == granular, tt::tolerance(0.02));
            BOOST_TEST(n.mse <= n.step * n.step / 4.0);  // no clipping: every |e| <= step / 2
        }
    }
}
