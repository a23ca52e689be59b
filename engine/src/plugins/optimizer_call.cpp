#include "plugins/optimizer_call.hpp"

#include "core/errors.hpp"
#include "plugins/compress_result.hpp"
#include "plugins/host_api.hpp"
#include "plugins/host_call.hpp"
#include "plugins/loaded_plugin.hpp"

namespace winglet {
namespace {

struct OptionArrays {
    std::vector<const char*> keys, values;
    explicit OptionArrays(const std::map<std::string, std::string>& options) {
        for (const auto& [k, v] : options) {
            keys.push_back(k.c_str());
            values.push_back(v.c_str());
        }
    }
};

}  // namespace

void check_optimizer_options(const LoadedPlugin& optimizer, const std::map<std::string, std::string>& options,
                             const std::string& where) {
    const OptionArrays arrays(options);
    wg_error err;
    const wg_status st = optimizer.optimizer()->check_options(optimizer.state(), arrays.keys.size(), arrays.keys.data(),
                                                              arrays.values.data(), &err);
    if (st == WG_OK) return;
    const std::string text = where + ": " + optimizer.record().format + ": " + error_text(err, st);
    if (st == WG_ERR_INVALID_ARGUMENT || st == WG_ERR_UNSUPPORTED) throw InputError(text);
    throw PluginError(text);
}

CompressedTensor compress_tensor(const LoadedPlugin& optimizer, const TensorToCompress& t) {
    const OptionArrays arrays(t.options);
    wg_compress_request request{};
    request.struct_size = sizeof request;
    request.tensor_name = t.tensor_name.c_str();
    request.op_name = t.op_name.c_str();
    request.op_type = t.op_type.c_str();
    request.rank = static_cast<uint32_t>(t.dims.size());
    request.dims = t.dims.data();
    request.values = t.values;
    request.channel_axis = t.channel_axis;
    request.reduction_axis = t.reduction_axis;
    request.option_count = arrays.keys.size();
    request.option_keys = arrays.keys.data();
    request.option_values = arrays.values.data();

    CompressedTensor out;
    wg_compress_result result{&out, t.dims, false};
    wg_error err;
    const wg_status st = optimizer.optimizer()->compress(optimizer.state(), &request, &result, &err);
    const std::string where = optimizer.record().format + " of '" + t.tensor_name + "' (op '" + t.op_name + "')";
    if (st != WG_OK) {
        const std::string text = where + ": " + error_text(err, st);
        if (st == WG_ERR_INVALID_ARGUMENT || st == WG_ERR_UNSUPPORTED || st == WG_ERR_FORMAT) throw InputError(text);
        throw PluginError(text);
    }
    if (!result.set) throw PluginError(where + ": the optimizer returned without a result (set_compressed)");
    return out;
}

}  // namespace winglet
