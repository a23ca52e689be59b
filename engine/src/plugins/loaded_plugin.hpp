// An accepted plugin: its library kept loaded, its descriptor and its created state.
#pragma once

#include "plugins/registry.hpp"

#include <winglet/plugin.h>

#include <boost/dll/shared_library.hpp>

namespace winglet {

class LoadedPlugin {
public:
    LoadedPlugin(boost::dll::shared_library library, const wg_plugin* descriptor, void* state,
                 PluginRecord record);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const PluginRecord& record() const { return record_; }
    void* state() const { return state_; }
    // The kind's table; nullptr when the plugin is of another kind.
    const wg_importer_vtable* importer() const;
    const wg_exporter_vtable* exporter() const;
    const wg_target_vtable* target() const;
    const wg_optimizer_vtable* optimizer() const;

private:
    boost::dll::shared_library library_;  // declared first: unloaded after destroy() has run
    const wg_plugin* descriptor_;
    void* state_;
    PluginRecord record_;
};

}  // namespace winglet
