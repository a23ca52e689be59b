// winglet plugin SDK: a header-only C++17 layer over the C ABI in plugin.h.
//
// A plugin author derives from winglet::sdk::Importer or winglet::sdk::Exporter, gives the class
// a `static constexpr winglet::sdk::PluginInfo info{...}`, and writes `WINGLET_PLUGIN(Class)` once.
// The SDK builds the C tables, checks the host's ABI, and turns every exception into a wg_status
// with its message, so nothing C++ ever crosses the boundary.
#ifndef WINGLET_PLUGIN_HPP
#define WINGLET_PLUGIN_HPP

#include <winglet/plugin.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace winglet::sdk {

// Throw this from plugin code to choose the status code the host sees.
class Error : public std::runtime_error {
public:
    Error(wg_status code, const std::string& message) : std::runtime_error(message), code_(code) {}
    wg_status code() const noexcept { return code_; }

private:
    wg_status code_;
};

namespace detail {
// A host call failed and the host already holds the message; only the code travels back.
class HostReportedError : public Error {
public:
    explicit HostReportedError(wg_status code) : Error(code, "error reported by the host") {}
};
}  // namespace detail

struct PluginInfo {
    const char* name;
    const char* version;
    const char* description;
};

// Borrowed access to the host's services for the lifetime of the plugin.
class Host {
public:
    explicit Host(const wg_host_api* api) : api_(api) {}
    const wg_host_api* api() const noexcept { return api_; }
    void log(wg_log_level level, const char* plugin, const std::string& message) const {
        if (api_ && api_->log) api_->log(level, plugin, message.c_str());
    }

private:
    const wg_host_api* api_;
};

struct Dim {
    int64_t value = -1;  // < 0: unknown
    std::string symbol;  // name of a symbolic dim, "" if anonymous
};

// Keeps the C views of a shape alive while a call uses them.
class TypeScratch {
public:
    wg_tensor_type make(wg_dtype dtype, const std::vector<Dim>* dims) {
        c_dims_.clear();
        if (dims)
            for (const Dim& d : *dims) c_dims_.push_back(wg_dim{d.value, d.symbol.c_str()});
        wg_tensor_type t{};
        t.struct_size = sizeof(wg_tensor_type);
        t.dtype = dtype;
        t.rank = dims ? static_cast<uint32_t>(dims->size()) : WG_RANK_UNKNOWN;
        t.dims = dims && !dims->empty() ? c_dims_.data() : nullptr;
        return t;
    }

private:
    std::vector<wg_dim> c_dims_;
};

// Wraps a wg_graph_builder; every failure throws (the host already holds the message).
class GraphBuilder {
public:
    GraphBuilder(const wg_host_api* api, wg_graph_builder* b, wg_error* err)
        : api_(api), b_(b), err_(err) {}

    void set_meta(const wg_model_meta& meta) { check(api_->set_model_meta(b_, &meta, err_)); }

    // dims == nullptr declares an unknown rank.
    void declare_value(const std::string& name, wg_dtype dtype, const std::vector<Dim>* dims) {
        TypeScratch scratch;
        wg_tensor_type t = scratch.make(dtype, dims);
        check(api_->declare_value(b_, name.c_str(), &t, err_));
    }
    void add_input(const std::string& name) { check(api_->add_graph_input(b_, name.c_str(), err_)); }
    void add_output(const std::string& name) { check(api_->add_graph_output(b_, name.c_str(), err_)); }

    void add_initializer(const std::string& name, wg_dtype dtype, const std::vector<int64_t>& shape,
                         const void* data, uint64_t size, wg_data_mode mode) {
        std::vector<Dim> dims;
        for (int64_t v : shape) dims.push_back(Dim{v, {}});
        TypeScratch scratch;
        wg_tensor_data t{};
        t.struct_size = sizeof(wg_tensor_data);
        t.type = scratch.make(dtype, &dims);
        t.data = data;
        t.byte_size = size;
        t.mode = mode;
        check(api_->add_initializer(b_, name.c_str(), &t, err_));
    }

