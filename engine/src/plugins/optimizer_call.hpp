// Calling optimizer plugins (ABI 1.2): checking a recipe entry's options, compressing a tensor.
#pragma once

#include "compression/compressed_tensor.hpp"
#include "plugins/registry.hpp"

#include <map>
#include <string>
#include <vector>

namespace winglet {

// InputError "<where>: <technique>: <the plugin's message>" when the plugin refuses them.
void check_optimizer_options(const LoadedPlugin& optimizer, const std::map<std::string, std::string>& options,
                             const std::string& where);

struct TensorToCompress {
    std::string tensor_name, op_name, op_type;
    std::vector<int64_t> dims;
    const float* values = nullptr;
    int channel_axis = 0, reduction_axis = 1;
    std::map<std::string, std::string> options;
};

// InputError when the plugin finds the tensor unsuitable (WG_ERR_INVALID_ARGUMENT, _UNSUPPORTED,
// _FORMAT), PluginError when it fails or reports nothing or something the host refuses.
CompressedTensor compress_tensor(const LoadedPlugin& optimizer, const TensorToCompress& tensor);

}  // namespace winglet
