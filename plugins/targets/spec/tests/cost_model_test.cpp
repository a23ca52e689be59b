// Latency, energy, the timeline and the fit verdict against values worked out by hand for the
// test SoC (test_soc.hpp). Units: 1 GB/s = 1000 B/us; NPU int8 at efficiency 0.5 = 1e6 ops/us.
#define BOOST_TEST_MODULE spec_cost_model
#include <boost/test/unit_test.hpp>

#include "memory.hpp"
#include "schedule.hpp"
#include "test_soc.hpp"

using namespace winglet::spec_target;
using winglet::device_spec::DType;
namespace tt = boost::test_tools;

namespace {

const DeviceSpec& soc() {
    static const DeviceSpec spec = test_soc();
    return spec;
}

OpDesc sized(OpDesc d, double weights, double in, double out) {
    d.weight_bytes = weights;
    d.input_bytes = in;
    d.output_bytes = out;
    return d;
}

}  // namespace

namespace winglet::spec_target {
std::ostream& operator<<(std::ostream& out, Bound b) { return out << static_cast<int>(b); }
}  // namespace winglet::spec_target

BOOST_AUTO_TEST_CASE(compute_bound_conv) {
    // compute = 2 * 1e8 ops / 1e6 ops/us = 200 us; memory = 500 B / 1000 B/us = 0.5 us;
    // latency = 200 + 10 dispatch = 210 us.
    // energy = 1e8 MAC * 0.5 pJ + 500 B * 10 pJ = 50,005,000 pJ = 50.005 uJ.
    const Plan p = make_plan(soc(), {sized(op("Conv", DType::int8, 1e8), 100, 200, 200)});
    BOOST_TEST(p.ops[0].latency_us == 210.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 50.005, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].bound == Bound::Compute);
    BOOST_TEST(p.ops[0].fallback_reason.empty());
}

BOOST_AUTO_TEST_CASE(memory_bound_relu) {
    // compute = 1000 ops / 1e6 ops/us = 0.001 us; memory = 2e5 B / 1000 B/us = 200 us;
    // latency = 200 + 10 = 210 us. energy = 500 MAC-equivalents * 0.5 + 2e5 * 10 pJ = 2.00025 uJ.
    const Plan p = make_plan(soc(), {sized(op("Relu", DType::int8, 0, 1000), 0, 1e5, 1e5)});
    BOOST_TEST(p.ops[0].latency_us == 210.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].bound == Bound::Memory);
    BOOST_TEST(p.ops[0].energy_uj == 2.00025, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(dispatch_dominates_a_tiny_op) {
    // compute 2e3 / 1e6 = 0.002 us, memory 0: latency = 10.002 us, bound overhead.
    const Plan p = make_plan(soc(), {op("Conv", DType::int8, 1e3)});
    BOOST_TEST(p.ops[0].latency_us == 10.002, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].bound == Bound::Overhead);
}

