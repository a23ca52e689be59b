// A compression recipe's effect as the target sees it: hand-built graph views whose values carry
// the ABI 1.2 fields (storage bits, compute dtype, decode, sparsity), lowered and planned on the
// test SoC (test_soc.hpp). Expected values are worked out in the comments.
//
// The Conv of every test: x [1,8,10,10] float32 (3200 B) -> y [1,16,10,10] (6400 B), weight
// w [16,8,3,3] = 1152 elements (4608 B as float32), 16*8*9*100 = 115,200 MACs = 230,400 ops.
// NPU: int8 2e12 and fp16 1e12 ops/s at efficiency 0.5 = 1e6 and 5e5 ops/us, 10 us dispatch,
// decode 2 ops per dequantized and 4 per looked-up element. CPU: fp32 1e4, int8 4e4 ops/us,
// 1 us dispatch, default decode 1 op per element. 1 GB/s = 1000 B/us; DRAM 10 pJ/B.
#define BOOST_TEST_MODULE spec_compression
#include <boost/test/unit_test.hpp>

#include "latency.hpp"
#include "lowering.hpp"
#include "schedule.hpp"
#include "test_soc.hpp"

#include <deque>

using namespace winglet::spec_target;
using winglet::device_spec::DType;
namespace tt = boost::test_tools;

namespace {

const DeviceSpec& soc() {
    static const DeviceSpec spec = test_soc();
    return spec;
}

double dtype_bytes(wg_dtype d) {
    return d == WG_DTYPE_FLOAT16 ? 2 : d == WG_DTYPE_INT8 || d == WG_DTYPE_UINT8 ? 1 : d == WG_DTYPE_INT64 ? 8 : 4;
}

// A graph view built by hand, as the host would hand it to compile(). Storage is kept in deques
// so the pointers the views hold stay valid while the graph grows.
class TestGraph {
public:
    int64_t value(const char* name, uint32_t flags, std::vector<int64_t> shape, int64_t producer = -1,
                  wg_dtype dtype = WG_DTYPE_FLOAT32) {
        std::vector<wg_dim>& dims = dims_.emplace_back();
        double elements = 1;
        for (int64_t d : shape) {
            dims.push_back({d, nullptr});
            elements *= static_cast<double>(d);
        }
        wg_value_view v{};
        v.struct_size = sizeof v;
        v.flags = flags;
        v.name = name;
        v.dtype = dtype;
        v.shape = {static_cast<uint32_t>(dims.size()), dims.data()};
        v.producer = producer;
        v.bytes = static_cast<uint64_t>(elements * dtype_bytes(dtype));
        values_.push_back(v);
        return static_cast<int64_t>(values_.size() - 1);
    }

    // What a recipe made of a value (the fields mark_compression fills on the host).
    wg_value_view& raw(int64_t v) { return values_[static_cast<size_t>(v)]; }
    void compress(int64_t v, uint64_t storage_bits, wg_dtype compute, uint32_t decode,
                  uint32_t pattern = WG_SPARSITY_NONE, uint32_t n = 0, uint32_t m = 0, double sparsity = 0) {
        wg_value_view& w = raw(v);
        w.storage_bits = storage_bits;
        w.compute_dtype = compute;
        w.decode = decode;
        w.sparsity_pattern = pattern;
        w.sparsity_n = n;
        w.sparsity_m = m;
        w.sparsity = sparsity;
    }
    void mark_int8(int64_t v) { raw(v).compute_dtype = WG_DTYPE_INT8; }

