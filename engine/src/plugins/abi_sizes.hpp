// The sizes of the ABI 1.0 structs, which is what a plugin built for 1.0 fills in. The host checks
// struct_size against these, never against sizeof (which grows with every minor), so plugins built
// for an older minor keep loading; fields added later are read only behind WG_HAS_FIELD.
#pragma once

#include <winglet/plugin.h>

#include <cstddef>
#include <cstdint>

namespace winglet::abi_1_0 {

template <class T, class Field>
constexpr uint32_t size_through(size_t offset) {
    return static_cast<uint32_t>(offset + sizeof(Field));
}

#define WINGLET_SIZE_THROUGH(type, field) \
    ::winglet::abi_1_0::size_through<type, decltype(type::field)>(offsetof(type, field))

inline constexpr uint32_t kPlugin = WINGLET_SIZE_THROUGH(wg_plugin, vtable);
inline constexpr uint32_t kImporterVtable = WINGLET_SIZE_THROUGH(wg_importer_vtable, import_model);
inline constexpr uint32_t kExporterVtable = WINGLET_SIZE_THROUGH(wg_exporter_vtable, export_report);
inline constexpr uint32_t kTensorType = WINGLET_SIZE_THROUGH(wg_tensor_type, dims);
inline constexpr uint32_t kTensorData = WINGLET_SIZE_THROUGH(wg_tensor_data, mode);
inline constexpr uint32_t kModelMeta = WINGLET_SIZE_THROUGH(wg_model_meta, opset_versions);
inline constexpr uint32_t kNodeDesc = WINGLET_SIZE_THROUGH(wg_node_desc, outputs);
inline constexpr uint32_t kAttrDesc = WINGLET_SIZE_THROUGH(wg_attr_desc, tensor);

}  // namespace winglet::abi_1_0

// Structs that first appeared in ABI 1.1: a plugin fills at least this much of them.
namespace winglet::abi_1_1 {

inline constexpr uint32_t kTargetVtable = WINGLET_SIZE_THROUGH(wg_target_vtable, compile);
inline constexpr uint32_t kUnitDesc = WINGLET_SIZE_THROUGH(wg_unit_desc, peak_memory_bytes);
inline constexpr uint32_t kOpResult = WINGLET_SIZE_THROUGH(wg_op_result, bound);
inline constexpr uint32_t kPlanSummary = WINGLET_SIZE_THROUGH(wg_plan_summary, units);
inline constexpr uint32_t kDeviceInfo = WINGLET_SIZE_THROUGH(wg_device_info, fingerprint);

}  // namespace winglet::abi_1_1

// Structs that first appeared in ABI 1.2.
namespace winglet::abi_1_2 {

inline constexpr uint32_t kOptimizerVtable = WINGLET_SIZE_THROUGH(wg_optimizer_vtable, compress);

}  // namespace winglet::abi_1_2

#undef WINGLET_SIZE_THROUGH
