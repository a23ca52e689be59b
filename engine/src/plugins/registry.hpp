// Finds plugin libraries, checks them against the ABI and keeps the accepted ones loaded.
#pragma once

#include <winglet/plugin.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace winglet {

// One library the loader looked at, accepted or refused.
struct PluginRecord {
    std::filesystem::path path;
    bool accepted = false;
    std::string refusal;  // why it was refused ("missing entry symbol", ...)
    // Known once the entry returned a descriptor:
    std::string name, version, description;
    wg_plugin_kind kind = 0;
    uint16_t abi_major = 0, abi_minor = 0;
    std::string format;   // importer/exporter format name; an optimizer's technique
};

std::string_view kind_name(wg_plugin_kind kind);

class LoadedPlugin;  // a library + its created state

// A device a target plugin compiles for, as it described itself at load time.
struct DeviceRecord {
    std::string id, name, description, source, fingerprint;
    const LoadedPlugin* plugin = nullptr;
    bool measured = false;   // the target runs the model on the device (ABI 1.4)
};

class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Search order: explicit dirs (--plugin-path), then WINGLET_PLUGIN_PATH (':'-separated),
    // then the install directory relative to the running executable.
    static std::vector<std::filesystem::path> search_path(const std::vector<std::string>& explicit_dirs);

    // Loads every plugin library in each directory; a name seen earlier shadows later ones.
    // Missing directories are noted in `missing_dirs`, not fatal.
    void load_directories(const std::vector<std::filesystem::path>& dirs);
    // Loads one library file; returns its record (also kept in records()).
    const PluginRecord& load_file(const std::filesystem::path& file);

    const std::vector<PluginRecord>& records() const { return records_; }
    const std::vector<std::filesystem::path>& searched_dirs() const { return searched_; }
    const std::vector<std::filesystem::path>& missing_dirs() const { return missing_; }

    // Accepted plugins by role. nullptr when none matches.
    const LoadedPlugin* importer_for(const std::filesystem::path& model, const uint8_t* head,
                                     uint64_t head_size) const;
    const LoadedPlugin* exporter(const std::string& format) const;
    // The optimizer for a recipe technique ("quantize", ...); nullptr when none is loaded.
    const LoadedPlugin* optimizer(const std::string& technique) const;
    // An exporter of `format` that writes models (ABI 1.2 export_model); nullptr when none.
    const LoadedPlugin* model_writer(const std::string& format) const;
    std::vector<const LoadedPlugin*> plugins(wg_plugin_kind kind) const;

    // Devices of all accepted target plugins, in load order. A device id offered by a second
    // plugin is not listed; device_notes() says which.
    const std::vector<DeviceRecord>& devices() const { return devices_; }
    const std::vector<std::string>& device_notes() const { return device_notes_; }
    const DeviceRecord* device(const std::string& device_id) const;
    // The target plugin that compiles for `device_id`; nullptr when none does.
    const LoadedPlugin* target_for(const std::string& device_id) const;

private:
    std::vector<PluginRecord> records_;
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
    std::vector<std::filesystem::path> searched_, missing_;
    std::vector<DeviceRecord> devices_;
    std::vector<std::string> device_notes_;

    void add_devices(const LoadedPlugin& plugin, std::vector<DeviceRecord> devices);
};

}  // namespace winglet
