/* Compiled as strict C99 (-std=c99 -pedantic -Werror) as part of the build: plugin.h must stay
 * usable from C. Touches every type and macro a C plugin relies on, so a C++-only construct
 * anywhere in the header fails the build here. */
#include <winglet/plugin.h>

int wg_c99_header_check(const wg_plugin* plugin, const wg_report* report);

int wg_c99_header_check(const wg_plugin* plugin, const wg_report* report) {
    const wg_entry_fn entry = 0;
    const wg_host_api* host = 0;
    const wg_importer_vtable* importer = 0;
    const wg_exporter_vtable* exporter = 0;
    const wg_import_request* request = 0;
    const wg_attr_desc* attr = 0;
    const wg_node_desc* node = 0;
    const wg_count_entry* count = 0;
    wg_dim dim = {-1, "batch"};
    wg_shape_view shape = {1, &dim};
    wg_tensor_type type = {sizeof(wg_tensor_type), WG_DTYPE_FLOAT32, 1, &dim};
    wg_tensor_data data = {sizeof(wg_tensor_data), {0, 0, 0, 0}, 0, 0, WG_DATA_BORROW};
    wg_model_meta meta = {sizeof(wg_model_meta), "onnx", 0, 0, 0, 0, 0, 0, 0};
    wg_op_record op = {sizeof(wg_op_record), WG_OP_HAS_COST_RULE, 0, 0, 0, 0, 0, 0, 0, &shape,
                       0, 0, 0, 0, 0, 0, 1.0, "npu", "", -1, 0.0, 0.0, 0.0, 0, WG_BOUND_NONE, -1, 0, 0, 0, 0, "",
                       WG_SOURCE_MEASURED, "conv_kernel", 1.0, 2.0};
    wg_totals totals = {sizeof(wg_totals), 0, 0, 0, 0, 0, 0, 0};
    wg_status status = WG_OK;
    /* ABI 1.1: the target side. */
    const wg_target_vtable* target = 0;
    const wg_graph_view* graph = 0;
    const wg_compile_request* compile = 0;
    wg_device_info device = {sizeof(wg_device_info), "id", "name", "", "built-in", "0", 1};
    wg_unit_desc unit = {sizeof(wg_unit_desc), "npu", "npu", 0, 0};
    wg_op_result result = {sizeof(wg_op_result), 0, "npu", 0, -1, 0.0, 0.0, 0.0, 0, WG_BOUND_COMPUTE, 0,
                           /* 1.4: */ 1024, 2048, 1.5, 0.25, WG_SOURCE_FUSED, "kernel", 0.0, 0.0};
    /* ABI 1.2: the host-derived memory plan. */
    wg_unit_memory memory = {sizeof(wg_unit_memory), "npu", 0, 0, 0, 0};
    /* ABI 1.4: where the model lives and the ops that spill. */
    wg_op_spill spill = {sizeof(wg_op_spill), 0, 1024, 2048, 1.5, 0.25};
    wg_plan_summary summary = {sizeof(wg_plan_summary), "id", "name", 0.0, 0.0, 0.0, 0, 0, 0, 0, 1, "", 1, &unit,
                               0, 1, sizeof(wg_unit_memory), &memory,
                               WG_WEIGHTS_IN_STORAGE, 0, 1048576, 2097152, 1, sizeof(wg_op_spill), &spill,
                               1, 0, 20, 1.0, 1.5, 2.0, 0.1, "onnxruntime 1.31.1", "cpu", 0};
    /* ABI 1.3: what-if alternatives. */
    wg_alternative alternative = {sizeof(wg_alternative), "int8", "int8", "quantize", "bits = 8\n", report};
    data.type = type;
    (void)entry, (void)host, (void)importer, (void)exporter, (void)request, (void)attr, (void)node;
    (void)count, (void)meta, (void)op, (void)totals, (void)status;
    (void)target, (void)graph, (void)compile, (void)device, (void)result, (void)summary;
    (void)alternative;
    return WG_HAS_FIELD(plugin, wg_plugin, vtable) && WG_HAS_FIELD(report, wg_report, assumed_dims) &&
           WG_HAS_FIELD(&data, wg_tensor_data, mode) && WG_HAS_FIELD(report, wg_report, plan) &&
           WG_HAS_FIELD(report, wg_report, alternatives) && WG_HAS_FIELD(report, wg_report, shape_suggestions) &&
           WG_HAS_FIELD(request, wg_import_request, input_shape_dims) && WG_HAS_FIELD(&summary, wg_plan_summary, spills) &&
           WG_HAS_FIELD(&result, wg_op_result, spill_energy_uj);
}
