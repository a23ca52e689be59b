// compile_model with its plans kept in the result cache: a repeat compile of the same model for
// the same device and options does not call the target plugin again.
#pragma once

#include "cache/cache_key.hpp"
#include "compile/compile.hpp"
#include "plugins/import.hpp"

#include <cstdint>
#include <string_view>

namespace winglet {

class ResultCache;

// Bump when plan_json's layout changes: older entries then simply miss.
inline constexpr uint32_t kCompiledPlanFormatVersion = 4;  // 2: device_output_bytes; 3: spills, weights_in; 4: measurements
inline constexpr std::string_view kCompiledPlanKind = "compile";

// Everything the plan depends on: the model's content, the target plugin's name and version, the
// device id and fingerprint (its spec's content), the target options and the import options
// that shape the graph (--dim, a forced importer), and the plan format.
// One "kind:KEY=VALUE" line per setting (device, importer, dims, target options); std::map keeps
// them sorted, so equal settings give equal text whatever order they were typed in.
std::string canonical_compile_options(const std::string& device_id, const CompileOptions& options,
                                      const ImportOptions& import_options);

CacheKey plan_cache_key(const PluginRegistry& registry, const Model& model, const std::string& device_id,
                        const CompileOptions& options, const ImportOptions& import_options);

// compile_model through `cache` (nullptr: no cache). A stored plan that does not parse or does
// not match the report is a miss with a warning and is overwritten; cache errors are warnings.
// Throws what compile_model throws.
CompiledPlan cached_compile(const PluginRegistry& registry, const Model& model, const Report& report,
                            const std::string& device_id, const CompileOptions& options,
                            const ImportOptions& import_options, ResultCache* cache);

}  // namespace winglet
