// The onnx-model writer's packed storage through its C ABI (writer_harness.hpp): fields of every
// width 1..8 packed lowest bit first into cells, the unpack at every opset the writer serves
// (7: Div/Mul/Sub and attribute Slice/Split; 10: Mod and input Slice; 11: Range; 13: input
// Split), streams shared by tensors of one width, and pruned tensors stored as
// values + a 1-bit mask or as kept channels. Expected bytes are worked out by hand in the comments.
#define BOOST_TEST_MODULE onnx_model_packed_storage
#include "writer_harness.hpp"

namespace {

using namespace writer_test;
using decode_test::attribute;
using decode_test::dims_of;

BOOST_TEST_GLOBAL_FIXTURE(ClearWriteDir);

// An edit of the source model's W[4,3].
Edit edit_of_w(uint32_t encoding) {
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = encoding;
    return e;
}

// A LUT edit of W[4,3] with `bits`-bit indices: one table of 2^bits entries i / 8 - 1.
Edit lut_edit(uint32_t bits, const std::vector<uint8_t>& indices) {
    Edit e = edit_of_w(WG_ENCODING_LUT);
    e.bits = bits;
    e.lut_count = 1;
    for (uint32_t i = 0; i < (1u << bits); ++i) e.luts.push_back(static_cast<float>(i) / 8.0f - 1.0f);
    for (uint8_t i : indices) {
        e.codes.push_back(static_cast<int8_t>(i));
        e.decoded.push_back(e.luts[i]);
    }
    return e;
}

// The stream layout, bit by bit: field k's bit j is bit k * bits + j of the stream.
std::vector<uint8_t> bit_by_bit(const std::vector<uint8_t>& fields, unsigned bits, size_t bytes) {
    std::vector<uint8_t> out(bytes, 0);
    for (size_t k = 0; k < fields.size(); ++k)
        for (unsigned j = 0; j < bits; ++j)
            if (fields[k] >> j & 1u) {
                const size_t bit = k * bits + j;
                out[bit / 8] = static_cast<uint8_t>(out[bit / 8] | 1u << (bit % 8));
            }
    return out;
}

const onnx::NodeProto* only_node(const onnx::ModelProto& m, const std::string& op) {
    const onnx::NodeProto* found = nullptr;
    for (const auto& n : m.graph().node())
        if (n.op_type() == op) {
            BOOST_TEST_REQUIRE(!found, "one " << op);
            found = &n;
        }
    BOOST_TEST_REQUIRE(found != nullptr, "a " << op);
    return found;
}

BOOST_AUTO_TEST_CASE(every_width_packs_lowest_bit_first_into_cells) {
    // Cells: 1 byte of 8 one-bit, 4 two-bit, 2 four-bit fields or 1 byte; 3 bytes of 8 three-bit
    // or 4 six-bit fields; 5 (7) bytes of 8 five-bit (seven-bit) fields. 12 fields need:
    struct Width {
        uint32_t bits;
        std::vector<int64_t> dims;  // of the stored bytes
    };
    const std::vector<Width> widths = {{1, {2, 1}}, {2, {3, 1}}, {3, {2, 3}}, {4, {6, 1}},
                                       {5, {2, 5}}, {6, {3, 3}}, {7, {2, 7}}, {8, {12}}};
    for (const Width& w : widths) {
        BOOST_TEST_CONTEXT("bits " << w.bits) {
            std::vector<uint8_t> indices;
            for (int i = 0; i < 12; ++i) indices.push_back(static_cast<uint8_t>((i * 37 + 11) % (1 << w.bits)));
            Edit e = lut_edit(w.bits, indices);
            const Written out = write(bytes_of(source_model()), {&e});
            check_common(out);
            const TensorProto* stream = initializer(out.model, "winglet_" + std::to_string(w.bits) + "bit_indices");
            BOOST_TEST_REQUIRE(stream != nullptr);
            BOOST_TEST(stream->data_type() == TensorProto::UINT8);
            BOOST_TEST(dims_of(*stream) == w.dims);
            BOOST_TEST(same_bytes(*stream, bit_by_bit(indices, w.bits, static_cast<size_t>(decode_test::count_of(w.dims)))));
            // In cells of several bytes each field is read from the two bytes it starts in: two
            // Gathers (then the table's own Gather).
            const bool multi_byte = w.dims.size() == 2 && w.dims[1] > 1;
            BOOST_TEST(op_types(out.model).count("Gather") == (multi_byte ? 3u : 1u));
            BOOST_TEST(same_bits(decode(out.model, "W", e.dims), e.decoded));
        }
    }
}

BOOST_AUTO_TEST_CASE(cells_of_several_bytes_by_hand) {
    struct Case {
        uint32_t bits;
        std::vector<uint8_t> indices;
        std::vector<uint8_t> bytes;
        size_t slices;  // 1 when the last cell is padded
    };
    const std::vector<Case> cases = {
        // 3 bits, 8 fields in 3 bytes, field k at bits 3k..3k+2 of the little-endian cell:
        // {5,0,7,1,2,6,3,4} -> 0x5 + 0x1c0 + 0x200 + 0x2000 + 0x30000 + 0xc0000 + 0x800000 = 0x8f23c5
        // -> 0xc5 0x23 0x8f; {1,1,1,1} and four padding zeros: 0x249 -> 0x49 0x02 0x00.
        {3, {5, 0, 7, 1, 2, 6, 3, 4, 1, 1, 1, 1}, {0xc5, 0x23, 0x8f, 0x49, 0x02, 0x00}, 1},
        // 6 bits, 4 fields in 3 bytes: {63,0,21,42} -> 0x3f + 0x15000 + 0xa80000 = 0xa9503f
        // -> 0x3f 0x50 0xa9, three times; 12 fields fill 3 cells.
        {6, {63, 0, 21, 42, 63, 0, 21, 42, 63, 0, 21, 42}, {0x3f, 0x50, 0xa9, 0x3f, 0x50, 0xa9, 0x3f, 0x50, 0xa9}, 0},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT("bits " << c.bits) {
            Edit e = lut_edit(c.bits, c.indices);
            const Written w = write(bytes_of(source_model()), {&e});
            check_common(w);
            BOOST_TEST(same_bytes(*initializer(w.model, "winglet_" + std::to_string(c.bits) + "bit_indices"), c.bytes));
            BOOST_TEST(op_types(w.model).count("Slice") == c.slices);
            BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
        }
    }
    // Field j of a 3-bit cell starts at bit 3j: in byte 3j / 8 (read with the next byte), at bit 3j % 8.
    Edit e = lut_edit(3, cases[0].indices);
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_low_bytes_3bit"), std::vector<int64_t>{0, 0, 0, 1, 1, 1, 2, 2}));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_high_bytes_3bit"), std::vector<int64_t>{1, 1, 1, 2, 2, 2, 2, 2}));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_shifts_3bit"), std::vector<int64_t>{1, 8, 64, 2, 16, 128, 4, 32}));
}

