// Hands a parsed (slim) onnx::ModelProto to the engine through the host's graph builder.
#pragma once

#include "infer.hpp"
#include "tensor.hpp"

#include "onnx/onnx_pb.h"

#include <winglet/plugin.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_set>

namespace winglet::onnx_importer {

struct ConvertStats {
    uint64_t graphs = 0;        // main graph + subgraphs
    uint64_t nodes = 0;
    uint64_t values_declared = 0;
    uint64_t tensors_borrowed = 0;  // initializers and tensor attributes left in a mapped file
    uint64_t bytes_borrowed = 0;
    uint64_t tensors_copied = 0;    // small inline payloads and typed-field tensors
    uint64_t bytes_copied = 0;
    uint64_t names_synthesized = 0; // empty or duplicate node names replaced
};

class Converter {
public:
    Converter(const wg_import_request& request, sdk::GraphBuilder& root, WarnFn warn);

    // Converts meta, the main graph and every subgraph. Throws sdk::Error on malformed content;
    // errors reported by the host propagate unchanged.
    void convert(const onnx::ModelProto& model);
    const ConvertStats& stats() const { return stats_; }

private:
    void convert_graph(const onnx::GraphProto& g, sdk::GraphBuilder& b, int depth);
    void convert_attribute(const onnx::AttributeProto& attr, const std::string& node_name,
                           uint64_t node_index, sdk::GraphBuilder& b, int depth);
    void declare(const onnx::ValueInfoProto& vi, sdk::GraphBuilder& b);
    std::string node_name(const onnx::NodeProto& node, size_t index);
    void count(const TensorBytes& t);
    void note(const std::string& category, const std::string& example);
    void collect_names(const onnx::GraphProto& g, int depth);

    const wg_import_request& request_;
    sdk::GraphBuilder& root_;
    WarnFn warn_;
    ExternalFiles external_;
    TensorSourceContext tensor_ctx_;
    ConvertStats stats_;
    std::unordered_set<std::string> reserved_names_;  // every non-empty node name in the model
    std::unordered_set<std::string> emitted_names_;
    // Aggregated notes: category -> (count, first example); turned into one warning each.
    std::map<std::string, std::pair<uint64_t, std::string>> notes_;
};

}  // namespace winglet::onnx_importer
