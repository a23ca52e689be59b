// Latency, energy, the timeline and the fit verdict against values worked out by hand for the
// test SoC (test_soc.hpp). Units: 1 GB/s = 1000 B/us; NPU int8 at efficiency 0.5 = 1e6 ops/us.
#define BOOST_TEST_MODULE spec_cost_model
#include <boost/test/unit_test.hpp>

#include "latency.hpp"
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

BOOST_AUTO_TEST_CASE(a_per_segment_unit_is_dispatched_once_per_run_of_its_ops) {
    // Tiny Convs (0.002 us each) on an NPU with dispatch = "per_segment": the first of a run pays
    // the 10 us, the second none; a Gather on the cpu (1 us dispatch) ends the run, so the Conv
    // after it pays again.
    const DeviceSpec spec = test_soc("dispatch = \"per_segment\"");
    std::vector<OpDesc> ops = {op("Conv", DType::int8, 1e3), op("Conv", DType::int8, 1e3),
                               op("Gather", DType::int8), op("Conv", DType::int8, 1e3)};
    ops[1].inputs = {{0, 0}};
    const Plan p = make_plan(spec, ops);
    BOOST_TEST(p.ops[0].latency_us == 10.002, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].latency_us == 0.002, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[1].bound == Bound::Compute);
    BOOST_TEST(p.ops[2].latency_us == 1.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[3].latency_us == 10.002, tt::tolerance(1e-9));
    // The default pays per op.
    BOOST_TEST(make_plan(soc(), ops).ops[1].latency_us == 10.002, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(an_unknown_dispatch_mode_is_refused) {
    BOOST_CHECK_EXCEPTION(test_soc("dispatch = \"per_batch\""), std::exception, [](const std::exception& e) {
        return std::string(e.what()).find("per_segment") != std::string::npos;
    });
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
    BOOST_TEST(p.ops[0].memory_traffic_bytes == 1300.0);
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
    // 1 MB RAM, 2 MB storage, weights in RAM (the test SoC has no mcu unit).
    // 1.5e6 B weights + 1e5 B activations = 1.6e6 B > 1e6 B RAM, exceeded by 6e5 B = 585.9 KiB;
    // storage 1.5e6 B <= 2e6 B.
    const std::vector<OpDesc> big = {sized(op("Conv", DType::int8, 1), 1.5e6, 0, 0)};
    const Summary no = summarize(soc(), big, make_plan(soc(), big), 1e5);
    BOOST_TEST(!no.fits);
    BOOST_TEST(!no.ram_fits);
    BOOST_TEST(no.storage_fits);
    BOOST_TEST(no.weights_resident_bytes == 1500000u);
    BOOST_TEST(no.peak_memory_bytes == 1600000u);
    BOOST_TEST(no.ram_capacity_bytes == 1000000u);
    BOOST_TEST(no.storage_capacity_bytes == 2000000u);
    BOOST_TEST(no.fit_detail ==
               "RAM 1.5 MiB of 976.6 KiB (weights 1.4 MiB + activations + I/O 97.7 KiB), exceeded by 585.9 KiB; "
               "storage 1.4 MiB of 1.9 MiB (weights)");

    const std::vector<OpDesc> small = {sized(op("Conv", DType::int8, 1), 1e5, 0, 0)};
    const Summary yes = summarize(soc(), small, make_plan(soc(), small), 1e5);
    BOOST_TEST(yes.fits);
    BOOST_TEST(yes.peak_memory_bytes == 200000u);
}

// ---- Where the weights live (issue 10 point 5): the same SoC with its weights read in place from
// storage at 0.5 GB/s (500 B/us) and 20 pJ/B (flash).

namespace {

const DeviceSpec& flash_soc() {
    static const DeviceSpec spec =
        test_soc("", "weights_in = \"storage\"\nstorage_read_bandwidth = { value = 5e8, source = \"t\" }");
    return spec;
}

}  // namespace

BOOST_AUTO_TEST_CASE(weights_read_in_place_take_no_ram_and_are_checked_against_storage) {
    // 1.5e6 B weights in 2e6 B storage; RAM holds only the 1e5 B of activations: fits.
    const std::vector<OpDesc> big = {sized(op("Conv", DType::int8, 1), 1.5e6, 0, 0)};
    const Summary yes = summarize(flash_soc(), big, make_plan(flash_soc(), big), 1e5);
    BOOST_TEST(yes.fits);
    BOOST_TEST(yes.peak_memory_bytes == 100000u);
    BOOST_TEST(yes.storage_bytes == 1500000u);
    BOOST_TEST(yes.fit_detail == "flash 1.4 MiB of 1.9 MiB (weights, read in place); RAM 97.7 KiB of 976.6 KiB "
                                 "(activations + I/O)");
    // 1.2e6 B of activations exceed the 1e6 B of RAM by 2e5 B = 195.3 KiB; 2.5e6 B of weights exceed
    // the 2e6 B of storage by 5e5 B = 488.3 KiB.
    const std::vector<OpDesc> huge = {sized(op("Conv", DType::int8, 1), 2.5e6, 0, 0)};
    const Summary no = summarize(flash_soc(), huge, make_plan(flash_soc(), huge), 1.2e6);
    BOOST_TEST(!no.fits);
    BOOST_TEST(!no.ram_fits);
    BOOST_TEST(!no.storage_fits);
    BOOST_TEST(no.fit_detail == "flash 2.4 MiB of 1.9 MiB (weights, read in place), exceeded by 488.3 KiB; "
                                "RAM 1.1 MiB of 976.6 KiB (activations + I/O), exceeded by 195.3 KiB");
}

BOOST_AUTO_TEST_CASE(weights_read_in_place_cost_the_storage_bandwidth_and_energy) {
    // Conv on the NPU: 1e3 MACs, 1e5 B weights, 1e4 B in, 1e4 B out. compute = 2e3 / 1e6 = 0.002 us.
    // In place: RAM 2e4 B / 1000 B/us = 20 us, storage 1e5 B / 500 B/us = 200 us, one after the other:
    // memory 220 us, latency 230 us (dispatch 10), memory-bound.
    // energy = 1e3 MAC * 0.5 pJ + 2e4 B * 10 pJ + 1e5 B * 20 pJ = 500 + 2e5 + 2e6 pJ = 2.2005 uJ.
    const std::vector<OpDesc> ops = {sized(op("Conv", DType::int8, 1e3), 1e5, 1e4, 1e4)};
    const Plan p = make_plan(flash_soc(), ops);
    BOOST_TEST(p.ops[0].latency_us == 230.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].bound == Bound::Memory);
    BOOST_TEST(p.ops[0].energy_uj == 2.2005, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].memory_traffic_bytes == 120000.0);
    // Weights in RAM: 1.2e5 B / 1000 B/us = 120 us + 10 = 130 us; 500 + 1.2e5 * 10 pJ = 1.2005 uJ.
    const Plan in_ram = make_plan(soc(), ops);
    BOOST_TEST(in_ram.ops[0].latency_us == 130.0, tt::tolerance(1e-9));
    BOOST_TEST(in_ram.ops[0].energy_uj == 1.2005, tt::tolerance(1e-9));
}