    uint64_t add_node(const std::string& name, const std::string& op_type, const std::string& domain,
                      const std::vector<std::string>& inputs, const std::vector<std::string>& outputs) {
        std::vector<const char*> in, out;
        for (const auto& s : inputs) in.push_back(s.c_str());
        for (const auto& s : outputs) out.push_back(s.c_str());
        wg_node_desc d{};
        d.struct_size = sizeof(wg_node_desc);
        d.name = name.c_str();
        d.op_type = op_type.c_str();
        d.domain = domain.c_str();
        d.input_count = in.size();
        d.inputs = in.data();
        d.output_count = out.size();
        d.outputs = out.data();
        uint64_t index = 0;
        check(api_->add_node(b_, &d, &index, err_));
        return index;
    }

    void set_attribute(uint64_t node, const wg_attr_desc& attr) {
        check(api_->set_attribute(b_, node, &attr, err_));
    }

    GraphBuilder begin_subgraph(uint64_t node, const std::string& attr_name) {
        wg_graph_builder* sub = nullptr;
        check(api_->begin_subgraph(b_, node, attr_name.c_str(), &sub, err_));
        return GraphBuilder(api_, sub, err_);
    }

    std::pair<const uint8_t*, uint64_t> map_related_file(const std::string& relative_path) {
        const uint8_t* data = nullptr;
        uint64_t size = 0;
        check(api_->map_related_file(b_, relative_path.c_str(), &data, &size, err_));
        return {data, size};
    }

private:
    static void check(wg_status s) {
        if (s != WG_OK) throw detail::HostReportedError(s);
    }
    const wg_host_api* api_;
    wg_graph_builder* b_;
    wg_error* err_;
};

class Sink {
public:
    Sink(const wg_host_api* api, wg_sink* sink, wg_error* err) : api_(api), sink_(sink), err_(err) {}
    void write(std::string_view bytes) {
        if (bytes.empty()) return;
        wg_status s = api_->sink_write(sink_, bytes.data(), bytes.size(), err_);
        if (s != WG_OK) throw detail::HostReportedError(s);
    }

private:
    const wg_host_api* api_;
    wg_sink* sink_;
    wg_error* err_;
};

// Read-only view of a report; ops are addressed through the host's stride.
class ReportView {
public:
    explicit ReportView(const wg_report* r) : r_(r) {}
    const wg_report& raw() const { return *r_; }
    uint64_t op_count() const { return r_->op_count; }
    const wg_op_record& op(uint64_t i) const {
        return *reinterpret_cast<const wg_op_record*>(reinterpret_cast<const char*>(r_->ops) +
                                                       i * r_->op_stride);
    }
    static std::string shape_to_string(const wg_shape_view& s) {
        if (s.rank == WG_RANK_UNKNOWN) return "?";
        std::string out = "[";
        for (uint32_t d = 0; d < s.rank; ++d) {
            if (d) out += ",";
            const wg_dim& dim = s.dims[d];
            if (dim.value >= 0)
                out += std::to_string(dim.value);
            else
                out += (dim.symbol && *dim.symbol) ? dim.symbol : "?";
        }
        return out + "]";
    }

private:
    const wg_report* r_;
};

// Base classes a plugin derives from.
class Importer {
public:
    virtual ~Importer() = default;
    virtual int32_t probe(const uint8_t* /*head*/, uint64_t /*size*/) { return 0; }
    virtual void import_model(const wg_import_request& request, GraphBuilder& builder) = 0;
};

class Exporter {
public:
    virtual ~Exporter() = default;
    virtual void export_report(const ReportView& report, Sink& sink) = 0;
};

struct ImporterInfo {
    const char* format;
    const char* file_extensions;
};
struct ExporterInfo {
    const char* format;
    const char* file_extension;
    const char* mime_type;
};

