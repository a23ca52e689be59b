#include "compression/write_model.hpp"

#include "core/errors.hpp"
#include "io/atomic_write.hpp"
#include "io/mapped_file.hpp"
#include "plugins/host_api.hpp"
#include "plugins/loaded_plugin.hpp"

#include <deque>

namespace winglet {

void write_compressed_model(const PluginRegistry& registry, const Model& model, const CompressionResult& result,
                            const std::string& requested_format, const std::string& producer,
                            const std::filesystem::path& path) {
    const std::string format = requested_format.empty() ? model.info.format : requested_format;
    const LoadedPlugin* writer = registry.model_writer(format);
    if (!writer) throw PluginError("no exporter plugin writes " + format + " models (see `winglet plugins`)");
    const auto source = MappedFile::open(model.info.path);

    std::deque<wg_compressed_desc> descs;
    std::deque<wg_tensor_edit> edits;
    std::vector<const wg_tensor_edit*> pointers;
    for (const auto& op : result.ops) {
        if (!op) continue;
        const CompressedTensor& c = *op->compressed;
        wg_compressed_desc& d = descs.emplace_back();
        d.struct_size = sizeof d;
        d.decoded = c.decoded.data();
        d.storage_bits = c.storage_bits;
        d.compute_dtype = c.compute_dtype;
        d.decode = c.decode;
        d.sparsity_pattern = c.sparsity_pattern;
        d.sparsity_n = c.sparsity_n;
        d.sparsity_m = c.sparsity_m;
        d.encoding = c.encoding;
        d.code_bits = c.code_bits;
        d.codes = c.codes.empty() ? nullptr : c.codes.data();
        d.param_axis = c.param_axis;
        d.block_size = c.block_size;
        d.param_rank = static_cast<uint32_t>(c.param_dims.size());
        d.param_dims = c.param_dims.empty() ? nullptr : c.param_dims.data();
        d.scales = c.scales.empty() ? nullptr : c.scales.data();
        d.zero_points = c.zero_points.empty() ? nullptr : c.zero_points.data();
        d.lut_count = c.lut_count;
        d.luts = c.luts.empty() ? nullptr : c.luts.data();
        wg_tensor_edit& e = edits.emplace_back();
        e.struct_size = sizeof e;
        e.name = op->tensor.c_str();
        e.technique = op->technique.c_str();
        e.rank = static_cast<uint32_t>(op->dims.size());
        e.dims = op->dims.data();
        e.original_dtype = static_cast<wg_dtype>(op->original_dtype);
        e.compressed = &d;
        pointers.push_back(&e);
    }
    wg_model_edit edit{};
    edit.struct_size = sizeof edit;
    edit.source_path = model.info.path.c_str();
    edit.source_format = model.info.format.c_str();
    edit.source_data = source->data();
    edit.source_size = source->size();
    edit.tensor_count = pointers.size();
    edit.tensors = pointers.data();
    edit.producer = producer.c_str();

    write_file_atomically(path, [&](std::ostream& out) {
        wg_sink sink{&out};
        wg_error err;
        const wg_status st = writer->exporter()->export_model(writer->state(), &edit, &sink, &err);
        if (st != WG_OK)
            throw PluginError("writing '" + path.string() + "' with '" + writer->record().name + "' failed: " + error_text(err, st));
    });
}

}  // namespace winglet
