// Freezes the ABI 1.0 layouts of plugin.h on LP64 (x86-64 and AArch64 Linux).
//
// THESE NUMBERS MAY NEVER CHANGE WITHIN MAJOR 1. A plugin built against 1.0 and a host built
// against any 1.x must agree on where every 1.0 field is and what type it has. A later minor adds
// fields only at the end of a struct (readers test for them with WG_HAS_FIELD), which grows
// sizeof: then add that minor's sizes below the 1.0 ones, and leave every 1.0 line as it is.
// Element types of arrays (wg_dim, wg_shape_view, wg_count_entry) and structs embedded by value
// (wg_tensor_type in wg_tensor_data) cannot grow at all in major 1.
#define BOOST_TEST_MODULE abi_layout
#include <boost/test/unit_test.hpp>

#include <winglet/plugin.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

static_assert(sizeof(void*) == 8 && sizeof(long) == 8, "the frozen numbers are LP64's");
static_assert(WG_ABI_MAJOR == 1, "a new major starts a new freeze file");

// sizeof(T) in ABI 1.0; while the host speaks 1.0 nothing may be appended either.
#define FROZEN_SIZE(T, size_1_0)                                                          \
    static_assert(sizeof(T) >= (size_1_0), #T ": ABI 1.0 struct shrank");                 \
    static_assert(WG_ABI_MINOR > 0 || sizeof(T) == (size_1_0),                            \
                  #T ": fields added without bumping WG_ABI_MINOR")
// A 1.0 field: its offset and exact type (function pointer signatures included).
#define FROZEN_FIELD(T, field, offset, ...)                                               \
    static_assert(offsetof(T, field) == (offset), #T "::" #field ": ABI 1.0 offset moved"); \
    static_assert(std::is_same_v<decltype(T::field), __VA_ARGS__>, #T "::" #field ": ABI 1.0 type changed")

using cstr = const char*;

FROZEN_SIZE(wg_dim, 16);
FROZEN_FIELD(wg_dim, value, 0, int64_t);
FROZEN_FIELD(wg_dim, symbol, 8, cstr);

FROZEN_SIZE(wg_tensor_type, 24);
FROZEN_FIELD(wg_tensor_type, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_tensor_type, dtype, 4, wg_dtype);
FROZEN_FIELD(wg_tensor_type, rank, 8, uint32_t);
FROZEN_FIELD(wg_tensor_type, dims, 16, const wg_dim*);

FROZEN_SIZE(wg_import_request, 56);
FROZEN_FIELD(wg_import_request, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_import_request, path, 8, cstr);
FROZEN_FIELD(wg_import_request, data, 16, const uint8_t*);
FROZEN_FIELD(wg_import_request, size, 24, uint64_t);
FROZEN_FIELD(wg_import_request, dim_override_count, 32, uint64_t);
FROZEN_FIELD(wg_import_request, dim_override_names, 40, const cstr*);
FROZEN_FIELD(wg_import_request, dim_override_values, 48, const int64_t*);

FROZEN_SIZE(wg_model_meta, 72);
FROZEN_FIELD(wg_model_meta, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_model_meta, format, 8, cstr);
FROZEN_FIELD(wg_model_meta, ir_version, 16, int64_t);
FROZEN_FIELD(wg_model_meta, producer_name, 24, cstr);
FROZEN_FIELD(wg_model_meta, producer_version, 32, cstr);
FROZEN_FIELD(wg_model_meta, graph_name, 40, cstr);
FROZEN_FIELD(wg_model_meta, opset_count, 48, uint64_t);
FROZEN_FIELD(wg_model_meta, opset_domains, 56, const cstr*);
FROZEN_FIELD(wg_model_meta, opset_versions, 64, const int64_t*);

FROZEN_SIZE(wg_node_desc, 64);
FROZEN_FIELD(wg_node_desc, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_node_desc, name, 8, cstr);
FROZEN_FIELD(wg_node_desc, op_type, 16, cstr);
FROZEN_FIELD(wg_node_desc, domain, 24, cstr);
FROZEN_FIELD(wg_node_desc, input_count, 32, uint64_t);
FROZEN_FIELD(wg_node_desc, inputs, 40, const cstr*);
FROZEN_FIELD(wg_node_desc, output_count, 48, uint64_t);
FROZEN_FIELD(wg_node_desc, outputs, 56, const cstr*);

FROZEN_SIZE(wg_tensor_data, 56);
FROZEN_FIELD(wg_tensor_data, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_tensor_data, type, 8, wg_tensor_type);
FROZEN_FIELD(wg_tensor_data, data, 32, const void*);
FROZEN_FIELD(wg_tensor_data, byte_size, 40, uint64_t);
FROZEN_FIELD(wg_tensor_data, mode, 48, wg_data_mode);

FROZEN_SIZE(wg_attr_desc, 96);
FROZEN_FIELD(wg_attr_desc, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_attr_desc, name, 8, cstr);
FROZEN_FIELD(wg_attr_desc, type, 16, wg_attr_type);
FROZEN_FIELD(wg_attr_desc, f, 24, double);
FROZEN_FIELD(wg_attr_desc, i, 32, int64_t);
FROZEN_FIELD(wg_attr_desc, s, 40, cstr);
FROZEN_FIELD(wg_attr_desc, s_size, 48, uint64_t);
FROZEN_FIELD(wg_attr_desc, count, 56, uint64_t);
FROZEN_FIELD(wg_attr_desc, floats, 64, const double*);
FROZEN_FIELD(wg_attr_desc, ints, 72, const int64_t*);
FROZEN_FIELD(wg_attr_desc, strings, 80, const cstr*);
FROZEN_FIELD(wg_attr_desc, tensor, 88, const wg_tensor_data*);

FROZEN_SIZE(wg_shape_view, 16);
FROZEN_FIELD(wg_shape_view, rank, 0, uint32_t);
FROZEN_FIELD(wg_shape_view, dims, 8, const wg_dim*);

FROZEN_SIZE(wg_op_record, 128);
FROZEN_FIELD(wg_op_record, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_op_record, flags, 4, uint32_t);
FROZEN_FIELD(wg_op_record, name, 8, cstr);
FROZEN_FIELD(wg_op_record, op_type, 16, cstr);
FROZEN_FIELD(wg_op_record, domain, 24, cstr);
FROZEN_FIELD(wg_op_record, scope, 32, cstr);
FROZEN_FIELD(wg_op_record, cost_rule, 40, cstr);
FROZEN_FIELD(wg_op_record, output_count, 48, uint64_t);
FROZEN_FIELD(wg_op_record, output_names, 56, const cstr*);
FROZEN_FIELD(wg_op_record, output_shapes, 64, const wg_shape_view*);
FROZEN_FIELD(wg_op_record, macs, 72, uint64_t);
FROZEN_FIELD(wg_op_record, flops, 80, uint64_t);
FROZEN_FIELD(wg_op_record, params, 88, uint64_t);
FROZEN_FIELD(wg_op_record, weight_bytes, 96, uint64_t);
FROZEN_FIELD(wg_op_record, input_bytes, 104, uint64_t);
FROZEN_FIELD(wg_op_record, output_bytes, 112, uint64_t);
FROZEN_FIELD(wg_op_record, multiplier, 120, double);

FROZEN_SIZE(wg_totals, 64);
FROZEN_FIELD(wg_totals, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_totals, op_count, 8, uint64_t);
FROZEN_FIELD(wg_totals, macs, 16, uint64_t);
FROZEN_FIELD(wg_totals, flops, 24, uint64_t);
FROZEN_FIELD(wg_totals, params, 32, uint64_t);
FROZEN_FIELD(wg_totals, weight_bytes, 40, uint64_t);
FROZEN_FIELD(wg_totals, peak_activation_bytes, 48, uint64_t);
FROZEN_FIELD(wg_totals, ops_without_cost_rule, 56, uint64_t);

FROZEN_SIZE(wg_count_entry, 16);
FROZEN_FIELD(wg_count_entry, key, 0, cstr);
FROZEN_FIELD(wg_count_entry, count, 8, uint64_t);

FROZEN_SIZE(wg_report, 120);
FROZEN_FIELD(wg_report, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_report, tool_version, 8, cstr);
FROZEN_FIELD(wg_report, model_path, 16, cstr);
FROZEN_FIELD(wg_report, content_hash, 24, cstr);
FROZEN_FIELD(wg_report, meta, 32, const wg_model_meta*);
FROZEN_FIELD(wg_report, totals, 40, const wg_totals*);
FROZEN_FIELD(wg_report, op_count, 48, uint64_t);
FROZEN_FIELD(wg_report, op_stride, 56, uint32_t);
FROZEN_FIELD(wg_report, ops, 64, const wg_op_record*);
FROZEN_FIELD(wg_report, op_type_count, 72, uint64_t);
FROZEN_FIELD(wg_report, op_types, 80, const wg_count_entry*);
FROZEN_FIELD(wg_report, warning_count, 88, uint64_t);
FROZEN_FIELD(wg_report, warnings, 96, const cstr*);
FROZEN_FIELD(wg_report, assumed_dim_count, 104, uint64_t);
FROZEN_FIELD(wg_report, assumed_dims, 112, const cstr*);

FROZEN_SIZE(wg_host_api, 112);
FROZEN_FIELD(wg_host_api, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_host_api, abi_major, 4, uint16_t);
FROZEN_FIELD(wg_host_api, abi_minor, 6, uint16_t);
FROZEN_FIELD(wg_host_api, host_version, 8, cstr);
FROZEN_FIELD(wg_host_api, log, 16, void (*)(wg_log_level, cstr, cstr));
FROZEN_FIELD(wg_host_api, set_error, 24, void (*)(wg_error*, wg_status, cstr));
FROZEN_FIELD(wg_host_api, set_model_meta, 32,
             wg_status (*)(wg_graph_builder*, const wg_model_meta*, wg_error*));
FROZEN_FIELD(wg_host_api, declare_value, 40,
             wg_status (*)(wg_graph_builder*, cstr, const wg_tensor_type*, wg_error*));
FROZEN_FIELD(wg_host_api, add_graph_input, 48, wg_status (*)(wg_graph_builder*, cstr, wg_error*));
FROZEN_FIELD(wg_host_api, add_graph_output, 56, wg_status (*)(wg_graph_builder*, cstr, wg_error*));
FROZEN_FIELD(wg_host_api, add_initializer, 64,
             wg_status (*)(wg_graph_builder*, cstr, const wg_tensor_data*, wg_error*));
FROZEN_FIELD(wg_host_api, add_node, 72,
             wg_status (*)(wg_graph_builder*, const wg_node_desc*, uint64_t*, wg_error*));
FROZEN_FIELD(wg_host_api, set_attribute, 80,
             wg_status (*)(wg_graph_builder*, uint64_t, const wg_attr_desc*, wg_error*));
FROZEN_FIELD(wg_host_api, begin_subgraph, 88,
             wg_status (*)(wg_graph_builder*, uint64_t, cstr, wg_graph_builder**, wg_error*));
FROZEN_FIELD(wg_host_api, map_related_file, 96,
             wg_status (*)(wg_graph_builder*, cstr, const uint8_t**, uint64_t*, wg_error*));
FROZEN_FIELD(wg_host_api, sink_write, 104, wg_status (*)(wg_sink*, const void*, uint64_t, wg_error*));

FROZEN_SIZE(wg_importer_vtable, 40);
FROZEN_FIELD(wg_importer_vtable, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_importer_vtable, format, 8, cstr);
FROZEN_FIELD(wg_importer_vtable, file_extensions, 16, cstr);
FROZEN_FIELD(wg_importer_vtable, probe, 24, int32_t (*)(void*, const uint8_t*, uint64_t));
FROZEN_FIELD(wg_importer_vtable, import_model, 32,
             wg_status (*)(void*, const wg_import_request*, wg_graph_builder*, wg_error*));

FROZEN_SIZE(wg_exporter_vtable, 40);
FROZEN_FIELD(wg_exporter_vtable, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_exporter_vtable, format, 8, cstr);
FROZEN_FIELD(wg_exporter_vtable, file_extension, 16, cstr);
FROZEN_FIELD(wg_exporter_vtable, mime_type, 24, cstr);
FROZEN_FIELD(wg_exporter_vtable, export_report, 32,
             wg_status (*)(void*, const wg_report*, wg_sink*, wg_error*));

FROZEN_SIZE(wg_plugin, 64);
FROZEN_FIELD(wg_plugin, struct_size, 0, uint32_t);
FROZEN_FIELD(wg_plugin, abi_major, 4, uint16_t);
FROZEN_FIELD(wg_plugin, abi_minor, 6, uint16_t);
FROZEN_FIELD(wg_plugin, kind, 8, wg_plugin_kind);
FROZEN_FIELD(wg_plugin, name, 16, cstr);
FROZEN_FIELD(wg_plugin, version, 24, cstr);
FROZEN_FIELD(wg_plugin, description, 32, cstr);
FROZEN_FIELD(wg_plugin, create, 40, wg_status (*)(const wg_host_api*, void**, wg_error*));
FROZEN_FIELD(wg_plugin, destroy, 48, void (*)(void*));
FROZEN_FIELD(wg_plugin, vtable, 56, const void*);

// ---- ABI 1.1: appended fields of grown structs and the new target table ------------------------
#if WG_ABI_MINOR >= 1
static_assert(offsetof(wg_op_record, unit) == 128 && offsetof(wg_op_record, bound) == 184,
              "wg_op_record: ABI 1.1 layout");
static_assert(offsetof(wg_plan_summary, fit_detail) == 88 && offsetof(wg_plan_summary, units) == 104,
              "wg_plan_summary: ABI 1.1 layout");
static_assert(offsetof(wg_report, plan) == 120, "wg_report: ABI 1.1 layout");
static_assert(offsetof(wg_host_api, plan_add_unit) == 112 && offsetof(wg_host_api, plan_set_summary) == 128,
              "wg_host_api: ABI 1.1 layout");
static_assert(offsetof(wg_target_vtable, compile) == 24 && sizeof(wg_target_vtable) == 32,
              "wg_target_vtable: ABI 1.1 layout");
static_assert(WG_BOUND_NONE == 0 && WG_BOUND_COMPUTE == 1 && WG_BOUND_MEMORY == 2 && WG_BOUND_OVERHEAD == 3);
#endif

// ---- ABI 1.2: the engine-derived critical path and activation memory plan ----------------------
#if WG_ABI_MINOR >= 2
// The first 1.2 field starts where the 1.1 record ended (192), so struct_size tells them apart.
static_assert(offsetof(wg_op_record, arena_offset) == 192 && offsetof(wg_op_record, critical) == 200 &&
              offsetof(wg_op_record, compression) == 208 && offsetof(wg_op_record, input_count) == 216,
              "wg_op_record: ABI 1.2 layout (it ended at 216)");
static_assert(offsetof(wg_report, baseline) == 128 && offsetof(wg_report, alternative_count) == 136,
              "wg_report: ABI 1.2 layout (it ended at 136)");
static_assert(offsetof(wg_op_compression, sqnr_db) == 32 && offsetof(wg_op_compression, activations_int8) == 88 &&
              sizeof(wg_op_compression) == 96, "wg_op_compression: ABI 1.2 layout");
static_assert(offsetof(wg_plan_summary, critical_path_ops) == 112 && offsetof(wg_plan_summary, unit_memory_stride) == 128 &&
              offsetof(wg_plan_summary, unit_memory) == 136 && offsetof(wg_plan_summary, weights_in) == 144,
              "wg_plan_summary: ABI 1.2 layout (it ended at 144)");
static_assert(offsetof(wg_op_result, output_bytes) == 80 && offsetof(wg_op_result, spill_bytes) == 88,
              "wg_op_result: ABI 1.2 layout (it ended at 88)");
// 1.2 also appends: the compression fields of a value, the optimizer table and its host function,
// and the model writer's slot of the exporter table.
static_assert(offsetof(wg_host_api, set_compressed) == 136 && sizeof(wg_host_api) == 144, "wg_host_api: ABI 1.2 layout");
static_assert(offsetof(wg_exporter_vtable, export_model) == 40 && offsetof(wg_exporter_vtable, export_comparison) == 48,
              "wg_exporter_vtable: ABI 1.2 layout (it ended at 48)");
static_assert(offsetof(wg_value_view, storage_bits) == 56 && offsetof(wg_value_view, sparsity) == 88 &&
              sizeof(wg_value_view) == 96, "wg_value_view: ABI 1.2 layout");
static_assert(offsetof(wg_optimizer_vtable, options) == 32 && offsetof(wg_optimizer_vtable, compress) == 48 &&
              sizeof(wg_optimizer_vtable) == 56, "wg_optimizer_vtable: ABI 1.2 layout");
static_assert(WG_DECODE_NONE == 0 && WG_DECODE_DEQUANTIZE == 1 && WG_DECODE_LUT == 2);
static_assert(WG_SPARSITY_NONE == 0 && WG_SPARSITY_UNSTRUCTURED == 1 && WG_SPARSITY_N_M == 2 && WG_SPARSITY_CHANNELS == 3);
static_assert(WG_ENCODING_DENSE == 0 && WG_ENCODING_LINEAR == 1 && WG_ENCODING_LUT == 2);
static_assert(offsetof(wg_unit_memory, unit) == 8 && offsetof(wg_unit_memory, buffers) == 40 &&
              sizeof(wg_unit_memory) == 48, "wg_unit_memory: ABI 1.2 layout");
#endif

// ---- ABI 1.3: graph edges, what-if alternatives and comparisons ---------------------------------
#if WG_ABI_MINOR >= 3
static_assert(offsetof(wg_op_record, input_names) == 224 && sizeof(wg_op_record) >= 232, "wg_op_record: ABI 1.3 layout");
static_assert(offsetof(wg_report, alternative_stride) == 144 && offsetof(wg_report, alternatives) == 152 &&
              sizeof(wg_report) >= 160, "wg_report: ABI 1.3 layout");
static_assert(offsetof(wg_alternative, id) == 8 && offsetof(wg_alternative, recipe) == 32 &&
              offsetof(wg_alternative, report) == 40 && sizeof(wg_alternative) == 48, "wg_alternative: ABI 1.3 layout");
static_assert(sizeof(wg_exporter_vtable) == 56, "wg_exporter_vtable: ABI 1.3 layout");
static_assert(std::is_same_v<decltype(wg_exporter_vtable::export_comparison),
                             wg_status (*)(void*, uint64_t, const char* const*, const char* const*, wg_sink*, wg_error*)>,
              "wg_exporter_vtable::export_comparison: ABI 1.3 type");
#endif

// ---- ABI 1.4: input shapes for importers; branch status, given inputs and unknown shapes in reports
#if WG_ABI_MINOR >= 4
static_assert(offsetof(wg_import_request, input_shape_count) == 56 && offsetof(wg_import_request, input_shape_names) == 64 &&
              offsetof(wg_import_request, input_shape_ranks) == 72 && offsetof(wg_import_request, input_shape_dims) == 80 &&
              sizeof(wg_import_request) == 88, "wg_import_request: ABI 1.4 layout");
static_assert(std::is_same_v<decltype(wg_import_request::input_shape_ranks), const uint32_t*> &&
              std::is_same_v<decltype(wg_import_request::input_shape_dims), const int64_t* const*>,
              "wg_import_request: ABI 1.4 types");
static_assert(offsetof(wg_op_record, branch) == 232, "wg_op_record: ABI 1.4 layout");
static_assert(offsetof(wg_report, given_input_count) == 160 && offsetof(wg_report, given_input_names) == 168 &&
              offsetof(wg_report, given_input_shapes) == 176 && offsetof(wg_report, given_input_values) == 184 &&
              offsetof(wg_report, unknown_shape_count) == 192 && offsetof(wg_report, unknown_shape_values) == 200 &&
              offsetof(wg_report, unknown_shape_ops) == 208 && offsetof(wg_report, unknown_shape_reasons) == 216 &&
              offsetof(wg_report, shape_suggestion_count) == 224 && offsetof(wg_report, shape_suggestions) == 232 &&
              sizeof(wg_report) == 240, "wg_report: ABI 1.4 layout");
#endif

// ---- ABI 1.4: where the model lives and what spills (issue 10 point 5) ---------------------------
#if WG_ABI_MINOR >= 4
// Each appended where the 1.2 struct ended (wg_op_result at 88, wg_plan_summary at 144).
static_assert(offsetof(wg_op_result, spill_bytes) == 88 && offsetof(wg_op_result, spill_traffic_bytes) == 96 &&
              offsetof(wg_op_result, spill_latency_us) == 104 && offsetof(wg_op_result, spill_energy_uj) == 112 &&
              sizeof(wg_op_result) >= 120, "wg_op_result: ABI 1.4 layout");
static_assert(std::is_same_v<decltype(wg_op_result::spill_bytes), uint64_t> &&
              std::is_same_v<decltype(wg_op_result::spill_latency_us), double>, "wg_op_result: ABI 1.4 types");
static_assert(offsetof(wg_plan_summary, weights_in) == 144 && offsetof(wg_plan_summary, activation_bytes) == 152 &&
              offsetof(wg_plan_summary, ram_capacity_bytes) == 160 &&
              offsetof(wg_plan_summary, storage_capacity_bytes) == 168 && offsetof(wg_plan_summary, spill_count) == 176 &&
              offsetof(wg_plan_summary, spill_stride) == 184 && offsetof(wg_plan_summary, spills) == 192 &&
              sizeof(wg_plan_summary) >= 200, "wg_plan_summary: ABI 1.4 layout");
static_assert(std::is_same_v<decltype(wg_plan_summary::weights_in), uint32_t> &&
              std::is_same_v<decltype(wg_plan_summary::spills), const wg_op_spill*>, "wg_plan_summary: ABI 1.4 types");
static_assert(offsetof(wg_op_spill, op_index) == 8 && offsetof(wg_op_spill, spill_bytes) == 16 &&
              offsetof(wg_op_spill, spill_traffic_bytes) == 24 && offsetof(wg_op_spill, spill_latency_us) == 32 &&
              offsetof(wg_op_spill, spill_energy_uj) == 40 && sizeof(wg_op_spill) == 48, "wg_op_spill: ABI 1.4 layout");
static_assert(WG_WEIGHTS_IN_UNKNOWN == 0 && WG_WEIGHTS_IN_RAM == 1 && WG_WEIGHTS_IN_STORAGE == 2);
#endif

// ---- ABI 1.4: measured devices (a target that runs the model) ---------------------------------
#if WG_ABI_MINOR >= 4
static_assert(offsetof(wg_op_result, source) == 120 && offsetof(wg_op_result, kernel) == 128 &&
              offsetof(wg_op_result, latency_min_us) == 136 && offsetof(wg_op_result, latency_max_us) == 144 &&
              sizeof(wg_op_result) == 152, "wg_op_result: ABI 1.4 measurement layout");
static_assert(offsetof(wg_op_record, source) == 240 && offsetof(wg_op_record, kernel) == 248 &&
              offsetof(wg_op_record, latency_min_us) == 256 && offsetof(wg_op_record, latency_max_us) == 264 &&
              sizeof(wg_op_record) == 272, "wg_op_record: ABI 1.4 measurement layout");
static_assert(offsetof(wg_plan_summary, measured) == 200 && offsetof(wg_plan_summary, energy_measured) == 204 &&
              offsetof(wg_plan_summary, latency_runs) == 208 && offsetof(wg_plan_summary, latency_min_ms) == 216 &&
              offsetof(wg_plan_summary, latency_p90_ms) == 224 && offsetof(wg_plan_summary, latency_max_ms) == 232 &&
              offsetof(wg_plan_summary, latency_stdev_ms) == 240 && offsetof(wg_plan_summary, runtime) == 248 &&
              offsetof(wg_plan_summary, measured_on) == 256 && offsetof(wg_plan_summary, peak_rss_bytes) == 264 &&
              sizeof(wg_plan_summary) == 272, "wg_plan_summary: ABI 1.4 measurement layout");
static_assert(offsetof(wg_device_info, measured) == 48 && sizeof(wg_device_info) == 56, "wg_device_info: ABI 1.4 layout");
static_assert(WG_SOURCE_PREDICTED == 0 && WG_SOURCE_MEASURED == 1 && WG_SOURCE_FUSED == 2 && WG_SOURCE_FOLDED == 3 &&
              WG_SOURCE_NOT_OBSERVED == 4);
#endif

static_assert(std::is_same_v<wg_entry_fn, wg_status (*)(const wg_host_api*, const wg_plugin**, wg_error*)>,
              "wg_entry_fn: ABI 1.0 signature changed");
static_assert(std::string_view(WG_ENTRY_SYMBOL) == "winglet_plugin_entry", "the entry symbol is ABI");

// The values behind the typedef'd integers are ABI as much as the layouts are.
static_assert(std::is_same_v<wg_status, int32_t> && std::is_same_v<wg_plugin_kind, uint32_t> &&
              std::is_same_v<wg_dtype, uint32_t> && std::is_same_v<wg_log_level, uint32_t> &&
              std::is_same_v<wg_attr_type, uint32_t> && std::is_same_v<wg_data_mode, uint32_t>);
static_assert(WG_OK == 0 && WG_ERR_INVALID_ARGUMENT == 1 && WG_ERR_UNSUPPORTED == 2 && WG_ERR_IO == 3 &&
              WG_ERR_FORMAT == 4 && WG_ERR_INTERNAL == 5 && WG_ERR_OUT_OF_MEMORY == 6);
static_assert(WG_KIND_IMPORTER == 1 && WG_KIND_TARGET == 2 && WG_KIND_OPTIMIZER == 3 && WG_KIND_EXPORTER == 4);
static_assert(WG_LOG_DEBUG == 1 && WG_LOG_INFO == 2 && WG_LOG_WARN == 3 && WG_LOG_ERROR == 4);
static_assert(WG_DATA_COPY == 0 && WG_DATA_BORROW == 1 && WG_RANK_UNKNOWN == UINT32_MAX);
static_assert(WG_OP_HAS_COST_RULE == 1u && WG_OP_IN_SUBGRAPH == 2u && WG_OP_ASSUMED_DIMS == 4u);
static_assert(WG_ATTR_FLOAT == 1 && WG_ATTR_INT == 2 && WG_ATTR_STRING == 3 && WG_ATTR_TENSOR == 4 &&
              WG_ATTR_GRAPH == 5 && WG_ATTR_FLOATS == 6 && WG_ATTR_INTS == 7 && WG_ATTR_STRINGS == 8);
static_assert(WG_DTYPE_FLOAT32 == 1 && WG_DTYPE_INT64 == 7 && WG_DTYPE_FLOAT16 == 10 &&
              WG_DTYPE_BFLOAT16 == 16 && WG_DTYPE_INT4 == 22, "ONNX TensorProto.DataType numbering");

// WG_HAS_FIELD works in constant expressions, so a reader can branch on it at no cost.
constexpr wg_totals kFullTotals{sizeof(wg_totals), 0, 0, 0, 0, 0, 0, 0};
static_assert(WG_HAS_FIELD(&kFullTotals, wg_totals, ops_without_cost_rule));

BOOST_AUTO_TEST_CASE(has_field_follows_struct_size) {
    // A report from a writer whose wg_report ended before assumed_dim_count.
    wg_report old{};
    old.struct_size = offsetof(wg_report, assumed_dim_count);
    BOOST_TEST(WG_HAS_FIELD(&old, wg_report, struct_size));
    BOOST_TEST(WG_HAS_FIELD(&old, wg_report, warnings));
    BOOST_TEST(!WG_HAS_FIELD(&old, wg_report, assumed_dim_count));
    BOOST_TEST(!WG_HAS_FIELD(&old, wg_report, assumed_dims));
    // A field is present only when all of its bytes are.
    old.struct_size = offsetof(wg_report, assumed_dim_count) + sizeof(uint64_t) - 1;
    BOOST_TEST(!WG_HAS_FIELD(&old, wg_report, assumed_dim_count));
    old.struct_size = sizeof(wg_report);
    BOOST_TEST(WG_HAS_FIELD(&old, wg_report, assumed_dims));
    const wg_report* none = nullptr;
    BOOST_TEST(!WG_HAS_FIELD(none, wg_report, struct_size));
}

namespace {

class NullExporter : public winglet::sdk::Exporter {
public:
    static constexpr winglet::sdk::PluginInfo info{"null", "0.0.1", "writes nothing"};
    static constexpr winglet::sdk::ExporterInfo exporter{"null", "txt", "text/plain"};
    explicit NullExporter(const winglet::sdk::Host&) {}
    void export_report(const winglet::sdk::ReportView&, winglet::sdk::Sink&) override {}
};

struct FakeHost {
    static inline std::string last_error;
    static void set_error(wg_error*, wg_status, const char* message) { last_error = message; }
    static wg_host_api api(uint16_t major) {
        wg_host_api host{};
        host.struct_size = sizeof(wg_host_api);
        host.abi_major = major;
        host.abi_minor = 0;
        host.set_error = &set_error;
        return host;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(sdk_descriptor_carries_the_sizes_and_version_it_was_built_with) {
    const wg_host_api host = FakeHost::api(WG_ABI_MAJOR);
    const wg_plugin* plugin = nullptr;
    BOOST_TEST(winglet::sdk::detail::entry<NullExporter>(&host, &plugin, nullptr) == WG_OK);
    BOOST_TEST_REQUIRE(plugin != nullptr);
    BOOST_TEST(plugin->struct_size == sizeof(wg_plugin));
    BOOST_TEST(plugin->abi_major == WG_ABI_MAJOR);
    BOOST_TEST(plugin->abi_minor == WG_ABI_MINOR);
    BOOST_TEST(plugin->kind == WG_KIND_EXPORTER);
    BOOST_TEST(std::string(plugin->name) == "null");
    BOOST_TEST(plugin->create != nullptr);
    BOOST_TEST(plugin->destroy != nullptr);
    const auto* table = static_cast<const wg_exporter_vtable*>(plugin->vtable);
    BOOST_TEST(table->struct_size == sizeof(wg_exporter_vtable));
    BOOST_TEST(std::string(table->format) == "null");
    BOOST_TEST(table->export_report != nullptr);
}

BOOST_AUTO_TEST_CASE(sdk_entry_refuses_a_host_of_another_major) {
    const wg_host_api host = FakeHost::api(WG_ABI_MAJOR + 1);
    const wg_plugin* plugin = nullptr;
    BOOST_TEST(winglet::sdk::detail::entry<NullExporter>(&host, &plugin, nullptr) == WG_ERR_UNSUPPORTED);
    BOOST_TEST(plugin == nullptr);
    BOOST_TEST(FakeHost::last_error == "plugin built for a different ABI major");
}
