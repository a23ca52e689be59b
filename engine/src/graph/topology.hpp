// Graph algorithms over the IR, through a Boost.Graph adaptor.
#pragma once

#include "graph/graph.hpp"

#include <string>
#include <vector>

namespace winglet {

// Node indices in an order where every producer precedes its consumers. Ties keep the file's
// node order, so an already sorted model keeps its schedule. Throws InputError naming the nodes
// of a cycle when the graph has one.
std::vector<int> topological_order(const Graph& graph);

// Value indices of `graph` that `node` reads: its own inputs (-1 for absent ones) plus the values
// its subgraphs (If/Loop/Scan bodies, recursively) read from enclosing scopes.
std::vector<int> node_reads(const Graph& graph, const Node& node);

// Name-scope path of a node: "/encoder/layer.3/attn/MatMul" -> "/encoder/layer.3/attn".
// Names without '/' live at the top ("").
std::string scope_of(const std::string& node_name);

}  // namespace winglet
