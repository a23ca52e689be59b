// Preparing an ONNX graph for libonnx: nodes (and those of every subgraph) in topological order,
// and no node reading a value nothing defines.
#pragma once

#include "onnx/onnx_pb.h"

#include <string>
#include <unordered_set>
#include <vector>

namespace winglet::onnx_importer {

// How deep subgraphs (If/Loop/Scan bodies) are followed.
constexpr int kMaxDepth = 64;

using NameSet = std::unordered_set<std::string>;

// Every graph, main graph first, depth first in node and attribute order.
void collect_graphs(onnx::GraphProto& g, std::vector<onnx::GraphProto*>& out, int depth);

// Reorders the nodes of the main graph and of every subgraph topologically, keeping file order
// among ready nodes. False, with `problem`, when a node reads a value nothing defines, a graph has
// a cycle or subgraphs nest too deep: such a model is not given to libonnx.
bool sort_for_inference(onnx::ModelProto& model, std::string& problem);

}  // namespace winglet::onnx_importer