    // An op; its record's activation bytes are its non-weight inputs' and its outputs' bytes.
    void op(const char* type, std::vector<int64_t> in, std::vector<int64_t> out, uint64_t macs,
            uint64_t weight_bytes) {
        wg_op_record& r = records_.emplace_back();
        r.struct_size = sizeof r;
        r.flags = WG_OP_HAS_COST_RULE;
        r.name = type;
        r.op_type = type;
        r.domain = r.scope = "";
        r.cost_rule = "test";
        r.macs = macs;
        r.flops = 2 * macs;
        r.weight_bytes = weight_bytes;
        for (int64_t v : in)
            if (!(values_[static_cast<size_t>(v)].flags & WG_VALUE_WEIGHT)) r.input_bytes += values_[static_cast<size_t>(v)].bytes;
        for (int64_t v : out) r.output_bytes += values_[static_cast<size_t>(v)].bytes;
        r.multiplier = 1;
        wg_op_view o{};
        o.struct_size = sizeof o;
        o.record = &r;
        o.input_count = in.size();
        o.inputs = edges_.emplace_back(std::move(in)).data();
        o.output_count = out.size();
        o.outputs = edges_.emplace_back(std::move(out)).data();
        ops_.push_back(o);
    }

    LoweredGraph lowered(std::optional<DType> float_as = std::nullopt) {
        view_ = {};
        view_.struct_size = sizeof view_;
        view_.op_count = ops_.size();
        view_.op_stride = sizeof(wg_op_view);
        view_.ops = ops_.data();
        view_.value_count = values_.size();
        view_.value_stride = sizeof(wg_value_view);
        view_.values = values_.data();
        return lower(winglet::sdk::GraphView(&view_), float_as);
    }

private:
    std::deque<std::vector<wg_dim>> dims_;
    std::vector<wg_value_view> values_;
    std::deque<wg_op_record> records_;
    std::deque<std::vector<int64_t>> edges_;
    std::vector<wg_op_view> ops_;
    wg_graph_view view_{};
};

constexpr uint64_t kMacs = 16 * 8 * 9 * 100;  // 115,200

// The Conv of every test with an optional bias b [16] (64 B); values x, w, (b), y in that order.
struct ConvGraph {
    TestGraph g;
    int64_t x, w, b = -1, y;
    explicit ConvGraph(bool bias = false) {
        x = g.value("x", WG_VALUE_GRAPH_INPUT, {1, 8, 10, 10});
        w = g.value("w", WG_VALUE_WEIGHT, {16, 8, 3, 3});
        if (bias) b = g.value("b", WG_VALUE_WEIGHT, {16});
        y = g.value("y", WG_VALUE_GRAPH_OUTPUT, {1, 16, 10, 10}, 0);
    }
    // `weight_bytes`: the record's, which for a compressed model holds the stored size already.
    void add(uint64_t weight_bytes) {
        std::vector<int64_t> in = {x, w};
        if (b >= 0) in.push_back(b);
        g.op("Conv", in, {y}, kMacs, weight_bytes);
    }
};

// 8-bit codes per element + one float32 scale per output channel: 1152 * 8 + 16 * 32 = 9728 bits
// = 1216 B stored, computed on as int8, decoded by dequantizing.
void quantize_int8(ConvGraph& c) { c.g.compress(c.w, 9728, WG_DTYPE_INT8, WG_DECODE_DEQUANTIZE); }

std::string unit_of(const Plan& p, size_t i) { return soc().units[p.ops[i].unit].name; }

}  // namespace

