// The host side of the plugin ABI: the wg_host_api table and the objects behind its handles.
#pragma once

#include "graph/graph.hpp"
#include "io/mapped_file.hpp"
#include "plugins/host_call.hpp"

#include <winglet/plugin.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>


namespace winglet {
struct ImportSession;
struct CompiledPlan;
}

struct wg_graph_builder {
    winglet::Graph* graph;
    winglet::ImportSession* session;
};

struct wg_sink {
    std::ostream* out;
};

// A plan under construction by one compile call. The first call the host refused is kept, so a
// target that ignores a failed status still cannot hand back a plan the host found invalid.
struct wg_plan_builder {
    winglet::CompiledPlan* plan;
    uint64_t op_count;       // ops of the graph view being compiled
    std::string first_error;  // "" while every plan_* call succeeded
};

namespace winglet {

// Everything one import owns besides the graph: the mappings weights may borrow from, the
// builders of subgraphs, and the warnings logged while it runs.
struct ImportSession {
    Model* model = nullptr;
    std::filesystem::path model_dir;
    std::vector<std::shared_ptr<const MappedFile>> regions;  // [0] is the model file
    std::deque<wg_graph_builder> builders;                   // stable addresses for handles
};

// The table handed to every plugin; lives for the whole process.
const wg_host_api* host_api();

// While alive, warnings plugins log on this thread are also recorded in `session`'s model.
class ImportLogScope {
public:
    explicit ImportLogScope(ImportSession& session);
    ~ImportLogScope();
    ImportLogScope(const ImportLogScope&) = delete;
    ImportLogScope& operator=(const ImportLogScope&) = delete;

private:
    ImportSession* previous_;
};

// "init failed: <message>"-style text for a failed call: the plugin's message, or a default.
std::string error_text(const wg_error& err, wg_status status);

}  // namespace winglet