BOOST_AUTO_TEST_CASE(opsets_7_and_9_unpack_with_div_mul_sub_and_attributes) {
    // Before opset 10 there is no Mod: x mod 2^b = x - (x / 2^b) * 2^b. Slice takes its
    // axes/starts/ends as attributes; grouped tables store their offsets (no Range).
    for (const int64_t opset : {7, 9}) {
        BOOST_TEST_CONTEXT("opset " << opset) {
            ModelOptions o;
            o.opset = opset;
            o.ir = 3;
            o.weights_in_inputs = true;
            Edit e = lut_edit(5, {31, 0, 17, 4, 9, 30, 1, 2, 3, 28, 16, 8});
            e.param_axis = 1;
            e.block_size = 2;
            e.lut_count = 2;
            for (int i = 0; i < 32; ++i) e.luts.push_back(static_cast<float>(i) / 4.0f);
            for (size_t i = 0; i < 12; ++i)
                if (i % 3 == 2) e.decoded[i] = e.luts[32 + static_cast<uint8_t>(e.codes[i])];
            const Written w = write(bytes_of(source_model(o)), {&e});
            check_common(w);
            const auto ops = op_types(w.model);
            BOOST_TEST(ops.count("Mod") == 0u);
            BOOST_TEST(ops.count("Div") == 2u, "the shifts and the high part");
            BOOST_TEST(ops.count("Range") == 0u);
            BOOST_TEST(only_node(w.model, "Slice")->input_size() == 1);
            BOOST_TEST(attribute(*only_node(w.model, "Slice"), "ends")->ints(0) == 12);
            const TensorProto* offset = initializer(w.model, "W_lut_offset");
            BOOST_TEST_REQUIRE(offset != nullptr);
            BOOST_TEST(dims_of(*offset) == (std::vector<int64_t>{3}), "axis 1 is the last: [C] broadcasts");
            BOOST_TEST(same_bytes(*offset, std::vector<int64_t>{0, 0, 32}));
            std::set<std::string> inputs;
            for (const auto& v : w.model.graph().input()) inputs.insert(v.name());
            BOOST_TEST(inputs.count("winglet_5bit_indices") == 1u, "IR 3: every initializer is an input");
            BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
        }
    }
}