// ---- On-chip overflow: the NPU with 1000 B of on-chip memory.

namespace {

const DeviceSpec& small_onchip_soc() {
    static const DeviceSpec spec = test_soc("onchip_bytes = { value = 1000, source = \"t\" }");
    return spec;
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_op_whose_activations_exceed_onchip_memory_spills_and_pays_for_it) {
    // Relu on the NPU: 1000 FLOPs, 1500 B in, 1500 B out. Working set 3000 B, 2000 B over the 1000 B:
    // spill traffic 2 * 2000 = 4000 B (out once, back once). compute = 1000 / 1e6 = 0.001 us;
    // memory = (3000 + 4000) B / 1000 B/us = 7 us (3 us without the spill); latency = 7 + 10 = 17 us,
    // of which the spill is 7 - 3 = 4 us. energy = 500 * 0.5 + 7000 B * 10 pJ = 70,250 pJ, the spill's
    // part 4000 * 10 = 40,000 pJ = 0.04 uJ.
    const std::vector<OpDesc> relu = {sized(op("Relu", DType::int8, 0, 1000), 0, 1500, 1500)};
    const Plan p = make_plan(small_onchip_soc(), relu);
    const OpPlan& o = p.ops[0];
    BOOST_TEST(o.spill_bytes == 2000.0);
    BOOST_TEST(o.spill_traffic_bytes == 4000.0);
    BOOST_TEST(o.spill_latency_us == 4.0, tt::tolerance(1e-9));
    BOOST_TEST(o.spill_energy_uj == 0.04, tt::tolerance(1e-9));
    BOOST_TEST(o.latency_us == 17.0, tt::tolerance(1e-9));
    BOOST_TEST(o.energy_uj == 0.07025, tt::tolerance(1e-9));
    BOOST_TEST(o.memory_traffic_bytes == 7000.0);
    BOOST_TEST(p.totals.peak_working_set[0] == 3000.0);
    // Without on-chip memory nothing spills: 3 us + 10 us.
    BOOST_TEST(make_plan(soc(), relu).ops[0].latency_us == 13.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(compute_hides_the_spill_time_but_not_its_energy) {
    // Conv of 1e7 MACs with the same 1500 B in / 1500 B out: compute = 2e7 / 1e6 = 20 us > 7 us of
    // memory, so the spill adds no time (20 + 10 = 30 us) but still its 4000 B * 10 pJ = 0.04 uJ.
    const Plan p = make_plan(small_onchip_soc(), {sized(op("Conv", DType::int8, 1e7), 0, 1500, 1500)});
    BOOST_TEST(p.ops[0].spill_bytes == 2000.0);
    BOOST_TEST(p.ops[0].spill_latency_us == 0.0);
    BOOST_TEST(p.ops[0].latency_us == 30.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].spill_energy_uj == 0.04, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(what_counts_in_the_onchip_working_set) {
    // Exactly the on-chip size: 500 B in + 500 B out = 1000 B, no spill.
    BOOST_TEST(make_plan(small_onchip_soc(), {sized(op("Relu", DType::int8, 0, 1), 0, 500, 500)}).ops[0].spill_bytes ==
               0.0);
    // Weights stream through and do not count: 1e5 B of weights, 100 B in, 100 B out.
    BOOST_TEST(make_plan(small_onchip_soc(), {sized(op("Conv", DType::int8, 1), 1e5, 100, 100)}).ops[0].spill_bytes ==
               0.0);
    // A fused Conv + Relu holds its input, its intermediate and its output: 200 + 600 + 600 = 1400 B,
    // 400 B over; the group reports it on its first op.
    std::vector<OpDesc> ops = {sized(op("Conv", DType::int8, 1), 0, 200, 600),
                               sized(op("Relu", DType::int8, 0, 1), 0, 600, 600)};
    ops[1].inputs = {{0, 600}};
    const Plan p = make_plan(small_onchip_soc(), ops);
    BOOST_TEST(p.ops[0].group == 0);
    BOOST_TEST(p.ops[0].spill_bytes == 400.0);
    BOOST_TEST(p.ops[1].spill_bytes == 0.0);
}

// ---- Compressed weights (issue 4 point 3). NPU fp16 at efficiency 0.5 = 5e5 ops/us; CPU fp16 at
// efficiency 1 = 2e4 ops/us. A Conv with kernel 5 exceeds the NPU's kernel_max 3 and runs on the CPU.

namespace {

OpDesc conv_fp16(double macs, int64_t kernel) {
    OpDesc d = op("Conv", DType::fp16, macs);
    d.kernel = kernel;
    return d;
}

OpDesc sparse(OpDesc d, Sparsity pattern, uint32_t n, uint32_t m, double fraction) {
    d.sparsity = pattern;
    d.sparsity_n = n;
    d.sparsity_m = m;
    d.sparsity_fraction = fraction;
    return d;
}

}  // namespace

BOOST_AUTO_TEST_CASE(lut_decode_adds_elements_times_the_units_lut_ops) {
    // 1e6 MACs = 2e6 ops, 1e5 weight elements looked up.
    // NPU (lut = 4): decode = 1e5 * 4 = 4e5 ops; ops = 2.4e6 -> 2.4e6 / 5e5 = 4.8 us; + 10 = 14.8 us.
    //   energy = 2.4e6 / 2 MAC-equivalents * 1 pJ (fp16) = 1.2e6 pJ = 1.2 uJ.
    OpDesc lut = conv_fp16(1e6, 3);
    lut.lut_elements = 1e5;
    const GroupCost npu = group_cost(soc(), soc().units[0], {lut}, 0, 0);
    BOOST_TEST(npu.decode_ops == 4e5);
    BOOST_TEST(npu.ops == 2.4e6);
    const Plan p = make_plan(soc(), {lut});
    BOOST_TEST(p.ops[0].latency_us == 14.8, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 1.2, tt::tolerance(1e-9));

    // CPU (no decode_ops_per_element: default 1): ops = 2e6 + 1e5 = 2.1e6 -> 105 us; + 1 = 106 us.
    OpDesc on_cpu = conv_fp16(1e6, 5);
    on_cpu.lut_elements = 1e5;
    BOOST_TEST(group_cost(soc(), soc().units[1], {on_cpu}, 0, 0).decode_ops == 1e5);
    const Plan q = make_plan(soc(), {on_cpu});
    BOOST_TEST(soc().units[q.ops[0].unit].name == "cpu");
    BOOST_TEST(q.ops[0].latency_us == 106.0, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(dequantize_costs_unless_int8_runs_on_the_codes) {
    // 1e5 weight elements of 8-bit codes (weight dtype int8), NPU dequantize = 2 ops each.
    OpDesc weight_only = conv_fp16(1e6, 3);  // float activations: decode, then compute in fp16
    weight_only.weight_dtype = DType::int8;
    weight_only.dequantize_elements = 1e5;
    BOOST_TEST(group_cost(soc(), soc().units[0], {weight_only}, 0, 0).decode_ops == 2e5);
    OpDesc int8 = weight_only;                // int8 activations: the unit computes on the codes
    int8.dtype = DType::int8;
    BOOST_TEST(group_cost(soc(), soc().units[0], {int8}, 0, 0).decode_ops == 0.0);
    OpDesc int4 = int8;                       // 4-bit codes are dequantized even in an int8 op
    int4.weight_dtype = DType::fp32;
    BOOST_TEST(group_cost(soc(), soc().units[0], {int4}, 0, 0).decode_ops == 2e5);
}

BOOST_AUTO_TEST_CASE(two_four_sparsity_halves_the_mac_part_only_where_the_unit_declares_it) {
    // Dense: 1e8 MACs = 2e8 ops / 5e5 = 400 us on the NPU -> 410 us.
    // 2:4 on the NPU (sparsity_2_4): 1e8 ops -> 200 us -> 210 us; energy 5e7 MACs * 1 pJ = 50 uJ.
    const OpDesc dense = conv_fp16(1e8, 3);
    const OpDesc two_four = sparse(dense, Sparsity::n_m, 2, 4, 0.5);
    BOOST_TEST(make_plan(soc(), {dense}).ops[0].latency_us == 410.0, tt::tolerance(1e-9));
    const Plan p = make_plan(soc(), {two_four});
    BOOST_TEST(p.ops[0].latency_us == 210.0, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 50.0, tt::tolerance(1e-9));

    // Fused with a Relu of 500 FLOPs: only the Conv's MAC ops halve: (1e8 + 500) / 5e5 = 200.001 us.
    std::vector<OpDesc> fused = {two_four, op("Relu", DType::fp16, 0, 500)};
    fused[1].inputs = {{0, 0}};
    BOOST_TEST(make_plan(soc(), fused).ops[0].latency_us == 210.001, tt::tolerance(1e-9));

    // The CPU declares nothing: 2e8 ops / 2e4 = 1e4 us + 1 us, sparse or not.
    const Plan cpu_dense = make_plan(soc(), {conv_fp16(1e8, 5)});
    const Plan cpu_sparse = make_plan(soc(), {sparse(conv_fp16(1e8, 5), Sparsity::n_m, 2, 4, 0.5)});
    BOOST_TEST(soc().units[cpu_sparse.ops[0].unit].name == "cpu");
    BOOST_TEST(cpu_dense.ops[0].latency_us == 10001.0, tt::tolerance(1e-9));
    BOOST_TEST(cpu_sparse.ops[0].latency_us == 10001.0, tt::tolerance(1e-9));

    // A unit whose sparse path covers only int8 (sparsity_2_4 = ["int8"]): the fp16 op stays at
    // 410 us; in int8, 2e8 ops / 1e6 = 200 us dense, 100 us at 2:4 -> 110 us.
    DeviceSpec int8_only = soc();
    int8_only.units[0].sparsity_2_4_dtypes = {DType::int8};
    BOOST_TEST(make_plan(int8_only, {two_four}).ops[0].latency_us == 410.0, tt::tolerance(1e-9));
    OpDesc two_four_int8 = two_four;
    two_four_int8.dtype = DType::int8;
    BOOST_TEST(make_plan(int8_only, {two_four_int8}).ops[0].latency_us == 110.0, tt::tolerance(1e-9));

    // Other n:m patterns are not the 2:4 format: 4:8 on the NPU stays dense.
    BOOST_TEST(make_plan(soc(), {sparse(dense, Sparsity::n_m, 4, 8, 0.5)}).ops[0].latency_us == 410.0,
               tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(unstructured_sparsity_changes_nothing_by_default) {
    // 70% zeros, unstructured: 410 us on the NPU and 10001 us on the CPU, as dense.
    const OpDesc npu = sparse(conv_fp16(1e8, 3), Sparsity::unstructured, 0, 0, 0.7);
    const OpDesc cpu = sparse(conv_fp16(1e8, 5), Sparsity::unstructured, 0, 0, 0.7);
    BOOST_TEST(make_plan(soc(), {npu}).ops[0].latency_us == 410.0, tt::tolerance(1e-9));
    BOOST_TEST(make_plan(soc(), {cpu}).ops[0].latency_us == 10001.0, tt::tolerance(1e-9));

    // A unit that declares sparsity_unstructured skips the zeros' MACs: 2e8 * 0.3 = 6e7 ops
    // -> 120 us + 10 = 130 us. Channel pruning never speeds up here (the host already removed
    // the pruned channels' MACs): 410 us.
    DeviceSpec skipping = soc();
    skipping.units[0].sparsity_unstructured = true;
    BOOST_TEST(make_plan(skipping, {npu}).ops[0].latency_us == 130.0, tt::tolerance(1e-9));
    const OpDesc channels = sparse(conv_fp16(1e8, 3), Sparsity::channels, 0, 0, 0.7);
    BOOST_TEST(make_plan(skipping, {channels}).ops[0].latency_us == 410.0, tt::tolerance(1e-9));
}
