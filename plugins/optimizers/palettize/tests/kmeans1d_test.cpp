// 1-D k-means against brute force, a quadratic-time DP, hand calculations, uniform
// quantization, and itself across thread counts.
#define BOOST_TEST_MODULE palettize_kmeans1d
#include <boost/test/unit_test.hpp>

#include "kmeans1d.hpp"
#include "test_data.hpp"

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <string>

using namespace winglet::palettize;
using namespace palettize_test;

namespace {

constexpr long double kInf = std::numeric_limits<long double>::infinity();

long double group_sse(const std::vector<float>& sorted, size_t begin, size_t end) {
    long double sum = 0;
    for (size_t i = begin; i < end; ++i) sum += sorted[i];
    const long double mean = sum / static_cast<long double>(end - begin);
    long double sse = 0;
    for (size_t i = begin; i < end; ++i) sse += (sorted[i] - mean) * (sorted[i] - mean);
    return sse;
}

// Least SSE over every split of the sorted values into at most k contiguous groups, each about
// its exact mean (some optimal 1-D clustering is always contiguous in sorted order). Cut masks
// over the n-1 gaps: bit g set = a cut after value g.
long double brute_force_sse(std::vector<float> values, int k) {
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    long double best = kInf;
    for (uint32_t mask = 0; mask < (1u << (n - 1)); ++mask) {
        if (__builtin_popcount(mask) > k - 1) continue;
        long double sse = 0;
        size_t begin = 0;
        for (size_t g = 0; g < n; ++g) {
            if (g == n - 1 || (mask >> g & 1u)) {
                sse += group_sse(values, begin, g + 1);
                begin = g + 1;
            }
        }
        best = std::min(best, sse);
    }
    return best;
}

struct Distinct {
    std::vector<double> points, weights;
};
Distinct distinct_of(const std::vector<float>& values) {
    std::map<float, int> counts;
    for (const float x : values) ++counts[x];
    Distinct d;
    for (const auto& [x, c] : counts) {
        d.points.push_back(x);
        d.weights.push_back(c);
    }
    return d;
}

bool strictly_ascending(const std::vector<float>& v) {
    return std::adjacent_find(v.begin(), v.end(), [](float a, float b) { return !(a < b); }) == v.end();
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

bool message_contains(const std::exception& e, const std::string& part) {
    return std::string(e.what()).find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(exact_dp_equals_brute_force_on_small_inputs) {
    for (uint32_t seed = 0; seed < 600; ++seed) {
        std::mt19937 rng(seed);
        const size_t n = 1 + rng() % 12;
        const int k = 1 + static_cast<int>(rng() % 4);
        std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
        std::vector<float> pool(1 + rng() % 5);
        for (float& p : pool) p = unit(rng);
        std::vector<float> values(n);
        for (float& x : values) {
            switch (seed % 3) {
            case 0: x = unit(rng); break;                       // continuous
            case 1: x = pool[rng() % pool.size()]; break;       // many duplicates
            default: x = 1000.0f + unit(rng); break;            // far from 0: centering matters
            }
        }
        BOOST_TEST_CONTEXT("seed " << seed << ", n " << n << ", k " << k) {
            const long double brute = brute_force_sse(values, k);
            const Distinct d = distinct_of(values);
            const WeightedClustering dp = optimal_partition(d.points.data(), d.weights.data(), d.points.size(), k);
            BOOST_TEST(dp.starts.size() == std::min<size_t>(k, d.points.size()));
            BOOST_TEST(std::fabs(dp.sse - static_cast<double>(brute)) <= 1e-9 * static_cast<double>(brute));

            // kmeans_1d reports the SSE of its float centroids: at least the optimum, and above it
            // by no more than rounding each centroid to float can add (half an ulp each).
            const KMeans1DResult r = kmeans_1d(values.data(), n, k);
            const double max_abs = std::fabs(*std::max_element(values.begin(), values.end(),
                                                               [](float a, float b) { return std::fabs(a) < std::fabs(b); }));
            const double rounding = n * std::pow(max_abs * 0x1p-24, 2);
            BOOST_TEST(r.exact);
            BOOST_TEST(r.centroids.size() == std::min<size_t>(k, d.points.size()));
            BOOST_TEST(strictly_ascending(r.centroids));
            BOOST_TEST(r.sse >= static_cast<double>(brute) * (1 - 1e-9));
            BOOST_TEST(r.sse <= static_cast<double>(brute) * (1 + 1e-9) + rounding);
            BOOST_TEST(std::fabs(r.sse - nearest_sse(values, r.centroids)) <= 1e-9 * r.sse + 1e-30);
        }
    }
}

BOOST_AUTO_TEST_CASE(fast_dp_equals_quadratic_dp_on_weighted_points) {
    // The textbook O(k m^2) DP in long double, each cluster cost accumulated directly (shifted by
    // the cluster's last point), against the divide-and-conquer DP on up to 200 weighted points.
    for (uint32_t seed = 0; seed < 40; ++seed) {
        std::mt19937 rng(1000 + seed);
        const size_t m = 20 + rng() % 180;
        const int k = 2 + static_cast<int>(rng() % 19);
        std::uniform_real_distribution<double> value(-3.0, 3.0), weight(0.25, 8.0);
        std::vector<double> x(m), w(m);
        for (double& v : x) v = seed % 2 ? std::round(value(rng) * 20) / 20 : value(rng);  // odd seeds: ties
        for (double& v : w) v = weight(rng);
        std::sort(x.begin(), x.end());

        std::vector<long double> prev(m + 1, kInf), cur(m + 1);
        prev[0] = 0;
        for (int c = 1; c <= k; ++c) {
            std::fill(cur.begin(), cur.end(), kInf);
            for (size_t j = 1; j <= m; ++j) {
                long double sw = 0, swd = 0, swdd = 0;
                for (size_t i = j; i-- > 0;) {  // cluster [i, j)
                    const long double d = x[i] - x[j - 1];
                    sw += w[i];
                    swd += w[i] * d;
                    swdd += w[i] * d * d;
                    if (prev[i] < kInf) cur[j] = std::min(cur[j], prev[i] + swdd - swd * swd / sw);
                }
            }
            // "at most k": a layer with fewer clusters may already be as good
            for (size_t j = 0; j <= m; ++j) cur[j] = std::min(cur[j], prev[j]);
            std::swap(prev, cur);
        }
        const double expected = static_cast<double>(prev[m]);
        const WeightedClustering dp = optimal_partition(x.data(), w.data(), m, k);
        BOOST_TEST_CONTEXT("seed " << seed << ", m " << m << ", k " << k) {
            BOOST_TEST(std::fabs(dp.sse - expected) <= 1e-9 * expected);
            BOOST_TEST(dp.starts.size() == static_cast<size_t>(k));
            BOOST_TEST(std::is_sorted(dp.starts.begin(), dp.starts.end()));
        }
    }
}

BOOST_AUTO_TEST_CASE(hand_computed_cases) {
    const std::vector<float> v{0, 0, 1, 1, 10, 10};
    // k = 2: {0,0,1,1} | {10,10}: mean 0.5, four values 0.5 away -> 4 * 0.25 = 1.0; the other
    // contiguous splits are worse: {0,0}|{1,1,10,10} (mean 5.5) -> 4 * 4.5^2 = 81,
    // {0,0,1,1,10}|{10} (mean 2.4) -> 2*2.4^2 + 2*1.4^2 + 7.6^2 = 73.2, {0}|... and
    // {0,0,1}|... are worse still.
    KMeans1DResult r = kmeans_1d(v.data(), v.size(), 2);
    BOOST_TEST(r.centroids == (std::vector<float>{0.5f, 10.0f}), boost::test_tools::per_element());
    BOOST_TEST(r.sse == 1.0);
    // k = 1: mean 22/6 = 11/3; SSE = 2*(11/3)^2 + 2*(8/3)^2 + 2*(19/3)^2 = 2*546/9 = 364/3.
    r = kmeans_1d(v.data(), v.size(), 1);
    BOOST_TEST(r.centroids.size() == 1u);
    BOOST_TEST(r.centroids[0] == static_cast<float>(11.0 / 3.0));
    BOOST_TEST(r.sse == 364.0 / 3.0, boost::test_tools::tolerance(1e-12));
    // k >= distinct values (3): every value is a centroid, SSE 0.
    for (const int k : {3, 4, 16}) {
        r = kmeans_1d(v.data(), v.size(), k);
        BOOST_TEST(r.centroids == (std::vector<float>{0, 1, 10}), boost::test_tools::per_element());
        BOOST_TEST(r.sse == 0.0);
    }
    // 1..10, k = 2: {1..5} | {6..10}, means 3 and 8, SSE = 2 * (4+1+0+1+4) = 20 (the 4|6 split
    // gives 5 + 17.5 = 22.5).
    const std::vector<float> ramp{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    r = kmeans_1d(ramp.data(), ramp.size(), 2);
    BOOST_TEST(r.centroids == (std::vector<float>{3, 8}), boost::test_tools::per_element());
    BOOST_TEST(r.sse == 20.0);
    // -0 and +0 are one value.
    const std::vector<float> zeros{-0.0f, 0.0f, 1.0f};
    r = kmeans_1d(zeros.data(), zeros.size(), 2);
    BOOST_TEST(r.centroids.size() == 2u);
    BOOST_TEST(r.sse == 0.0);
}

BOOST_AUTO_TEST_CASE(many_copies_of_few_values_take_the_exact_path) {
    // 300000 values, more than exact_limit, but 3 distinct: -1, 0, 3 (100000 each).
    // k = 2: {-1,0} | {3}: mean -0.5, SSE = 200000 * 0.25 = 50000; {-1} | {0,3}: 100000 * 2 * 1.5^2 = 450000.
    std::vector<float> v;
    for (int i = 0; i < 100000; ++i) v.insert(v.end(), {3.0f, -1.0f, 0.0f});
    std::vector<uint8_t> idx(v.size());
    const KMeans1DResult r = kmeans_1d_assign(v.data(), v.size(), 2, idx.data());
    BOOST_TEST(r.exact);
    BOOST_TEST(r.centroids == (std::vector<float>{-0.5f, 3.0f}), boost::test_tools::per_element());
    BOOST_TEST(r.sse == 50000.0);
    BOOST_TEST((idx[0] == 1 && idx[1] == 0 && idx[2] == 0 && idx[299999] == 0 && idx[299997] == 1));
}

BOOST_AUTO_TEST_CASE(never_worse_than_uniform_quantization) {
    // Exact path: 600 values. Histogram path: 1200 values with exact_limit = 0 (forced), and
    // 20000 values with the default options (more than 4096 distinct values) up to 5 bits.
    KMeans1DOptions forced_histogram;
    forced_histogram.exact_limit = 0;
    struct Case {
        size_t n;
        KMeans1DOptions options;
        bool exact;
        int max_bits;
    };
    const Case cases[] = {{600, {}, true, 8}, {1200, forced_histogram, false, 8}, {20000, {}, false, 5}};
    for (const Distribution d : {Distribution::Gaussian, Distribution::Uniform, Distribution::Laplace}) {
        for (const Case& c : cases) {
            const std::vector<float> v = sample(d, c.n, 7 + c.n);
            for (int bits = 1; bits <= c.max_bits; ++bits) {
                BOOST_TEST_CONTEXT(name(d) << ", n " << c.n << ", exact_limit " << c.options.exact_limit << ", bits " << bits) {
                    const KMeans1DResult r = kmeans_1d(v.data(), c.n, 1 << bits, c.options);
                    BOOST_TEST(r.exact == c.exact);
                    BOOST_TEST(r.centroids.size() == size_t{1} << bits);
                    const double sse = nearest_sse(v, r.centroids);
                    BOOST_TEST(std::fabs(sse - r.sse) <= 1e-9 * sse);
                    BOOST_TEST(sse <= uniform_quantization_sse(v, bits));
                }
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(histogram_path_is_within_1e_4_of_the_exact_optimum) {
    // 100000 values, nearly all distinct: the reference raises exact_limit so the exact DP runs
    // on all of them.
    KMeans1DOptions exact;
    exact.exact_limit = 1 << 20;
    for (const auto& [d, k] : {std::pair{Distribution::Gaussian, 16}, std::pair{Distribution::Laplace, 4}}) {
        const std::vector<float> v = sample(d, 100000, 99);
        {
            BOOST_TEST_CONTEXT(name(d) << ", k " << k) {
                const KMeans1DResult reference = kmeans_1d(v.data(), v.size(), k, exact);
                const KMeans1DResult fast = kmeans_1d(v.data(), v.size(), k);
                BOOST_TEST(reference.exact);
                BOOST_TEST(!fast.exact);
                BOOST_TEST(fast.sse <= reference.sse * (1 + 1e-4));
                BOOST_TEST(fast.sse >= reference.sse * (1 - 1e-7));  // no better than optimal (float rounding aside)
                BOOST_TEST(fast.sse <= fast.dp_sse);                  // Lloyd never made it worse
                BOOST_TEST(std::fabs(fast.sse - nearest_sse(v, fast.centroids)) <= 1e-9 * fast.sse);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(lloyd_refinement_never_increases_sse) {
    const std::vector<float> v = sample(Distribution::Laplace, 50000, 5);
    KMeans1DOptions coarse;
    coarse.histogram_bins = 64;  // a coarse histogram leaves Lloyd something to fix
    double previous = std::numeric_limits<double>::infinity();
    for (int iterations = 0; iterations <= 6; ++iterations) {
        coarse.refine_iterations = iterations;
        const KMeans1DResult r = kmeans_1d(v.data(), v.size(), 16, coarse);
        BOOST_TEST_CONTEXT("refine_iterations " << iterations) {
            BOOST_TEST(r.sse <= r.dp_sse);
            BOOST_TEST(r.sse <= previous);
            if (iterations == 0) BOOST_TEST(r.sse == r.dp_sse);
            if (iterations == 6) BOOST_TEST(r.sse < r.dp_sse);
        }
        previous = r.sse;
    }
}

BOOST_AUTO_TEST_CASE(bit_identical_across_runs_and_thread_counts) {
    // 1.1M values: two private histograms and 34 pass chunks to merge.
    const std::vector<float> v = sample(Distribution::Laplace, 1100000, 11);
    auto run = [&v](std::vector<uint8_t>& idx) {
        idx.assign(v.size(), 0);
        return kmeans_1d_assign(v.data(), v.size(), 16, idx.data());
    };
    std::vector<uint8_t> idx_a, idx_b, idx_one;
    const KMeans1DResult a = run(idx_a);
    const KMeans1DResult b = run(idx_b);
    KMeans1DResult one;
    {
        tbb::global_control serial(tbb::global_control::max_allowed_parallelism, 1);
        one = run(idx_one);
    }
    BOOST_TEST(!a.exact);
    BOOST_TEST(same_bits(a.centroids, b.centroids));
    BOOST_TEST(same_bits(a.centroids, one.centroids));
    BOOST_TEST(std::memcmp(&a.sse, &one.sse, sizeof(double)) == 0);
    BOOST_TEST(std::memcmp(&a.sse, &b.sse, sizeof(double)) == 0);
    BOOST_TEST((idx_a == idx_b));
    BOOST_TEST((idx_a == idx_one));
    std::vector<uint8_t> nearest(v.size());
    assign_nearest(v.data(), v.size(), a.centroids, nearest.data());
    BOOST_TEST((nearest == idx_a));
}

BOOST_AUTO_TEST_CASE(assign_nearest_breaks_ties_to_the_lower_index) {
    const std::vector<float> centroids{0.0f, 1.0f, 3.0f};
    const std::vector<float> v{-5.0f, 0.0f, 0.5f, 0.50001f, 1.0f, 2.0f, 2.0001f, 100.0f};
    std::vector<uint8_t> idx(v.size());
    assign_nearest(v.data(), v.size(), centroids, idx.data());
    BOOST_TEST(idx == (std::vector<uint8_t>{0, 0, 0, 1, 1, 1, 2, 2}), boost::test_tools::per_element());
    // Equal centroids: the first of them.
    const std::vector<float> repeated{0.0f, 1.0f, 1.0f, 3.0f};
    assign_nearest(v.data(), v.size(), repeated, idx.data());
    BOOST_TEST(idx == (std::vector<uint8_t>{0, 0, 0, 1, 1, 1, 3, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_distinct_value_on_the_histogram_path) {
    const std::vector<float> v(10000, 0.25f);
    KMeans1DOptions options;
    options.exact_limit = 0;
    std::vector<uint8_t> idx(v.size(), 7);
    const KMeans1DResult r = kmeans_1d_assign(v.data(), v.size(), 16, idx.data(), options);
    BOOST_TEST(r.centroids == (std::vector<float>{0.25f}), boost::test_tools::per_element());
    BOOST_TEST(r.sse == 0.0);
    BOOST_TEST(std::all_of(idx.begin(), idx.end(), [](uint8_t i) { return i == 0; }));
}

BOOST_AUTO_TEST_CASE(bad_inputs_throw_invalid_argument_naming_the_problem) {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const std::vector<float> good{1, 2, 3};
    const std::vector<float> with_nan{1, nan, 3}, with_inf{1, 2, inf}, with_neg_inf{-inf, 2, 3};
    auto says = [](const std::string& part) {
        return [part](const std::invalid_argument& e) { return message_contains(e, part); };
    };
    BOOST_CHECK_EXCEPTION(kmeans_1d(good.data(), 0, 2), std::invalid_argument, says("empty"));
    BOOST_CHECK_EXCEPTION(kmeans_1d(good.data(), good.size(), 0), std::invalid_argument, says("k must be >= 1"));
    BOOST_CHECK_EXCEPTION(kmeans_1d(with_nan.data(), 3, 2), std::invalid_argument, says("value 1 is NaN"));
    BOOST_CHECK_EXCEPTION(kmeans_1d(with_inf.data(), 3, 2), std::invalid_argument, says("value 2 is +Inf"));
    BOOST_CHECK_EXCEPTION(kmeans_1d(with_neg_inf.data(), 3, 2), std::invalid_argument, says("value 0 is -Inf"));
    std::vector<float> big = sample(Distribution::Gaussian, 100000, 3);
    big[77777] = nan;  // the histogram path checks too
    BOOST_CHECK_EXCEPTION(kmeans_1d(big.data(), big.size(), 16), std::invalid_argument, says("value 77777 is NaN"));
    std::vector<uint8_t> idx(3);
    BOOST_CHECK_EXCEPTION(kmeans_1d_assign(good.data(), 3, 300, idx.data()), std::invalid_argument, says("<= 256"));
    BOOST_CHECK_EXCEPTION(assign_nearest(good.data(), 3, {}, idx.data()), std::invalid_argument, says("1..256 centroids"));
    BOOST_CHECK_EXCEPTION(assign_nearest(good.data(), 3, {2.0f, 1.0f}, idx.data()), std::invalid_argument, says("ascending"));
    BOOST_CHECK_EXCEPTION(assign_nearest(with_nan.data(), 3, {1.0f}, idx.data()), std::invalid_argument, says("NaN"));
    const std::vector<double> x{2, 1}, w{1, 1}, zero_w{1, 0};
    BOOST_CHECK_EXCEPTION(optimal_partition(x.data(), w.data(), 2, 1), std::invalid_argument, says("sorted"));
    BOOST_CHECK_EXCEPTION(optimal_partition(w.data(), zero_w.data(), 2, 1), std::invalid_argument, says("> 0"));
}
