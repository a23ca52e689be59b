// The onnx-model writer through its C ABI (writer_harness.hpp): the stored form and decode of
// every encoding on tiny models, names, graph inputs, float types, and the errors. Packing and
// sparse storage have their own file, packed_storage_test.cpp.
#define BOOST_TEST_MODULE onnx_model_plugin_abi
#include "writer_harness.hpp"

namespace {

using namespace writer_test;
using decode_test::attr_int;
using decode_test::dims_of;

BOOST_TEST_GLOBAL_FIXTURE(ClearWriteDir);

// ---- Plugin identity ------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(descriptor_names_the_onnx_model_writer) {
    Plugin p;
    BOOST_TEST(std::string(p.desc->name) == "onnx-model");
    BOOST_TEST(p.desc->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(p.desc->abi_minor == WG_ABI_MINOR);
    const wg_exporter_vtable& t = p.vt();
    BOOST_TEST(std::string(t.format) == "onnx");
    BOOST_TEST(std::string(t.file_extension) == "onnx");
    BOOST_TEST(std::string(t.mime_type) == "application/onnx");
    BOOST_TEST_REQUIRE(WG_HAS_FIELD(&t, wg_exporter_vtable, export_model));
    BOOST_TEST(t.export_model != nullptr);
    // Reports are not its business.
    wg_report report{};
    report.struct_size = sizeof report;
    std::string out;
    HostError err;
    BOOST_TEST(t.export_report(p.state, &report, reinterpret_cast<wg_sink*>(&out), reinterpret_cast<wg_error*>(&err)) ==
               WG_ERR_UNSUPPORTED);
    BOOST_TEST(err.message.find("models only") != std::string::npos, err.message);
}

// ---- LINEAR ---------------------------------------------------------------------------------------

const std::vector<int8_t> kCodes8 = {12, -52, 33, 90, -7, 25, -61, 48, 2, 75, -30, -99};

BOOST_AUTO_TEST_CASE(linear_int8_per_channel_uses_dequantize_linear_with_axis) {
    const std::vector<float> scales = {0.0091f, 0.0105f, 0.01f};
    Edit e = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, scales, {},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const onnx::NodeProto* dq = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(dq != nullptr);
    BOOST_TEST(dq->op_type() == "DequantizeLinear");
    BOOST_TEST(dq->input_size() == 2, "symmetric: no zero point input");
    BOOST_TEST(attr_int(*dq, "axis", -7) == 1);
    BOOST_TEST(&w.model.graph().node(0) == dq, "the decode comes first");
    const TensorProto* q = initializer(w.model, "W_quantized");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE((q && s));
    BOOST_TEST(q->data_type() == TensorProto::INT8);
    BOOST_TEST(dims_of(*q) == (std::vector<int64_t>{4, 3}));
    BOOST_TEST(same_bytes(*q, e.codes));
    BOOST_TEST(s->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{3}));
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(!initializer(w.model, "W_zero_point"));
    BOOST_TEST(dq->name().empty(), "decode nodes carry no name: every byte counts against the storage");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_int4_symmetric_per_tensor_is_packed_two_codes_a_byte) {
    // Offset-binary codes + 8: {9,3, 11,15, 7,10, 2,13, 8,15, 5,0}, the first of each pair in the
    // low nibble: 0x39 0xfb 0xa7 0xd2 0xf8 0x05.
    const std::vector<int8_t> codes = {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8};
    Edit e = linear("W", {4, 3}, 4, codes, -1, 0, {}, {0.125f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const TensorProto* packed = initializer(w.model, "winglet_4bit_codes");
    BOOST_TEST_REQUIRE(packed != nullptr);
    BOOST_TEST(packed->data_type() == TensorProto::UINT8);
    BOOST_TEST(dims_of(*packed) == (std::vector<int64_t>{6, 1}), "six one-byte cells of two codes");
    BOOST_TEST(same_bytes(*packed, std::vector<uint8_t>{0x39, 0xfb, 0xa7, 0xd2, 0xf8, 0x05}));
    BOOST_TEST(!initializer(w.model, "W_quantized"), "no byte per code any more");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE(s != nullptr);
    BOOST_TEST(s->dims_size() == 0, "a per-tensor scale is a scalar");
    BOOST_TEST(same_bytes(*s, e.scales));
    // bytes -> Cast -> Div [1,16] -> Mod 16 -> Reshape [12] -> Sub 8 -> Cast float = W_codes,
    // then Reshape [4,3] and Mul by the scale.
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul");
    BOOST_TEST(producer_of(w.model, "W_codes")->op_type() == "Cast");
    BOOST_TEST(op_types(w.model).count("Mod") == 1u);
    BOOST_TEST(op_types(w.model).count("Split") == 0u, "one tensor in the stream: no Split");
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_shifts_4bit"), std::vector<int64_t>{1, 16}));
    BOOST_TEST(metadata(w.model, "winglet.int8_storage") == "<absent>");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_int8_asymmetric_per_tensor_and_per_channel) {
    // Per tensor: one zero point; per channel (axis 1): one per column.
    Edit t = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.0078125f}, {-13}, [](int64_t) { return 0; });
    Written w = write(bytes_of(source_model()), {&t});
    check_common(w);
    const TensorProto* zp = initializer(w.model, "W_zero_point");
    BOOST_TEST_REQUIRE(zp != nullptr);
    BOOST_TEST(zp->data_type() == TensorProto::INT8);
    BOOST_TEST(zp->dims_size() == 0);
    BOOST_TEST(same_bytes(*zp, t.zero_points));
    const onnx::NodeProto* dq = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(dq != nullptr);
    BOOST_TEST(dq->op_type() == "DequantizeLinear");
    BOOST_TEST(dq->input_size() == 3);
    BOOST_TEST(dq->input(2) == "W_zero_point");
    BOOST_TEST(same_bits(decode(w.model, "W", t.dims), t.decoded));

    Edit c = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.003f}, {5, -128, 127},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    w = write(bytes_of(source_model()), {&c});
    check_common(w);
    zp = initializer(w.model, "W_zero_point");
    BOOST_TEST_REQUIRE(zp != nullptr);
    BOOST_TEST(dims_of(*zp) == (std::vector<int64_t>{3}));
    BOOST_TEST(same_bytes(*zp, c.zero_points));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_scale"), c.scales));
    BOOST_TEST(same_bits(decode(w.model, "W", c.dims), c.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_block_expands_scales_and_zero_points_with_tile) {
    // Blocks of 2 along axis 0 of W[4,3]: scales [2,3], block of row r = r / 2, stored as
    // [outer 1, blocks 2, 1, inner 3] and tiled [1,1,2,1] to [1,2,2,3] = [4,3].
    const std::vector<float> scales = {0.01f, 0.02f, 0.03f, 0.015f, 0.025f, 0.035f};
    const std::vector<int8_t> zps = {1, -2, 3, -4, 5, -6};
    Edit e = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8}, 0, 2, {2, 3}, scales, zps,
                    [](int64_t i) { return (i / 3) / 2 * 3 + i % 3; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    BOOST_TEST(op_types(w.model).count("DequantizeLinear") == 0u, "opset 13 has no blocked DequantizeLinear");
    const onnx::NodeProto* mul = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(mul != nullptr);
    BOOST_TEST(mul->op_type() == "Mul");
    BOOST_TEST(op_types(w.model).count("Tile") == 2u, "scale and zero point expanded");
    BOOST_TEST(op_types(w.model).count("Gather") == 0u);
    BOOST_TEST(!initializer(w.model, "W_block_index"), "no stored index");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE(s != nullptr);
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{1, 2, 1, 3}));
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_repeats"), std::vector<int64_t>{1, 1, 2, 1}));
    // The zero points follow the codes in the same 4-bit stream: codes + 8 as in the per-tensor
    // case, then zero points + 8 = {9,6, 11,4, 13,2} -> 0x69 0x4b 0x2d; Split [12, 6].
    const TensorProto* packed = initializer(w.model, "winglet_4bit_codes");
    BOOST_TEST_REQUIRE(packed != nullptr);
    BOOST_TEST(dims_of(*packed) == (std::vector<int64_t>{9, 1}));
    BOOST_TEST(same_bytes(*packed, std::vector<uint8_t>{0x39, 0xfb, 0xa7, 0xd2, 0xf8, 0x05, 0x69, 0x4b, 0x2d}));
    const onnx::NodeProto* split = producer_of(w.model, "W_zero_point");
    BOOST_TEST_REQUIRE(split != nullptr);
    BOOST_TEST(split->op_type() == "Split");
    BOOST_TEST(split->output(0) == "W_codes");
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_split"), std::vector<int64_t>{12, 6}));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_block_with_a_partial_last_block_and_no_zero_point) {
    // Blocks of 2 along axis 1 of W[4,3] (3 columns: blocks {0,1} and {2}), 2-bit, symmetric.
    // Scales [4,2] stored as [4,2,1,1], tiled to [4,2,2,1], reshaped [4,4,1], sliced to [4,3,1].
    const std::vector<float> scales = {0.5f, 0.25f, 0.125f, 0.0625f, 1.5f, 0.75f, 2.f, 3.f};
    Edit e = linear("W", {4, 3}, 2, {1, -2, 0, -1, 1, 1, 0, -2, -2, 1, 0, -1}, 1, 2, {4, 2}, scales, {},
                    [](int64_t i) { return (i / 3) * 2 + (i % 3) / 2; });
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    BOOST_TEST(op_types(w.model).count("Tile") == 1u);
    BOOST_TEST(op_types(w.model).count("Slice") == 1u, "the partial block; 12 codes fill 3 bytes, no padding");
    BOOST_TEST(op_types(w.model).count("Sub") == 1u, "only the offset of the codes: symmetric");
    BOOST_TEST(dims_of(*initializer(w.model, "W_scale")) == (std::vector<int64_t>{4, 2, 1, 1}));
    // Codes + 2 = {3,0,2,1, 3,3,2,0, 0,3,2,1}, four a byte from the low bits: 0x63 0x2f 0x6c.
    const TensorProto* packed = initializer(w.model, "winglet_2bit_codes");
    BOOST_TEST_REQUIRE(packed != nullptr);
    BOOST_TEST(same_bytes(*packed, std::vector<uint8_t>{0x63, 0x2f, 0x6c}));
    BOOST_TEST(same_bytes(*initializer(w.model, "winglet_shifts_2bit"), std::vector<int64_t>{1, 4, 16, 64}));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_channel_below_opset_13_uses_cast_sub_mul_on_a_constant_weight) {
    // Opset 11: DequantizeLinear has no axis yet, so the per-channel decode is Cast/Sub/Mul with
    // scales shaped to broadcast (4 scales along axis 0 of W[4,3] are stored as [4,1]).
    ModelOptions o;
    o.opset = 11;
    o.ir = 6;
    o.constant_weight = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, 0, 0, {4}, {0.01f, 0.02f, 0.03f, 0.04f}, {1, 2, -3, 0},
                    [](int64_t i) { return coord(i, {4, 3}, 0); });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    BOOST_TEST(w.model.opset_import(0).version() == 11, "the opset is not raised");
    BOOST_TEST(op_types(w.model).count("DequantizeLinear") == 0u);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul");
    const TensorProto* s = initializer(w.model, "W_scale");
    BOOST_TEST_REQUIRE(s != nullptr);
    BOOST_TEST(dims_of(*s) == (std::vector<int64_t>{4, 1}), "per-channel scales along axis 0 broadcast as [4,1]");
    BOOST_TEST(same_bytes(*s, e.scales));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_zero_point"), e.zero_points));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(linear_per_tensor_on_opset_11_constant_uses_dequantize_linear) {
    ModelOptions o;
    o.opset = 11;
    o.ir = 6;
    o.constant_weight = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {7}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "DequantizeLinear");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(ir3_model_lists_new_initializers_as_graph_inputs) {
    ModelOptions o;
    o.opset = 8;
    o.ir = 3;
    o.weights_in_inputs = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    std::set<std::string> inputs;
    for (const auto& v : w.model.graph().input()) inputs.insert(v.name());
    BOOST_TEST(!inputs.count("W"), "W is produced by the decode now");
    BOOST_TEST(inputs.count("W_quantized") == 1u);
    BOOST_TEST(inputs.count("W_scale") == 1u);
    BOOST_TEST(inputs.count("B") == 1u);
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Mul", "opset 8 has no DequantizeLinear");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(an_initializer_that_is_also_a_graph_input_stops_being_one) {
    // IR >= 4: an initializer listed in graph.input is an overridable default. Once a node
    // produces W it cannot be an input too (SSA), so W leaves graph.input; B stays.
    ModelOptions o;
    o.weights_in_inputs = true;
    Edit e = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.03f}, {},
                    [](int64_t i) { return coord(i, {4, 3}, 1); });
    const Written w = write(bytes_of(source_model(o)), {&e});
    check_common(w);
    std::set<std::string> inputs;
    for (const auto& v : w.model.graph().input()) inputs.insert(v.name());
    BOOST_TEST((inputs == std::set<std::string>{"X", "B"}));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(float16_weight_is_decoded_in_float32_then_cast) {
    ModelOptions o;
    o.weight_dtype = TensorProto::FLOAT16;
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    e.original_dtype = WG_DTYPE_FLOAT16;
    const Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const onnx::NodeProto* cast = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(cast != nullptr);
    BOOST_TEST(cast->op_type() == "Cast");
    BOOST_TEST(attr_int(*cast, "to", 0) == TensorProto::FLOAT16);
    BOOST_TEST(cast->input(0) == "W_decoded");
    BOOST_TEST(same_bits(decode(w.model, "W_decoded", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(new_names_do_not_collide_with_existing_ones) {
    onnx::ModelProto m = source_model();
    auto* extra = m.mutable_graph()->add_initializer();
    *extra = float_tensor("W_quantized", {1}, {1.f});
    auto* out = m.mutable_graph()->add_output();
    *out = value_info("W_quantized", {1});
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(m), {&e});
    check_common(w);
    BOOST_TEST(initializer(w.model, "W_quantized")->data_type() == TensorProto::FLOAT, "the model's own is kept");
    const TensorProto* q = initializer(w.model, "W_quantized_1");
    BOOST_TEST_REQUIRE(q != nullptr);
    BOOST_TEST(same_bytes(*q, e.codes));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

// ---- LUT ------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(lut_one_table_is_a_gather) {
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_LUT;
    e.bits = 2;
    e.luts = {-0.75f, -0.125f, 0.25f, 0.875f};
    e.lut_count = 1;
    e.codes = {0, 1, 2, 3, 3, 2, 1, 0, 2, 2, 0, 1};
    for (int8_t c : e.codes) e.decoded.push_back(e.luts[static_cast<uint8_t>(c)]);
    const Written w = write(bytes_of(source_model()), {&e});
    check_common(w);
    const onnx::NodeProto* g = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(g != nullptr);
    BOOST_TEST(g->op_type() == "Gather");
    BOOST_TEST(g->input(0) == "W_lut");
    BOOST_TEST(op_types(w.model).count("Add") == 1u, "only the model's own Add: no offsets for one table");
    // Four 2-bit indices a byte, from the low bits: {0,1,2,3} -> 0xe4, {3,2,1,0} -> 0x1b,
    // {2,2,0,1} -> 0x4a.
    const TensorProto* idx = initializer(w.model, "winglet_2bit_indices");
    const TensorProto* lut = initializer(w.model, "W_lut");
    BOOST_TEST_REQUIRE((idx && lut));
    BOOST_TEST(idx->data_type() == TensorProto::UINT8);
    BOOST_TEST(dims_of(*idx) == (std::vector<int64_t>{3, 1}));
    BOOST_TEST(same_bytes(*idx, std::vector<uint8_t>{0xe4, 0x1b, 0x4a}));
    BOOST_TEST(producer_of(w.model, "W_indices")->op_type() == "Reshape", "the unpacked indices, flat");
    BOOST_TEST(lut->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*lut) == (std::vector<int64_t>{4}));
    BOOST_TEST(same_bytes(*lut, e.luts));
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
}

BOOST_AUTO_TEST_CASE(lut_grouped_tables_add_per_channel_offsets) {
    // Axis 1 of W[4,3], 2 channels per table: tables {0: cols 0,1; 1: col 2}, 3 bits each.
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_LUT;
    e.bits = 3;
    e.param_axis = 1;
    e.block_size = 2;
    e.lut_count = 2;
    for (int i = 0; i < 16; ++i) e.luts.push_back(static_cast<float>(i) * 0.0625f - 0.5f + (i >= 8 ? 0.01f : 0.f));
    e.codes = {0, 7, 3, 1, 6, 7, 2, 5, 0, 4, 4, 4};
    for (int64_t i = 0; i < 12; ++i) {
        const int64_t group = coord(i, e.dims, 1) / 2;
        e.decoded.push_back(e.luts[static_cast<size_t>(group * 8 + e.codes[static_cast<size_t>(i)])]);
    }
    // A second tensor in the same model: B with 8-bit indices into one table of 256.
    Edit b;
    b.name = "B";
    b.dims = {3};
    b.encoding = WG_ENCODING_LUT;
    b.bits = 8;
    b.lut_count = 1;
    for (int i = 0; i < 256; ++i) b.luts.push_back(static_cast<float>(i) / 256.f);
    b.codes = {static_cast<int8_t>(200), 3, static_cast<int8_t>(255)};
    for (int8_t c : b.codes) b.decoded.push_back(b.luts[static_cast<uint8_t>(c)]);
    const Written w = write(bytes_of(source_model()), {&e, &b});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    BOOST_TEST(!initializer(w.model, "W"));
    BOOST_TEST(!initializer(w.model, "B"));
    // Opset 13: the offsets (c / 2) * 8 = {0, 0, 8} come from Range(0, 3, 1) / 2 * 8, not stored.
    BOOST_TEST(!initializer(w.model, "W_lut_offset"));
    BOOST_TEST(producer_of(w.model, "W_lut_offset")->op_type() == "Mul");
    BOOST_TEST(op_types(w.model).count("Range") == 1u);
    BOOST_TEST(dims_of(*initializer(w.model, "W_lut")) == (std::vector<int64_t>{16}));
    BOOST_TEST(same_bytes(*initializer(w.model, "W_lut"), e.luts));
    // Eight 3-bit indices in 3 bytes, from the low bits: {0,7,3,1,6,7,2,5} -> 0xf8 0xe2 0xab;
    // {0,4,4,4} and four padding zeros -> 0x20 0x09 0x00. Stored [2 cells, 3 bytes].
    const TensorProto* three = initializer(w.model, "winglet_3bit_indices");
    BOOST_TEST_REQUIRE(three != nullptr);
    BOOST_TEST(dims_of(*three) == (std::vector<int64_t>{2, 3}));
    BOOST_TEST(same_bytes(*three, std::vector<uint8_t>{0xf8, 0xe2, 0xab, 0x20, 0x09, 0x00}));
    BOOST_TEST(op_types(w.model).count("Gather") == 4u, "two byte windows, W's and B's tables");
    // B's 8-bit indices are their bytes: 200, 3, 255.
    const TensorProto* eight = initializer(w.model, "winglet_8bit_indices");
    BOOST_TEST_REQUIRE(eight != nullptr);
    BOOST_TEST(dims_of(*eight) == (std::vector<int64_t>{3}));
    BOOST_TEST(same_bytes(*eight, std::vector<uint8_t>{200, 3, 255}));
    BOOST_TEST(producer_of(w.model, "W")->op_type() == "Gather");
    BOOST_TEST(producer_of(w.model, "W_lut_position")->op_type() == "Add");
    BOOST_TEST(same_bits(decode(w.model, "W", e.dims), e.decoded));
    BOOST_TEST(same_bits(decode(w.model, "B", b.dims), b.decoded));
}

// ---- DENSE ----------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(dense_replaces_the_values_with_exact_zeros) {
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.encoding = WG_ENCODING_DENSE;
    e.decoded = kW;
    for (size_t i = 0; i < e.decoded.size(); i += 2) e.decoded[i] = 0.0f;
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const TensorProto* t = initializer(w.model, "W");
    BOOST_TEST_REQUIRE(t != nullptr);
    BOOST_TEST(t->data_type() == TensorProto::FLOAT);
    BOOST_TEST(dims_of(*t) == (std::vector<int64_t>{4, 3}));
    BOOST_TEST(t->float_data_size() == 0);
    BOOST_TEST(same_bytes(*t, e.decoded));
    for (size_t i = 0; i < 12; i += 2) {
        uint32_t bits;
        std::memcpy(&bits, t->raw_data().data() + i * 4, 4);
        BOOST_TEST(bits == 0u, "+0.0 exactly at " << i);
    }
    BOOST_TEST(op_types(w.model) == (std::multiset<std::string>{"Add", "MatMul"}), "no decode for dense");
}

BOOST_AUTO_TEST_CASE(dense_keeps_a_float16_constant_in_float16) {
    ModelOptions o;
    o.weight_dtype = TensorProto::FLOAT16;
    o.constant_weight = true;
    Edit e;
    e.name = "W";
    e.dims = {4, 3};
    e.original_dtype = WG_DTYPE_FLOAT16;
    e.decoded = {0.f, 1.f, -2.f, 0.5f, 65504.f, 1e-8f, 3.0e-5f, 0.1f, -0.f, 0.f, 2049.f, 2051.f};
    const Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST_REQUIRE(w.status == WG_OK, w.message);
    require_valid(w.model);
    const onnx::NodeProto* c = producer_of(w.model, "W");
    BOOST_TEST_REQUIRE(c != nullptr);
    BOOST_TEST(c->op_type() == "Constant", "a dense edit keeps its Constant");
    const TensorProto& t = c->attribute(0).t();
    BOOST_TEST(t.data_type() == TensorProto::FLOAT16);
    BOOST_TEST(t.int32_data_size() == 0);
    // float16 bits, rounded to nearest even: 1e-8 underflows to 0, 3e-5 is subnormal (503 * 2^-24),
    // 2049 ties to 2048, 2051 ties to 2052.
    const std::vector<uint16_t> expected = {0x0000, 0x3c00, 0xc000, 0x3800, 0x7bff, 0x0000,
                                            0x01f7, 0x2e66, 0x8000, 0x0000, 0x6800, 0x6802};
    BOOST_TEST(same_bytes(t, expected));
}

// ---- Errors ---------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(an_unknown_tensor_name_is_an_invalid_argument) {
    Edit e = linear("Wx", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("'Wx'") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("neither an initializer nor the output of a Constant") != std::string::npos, w.message);
    BOOST_TEST(w.bytes.empty(), "nothing written");
}