BOOST_AUTO_TEST_CASE(opset_10_has_mod_and_slice_inputs_13_split_inputs) {
    for (const int64_t opset : {10, 13}) {
        BOOST_TEST_CONTEXT("opset " << opset) {
            ModelOptions o;
            o.opset = opset;
            o.ir = opset >= 13 ? 7 : 5;
            // W and B 7-bit, asymmetric, per tensor: one stream of the pieces W_codes [12],
            // W_zero_point [1], B_codes [3], B_zero_point [1]; 17 fields in 3 cells of 8.
            Edit w7 = linear("W", {4, 3}, 7, {63, -64, 0, 1, -1, 30, -30, 5, 6, 7, -8, 9}, -1, 0, {}, {0.0078125f}, {-3},
                             [](int64_t) { return 0; });
            Edit b7 = linear("B", {3}, 7, {-63, 2, 63}, -1, 0, {}, {0.25f}, {1}, [](int64_t) { return 0; });
            const Written w = write(bytes_of(source_model(o)), {&w7, &b7});
            BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
            require_valid(w.model);
            const auto ops = op_types(w.model);
            BOOST_TEST(ops.count("Mod") == 1u);
            BOOST_TEST(ops.count("Div") == 1u);
            const onnx::NodeProto* slice = only_node(w.model, "Slice");
            BOOST_TEST(slice->input_size() == 4);
            BOOST_TEST(decode_test::Interpreter(w.model).ints(slice->input(2)) == std::vector<int64_t>{17});
            const onnx::NodeProto* split = only_node(w.model, "Split");
            BOOST_TEST(split->output_size() == 4);
            BOOST_TEST(split->input_size() == (opset >= 13 ? 2 : 1));
            BOOST_TEST(same_bits(decode(w.model, "W", w7.dims), w7.decoded));
            BOOST_TEST(same_bits(decode(w.model, "B", b7.dims), b7.decoded));
        }
    }
}