BOOST_AUTO_TEST_CASE(fused_group_keeps_its_intermediate_on_chip) {
    // Conv (1e8 MACs, 100 B weights, 200 B in, 1000 B out) + Relu (500 FLOPs, 1000 B in/out).
    // ops = 2e8 + 500 -> compute 200.0005 us; DRAM = 100 + 200 + 1000 + 1000 + 1000 - 2 * 1000
    // = 1300 B -> 1.3 us; latency = 200.0005 + 10 = 210.0005 us on the Conv, 0 on the Relu.
    // energy = (2e8 + 500) / 2 * 0.5 pJ + 1300 B * 10 pJ + 2000 B on chip * 1 pJ
    //        = 50,000,125 + 13,000 + 2,000 pJ = 50.015125 uJ.
    std::vector<OpDesc> ops = {sized(op("Conv", DType::int8, 1e8), 100, 200, 1000),
                               sized(op("Relu", DType::int8, 0, 500), 0, 1000, 1000)};
    ops[1].inputs = {{0, 1000}};
    const Plan p = make_plan(soc(), ops);
    BOOST_TEST(p.ops[0].group == 0);
    BOOST_TEST(p.ops[1].group == 0);
    BOOST_TEST(p.ops[0].latency_us == 210.0005, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].latency_us == 0.0);
    BOOST_TEST(p.ops[1].start_us == p.ops[0].start_us);
    BOOST_TEST(p.ops[0].energy_uj == 50.015125, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].dram_bytes == 1300.0);
    BOOST_TEST(p.totals.latency_us == 210.0005, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(transition_timeline_and_energy) {
    // 0 Conv on npu: compute 2e6 / 1e6 = 2 us, memory 1000 B = 1 us -> 2 + 10 = 12 us (overhead).
    //   energy = 1e6 * 0.5 + 1000 * 10 = 510,000 pJ = 0.51 uJ.
    // 1 Gather on cpu, reads Conv's 1000 B: memory 2000 B = 2 us, dispatch 1 us, transition
    //   5 + 1000 B / 1000 B/us = 6 us -> 9 us, starts at 12 when Conv ends.
    //   energy = (2000 + 1000 moved) * 10 pJ = 0.03 uJ.
    // 2 Gather on cpu, reads only a graph input: may not start before the cpu is free (21 us):
    //   memory 2 us + 1 us dispatch = 3 us -> model latency 24 us.
    // static = npu 12 us * 1 W + cpu (9 + 3) us * 2 W = 36 uJ; dynamic = 0.51 + 0.03 + 0.02.
    std::vector<OpDesc> ops = {sized(op("Conv", DType::int8, 1e6), 0, 0, 1000),
                               sized(op("Gather", DType::int8), 0, 1000, 1000),
                               sized(op("Gather", DType::int8), 0, 1000, 1000)};
    ops[1].inputs = {{0, 1000}};
    const Plan p = make_plan(soc(), ops);
    BOOST_TEST(p.ops[0].latency_us == 12.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].bound == Bound::Overhead);
    BOOST_TEST(p.ops[1].start_us == 12.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].latency_us == 9.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].transitions == 1u);
    BOOST_TEST(p.ops[1].energy_uj == 0.03, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].fallback_reason == "npu: Gather not supported");
    BOOST_TEST(p.ops[2].start_us == 21.0, tt::tolerance(1e-9));
    BOOST_TEST(p.totals.latency_us == 24.0, tt::tolerance(1e-9));
    BOOST_TEST(p.totals.unit_transitions == 1u);
    BOOST_TEST(p.totals.static_energy_uj == 36.0, tt::tolerance(1e-9));
    BOOST_TEST(p.totals.dynamic_energy_uj == 0.56, tt::tolerance(1e-9));

    // energy = 36.56 uJ = 0.03656 mJ over 0.024 ms -> 1.5233 W.
    const Summary s = summarize(soc(), ops, p, 0);
    BOOST_TEST(s.energy_mj == 0.03656, tt::tolerance(1e-9));
    BOOST_TEST(s.avg_power_w == 0.03656 / 0.024, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(independent_ops_on_different_units_overlap) {
    // Conv on the npu (12 us as above) and a Gather on the cpu that reads only a graph input: the
    // Gather starts at 0, so the model takes 12 us, not 15.
    const std::vector<OpDesc> ops = {sized(op("Conv", DType::int8, 1e6), 0, 0, 1000),
                                     sized(op("Gather", DType::int8), 0, 1000, 1000)};
    const Plan p = make_plan(soc(), ops);
    BOOST_TEST(p.ops[1].start_us == 0.0);
    BOOST_TEST(p.totals.latency_us == 12.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(fits_and_does_not_fit_with_the_numbers) {
    // 1 MB RAM, 2 MB storage. 1.5e6 B weights + 1e5 B activations = 1.6e6 B > 1e6 B RAM.
    const std::vector<OpDesc> big = {sized(op("Conv", DType::int8, 1), 1.5e6, 0, 0)};
    const Summary no = summarize(soc(), big, make_plan(soc(), big), 1e5);
    BOOST_TEST(!no.fits);
    BOOST_TEST(no.weights_resident_bytes == 1500000u);
    BOOST_TEST(no.peak_memory_bytes == 1600000u);
    BOOST_TEST(no.fit_detail ==
               "needs 1.4 MiB weights + 97.7 KiB activations = 1.5 MiB RAM, 1.4 MiB storage; "
               "device has 976.6 KiB RAM, 1.9 MiB storage; RAM exceeded");

    const std::vector<OpDesc> small = {sized(op("Conv", DType::int8, 1), 1e5, 0, 0)};
    const Summary yes = summarize(soc(), small, make_plan(soc(), small), 1e5);
    BOOST_TEST(yes.fits);
    BOOST_TEST(yes.peak_memory_bytes == 200000u);
}
