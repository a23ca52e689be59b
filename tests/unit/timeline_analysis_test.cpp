// The engine's analyses of a compiled timeline: the activation arena planner and the critical
// path, on hand-built plans whose answers are worked out in the comments.
#define BOOST_TEST_MODULE timeline_analysis
#include <boost/test/unit_test.hpp>

#include "compile/critical_path.hpp"
#include "compile/memory_plan.hpp"

using namespace winglet;

namespace {

// An op on `unit` running [start, start + latency), reading `inputs`, writing one output
// "<name>.out" of `bytes`.
OpReport op(const std::string& name, const std::string& unit, double start, double latency,
            std::vector<std::string> inputs, uint64_t bytes = 0, int64_t group = -1, bool model_output = false) {
    OpReport r;
    r.name = name;
    r.activation_inputs = std::move(inputs);
    r.output_names = {name + ".out"};
    r.output_value_bytes = {bytes};
    r.output_is_model_output = {model_output};
    OpPlan p;
    p.unit = unit;
    p.start_us = start;
    p.latency_us = latency;
    p.group = group;
    r.compiled = p;
    return r;
}

Report plan_of(std::vector<OpReport> ops, std::vector<std::string> units) {
    Report r;
    r.ops = std::move(ops);
    r.plan.emplace();
    for (const std::string& u : units) r.plan->units.push_back({u, "cpu", 0, 0});
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_chain_reuses_the_first_buffer_for_the_third) {
    // A [0,1] 100 B, B [1,2] 50 B, C [2,3] 100 B. Largest first: A at 0; C at 0 (A is dead by
    // step 2); B overlaps both in time, so it goes above them at 100. Arena 150; live peak
    // max(100, 100+50, 50+100, 100) = 150; without reuse 250.
    const ArenaPlan p = plan_arena({{100, 0, 1}, {50, 1, 2}, {100, 2, 3}});
    BOOST_TEST(p.offsets == (std::vector<uint64_t>{0, 100, 0}), boost::test_tools::per_element());
    BOOST_TEST(p.arena_bytes == 150u);
    BOOST_TEST(p.peak_live_bytes == 150u);
    BOOST_TEST(p.no_reuse_bytes == 250u);
}

BOOST_AUTO_TEST_CASE(a_small_buffer_fills_a_gap_below_a_larger_one) {
    // P [0,1] 100 at 0; R [1,3] 100 overlaps P: at 100; Q [2,3] 60 overlaps only R, and the
    // 100-byte gap below R (P is dead) takes it: offset 0. Arena 200 = live peak at step 1.
    const ArenaPlan p = plan_arena({{100, 0, 1}, {60, 2, 3}, {100, 1, 3}});
    BOOST_TEST(p.offsets == (std::vector<uint64_t>{0, 0, 100}), boost::test_tools::per_element());
    BOOST_TEST(p.arena_bytes == 200u);
    BOOST_TEST(p.peak_live_bytes == 200u);
}

BOOST_AUTO_TEST_CASE(the_arena_is_never_below_the_live_peak_and_buffers_alive_together_never_overlap) {
    std::vector<Buffer> buffers;
    uint64_t seed = 7;
    auto next = [&] { return seed = seed * 6364136223846793005ull + 1442695040888963407ull; };
    for (int i = 0; i < 300; ++i) {
        const size_t first = next() % 200;
        buffers.push_back({1 + next() % 5000, first, first + next() % 20});
    }
    const ArenaPlan p = plan_arena(buffers);
    BOOST_TEST(p.arena_bytes >= p.peak_live_bytes);
    BOOST_TEST(p.arena_bytes <= p.no_reuse_bytes);
    for (size_t a = 0; a < buffers.size(); ++a)
        for (size_t b = a + 1; b < buffers.size(); ++b) {
            const bool together = buffers[a].first_step <= buffers[b].last_step && buffers[b].first_step <= buffers[a].last_step;
            const bool apart = p.offsets[a] + buffers[a].bytes <= p.offsets[b] || p.offsets[b] + buffers[b].bytes <= p.offsets[a];
            BOOST_TEST((!together || apart), "buffers " << a << " and " << b);
        }
}

BOOST_AUTO_TEST_CASE(the_short_branch_on_another_unit_is_off_the_critical_path) {
    // in -> a0 [0,10) on npu -> a1 [10,30) on npu -> a3 [30,40) on npu
    //                        -> b2 [10,15) on gpu --^
    // a3 starts at 30, when a1 ends; b2 ended at 15. Path: a0, a1, a3.
    const Report r = plan_of({op("a0", "npu", 0, 10, {"in"}), op("a1", "npu", 10, 20, {"a0.out"}),
                              op("b2", "gpu", 10, 5, {"a0.out"}), op("a3", "npu", 30, 10, {"a1.out", "b2.out"})},
                             {"npu", "gpu"});
    BOOST_TEST(critical_path(r) == (std::vector<size_t>{0, 1, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(waiting_for_a_busy_unit_puts_the_unit_predecessor_on_the_path) {
    // x [0,50) and y [0,5) both from the input; z reads y but waits for the npu until 50.
    const Report r = plan_of({op("x", "npu", 0, 50, {"in"}), op("y", "gpu", 0, 5, {"in"}),
                              op("z", "npu", 50, 10, {"y.out"})},
                             {"npu", "gpu"});
    BOOST_TEST(critical_path(r) == (std::vector<size_t>{0, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_fused_intermediate_is_not_a_buffer_and_model_outputs_live_to_the_end) {
    // conv+relu fused (group 0) on npu: conv's 400-byte output stays inside the kernel. relu's
    // 300 B output is read by pool (step 2); pool's 80 B is a model output. Buffers: relu.out
    // [1,2], pool.out [2,2]: both alive at step 2 -> arena 380, live peak 380.
    Report r = plan_of({op("conv", "npu", 0, 10, {"in"}, 400, 0), op("relu", "npu", 0, 0, {"conv.out"}, 300, 0),
                        op("pool", "npu", 10, 5, {"relu.out"}, 80, -1, true)},
                       {"npu", "cpu"});
    plan_activation_memory(r);
    BOOST_REQUIRE(r.plan->unit_memory.size() == 2u);
    const UnitMemory& npu = r.plan->unit_memory[0];
    BOOST_TEST(npu.unit == "npu");
    BOOST_TEST(npu.buffers == 2u);
    BOOST_TEST(npu.arena_bytes == 380u);
    BOOST_TEST(npu.peak_live_bytes == 380u);
    BOOST_TEST(npu.no_reuse_bytes == 380u);
    BOOST_TEST(r.plan->unit_memory[1].buffers == 0u);
    BOOST_TEST(r.ops[0].compiled->arena_offset == -1);
    BOOST_TEST(r.ops[1].compiled->arena_offset == 0);   // the larger buffer goes first
    BOOST_TEST(r.ops[2].compiled->arena_offset == 300);
}