BOOST_AUTO_TEST_CASE(asymmetric_narrow_per_channel_codes_and_zero_points_share_a_stream) {
    // 2-bit, per channel along axis 1 of W[4,3] (zero points {-2, 0, 1}), opset 11: no
    // DequantizeLinear for packed codes, so Reshape / Sub / Mul with [3] broadcasting.
    ModelOptions o;
    o.opset = 11;
    o.ir = 6;
    const std::vector<float> scales = {0.5f, 0.25f, 0.125f};
    Edit e = linear("W", {4, 3}, 2, {1, -2, 0, -1, 1, 1, 0, -2, -2, 1, 0, -1}, 1, 0, {3}, scales, {-2, 0, 1},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    // Codes + 2 as before (0x63 0x2f 0x6c), then zero points + 2 = {0, 2, 3}: 0 + 2<<2 + 3<<4 = 0x38.
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_2bit_codes"), std::vector<uint8_t>{0x63, 0x2f, 0x6c, 0x38}));
    BOOST_TEST(dims_of(*initializer(w.model, "W_scale")) == (std::vector<int64_t>{3}));
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul");
    BOOST_TEST(producer_of(w.model, "W_centered")->op_type() == "Sub");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(tensors_of_one_width_share_a_stream_up_to_its_cap) {
    // W (4-bit, per channel) and B (4-bit, per tensor): one stream split into W_codes [12] and
    // B_codes [3], 15 fields in 8 bytes.
    Edit w4 = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -7}, 0, 0, {4}, {0.1f, 0.2f, 0.3f, 0.4f}, {},
                     [](int64_t i) { return coord(i, {4, 3}, 0); });
    Edit b4 = linear("B", {3}, 4, {-7, 0, 7}, -1, 0, {}, {0.5f}, {}, [](int64_t) { return 0; });
    Written w = write(bytes_of(source_model()), {&w4, &b4});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    BOOST_TEST(dims_of(*initializer(w.model, "winglet_4bit_codes")) == (std::vector<int64_t>{8, 1}));
    BOOST_TEST(!initializer(w.model, "winglet_4bit_codes_1"), "one stream");
    const onnx::NodeProto* split = only_node(w.model, "Split");
    BOOST_TEST(split->output(0) == "W_codes");
    BOOST_TEST(split->output(1) == "B_codes");
    BOOST_TEST(same_bits(decode(w.model, "W", w4.dims), w4.decoded));
    BOOST_TEST(same_bits(decode(w.model, "B", b4.dims), b4.decoded));

    // W[1024,1024] fills a stream (2^20 fields, the cap): B's 1024 indices start another.
    ModelOptions big;
    big.rows = 1024;
    big.cols = 1024;
    std::vector<uint8_t> indices(1024 * 1024);
    for (size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<uint8_t>(i * 7 % 3 == 0);
    Edit wl = lut_edit(1, {});
    wl.dims = {1024, 1024};
    for (uint8_t i : indices) {
        wl.codes.push_back(static_cast<int8_t>(i));
        wl.decoded.push_back(wl.luts[i]);
    }
    Edit bl = lut_edit(1, {});
    bl.name = "B";
    bl.dims = {1024};
    for (int i = 0; i < 1024; ++i) {
        bl.codes.push_back(static_cast<int8_t>(i % 2));
        bl.decoded.push_back(bl.luts[static_cast<size_t>(i % 2)]);
    }
    w = write(bytes_of(source_model(big)), {&wl, &bl});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    BOOST_TEST(dims_of(*initializer(w.model, "winglet_1bit_indices")) == (std::vector<int64_t>{131072, 1}));
    BOOST_TEST(dims_of(*initializer(w.model, "winglet_1bit_indices_1")) == (std::vector<int64_t>{128, 1}));
    BOOST_TEST(op_types(w.model).count("Split") == 0u, "a stream of one piece each");
    BOOST_TEST(same_bits(decode(w.model, "B", bl.dims), bl.decoded));
}

BOOST_AUTO_TEST_CASE(zero_points_must_fit_the_code_width) {
    Edit e = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8}, -1, 0, {}, {0.125f}, {8},
                    [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("tensor 'W': zero point 8 at 0 does not fit 4 signed bits") != std::string::npos, w.message);
}

// ---- Pruned tensors ---------------------------------------------------------------------------

// W[4,3] = kW with the given elements zeroed.
Edit pruned(uint32_t pattern, const std::vector<int>& zeros) {
    Edit e = edit_of_w(WG_ENCODING_DENSE);
    e.sparsity = pattern;
    e.decoded = kW;
    for (int i : zeros) e.decoded[static_cast<size_t>(i)] = 0.0f;
    return e;
}

BOOST_AUTO_TEST_CASE(unstructured_pruning_stores_the_non_zeros_and_a_one_bit_mask) {
    // Even elements zeroed: mask {0,1,0,1,0,1,0,1 | 0,1,0,1} -> 0xaa, 0x0a; values: a leading 0
    // (what every masked element reads), then the six kept weights.
    Edit e = pruned(WG_SPARSITY_UNSTRUCTURED, {0, 2, 4, 6, 8, 10});
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_1bit_indices"), std::vector<uint8_t>{0xaa, 0x0a}));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_values"),
                          std::vector<float>{0.0f, kW[1], kW[3], kW[5], kW[7], kW[9], kW[11]}));
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Gather");
    BOOST_TEST(producer_of(w.model, "W_rank")->op_type() == "CumSum");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
    // N:M pruning is stored the same way.
    Edit nm = pruned(WG_SPARSITY_N_M, {1, 2, 4, 5, 6, 9});
    const Written n = write(bytes_of(source_model()), {&nm});
    check_common(n);
    BOOST_TEST(initializer(n.model, "W_values")->raw_data().size() == 7u * sizeof(float));
    BOOST_TEST(same_bits(decode(n.model, "W", nm.dims), nm.decoded));
}

