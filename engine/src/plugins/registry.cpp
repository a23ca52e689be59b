#include "plugins/registry.hpp"

#include "core/errors.hpp"
#include "plugins/abi_sizes.hpp"
#include "plugins/host_api.hpp"
#include "plugins/loaded_plugin.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <sstream>

namespace winglet {
namespace fs = std::filesystem;

std::string_view kind_name(wg_plugin_kind kind) {
    switch (kind) {
        case WG_KIND_IMPORTER: return "importer";
        case WG_KIND_TARGET: return "target";
        case WG_KIND_OPTIMIZER: return "optimizer";
        case WG_KIND_EXPORTER: return "exporter";
        default: return "unknown";
    }
}

LoadedPlugin::LoadedPlugin(boost::dll::shared_library library, const wg_plugin* descriptor,
                           void* state, PluginRecord record)
    : library_(std::move(library)), descriptor_(descriptor), state_(state), record_(std::move(record)) {}

LoadedPlugin::~LoadedPlugin() {
    if (descriptor_->destroy) descriptor_->destroy(state_);
}

const wg_importer_vtable* LoadedPlugin::importer() const {
    return descriptor_->kind == WG_KIND_IMPORTER ? static_cast<const wg_importer_vtable*>(descriptor_->vtable)
                                                 : nullptr;
}

const wg_exporter_vtable* LoadedPlugin::exporter() const {
    return descriptor_->kind == WG_KIND_EXPORTER ? static_cast<const wg_exporter_vtable*>(descriptor_->vtable)
                                                 : nullptr;
}

const wg_optimizer_vtable* LoadedPlugin::optimizer() const {
    return descriptor_->kind == WG_KIND_OPTIMIZER ? static_cast<const wg_optimizer_vtable*>(descriptor_->vtable)
                                                  : nullptr;
}

const wg_target_vtable* LoadedPlugin::target() const {
    return descriptor_->kind == WG_KIND_TARGET ? static_cast<const wg_target_vtable*>(descriptor_->vtable)
                                               : nullptr;
}

namespace {

struct Refused {
    std::string reason;
};

std::string abi_text(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// The ABI checks a descriptor must pass before anything else of the plugin is called.
void check_descriptor(const wg_plugin* p, PluginRecord& rec) {
    if (!p) throw Refused{"entry returned no descriptor"};
    if (p->struct_size < abi_1_0::kPlugin)
        throw Refused{"descriptor struct_size " + std::to_string(p->struct_size) + " is smaller than ABI 1.0's " +
                      std::to_string(abi_1_0::kPlugin)};
    rec.abi_major = p->abi_major;
    rec.abi_minor = p->abi_minor;
    rec.name = p->name ? p->name : "";
    rec.version = p->version ? p->version : "";
    rec.description = p->description ? p->description : "";
    rec.kind = p->kind;
    const std::string host = abi_text(WG_ABI_MAJOR, WG_ABI_MINOR);
    if (p->abi_major != WG_ABI_MAJOR)
        throw Refused{"ABI " + abi_text(p->abi_major, p->abi_minor) + " but host speaks " +
                      std::to_string(WG_ABI_MAJOR) + ".x"};
    if (p->abi_minor > WG_ABI_MINOR)
        throw Refused{"ABI " + abi_text(p->abi_major, p->abi_minor) + " is newer than the host's " + host};
    if (rec.name.empty()) throw Refused{"descriptor has no name"};
    if (!p->vtable) throw Refused{"NULL slot 'vtable' in the descriptor"};
    switch (p->kind) {
        case WG_KIND_IMPORTER: {
            const auto* t = static_cast<const wg_importer_vtable*>(p->vtable);
            if (t->struct_size < abi_1_0::kImporterVtable)
                throw Refused{"importer table struct_size " + std::to_string(t->struct_size) +
                              " is smaller than ABI 1.0's " + std::to_string(abi_1_0::kImporterVtable)};
            if (!t->import_model) throw Refused{"NULL slot 'import_model' in the importer table"};
            if (!t->format || !*t->format) throw Refused{"NULL slot 'format' in the importer table"};
            rec.format = t->format;
            break;
        }
        case WG_KIND_EXPORTER: {
            const auto* t = static_cast<const wg_exporter_vtable*>(p->vtable);
            if (t->struct_size < abi_1_0::kExporterVtable)
                throw Refused{"exporter table struct_size " + std::to_string(t->struct_size) +
                              " is smaller than ABI 1.0's " + std::to_string(abi_1_0::kExporterVtable)};
            // Since 1.2 a writer of models only may leave export_report NULL.
            const bool writes_models = WG_HAS_FIELD(t, wg_exporter_vtable, export_model) && t->export_model;
            if (!t->export_report && !writes_models) throw Refused{"NULL slot 'export_report' in the exporter table"};
            if (!t->format || !*t->format) throw Refused{"NULL slot 'format' in the exporter table"};
            rec.format = t->format;
            break;
        }
        case WG_KIND_TARGET: {
            // Targets arrived in 1.1: a 1.0 plugin claiming to be one was built against a header
            // that had no target table, so whatever its vtable points to is not one.
            if (p->abi_minor < 1)
                throw Refused{"target plugins need ABI 1.1 or later, this one was built for " +
                              abi_text(p->abi_major, p->abi_minor)};
            const auto* t = static_cast<const wg_target_vtable*>(p->vtable);
            if (t->struct_size < abi_1_1::kTargetVtable)
                throw Refused{"target table struct_size " + std::to_string(t->struct_size) +
                              " is smaller than ABI 1.1's " + std::to_string(abi_1_1::kTargetVtable)};
            if (!t->device_count) throw Refused{"NULL slot 'device_count' in the target table"};
            if (!t->describe_device) throw Refused{"NULL slot 'describe_device' in the target table"};
            if (!t->compile) throw Refused{"NULL slot 'compile' in the target table"};
            break;
        }
        case WG_KIND_OPTIMIZER: {
            if (p->abi_minor < 2)
                throw Refused{"optimizer plugins need ABI 1.2 or later, this one was built for " +
                              abi_text(p->abi_major, p->abi_minor)};
            const auto* t = static_cast<const wg_optimizer_vtable*>(p->vtable);
            if (t->struct_size < abi_1_2::kOptimizerVtable)
                throw Refused{"optimizer table struct_size " + std::to_string(t->struct_size) +
                              " is smaller than ABI 1.2's " + std::to_string(abi_1_2::kOptimizerVtable)};
            if (!t->technique || !*t->technique) throw Refused{"NULL slot 'technique' in the optimizer table"};
            if (!t->check_options) throw Refused{"NULL slot 'check_options' in the optimizer table"};
            if (!t->compress) throw Refused{"NULL slot 'compress' in the optimizer table"};
            if (t->option_count && !t->options) throw Refused{"NULL slot 'options' in the optimizer table"};
            rec.format = t->technique;  // the recipe's name for it, shown where importers show formats
            break;
        }
        default:
            throw Refused{"unknown plugin kind " + std::to_string(p->kind)};
    }
}

// Asks a created target plugin for its devices; any failure refuses the plugin.
std::vector<DeviceRecord> describe_devices(const wg_plugin* p, void* state) {
    const auto* t = static_cast<const wg_target_vtable*>(p->vtable);
    const uint64_t count = t->device_count(state);
    std::vector<DeviceRecord> out;
    for (uint64_t i = 0; i < count; ++i) {
        wg_device_info info{};
        info.struct_size = sizeof(info);
        wg_error err;
        const wg_status st = t->describe_device(state, i, &info, &err);
        if (st != WG_OK)
            throw Refused{"init failed: describing device " + std::to_string(i) + ": " + error_text(err, st)};
        if (!info.id || !*info.id) throw Refused{"init failed: device " + std::to_string(i) + " has no id"};
        auto text = [](const char* s) { return std::string(s ? s : ""); };
        // A target older than 1.4 leaves the field unwritten (zero): a predicted device.
        out.push_back(DeviceRecord{info.id, text(info.name), text(info.description), text(info.source),
                                   text(info.fingerprint), nullptr, info.measured != 0});
    }
    return out;
}

bool is_plugin_file(const fs::path& p) {
    return p.extension() == boost::dll::shared_library::suffix().string();
}

}  // namespace

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() {
    // Destroy in reverse load order, before the libraries' code goes away.
    while (!loaded_.empty()) loaded_.pop_back();
}

std::vector<fs::path> PluginRegistry::search_path(const std::vector<std::string>& explicit_dirs) {
    std::vector<fs::path> dirs(explicit_dirs.begin(), explicit_dirs.end());
    if (const char* env = std::getenv("WINGLET_PLUGIN_PATH")) {
        std::stringstream ss(env);
        std::string item;
        while (std::getline(ss, item, ':'))
            if (!item.empty()) dirs.emplace_back(item);
    }
    boost::system::error_code ec;
    const auto exe = boost::dll::program_location(ec);
    if (!ec) {
        const fs::path bin_dir(exe.parent_path().string());
        // <prefix>/bin/winglet -> <prefix>/lib/winglet/plugins
        dirs.push_back(bin_dir.parent_path() / WINGLET_PLUGIN_RELATIVE_DIR);
    }
    return dirs;
}

void PluginRegistry::load_directories(const std::vector<fs::path>& dirs) {
    for (const fs::path& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            missing_.push_back(dir);
            spdlog::debug("plugin directory '{}' does not exist", dir.string());
            continue;
        }
        searched_.push_back(dir);
        std::vector<fs::path> files;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            if (it->is_regular_file(ec) && is_plugin_file(it->path())) files.push_back(it->path());
        std::sort(files.begin(), files.end());  // deterministic order
        for (const fs::path& f : files) load_file(f);
    }
}

const PluginRecord& PluginRegistry::load_file(const fs::path& file) {
    PluginRecord rec;
    rec.path = file;
    try {
        boost::dll::shared_library lib;
        boost::dll::fs::error_code ec;
        ::dlerror();
        lib.load(boost::dll::fs::path(file.string()),
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
        if (ec || !lib.is_loaded()) {
            const char* why = ::dlerror();
            throw Refused{std::string("cannot load library: ") + (why ? why : ec.message())};
        }
        // A plugin may start threads that outlive its calls (TBB's workers, in libtbb, which the
        // plugin pulled in); unmapping that code under them crashes the process later. So plugin
        // libraries, once loaded, stay mapped until exit: promote this one to RTLD_NODELETE.
        ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
        if (!lib.has(WG_ENTRY_SYMBOL)) throw Refused{"missing entry symbol '" WG_ENTRY_SYMBOL "'"};
        auto entry = lib.get<std::remove_pointer_t<wg_entry_fn>>(WG_ENTRY_SYMBOL);
        const wg_plugin* descriptor = nullptr;
        wg_error err;
        const wg_status st = entry(host_api(), &descriptor, &err);
        if (st != WG_OK) throw Refused{"init failed: " + error_text(err, st)};
        check_descriptor(descriptor, rec);
        for (const PluginRecord& other : records_)
            if (other.accepted && other.name == rec.name && other.kind == rec.kind)
                throw Refused{"shadowed by '" + other.path.string() + "' (same name '" + rec.name + "')"};
        void* state = nullptr;
        if (descriptor->create) {
            wg_error create_err;
            const wg_status cs = descriptor->create(host_api(), &state, &create_err);
            if (cs != WG_OK) throw Refused{"init failed: " + error_text(create_err, cs)};
        }
        std::vector<DeviceRecord> devices;
        if (descriptor->kind == WG_KIND_TARGET) {
            try {
                devices = describe_devices(descriptor, state);
            } catch (...) {
                if (descriptor->destroy) descriptor->destroy(state);  // created, so undo it
                throw;
            }
        }
        rec.accepted = true;
        loaded_.push_back(std::make_unique<LoadedPlugin>(std::move(lib), descriptor, state, rec));
        add_devices(*loaded_.back(), std::move(devices));
    } catch (const Refused& r) {
        rec.accepted = false;
        rec.refusal = r.reason;
        spdlog::warn("plugin '{}' refused: {}", file.string(), r.reason);
    } catch (const std::exception& e) {
        rec.accepted = false;
        rec.refusal = std::string("cannot load library: ") + e.what();
        spdlog::warn("plugin '{}' refused: {}", file.string(), rec.refusal);
    }
    records_.push_back(std::move(rec));
    return records_.back();
}

void PluginRegistry::add_devices(const LoadedPlugin& plugin, std::vector<DeviceRecord> devices) {
    for (DeviceRecord& d : devices) {
        if (const DeviceRecord* first = device(d.id)) {
            device_notes_.push_back("device '" + d.id + "' of target '" + plugin.record().name +
                                    "' is ignored: target '" + first->plugin->record().name +
                                    "' offers it first");
            spdlog::warn("{}", device_notes_.back());
            continue;
        }
        d.plugin = &plugin;
        devices_.push_back(std::move(d));
    }
}

const DeviceRecord* PluginRegistry::device(const std::string& device_id) const {
    for (const DeviceRecord& d : devices_)
        if (d.id == device_id) return &d;
    return nullptr;
}

const LoadedPlugin* PluginRegistry::target_for(const std::string& device_id) const {
    const DeviceRecord* d = device(device_id);
    return d ? d->plugin : nullptr;
}

std::vector<const LoadedPlugin*> PluginRegistry::plugins(wg_plugin_kind kind) const {
    std::vector<const LoadedPlugin*> out;
    for (const auto& p : loaded_)
        if (p->record().kind == kind) out.push_back(p.get());
    return out;
}

const LoadedPlugin* PluginRegistry::exporter(const std::string& format) const {
    for (const LoadedPlugin* p : plugins(WG_KIND_EXPORTER))
        if (p->record().format == format) return p;
    return nullptr;
}

const LoadedPlugin* PluginRegistry::optimizer(const std::string& technique) const {
    for (const LoadedPlugin* p : plugins(WG_KIND_OPTIMIZER))
        if (p->record().format == technique) return p;
    return nullptr;
}

const LoadedPlugin* PluginRegistry::model_writer(const std::string& format) const {
    for (const LoadedPlugin* p : plugins(WG_KIND_EXPORTER)) {
        const wg_exporter_vtable* t = p->exporter();
        if (p->record().format == format && WG_HAS_FIELD(t, wg_exporter_vtable, export_model) && t->export_model)
            return p;
    }
    return nullptr;
}

const LoadedPlugin* PluginRegistry::importer_for(const fs::path& model, const uint8_t* head,
                                                 uint64_t head_size) const {
    std::string ext = model.extension().string();
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    const LoadedPlugin* best = nullptr;
    int32_t best_score = -1;
    for (const LoadedPlugin* p : plugins(WG_KIND_IMPORTER)) {
        const wg_importer_vtable* t = p->importer();
        int32_t score = t->probe ? t->probe(p->state(), head, head_size) : 0;
        std::stringstream exts(t->file_extensions ? t->file_extensions : "");
        for (std::string e; std::getline(exts, e, ';');)
            if (!ext.empty() && e == ext) score += 50;
        if (score > best_score) {
            best = p;
            best_score = score;
        }
    }
    return best_score > 0 ? best : nullptr;
}

}  // namespace winglet