namespace detail {

inline wg_status report_exception(const wg_host_api* host, wg_error* err) noexcept {
    try {
        throw;
    } catch (const HostReportedError& e) {
        return e.code();
    } catch (const Error& e) {
        if (host && host->set_error) host->set_error(err, e.code(), e.what());
        return e.code();
    } catch (const std::bad_alloc&) {
        if (host && host->set_error) host->set_error(err, WG_ERR_OUT_OF_MEMORY, "out of memory");
        return WG_ERR_OUT_OF_MEMORY;
    } catch (const std::exception& e) {
        if (host && host->set_error) host->set_error(err, WG_ERR_INTERNAL, e.what());
        return WG_ERR_INTERNAL;
    } catch (...) {
        if (host && host->set_error) host->set_error(err, WG_ERR_INTERNAL, "unknown exception");
        return WG_ERR_INTERNAL;
    }
}

// Per-instance state: the plugin object plus the host table it was created with.
template <class Plugin>
struct Instance {
    const wg_host_api* host;
    Plugin* plugin;
};

template <class Plugin>
struct Lifecycle {
    static wg_status create(const wg_host_api* host, void** state, wg_error* err) {
        try {
            auto* inst = new Instance<Plugin>{host, nullptr};
            try {
                inst->plugin = new Plugin(Host(host));
            } catch (...) {
                delete inst;
                throw;
            }
            *state = inst;
            return WG_OK;
        } catch (...) {
            return report_exception(host, err);
        }
    }
    static void destroy(void* state) noexcept {
        auto* inst = static_cast<Instance<Plugin>*>(state);
        if (!inst) return;
        try {
            delete inst->plugin;
        } catch (...) {
        }
        delete inst;
    }
    static Instance<Plugin>& self(void* state) { return *static_cast<Instance<Plugin>*>(state); }
};

template <class Plugin>
struct ImporterAdapter : Lifecycle<Plugin> {
    static constexpr wg_plugin_kind kind = WG_KIND_IMPORTER;
    static int32_t probe(void* state, const uint8_t* head, uint64_t size) noexcept {
        try {
            return Lifecycle<Plugin>::self(state).plugin->probe(head, size);
        } catch (...) {
            return 0;
        }
    }
    static wg_status import_model(void* state, const wg_import_request* request,
                                  wg_graph_builder* builder, wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            GraphBuilder b(inst.host, builder, err);
            inst.plugin->import_model(*request, b);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static const void* vtable() {
        static const wg_importer_vtable table = {sizeof(wg_importer_vtable), Plugin::importer.format,
                                                 Plugin::importer.file_extensions, &probe,
                                                 &import_model};
        return &table;
    }
};

template <class Plugin>
struct ExporterAdapter : Lifecycle<Plugin> {
    static constexpr wg_plugin_kind kind = WG_KIND_EXPORTER;
    static wg_status export_report(void* state, const wg_report* report, wg_sink* sink,
                                   wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            Sink s(inst.host, sink, err);
            inst.plugin->export_report(ReportView(report), s);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static const void* vtable() {
        static const wg_exporter_vtable table = {
            sizeof(wg_exporter_vtable), Plugin::exporter.format, Plugin::exporter.file_extension,
            Plugin::exporter.mime_type, &export_report};
        return &table;
    }
};

template <class Plugin>
using AdapterFor = std::conditional_t<std::is_base_of_v<Importer, Plugin>, ImporterAdapter<Plugin>,
                                      ExporterAdapter<Plugin>>;

template <class Plugin>
wg_status entry(const wg_host_api* host, const wg_plugin** out, wg_error* err) noexcept {
    using Adapter = AdapterFor<Plugin>;
    static_assert(std::is_base_of_v<Importer, Plugin> || std::is_base_of_v<Exporter, Plugin>,
                  "a winglet plugin derives from sdk::Importer or sdk::Exporter");
    if (!host || !out) return WG_ERR_INVALID_ARGUMENT;
    if (host->abi_major != WG_ABI_MAJOR) {
        if (host->set_error)
            host->set_error(err, WG_ERR_UNSUPPORTED, "plugin built for a different ABI major");
        return WG_ERR_UNSUPPORTED;
    }
    try {
        static const wg_plugin plugin = {sizeof(wg_plugin),
                                         WG_ABI_MAJOR,
                                         WG_ABI_MINOR,
                                         Adapter::kind,
                                         Plugin::info.name,
                                         Plugin::info.version,
                                         Plugin::info.description,
                                         &Adapter::create,
                                         &Adapter::destroy,
                                         Adapter::vtable()};
        *out = &plugin;
        return WG_OK;
    } catch (...) {
        return report_exception(host, err);
    }
}

}  // namespace detail
}  // namespace winglet::sdk

// Exports `Class` as this library's plugin. Use once per library, at namespace scope.
#define WINGLET_PLUGIN(Class)                                                                  \
    extern "C" WG_EXPORT wg_status winglet_plugin_entry(const wg_host_api* host,              \
                                                        const wg_plugin** plugin, wg_error* err) { \
        return ::winglet::sdk::detail::entry<Class>(host, plugin, err);                        \
    }

#endif  // WINGLET_PLUGIN_HPP