BOOST_AUTO_TEST_CASE(int8_weights_with_int8_activations_run_in_int8_on_the_npu) {
    ConvGraph c;
    quantize_int8(c);
    c.g.mark_int8(c.x);  // the recipe's activations = "int8" marks the op's inputs and outputs
    c.g.mark_int8(c.y);
    c.add(1216);
    const LoweredGraph lg = c.g.lowered();
    const OpDesc& d = lg.ops[0];
    BOOST_TEST((d.dtype == DType::int8));
    BOOST_TEST((d.weight_dtype == DType::int8));
    BOOST_TEST(d.dequantize_elements == 1152.0);
    // Activations at 1 byte: 3200 / 4 = 800 B in, 6400 / 4 = 1600 B out; the weights are the
    // record's stored 1216 B, not scaled again.
    BOOST_TEST(d.input_bytes == 800.0);
    BOOST_TEST(d.output_bytes == 1600.0);
    BOOST_TEST(d.weight_bytes == 1216.0);

    // NPU int8: compute 230,400 ops / 1e6 = 0.2304 us (no dequantize: it computes on the codes);
    // memory 1216 + 800 + 1600 = 3616 B = 3.616 us; latency = 3.616 + 10 = 13.616 us.
    // energy = 115,200 MACs * 0.5 pJ + 3616 B * 10 pJ = 57,600 + 36,160 = 93,760 pJ.
    const Plan p = make_plan(soc(), lg.ops);
    BOOST_TEST(unit_of(p, 0) == "npu");
    BOOST_TEST(p.ops[0].fallback_reason == "");
    BOOST_TEST(p.ops[0].latency_us == 13.616, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 0.09376, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(int8_weights_with_float_activations_stay_float_and_pay_the_decode) {
    ConvGraph c;
    quantize_int8(c);  // weight-only: the activations are not marked
    c.add(1216);
    const LoweredGraph lg = c.g.lowered();
    const OpDesc& d = lg.ops[0];
    BOOST_TEST((d.dtype == DType::fp32));
    BOOST_TEST(d.input_bytes == 3200.0);
    BOOST_TEST(d.output_bytes == 6400.0);
    BOOST_TEST(d.weight_bytes == 1216.0);

    // The NPU has no fp32: CPU fp32, compute (230,400 + 1152 * 1 dequantize) / 1e4 = 23.1552 us;
    // memory 1216 + 3200 + 6400 = 10,816 B = 10.816 us; latency = 23.1552 + 1 = 24.1552 us.
    // energy = 231,552 / 2 * 4 pJ + 10,816 * 10 pJ = 463,104 + 108,160 = 571,264 pJ.
    const Plan p = make_plan(soc(), lg.ops);
    BOOST_TEST(unit_of(p, 0) == "cpu");
    BOOST_TEST(p.ops[0].fallback_reason == "npu: fp32 not supported (peak_ops has no fp32)");
    BOOST_TEST(p.ops[0].latency_us == 24.1552, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 0.571264, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(int8_op_falls_back_from_a_unit_without_int8_peak) {
    DeviceSpec no_int8_npu = soc();
    no_int8_npu.units[0].peak_ops.erase(DType::int8);
    no_int8_npu.units[0].energy_pj_per_mac.erase(DType::int8);
    ConvGraph c;
    quantize_int8(c);
    c.g.mark_int8(c.x);
    c.g.mark_int8(c.y);
    c.add(1216);
    // CPU int8: compute 230,400 / 4e4 = 5.76 us; memory 3616 B = 3.616 us; latency 5.76 + 1.
    // energy = 115,200 * 1 pJ + 36,160 pJ = 151,360 pJ.
    const Plan p = make_plan(no_int8_npu, c.g.lowered().ops);
    BOOST_TEST(no_int8_npu.units[p.ops[0].unit].name == "cpu");
    BOOST_TEST(p.ops[0].fallback_reason == "npu: int8 not supported (peak_ops has no int8)");
    BOOST_TEST(p.ops[0].latency_us == 6.76, tt::tolerance(1e-9));
    BOOST_TEST(p.ops[0].energy_uj == 0.15136, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(lut_weights_cost_their_lookups_and_keep_their_stored_size_under_the_dtype_option) {
    ConvGraph c(/*bias=*/true);
    // 4-bit indices + a 16-entry float32 table: 1152 * 4 + 16 * 32 = 5120 bits = 640 B, looked up
    // and computed in float. The record holds 640 B + the 64 B float32 bias = 704 B.
    c.g.compress(c.w, 5120, WG_DTYPE_FLOAT32, WG_DECODE_LUT);
    c.add(704);
    const LoweredGraph lg = c.g.lowered(DType::fp16);
    const OpDesc& d = lg.ops[0];
    BOOST_TEST((d.dtype == DType::fp16));
    BOOST_TEST(d.lut_elements == 1152.0);
    BOOST_TEST(d.dequantize_elements == 0.0);
    // dtype=fp16 halves the activations and the uncompressed bias, never the stored table:
    // 640 + 64 / 2 = 672 B weights, 1600 B in, 3200 B out.
    BOOST_TEST(d.weight_bytes == 672.0);
    BOOST_TEST(d.input_bytes == 1600.0);
    BOOST_TEST(d.output_bytes == 3200.0);

    // NPU fp16: ops = 230,400 + 1152 * 4 = 235,008 -> 0.470016 us; memory 672 + 1600 + 3200
    // = 5472 B = 5.472 us; latency = 5.472 + 10 = 15.472 us.
    const Plan p = make_plan(soc(), lg.ops);
    BOOST_TEST(unit_of(p, 0) == "npu");
    BOOST_TEST(group_cost(soc(), soc().units[0], lg.ops, 0, 0).ops == 235008.0);
    BOOST_TEST(p.ops[0].latency_us == 15.472, tt::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(sparsity_reaches_the_op_and_only_a_declaring_unit_uses_it) {
    ConvGraph two_four;
    // Pruned 2:4: the 576 kept weights in float32 + a 2-bit position each = 576 * 34 = 19,584
    // bits = 2448 B. Its values are stored as they are (no decode), so dtype=fp16 halves them:
    // 1224 B.
    two_four.g.compress(two_four.w, 576 * 34, WG_DTYPE_FLOAT32, WG_DECODE_NONE, WG_SPARSITY_N_M, 2, 4, 0.5);
    two_four.add(2448);
    BOOST_TEST(two_four.g.lowered().ops[0].weight_bytes == 2448.0);
    const OpDesc d = two_four.g.lowered(DType::fp16).ops[0];
    BOOST_TEST(d.weight_bytes == 1224.0);
    BOOST_TEST((d.sparsity == Sparsity::n_m));
    BOOST_TEST(d.sparsity_n == 2u);
    BOOST_TEST(d.sparsity_m == 4u);
    BOOST_TEST(d.sparsity_fraction == 0.5);
    BOOST_TEST(d.lut_elements + d.dequantize_elements == 0.0);
    // Half of the 230,400 MAC ops on the NPU (sparsity_2_4), none on the CPU.
    BOOST_TEST(skipped_mac_ops(soc().units[0], d, DType::fp16) == 115200.0);
    BOOST_TEST(skipped_mac_ops(soc().units[1], d, DType::fp16) == 0.0);

    ConvGraph unstructured;
    // 70% zeros: 346 non-zeros in float32 + a 1-bit mask = 346 * 32 + 1152 = 12,224 bits = 1528 B.
    unstructured.g.compress(unstructured.w, 346 * 32 + 1152, WG_DTYPE_FLOAT32, WG_DECODE_NONE,
                            WG_SPARSITY_UNSTRUCTURED, 0, 0, 0.7);
    unstructured.add(1528);
    const OpDesc u = unstructured.g.lowered().ops[0];
    BOOST_TEST((u.sparsity == Sparsity::unstructured));
    BOOST_TEST(skipped_mac_ops(soc().units[0], u, DType::fp16) == 0.0);
    BOOST_TEST(skipped_mac_ops(soc().units[1], u, DType::fp16) == 0.0);
}

BOOST_AUTO_TEST_CASE(ops_between_int8_ops_run_in_int8_when_both_sides_are_marked) {
    // Conv (int8) -> Relu -> Conv (int8): the recipe marked y1 and y2, so the Relu runs in int8
    // and its 6400 B in and out become 1600 B. A Relu whose output feeds a float op stays fp32.
    for (const bool second_int8 : {true, false}) {
        TestGraph g;
        const int64_t x = g.value("x", WG_VALUE_GRAPH_INPUT, {1, 8, 10, 10});
        const int64_t w1 = g.value("w1", WG_VALUE_WEIGHT, {16, 8, 3, 3});
        const int64_t y1 = g.value("y1", 0, {1, 16, 10, 10}, 0);
        const int64_t y2 = g.value("y2", 0, {1, 16, 10, 10}, 1);
        const int64_t w2 = g.value("w2", WG_VALUE_WEIGHT, {16, 16, 1, 1});
        const int64_t y3 = g.value("y3", WG_VALUE_GRAPH_OUTPUT, {1, 16, 10, 10}, 2);
        g.compress(w1, 9728, WG_DTYPE_INT8, WG_DECODE_DEQUANTIZE);
        for (int64_t v : {x, y1}) g.mark_int8(v);
        if (second_int8) {
            g.compress(w2, 16 * 16 * 8 + 16 * 32, WG_DTYPE_INT8, WG_DECODE_DEQUANTIZE);
            for (int64_t v : {y2, y3}) g.mark_int8(v);
        }
        g.op("Conv", {x, w1}, {y1}, kMacs, 1216);
        g.op("Relu", {y1}, {y2}, 0, 0);
        g.op("Conv", {y2, w2}, {y3}, 16 * 16 * 100, second_int8 ? 320 : 1024);
        const LoweredGraph lg = g.lowered();
        BOOST_TEST_CONTEXT("second conv int8: " << second_int8) {
            BOOST_TEST((lg.ops[0].dtype == DType::int8));
            BOOST_TEST((lg.ops[1].dtype == (second_int8 ? DType::int8 : DType::fp32)));
            BOOST_TEST(lg.ops[1].input_bytes == (second_int8 ? 1600.0 : 6400.0));
            BOOST_TEST(lg.ops[1].inputs.at(0).bytes == (second_int8 ? 1600.0 : 6400.0));
            BOOST_TEST((lg.ops[2].dtype == (second_int8 ? DType::int8 : DType::fp32)));
        }
    }
}

BOOST_AUTO_TEST_CASE(dtype_option_still_retypes_an_uncompressed_model) {
    // dtype=int8 on a float32 model: every byte count of the op / 4, weights included.
    ConvGraph c(/*bias=*/true);
    c.add(4608 + 64);
    const OpDesc d = c.g.lowered(DType::int8).ops[0];
    BOOST_TEST((d.dtype == DType::int8));
    BOOST_TEST(d.weight_bytes == 1168.0);
    BOOST_TEST(d.input_bytes == 800.0);
    BOOST_TEST(d.output_bytes == 1600.0);
    BOOST_TEST((d.weight_dtype == DType::fp32));
    BOOST_TEST(d.lut_elements + d.dequantize_elements == 0.0);
    BOOST_TEST((d.sparsity == Sparsity::none));
}

BOOST_AUTO_TEST_CASE(a_shared_compressed_weight_is_stored_once) {
    // Two MatMuls read the same int8 weight [8, 8] (64 codes + 8 scales = 64 * 8 + 8 * 32 = 768
    // bits = 96 B). The record puts it with the first reader; under dtype=fp16 neither op halves
    // it, and both decode it (each kernel reads the codes).
    TestGraph g;
    const int64_t x = g.value("x", WG_VALUE_GRAPH_INPUT, {1, 8});
    const int64_t w = g.value("w", WG_VALUE_WEIGHT, {8, 8});
    const int64_t y1 = g.value("y1", 0, {1, 8}, 0);
    const int64_t y2 = g.value("y2", WG_VALUE_GRAPH_OUTPUT, {1, 8}, 1);
    g.compress(w, 768, WG_DTYPE_INT8, WG_DECODE_DEQUANTIZE);
    g.op("MatMul", {x, w}, {y1}, 64, 96);
    g.op("MatMul", {y1, w}, {y2}, 64, 0);
    const LoweredGraph lg = g.lowered(DType::fp16);
    BOOST_TEST(lg.ops[0].weight_bytes == 96.0);
    BOOST_TEST(lg.ops[1].weight_bytes == 0.0);
    BOOST_TEST(lg.ops[0].dequantize_elements == 64.0);
    BOOST_TEST(lg.ops[1].dequantize_elements == 64.0);
}