BOOST_AUTO_TEST_CASE(channel_pruning_stores_the_kept_channels_and_a_channel_mask) {
    // Column 1 of W[4,3] (channels along axis 1) removed: kept columns 0 and 2 as W_kept_channels
    // [4,2]; the channel mask {1,0,1} = 0x05; Pad puts a zero channel in front and Gather picks
    // channels CumSum(mask) * mask = {1, 0, 2} of it.
    Edit e = pruned(WG_SPARSITY_CHANNELS, {1, 4, 7, 10});
    e.param_axis = 1;
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const TensorProto* kept = initializer(w.model, "W_kept_channels");
    BOOST_TEST_REQUIRE(kept != nullptr);
    BOOST_TEST(dims_of(*kept) == (std::vector<int64_t>{4, 2}));
    BOOST_TEST(same_bytes(*kept, std::vector<float>{kW[0], kW[2], kW[3], kW[5], kW[6], kW[8], kW[9], kW[11]}));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_1bit_indices"), std::vector<uint8_t>{0x05}));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_pads"), std::vector<int64_t>{0, 1, 0, 0}));
    const onnx::NodeProto* gather = producer_of(w.model, "W");
    BOOST_TEST(gather->op_type() == "Gather");
    BOOST_TEST(decode_test::attr_int(*gather, "axis", 0) == 1);
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
    // Without the axis (an optimizer built before ABI 1.4), the mask covers every element.
    Edit no_axis = pruned(WG_SPARSITY_CHANNELS, {1, 4, 7, 10});
    const Written m = write(bytes_of(source_model()), {&no_axis});
    check_common(m);
    BOOST_TEST(initializer(m.model, "W_values")->raw_data().size() == 9u * sizeof(float));
    BOOST_TEST(same_bits(decode(m.model, "W", no_axis.dims), no_axis.decoded));
}

BOOST_AUTO_TEST_CASE(pruning_below_opset_11_is_written_dense_with_a_warning) {
    ModelOptions o;
    o.opset = 10;
    o.ir = 5;
    Edit e = pruned(WG_SPARSITY_UNSTRUCTURED, {0, 2, 4, 6, 8, 10});
    const Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const TensorProto* t = initializer(w.model, "W");
    BOOST_TEST_REQUIRE(t != nullptr);
    BOOST_TEST(same_bytes(*t, e.decoded));
    BOOST_TEST(op_types(w.model) == (std::multiset<std::string>{"Add", "MatMul"}));
    // 12 fp32 = 48 bytes written; the sparse form: 7 values (28 bytes) + a 2-byte mask = 30.
    BOOST_TEST_REQUIRE(logged_warnings().size() == 1u);
    BOOST_TEST(logged_warnings()[0] ==
                   "tensor 'W' is pruned, but the model's ai.onnx opset 10 has no CumSum (opset 11) to decode the "
                   "sparse form the report's storage assumes: written dense, 48 bytes (sparse: 30)",
               logged_warnings()[0]);
    // Even where nothing compressed can be decoded (opset 6), a pruned tensor is written dense.
    o.opset = 6;
    o.ir = 3;
    o.weights_in_inputs = true;
    const Written old = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(old.status == WG_OK, old.message);
    BOOST_TEST(same_bytes(*initializer(old.model, "W"), e.decoded));
    BOOST_TEST_REQUIRE(logged_warnings().size() == 1u);
    BOOST_TEST(logged_warnings()[0].find("opset 6 has no CumSum") != std::string::npos, logged_warnings()[0]);
}

}  // namespace
