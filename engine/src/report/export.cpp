#include "report/export.hpp"

#include "core/errors.hpp"
#include "io/atomic_write.hpp"
#include "plugins/host_api.hpp"
#include "plugins/loaded_plugin.hpp"
#include "report/report_view.hpp"


namespace winglet {
namespace fs = std::filesystem;

namespace {

const LoadedPlugin& exporter_for(const PluginRegistry& registry, const std::string& format) {
    if (const LoadedPlugin* plugin = registry.exporter(format)) return *plugin;
    std::string known;
    for (const LoadedPlugin* p : registry.plugins(WG_KIND_EXPORTER))
        known += (known.empty() ? "" : ", ") + p->record().format;
    throw PluginError("no exporter plugin for format '" + format + "'" +
                      (known.empty() ? std::string(" (no exporter plugins are loaded)") : " (available: " + known + ")"));
}

}  // namespace

void require_exporter(const PluginRegistry& registry, const std::string& format) { exporter_for(registry, format); }

void export_report(const PluginRegistry& registry, const Report& report, const std::string& format,
                   std::ostream& out) {
    const LoadedPlugin& plugin = exporter_for(registry, format);
    const ReportCView view(report);
    wg_sink sink{&out};
    wg_error err;
    const wg_status st = plugin.exporter()->export_report(plugin.state(), view.get(), &sink, &err);
    if (st != WG_OK)
        throw PluginError("exporter '" + plugin.record().name + "' failed: " + error_text(err, st));
}

void export_comparison(const PluginRegistry& registry, const std::vector<std::string>& labels,
                       const std::vector<std::string>& documents, const std::string& format, std::ostream& out) {
    const LoadedPlugin& plugin = exporter_for(registry, format);
    const wg_exporter_vtable* table = plugin.exporter();
    if (!WG_HAS_FIELD(table, wg_exporter_vtable, export_comparison) || !table->export_comparison)
        throw PluginError("exporter '" + plugin.record().name + "' (format " + format + ") does not write comparisons");
    std::vector<const char*> label_ptrs, document_ptrs;
    for (const std::string& l : labels) label_ptrs.push_back(l.c_str());
    for (const std::string& d : documents) document_ptrs.push_back(d.c_str());
    wg_sink sink{&out};
    wg_error err;
    const wg_status st = table->export_comparison(plugin.state(), documents.size(), label_ptrs.data(),
                                                  document_ptrs.data(), &sink, &err);
    if (st == WG_ERR_UNSUPPORTED)
        throw PluginError("exporter '" + plugin.record().name + "' (format " + format + ") does not write comparisons");
    if (st != WG_OK)
        throw PluginError("exporter '" + plugin.record().name + "' failed: " + error_text(err, st));
}

void export_report_to_file(const PluginRegistry& registry, const Report& report,
                           const std::string& format, const fs::path& path) {
    write_file_atomically(path, [&](std::ostream& out) { export_report(registry, report, format, out); });
}

std::string format_from_extension(const PluginRegistry& registry, const fs::path& path) {
    std::string ext = path.extension().string();
    if (ext.empty()) return "";
    ext.erase(0, 1);
    for (const LoadedPlugin* p : registry.plugins(WG_KIND_EXPORTER))
        if (p->exporter()->file_extension && ext == p->exporter()->file_extension) return p->record().format;
    return ext;
}

}  // namespace winglet
