// What `inspect` found: per-op costs and model totals, independent of any output format.
#pragma once

#include "compile/plan.hpp"
#include "compression/op_compression.hpp"
#include "graph/graph.hpp"

#include <memory>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace winglet {

struct OpReport {
    std::string name;
    std::string op_type;
    std::string domain;
    std::string scope;          // name-scope path; subgraph ops are prefixed with their parent node
    std::string cost_rule = "none";
    bool has_cost_rule = false;
    bool in_subgraph = false;
    bool assumed_dims = false;  // some unknown dims were taken as 1
    std::vector<std::string> output_names;
    std::vector<std::optional<Shape>> output_shapes;
    // For the timeline and memory plan of `compile`: activations read (weights excluded), and
    // each output's bytes (0 for a weight) and whether the model returns it.
    std::vector<std::string> activation_inputs;
    std::vector<uint64_t> output_value_bytes;
    std::vector<bool> output_is_model_output;
    uint64_t macs = 0;
    uint64_t flops = 0;
    uint64_t params = 0;        // weight elements first read by this op (shared weights once)
    uint64_t weight_bytes = 0;
    uint64_t input_bytes = 0;   // activations read
    uint64_t output_bytes = 0;  // activations written
    double multiplier = 1.0;    // executions per inference (Loop/Scan bodies)
    // Inside an If branch: "taken", "not taken" (the condition evaluated), "counted", "not
    // counted" (it did not: the costlier branch is counted); "" elsewhere.
    std::string branch;
    std::optional<OpPlan> compiled;  // set by `compile` (attach_plan), absent for `inspect`
    std::shared_ptr<const OpCompression> compression;  // set when a recipe compressed its weight
};

struct Totals {
    uint64_t op_count = 0;
    uint64_t macs = 0;
    uint64_t flops = 0;
    uint64_t params = 0;
    uint64_t weight_bytes = 0;
    uint64_t peak_activation_bytes = 0;
    uint64_t ops_without_cost_rule = 0;
};

struct Report;

// A what-if alternative: the model with one technique on every compressible weight, compiled for
// the same device (`compile --what-if`).
struct Alternative {
    std::string id;         // "none", "int8", "palettize4", ...
    std::string label;      // for people
    std::string technique;  // the recipe technique ("none": uncompressed)
    std::string recipe;     // the recipe entry as TOML lines
    std::shared_ptr<const Report> report;
};

struct Report {
    ModelInfo model;
    Totals totals;
    std::vector<OpReport> ops;                               // execution order
    std::vector<std::pair<std::string, uint64_t>> op_types;  // histogram, most frequent first
    std::vector<std::string> warnings;
    std::vector<std::string> assumed_dims;                   // symbols taken as 1
    std::vector<UnknownShape> unknown_shapes;                // values whose shape stays unknown, with why
    std::vector<std::string> shape_suggestions;              // options that would resolve some
    std::optional<PlanSummary> plan;                         // set by `compile`, with its units
    // With a recipe: the same model before compression (same ops in the same order).
    std::shared_ptr<const Report> baseline;
    std::vector<Alternative> alternatives;  // with --what-if: "none" first, op for op like `ops`
};

}  // namespace winglet
