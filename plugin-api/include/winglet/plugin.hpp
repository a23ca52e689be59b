// winglet plugin SDK: a header-only C++17 layer over the C ABI in plugin.h.
//
// A plugin author derives from winglet::sdk::Importer, Exporter or Target, gives the class a
// `static constexpr winglet::sdk::PluginInfo info{...}`, and writes `WINGLET_PLUGIN(Class)` once.
// The SDK builds the C tables, checks the host's ABI, and turns every exception into a wg_status
// with its message, so nothing C++ ever crosses the boundary.
#ifndef WINGLET_PLUGIN_HPP
#define WINGLET_PLUGIN_HPP

#include <winglet/plugin.h>

#include <cstdint>
#include <cstring>
#include <cstddef>
#include <exception>
#include <map>
#include <optional>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

// WG_HAS_FIELD for a struct held by reference (never NULL; GCC's -Wnonnull-compare refuses the
// macro's NULL test there): true when `obj` is large enough to contain `field`.
#define WINGLET_HAS_FIELD(obj, type, field) ((obj).struct_size >= offsetof(type, field) + sizeof((obj).field))

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
inline void check_host_status(wg_status s) {
    if (s != WG_OK) throw HostReportedError(s);
}
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
    // Since 1.3: the activation tensors an op reads; empty from an older host.
    static std::vector<std::string> input_names(const wg_op_record& o) {
        std::vector<std::string> names;
        if (o.struct_size < offsetof(wg_op_record, input_names) + sizeof o.input_names || !o.input_names) return names;
        for (uint64_t i = 0; i < o.input_count; ++i) names.emplace_back(o.input_names[i] ? o.input_names[i] : "");
        return names;
    }
    // Since 1.3: the what-if alternatives the host precomputed; none from an older host.
    uint64_t alternative_count() const {
        return r_->struct_size >= offsetof(wg_report, alternatives) + sizeof r_->alternatives && r_->alternatives
                   ? r_->alternative_count
                   : 0;
    }
    const wg_alternative& alternative(uint64_t i) const {
        return *reinterpret_cast<const wg_alternative*>(reinterpret_cast<const char*>(r_->alternatives) +
                                                        i * r_->alternative_stride);
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

// ---- Targets (ABI 1.1) ----------------------------------------------------------------------------

namespace detail {
// Element `i` of a host array whose element size is `stride` (the host's struct may be newer and
// larger than the plugin's, so never index with the plugin's sizeof).
template <class T>
const T& at_stride(const T* base, uint32_t stride, uint64_t i) {
    return *reinterpret_cast<const T*>(reinterpret_cast<const char*>(base) + i * stride);
}
inline void require(bool ok, const char* what) {
    if (!ok) throw Error(WG_ERR_INVALID_ARGUMENT, std::string("malformed graph view: ") + what);
}
}  // namespace detail

// A value of the graph being compiled: dtype, shape, storage bytes.
class ValueView {
public:
    explicit ValueView(const wg_value_view* v) : v_(v) {}
    const wg_value_view& raw() const { return *v_; }
    std::string_view name() const { return v_->name ? v_->name : ""; }
    wg_dtype dtype() const { return v_->dtype; }
    uint64_t bytes() const { return v_->bytes; }
    bool is_weight() const { return (v_->flags & WG_VALUE_WEIGHT) != 0; }
    int64_t producer() const { return v_->producer; }
    bool rank_known() const { return v_->shape.rank != WG_RANK_UNKNOWN; }
    uint32_t rank() const { return rank_known() ? v_->shape.rank : 0; }
    // Dimension `d`; < 0 when unknown (and for d past the rank).
    int64_t dim(uint32_t d) const { return d < rank() ? v_->shape.dims[d].value : -1; }
    // All dims when every one is known; nullopt otherwise.
    std::optional<std::vector<int64_t>> known_shape() const {
        if (!rank_known()) return std::nullopt;
        std::vector<int64_t> out;
        for (uint32_t d = 0; d < rank(); ++d) {
            if (dim(d) < 0) return std::nullopt;
            out.push_back(dim(d));
        }
        return out;
    }

    // What a compression recipe made of the value (since 1.2); the neutral answers otherwise.
    bool compressed() const { return has_1_2() && (v_->storage_bits != 0 || v_->compute_dtype != 0); }
    // Bytes as stored on the device: compressed size when compressed, else bytes().
    double stored_bytes() const {
        return has_1_2() && v_->storage_bits ? static_cast<double>(v_->storage_bits) / 8 : static_cast<double>(bytes());
    }
    wg_dtype compute_dtype() const { return has_1_2() && v_->compute_dtype ? v_->compute_dtype : dtype(); }
    uint32_t decode() const { return has_1_2() ? v_->decode : WG_DECODE_NONE; }
    uint32_t sparsity_pattern() const { return has_1_2() ? v_->sparsity_pattern : WG_SPARSITY_NONE; }
    uint32_t sparsity_n() const { return has_1_2() ? v_->sparsity_n : 0; }
    uint32_t sparsity_m() const { return has_1_2() ? v_->sparsity_m : 0; }
    double sparsity() const { return has_1_2() ? v_->sparsity : 0.0; }

private:
    bool has_1_2() const { return WG_HAS_FIELD(v_, wg_value_view, sparsity); }
    const wg_value_view* v_;
};

class GraphView;

// An op of the graph being compiled: its analysis record, its edges and its attributes.
class OpView {
public:
    OpView(const wg_op_view* op, const GraphView* graph) : op_(op), graph_(graph) {}
    const wg_op_view& raw() const { return *op_; }
    const wg_op_record& record() const { return *op_->record; }
    std::string_view op_type() const { return op_->record->op_type ? op_->record->op_type : ""; }
    std::string_view name() const { return op_->record->name ? op_->record->name : ""; }
    uint64_t input_count() const { return op_->input_count; }
    uint64_t output_count() const { return op_->output_count; }
    // Index into the graph's values; -1 when the input is absent or k is past the end.
    int64_t input_index(uint64_t k) const { return k < op_->input_count ? op_->inputs[k] : -1; }
    int64_t output_index(uint64_t k) const { return k < op_->output_count ? op_->outputs[k] : -1; }
    inline std::optional<ValueView> input(uint64_t k) const;
    inline std::optional<ValueView> output(uint64_t k) const;

    const wg_attr_desc* attribute(std::string_view attr_name) const {
        for (uint64_t i = 0; i < op_->attribute_count; ++i) {
            const wg_attr_desc& a = op_->attributes[i];
            if (a.name && attr_name == a.name) return &a;
        }
        return nullptr;
    }
    int64_t attr_int(std::string_view attr_name, int64_t fallback) const {
        const wg_attr_desc* a = attribute(attr_name);
        return a && a->type == WG_ATTR_INT ? a->i : fallback;
    }
    double attr_float(std::string_view attr_name, double fallback) const {
        const wg_attr_desc* a = attribute(attr_name);
        return a && a->type == WG_ATTR_FLOAT ? a->f : fallback;
    }
    std::vector<int64_t> attr_ints(std::string_view attr_name) const {
        const wg_attr_desc* a = attribute(attr_name);
        if (!a || a->type != WG_ATTR_INTS || !a->ints) return {};
        return std::vector<int64_t>(a->ints, a->ints + a->count);
    }
    std::vector<double> attr_floats(std::string_view attr_name) const {
        const wg_attr_desc* a = attribute(attr_name);
        if (!a || a->type != WG_ATTR_FLOATS || !a->floats) return {};
        return std::vector<double>(a->floats, a->floats + a->count);
    }

private:
    inline std::optional<ValueView> value_at(int64_t index) const;
    const wg_op_view* op_;
    const GraphView* graph_;
};

// The graph a target compiles; checks the host's struct sizes once, then indexes by stride.
class GraphView {
public:
    explicit GraphView(const wg_graph_view* g) : g_(g) {
        detail::require(g != nullptr, "no graph");
        detail::require(WG_HAS_FIELD(g, wg_graph_view, values), "wg_graph_view too small");
        detail::require(!g->op_count || (g->ops && g->op_stride >= sizeof(wg_op_view)),
                        "bad op table");
        detail::require(!g->value_count || (g->values && g->value_stride >= sizeof(wg_value_view)),
                        "bad value table");
        for (uint64_t i = 0; i < g->op_count; ++i) {
            const wg_op_view& op = detail::at_stride(g->ops, g->op_stride, i);
            detail::require(WG_HAS_FIELD(op.record, wg_op_record, multiplier), "op without record");
            detail::require(!op.input_count || op.inputs, "op inputs missing");
            detail::require(!op.output_count || op.outputs, "op outputs missing");
            detail::require(!op.attribute_count || op.attributes, "op attributes missing");
        }
    }
    const wg_graph_view& raw() const { return *g_; }
    uint64_t op_count() const { return g_->op_count; }
    uint64_t value_count() const { return g_->value_count; }
    OpView op(uint64_t i) const {
        check_index(i, g_->op_count);
        return OpView(&detail::at_stride(g_->ops, g_->op_stride, i), this);
    }
    ValueView value(uint64_t i) const {
        check_index(i, g_->value_count);
        return ValueView(&detail::at_stride(g_->values, g_->value_stride, i));
    }

private:
    static void check_index(uint64_t i, uint64_t n) {
        if (i >= n) throw Error(WG_ERR_INVALID_ARGUMENT, "graph view index out of range");
    }
    const wg_graph_view* g_;
};

inline std::optional<ValueView> OpView::value_at(int64_t index) const {
    if (index < 0) return std::nullopt;
    return graph_->value(static_cast<uint64_t>(index));
}
inline std::optional<ValueView> OpView::input(uint64_t k) const { return value_at(input_index(k)); }
inline std::optional<ValueView> OpView::output(uint64_t k) const { return value_at(output_index(k)); }

// What `compile` is asked to do: a device, a graph and --option KEY=VALUE pairs.
class CompileRequest {
public:
    explicit CompileRequest(const wg_compile_request* r)
        : r_((detail::require(WG_HAS_FIELD(r, wg_compile_request, option_values), "bad request"), r)),
          graph_(r->graph) {
        detail::require(!r->option_count || (r->option_keys && r->option_values), "bad options");
    }
    std::string_view device_id() const { return r_->device_id ? r_->device_id : ""; }
    const GraphView& graph() const { return graph_; }
    std::vector<std::pair<std::string, std::string>> options() const {
        std::vector<std::pair<std::string, std::string>> out;
        for (uint64_t i = 0; i < r_->option_count; ++i)
            out.emplace_back(r_->option_keys[i] ? r_->option_keys[i] : "",
                             r_->option_values[i] ? r_->option_values[i] : "");
        return out;
    }
    // The last value given for `key`, if any.
    std::optional<std::string> option(std::string_view key) const {
        std::optional<std::string> found;
        for (const auto& [k, v] : options())
            if (k == key) found = v;
        return found;
    }

private:
    const wg_compile_request* r_;
    GraphView graph_;
};

struct DeviceInfo {
    std::string id, name, description, source = "built-in", fingerprint;
    bool measured = false;  // since 1.4: the target runs the model on the device and times it
};

struct Unit {
    std::string name, kind;
    uint64_t memory_bytes = 0;
    uint64_t peak_memory_bytes = 0;
};

struct OpResult {
    uint64_t op_index = 0;
    std::string unit;
    std::string fallback_reason;  // "" when on the preferred unit
    int64_t group = -1;
    double start_us = 0, latency_us = 0, energy_uj = 0;
    uint64_t memory_traffic_bytes = 0;
    uint32_t bound = WG_BOUND_NONE;
    uint64_t output_bytes = 0;  // on this device; 0: as the report says (since 1.2)
    // Since 1.4: working set beyond the unit's on-chip memory and what it adds (already included
    // in memory_traffic_bytes, latency_us and energy_uj).
    uint64_t spill_bytes = 0, spill_traffic_bytes = 0;
    double spill_latency_us = 0, spill_energy_uj = 0;
    // Since 1.4: how the figures were obtained (WG_SOURCE_*), the runtime kernel that ran the op,
    // and for a measured op the spread of latency_us (the median) over the timed runs.
    uint32_t source = WG_SOURCE_PREDICTED;
    std::string kernel{};
    double latency_min_us = 0, latency_max_us = 0;
};

struct PlanSummary {
    std::string device_id, device_name;
    double latency_ms = 0, energy_mj = 0, avg_power_w = 0;
    uint64_t peak_memory_bytes = 0, weights_resident_bytes = 0, storage_bytes = 0;
    uint64_t unit_transitions = 0;
    bool fits = true;
    std::string fit_detail;
    std::vector<Unit> units;
    // Since 1.4: where the model lives (WG_WEIGHTS_IN_*) and the capacities `fits` was checked against.
    uint32_t weights_in = WG_WEIGHTS_IN_UNKNOWN;
    uint64_t activation_bytes = 0, ram_capacity_bytes = 0, storage_capacity_bytes = 0;
    // Since 1.4, for a measured plan: latency_ms is the median of latency_runs timed runs.
    bool measured = false, energy_measured = false;
    uint64_t latency_runs = 0;
    double latency_min_ms = 0, latency_p90_ms = 0, latency_max_ms = 0, latency_stdev_ms = 0;
    std::string runtime{}, measured_on{};
    uint64_t peak_rss_bytes = 0;
};

// Wraps a wg_plan_builder; every failure throws (the host already holds the message).
class PlanBuilder {
public:
    PlanBuilder(const wg_host_api* api, wg_plan_builder* plan, wg_error* err)
        : api_(api), plan_(plan), err_(err) {}

    void add_unit(const Unit& u) {
        wg_unit_desc d = to_c(u);
        detail::check_host_status(api_->plan_add_unit(plan_, &d, err_));
    }
    void set_op(const OpResult& r) {
        wg_op_result c{};
        c.struct_size = sizeof c;
        c.op_index = r.op_index;
        c.unit = r.unit.c_str();
        c.fallback_reason = r.fallback_reason.c_str();
        c.group = r.group;
        c.start_us = r.start_us;
        c.latency_us = r.latency_us;
        c.energy_uj = r.energy_uj;
        c.memory_traffic_bytes = r.memory_traffic_bytes;
        c.bound = r.bound;
        c.output_bytes = r.output_bytes;
        c.spill_bytes = r.spill_bytes;
        c.spill_traffic_bytes = r.spill_traffic_bytes;
        c.spill_latency_us = r.spill_latency_us;
        c.spill_energy_uj = r.spill_energy_uj;
        c.source = r.source;
        c.kernel = r.kernel.c_str();
        c.latency_min_us = r.latency_min_us;
        c.latency_max_us = r.latency_max_us;
        detail::check_host_status(api_->plan_set_op(plan_, &c, err_));
    }
    void set_summary(const PlanSummary& s) {
        std::vector<wg_unit_desc> units;
        for (const Unit& u : s.units) units.push_back(to_c(u));
        wg_plan_summary c{};
        c.struct_size = sizeof c;
        c.device_id = s.device_id.c_str();
        c.device_name = s.device_name.c_str();
        c.latency_ms = s.latency_ms;
        c.energy_mj = s.energy_mj;
        c.avg_power_w = s.avg_power_w;
        c.peak_memory_bytes = s.peak_memory_bytes;
        c.weights_resident_bytes = s.weights_resident_bytes;
        c.storage_bytes = s.storage_bytes;
        c.unit_transitions = s.unit_transitions;
        c.fits = s.fits ? 1u : 0u;
        c.fit_detail = s.fit_detail.c_str();
        c.unit_count = units.size();
        c.units = units.empty() ? nullptr : units.data();
        c.weights_in = s.weights_in;
        c.activation_bytes = s.activation_bytes;
        c.ram_capacity_bytes = s.ram_capacity_bytes;
        c.storage_capacity_bytes = s.storage_capacity_bytes;
        c.measured = s.measured ? 1u : 0u;
        c.energy_measured = s.energy_measured ? 1u : 0u;
        c.latency_runs = s.latency_runs;
        c.latency_min_ms = s.latency_min_ms;
        c.latency_p90_ms = s.latency_p90_ms;
        c.latency_max_ms = s.latency_max_ms;
        c.latency_stdev_ms = s.latency_stdev_ms;
        c.runtime = s.runtime.c_str();
        c.measured_on = s.measured_on.c_str();
        c.peak_rss_bytes = s.peak_rss_bytes;
        detail::check_host_status(api_->plan_set_summary(plan_, &c, err_));
    }

private:
    static wg_unit_desc to_c(const Unit& u) {
        wg_unit_desc d{};
        d.struct_size = sizeof d;
        d.name = u.name.c_str();
        d.kind = u.kind.c_str();
        d.memory_bytes = u.memory_bytes;
        d.peak_memory_bytes = u.peak_memory_bytes;
        return d;
    }
    const wg_host_api* api_;
    wg_plan_builder* plan_;
    wg_error* err_;
};

// An optimizer's view of one weight tensor to compress (since 1.2).
class CompressRequest {
public:
    explicit CompressRequest(const wg_compress_request* r)
        : r_((detail::require(WG_HAS_FIELD(r, wg_compress_request, option_values) && r->values, "bad compress request"), r)) {
        for (uint64_t i = 0; i < r_->option_count; ++i)
            options_[r_->option_keys[i] ? r_->option_keys[i] : ""] = r_->option_values[i] ? r_->option_values[i] : "";
    }
    std::string_view tensor_name() const { return r_->tensor_name ? r_->tensor_name : ""; }
    std::string_view op_name() const { return r_->op_name ? r_->op_name : ""; }
    std::string_view op_type() const { return r_->op_type ? r_->op_type : ""; }
    std::vector<int64_t> dims() const { return std::vector<int64_t>(r_->dims, r_->dims + r_->rank); }
    uint64_t element_count() const {
        uint64_t n = 1;
        for (uint32_t d = 0; d < r_->rank; ++d) n *= static_cast<uint64_t>(r_->dims[d]);
        return n;
    }
    const float* values() const { return r_->values; }
    int channel_axis() const { return r_->channel_axis; }
    int reduction_axis() const { return r_->reduction_axis; }
    const std::map<std::string, std::string>& options() const { return options_; }

private:
    const wg_compress_request* r_;
    std::map<std::string, std::string> options_;
};

// What an optimizer returns for one tensor; the SDK hands it to host->set_compressed.
struct Compressed {
    std::vector<float> decoded;
    uint64_t storage_bits = 0;
    wg_dtype compute_dtype = WG_DTYPE_FLOAT32;
    uint32_t decode = WG_DECODE_NONE;
    uint32_t sparsity_pattern = WG_SPARSITY_NONE;
    uint32_t sparsity_n = 0, sparsity_m = 0;
    uint32_t encoding = WG_ENCODING_DENSE;
    uint32_t code_bits = 0;
    std::vector<int8_t> codes;
    int32_t param_axis = -1;
    int64_t block_size = 0;
    std::vector<int64_t> param_dims;
    std::vector<float> scales;
    std::vector<int8_t> zero_points;  // empty: all zero
    uint64_t lut_count = 0;
    std::vector<float> luts;
};

struct OptionSpec {
    const char* name;
    const char* values;
    const char* default_value;
    const char* description;
};

// A compressed model to write (since 1.2), for exporters that write models.
class ModelEdit {
public:
    explicit ModelEdit(const wg_model_edit* e) : e_((detail::require(WG_HAS_FIELD(e, wg_model_edit, producer), "bad model edit"), e)) {}
    const wg_model_edit& raw() const { return *e_; }
    std::string_view source_format() const { return e_->source_format ? e_->source_format : ""; }
    const uint8_t* source_data() const { return e_->source_data; }
    uint64_t source_size() const { return e_->source_size; }
    std::string_view producer() const { return e_->producer ? e_->producer : ""; }
    uint64_t tensor_count() const { return e_->tensor_count; }
    const wg_tensor_edit& tensor(uint64_t i) const { return *e_->tensors[i]; }

private:
    const wg_model_edit* e_;
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
    virtual void export_report(const ReportView& /*report*/, Sink& /*sink*/) {
        throw Error(WG_ERR_UNSUPPORTED, "this exporter writes models only, not reports");
    }
    // Since 1.2: an exporter that writes models overrides this.
    virtual void export_model(const ModelEdit& /*edit*/, Sink& /*sink*/) {
        throw Error(WG_ERR_UNSUPPORTED, "this exporter writes reports only, not models");
    }
    // Since 1.3: an exporter that writes comparisons of reports overrides this. Each document is
    // a winglet JSON report (the "json" exporter's schema), checked by the host.
    struct LabelledDocument {
        std::string label;
        std::string_view json;
    };
    virtual void export_comparison(const std::vector<LabelledDocument>& /*documents*/, Sink& /*sink*/) {
        throw Error(WG_ERR_UNSUPPORTED, "this exporter does not write comparisons");
    }
};

// An optimizer compresses one tensor at a time (since 1.2). Options arrive as text.
class Optimizer {
public:
    virtual ~Optimizer() = default;
    // Throw Error(WG_ERR_INVALID_ARGUMENT, ...) naming the key and the accepted values.
    virtual void check_options(const std::map<std::string, std::string>& options) = 0;
    virtual Compressed compress(const CompressRequest& request) = 0;
};

// A target lists its devices once (their strings stay alive in the plugin object while it is
// loaded, as wg_device_info requires) and compiles a graph for one of them.
class Target {
public:
    virtual ~Target() = default;
    virtual std::vector<DeviceInfo> devices() = 0;
    // Must be deterministic: the host caches plans by model, device fingerprint and options.
    virtual void compile(const CompileRequest& request, PlanBuilder& plan) = 0;

    // The list devices() returned on first use; never refreshed, so pointers into it stay valid.
    const std::vector<DeviceInfo>& device_list() {
        if (!device_cache_) device_cache_ = devices();
        return *device_cache_;
    }

private:
    std::optional<std::vector<DeviceInfo>> device_cache_;
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
struct OptimizerInfo {
    const char* technique;
    const char* summary;
    const OptionSpec* options;
    size_t option_count;
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
    static constexpr uint16_t min_host_minor = 0;
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
    static constexpr uint16_t min_host_minor = 0;
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
    static wg_status export_model(void* state, const wg_model_edit* edit, wg_sink* sink,
                                  wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            Sink s(inst.host, sink, err);
            inst.plugin->export_model(ModelEdit(edit), s);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static wg_status export_comparison(void* state, uint64_t count, const char* const* labels,
                                       const char* const* documents, wg_sink* sink, wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            std::vector<Exporter::LabelledDocument> docs;
            for (uint64_t i = 0; i < count; ++i)
                docs.push_back({labels && labels[i] ? labels[i] : "", documents && documents[i] ? documents[i] : ""});
            Sink s(inst.host, sink, err);
            inst.plugin->export_comparison(docs, s);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static const void* vtable() {
        static const wg_exporter_vtable table = {
            sizeof(wg_exporter_vtable), Plugin::exporter.format, Plugin::exporter.file_extension,
            Plugin::exporter.mime_type, &export_report, &export_model, &export_comparison};
        return &table;
    }
};

template <class Plugin>
struct OptimizerAdapter : Lifecycle<Plugin> {
    static constexpr wg_plugin_kind kind = WG_KIND_OPTIMIZER;
    static constexpr uint16_t min_host_minor = 2;  // wg_optimizer_vtable and set_compressed appeared in 1.2
    static wg_status check_options(void* state, uint64_t count, const char* const* keys,
                                   const char* const* values, wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            std::map<std::string, std::string> options;
            for (uint64_t i = 0; i < count; ++i) options[keys[i] ? keys[i] : ""] = values[i] ? values[i] : "";
            inst.plugin->check_options(options);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static wg_status compress(void* state, const wg_compress_request* request, wg_compress_result* result,
                              wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            const CompressRequest r(request);
            const Compressed c = inst.plugin->compress(r);
            require(c.decoded.size() == r.element_count(), "compress returned the wrong number of values");
            wg_compressed_desc d{};
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
            check_host_status(inst.host->set_compressed(result, &d, err));
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static const void* vtable() {
        static const std::vector<wg_option_desc> descs = [] {
            std::vector<wg_option_desc> out;
            for (size_t i = 0; i < Plugin::optimizer.option_count; ++i) {
                const OptionSpec& o = Plugin::optimizer.options[i];
                out.push_back({sizeof(wg_option_desc), o.name, o.values, o.default_value, o.description});
            }
            return out;
        }();
        static const std::vector<const wg_option_desc*> pointers = [] {
            std::vector<const wg_option_desc*> out;
            for (const wg_option_desc& d : descs) out.push_back(&d);
            return out;
        }();
        static const wg_optimizer_vtable table = {sizeof(wg_optimizer_vtable), Plugin::optimizer.technique,
                                                  Plugin::optimizer.summary, pointers.size(), pointers.data(),
                                                  &check_options, &compress};
        return &table;
    }
};


template <class Plugin>
struct TargetAdapter : Lifecycle<Plugin> {
    static constexpr wg_plugin_kind kind = WG_KIND_TARGET;
    static constexpr uint16_t min_host_minor = 1;  // wg_target_vtable and plan_* appeared in 1.1
    static uint64_t device_count(void* state) noexcept {
        try {
            return Lifecycle<Plugin>::self(state).plugin->device_list().size();
        } catch (...) {
            return 0;
        }
    }
    static wg_status describe_device(void* state, uint64_t index, wg_device_info* info,
                                     wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            const auto& list = inst.plugin->device_list();
            if (!info || index >= list.size())
                throw Error(WG_ERR_INVALID_ARGUMENT, "describe_device: no device " +
                                                         std::to_string(index));
            const DeviceInfo& d = list[index];
            // Fill only the fields the host's struct has room for.
            if (WG_HAS_FIELD(info, wg_device_info, id)) info->id = d.id.c_str();
            if (WG_HAS_FIELD(info, wg_device_info, name)) info->name = d.name.c_str();
            if (WG_HAS_FIELD(info, wg_device_info, description))
                info->description = d.description.c_str();
            if (WG_HAS_FIELD(info, wg_device_info, source)) info->source = d.source.c_str();
            if (WG_HAS_FIELD(info, wg_device_info, fingerprint))
                info->fingerprint = d.fingerprint.c_str();
            if (WG_HAS_FIELD(info, wg_device_info, measured)) info->measured = d.measured ? 1u : 0u;
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static wg_status compile(void* state, const wg_compile_request* request, wg_plan_builder* plan,
                             wg_error* err) noexcept {
        auto& inst = Lifecycle<Plugin>::self(state);
        try {
            CompileRequest r(request);
            PlanBuilder b(inst.host, plan, err);
            inst.plugin->compile(r, b);
            return WG_OK;
        } catch (...) {
            return report_exception(inst.host, err);
        }
    }
    static const void* vtable() {
        static const wg_target_vtable table = {sizeof(wg_target_vtable), &device_count,
                                               &describe_device, &compile};
        return &table;
    }
};

template <class Plugin>
using AdapterFor = std::conditional_t<
    std::is_base_of_v<Importer, Plugin>, ImporterAdapter<Plugin>,
    std::conditional_t<std::is_base_of_v<Target, Plugin>, TargetAdapter<Plugin>,
                       std::conditional_t<std::is_base_of_v<Optimizer, Plugin>, OptimizerAdapter<Plugin>,
                                          ExporterAdapter<Plugin>>>>;

template <class Plugin>
wg_status entry(const wg_host_api* host, const wg_plugin** out, wg_error* err) noexcept {
    using Adapter = AdapterFor<Plugin>;
    static_assert(std::is_base_of_v<Importer, Plugin> || std::is_base_of_v<Exporter, Plugin> ||
                      std::is_base_of_v<Target, Plugin> || std::is_base_of_v<Optimizer, Plugin>,
                  "a winglet plugin derives from sdk::Importer, sdk::Exporter, sdk::Target or sdk::Optimizer");
    if (!host || !out) return WG_ERR_INVALID_ARGUMENT;
    if (host->abi_major != WG_ABI_MAJOR) {
        if (host->set_error)
            host->set_error(err, WG_ERR_UNSUPPORTED, "plugin built for a different ABI major");
        return WG_ERR_UNSUPPORTED;
    }
    try {
        // A kind born in a later minor needs a host that speaks it (and has its host functions).
        if constexpr (Adapter::min_host_minor > 0) {
            const bool has_functions = Adapter::min_host_minor >= 2 ? WG_HAS_FIELD(host, wg_host_api, set_compressed)
                                                                     : WG_HAS_FIELD(host, wg_host_api, plan_set_summary);
            if (host->abi_minor < Adapter::min_host_minor || !has_functions)
                throw Error(WG_ERR_UNSUPPORTED,
                            std::string(Adapter::kind == WG_KIND_OPTIMIZER ? "optimizer" : "target") +
                                " plugins need host ABI " + std::to_string(WG_ABI_MAJOR) + "." +
                                std::to_string(Adapter::min_host_minor) + " or newer, host speaks " +
                                std::to_string(host->abi_major) + "." + std::to_string(host->abi_minor));
        }
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