BOOST_AUTO_TEST_CASE(garbage_source_bytes_are_a_format_error) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const std::string garbage = "\xff\xff\xff\xff this is not a protobuf message";
    Written w = write(garbage, {&e});
    BOOST_TEST(w.status == WG_ERR_FORMAT);
    BOOST_TEST(w.message.find("not an ONNX model") != std::string::npos, w.message);
    w = write(std::string(), {&e});
    BOOST_TEST(w.status == WG_ERR_FORMAT);
    BOOST_TEST(w.message.find("empty") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(a_source_of_another_format_is_unsupported) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(source_model()), {&e}, "tflite");
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("ONNX models only") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("'tflite'") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(external_data_is_unsupported) {
    onnx::ModelProto m = source_model();
    TensorProto* b = m.mutable_graph()->mutable_initializer(1);
    b->clear_float_data();
    b->set_data_location(TensorProto::EXTERNAL);
    auto* kv = b->add_external_data();
    kv->set_key("location");
    kv->set_value("weights.bin");
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    const Written w = write(bytes_of(m), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("external data ('weights.bin')") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(models_the_decode_cannot_serve_are_unsupported) {
    Edit e = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    // Opset 6: no numpy broadcasting, Cast's `to` was a string.
    ModelOptions o;
    o.opset = 6;
    o.ir = 3;
    o.weights_in_inputs = true;
    Written w = write(bytes_of(source_model(o)), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("needs opset 7 or newer") != std::string::npos, w.message);
    // A source that already fails the checker is blamed, not the writer.
    onnx::ModelProto m = source_model();
    m.mutable_graph()->mutable_node(0)->set_op_type("NoSuchOp");
    w = write(bytes_of(m), {&e});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("the source model fails the ONNX checker") != std::string::npos, w.message);
    BOOST_TEST(w.message.find("NoSuchOp") != std::string::npos, w.message);
    // Integer weights have no float decode to replace.
    Edit b;
    b.name = "B";
    b.dims = {3};
    b.original_dtype = WG_DTYPE_UNDEFINED;
    b.decoded = {0.f, 0.f, 0.f};
    m = source_model();
    TensorProto* bt = m.mutable_graph()->mutable_initializer(1);
    bt->clear_float_data();
    bt->set_data_type(TensorProto::INT64);
    for (int i = 0; i < 3; ++i) bt->add_int64_data(i);
    w = write(bytes_of(m), {&b});
    BOOST_TEST(w.status == WG_ERR_UNSUPPORTED);
    BOOST_TEST(w.message.find("tensor 'B' is int64") != std::string::npos, w.message);
}

BOOST_AUTO_TEST_CASE(edits_that_do_not_fit_their_tensor_are_invalid) {
    // Wrong shape.
    Edit shape = linear("W", {3, 4}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    Written w = write(bytes_of(source_model()), {&shape});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("has shape [4,3] in the model, the edit has [3,4]") != std::string::npos, w.message);
    // Per-channel scales of the wrong length.
    Edit scales = linear("W", {4, 3}, 8, kCodes8, 1, 0, {3}, {0.01f, 0.02f, 0.03f}, {},
                         [](int64_t i) { return coord(i, {4, 3}, 1); });
    scales.param_dims = {4};
    w = write(bytes_of(source_model()), {&scales});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("per-channel scales") != std::string::npos, w.message);
    // A LUT index past its table.
    Edit lut;
    lut.name = "W";
    lut.dims = {4, 3};
    lut.encoding = WG_ENCODING_LUT;
    lut.bits = 2;
    lut.lut_count = 1;
    lut.luts = {0.f, 1.f, 2.f, 3.f};
    lut.codes = std::vector<int8_t>(12, 4);
    lut.decoded = std::vector<float>(12, 0.f);
    w = write(bytes_of(source_model()), {&lut});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("does not fit 2 bits") != std::string::npos, w.message);
    // Codes that do not decode to `decoded`: the model would compute something else.
    Edit off = linear("W", {4, 3}, 4, {1, -5, 3, 7, -1, 2, -6, 5, 0, 7, -3, -8}, 0, 2, {2, 3},
                      {0.01f, 0.02f, 0.03f, 0.015f, 0.025f, 0.035f}, {}, [](int64_t i) { return (i / 3) / 2 * 3 + i % 3; });
    off.decoded[7] = std::nextafter(off.decoded[7], 1.f);
    w = write(bytes_of(source_model()), {&off});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("decodes element 7 to 0.125 but `decoded` has 0.125000015") != std::string::npos, w.message);
    Edit lut_off = lut;
    lut_off.codes = std::vector<int8_t>(12, 3);
    lut_off.decoded = std::vector<float>(12, 3.f);
    lut_off.decoded[11] = 2.f;
    w = write(bytes_of(source_model()), {&lut_off});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("decodes element 11 to 3 but `decoded` has 2") != std::string::npos, w.message);
    // The same tensor twice.
    Edit a = linear("W", {4, 3}, 8, kCodes8, -1, 0, {}, {0.01f}, {}, [](int64_t) { return 0; });
    Edit b = a;
    w = write(bytes_of(source_model()), {&a, &b});
    BOOST_TEST(w.status == WG_ERR_INVALID_ARGUMENT);
    BOOST_TEST(w.message.find("edited twice") != std::string::npos, w.message);
}

}  // namespace
