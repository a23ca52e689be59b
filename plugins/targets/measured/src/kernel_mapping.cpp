#include "kernel_mapping.hpp"

#include <algorithm>
#include <unordered_map>

namespace winglet::measured {
namespace {

constexpr std::string_view kNchwcSuffix = "_nchwc";   // ONNX Runtime's NCHWc transformer names nodes <output>_nchwc

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Mapper {
public:
    Mapper(const std::vector<ModelOp>& ops, const std::set<std::string>& constants, const std::vector<Kernel>& kernels)
        : ops_(ops), constants_(constants), kernels_(kernels), kernel_of_(ops.size(), -1), folded_(ops.size(), false) {
        for (size_t i = 0; i < ops.size(); ++i) {
            if (!ops[i].runs) continue;   // an op that does not run explains no kernel and joins none
            op_by_name_.emplace(ops[i].name, i);
            for (const std::string& v : ops[i].outputs)
                if (!v.empty()) producer_.emplace(v, i);
            for (const std::string& v : ops[i].inputs)
                if (!v.empty()) consumers_[v].push_back(i);
        }
    }

    Mapping run() {
        std::vector<int> anchor(kernels_.size(), -1);
        for (size_t k = 0; k < kernels_.size(); ++k) anchor[k] = anchor_of(kernels_[k]);
        // A kernel names its op; a layout conversion (no op of its own) goes with its neighbour.
        std::vector<int> charged(kernels_.size(), -1);   // kernel -> kernel whose op pays for it
        for (size_t k = 0; k < kernels_.size(); ++k)
            if (anchor[k] >= 0) {
                charged[k] = static_cast<int>(k);
                const auto a = static_cast<size_t>(anchor[k]);
                anchors_.insert(a);
                if (kernel_of_[a] < 0) kernel_of_[a] = static_cast<int>(k);
            }
        for (size_t k = 0; k < kernels_.size(); ++k)
            if (anchor[k] < 0) charged[k] = neighbour_kernel(k, anchor);
        fold();
        fuse();

        // Each kernel's time goes to one member: the op with the most MACs (the Conv of a
        // Conv+BatchNormalization+Relu), else the op it is named after.
        Mapping m;
        m.ops.resize(ops_.size());
        std::vector<int> carrier(kernels_.size(), -1);
        for (size_t k = 0; k < kernels_.size(); ++k) {
            if (anchor[k] < 0) continue;
            int best = anchor[k];
            for (size_t i = 0; i < ops_.size(); ++i)
                if (kernel_of_[i] == static_cast<int>(k) && ops_[i].macs > ops_[static_cast<size_t>(best)].macs)
                    best = static_cast<int>(i);
            carrier[k] = best;
        }
        for (size_t i = 0; i < ops_.size(); ++i) {
            OpMeasurement& o = m.ops[i];
            if (folded_[i]) {
                o.source = OpSource::Folded;
            } else if (kernel_of_[i] >= 0) {
                o.kernel = kernel_of_[i];
                o.source = carrier[static_cast<size_t>(o.kernel)] == static_cast<int>(i) ? OpSource::Measured : OpSource::Fused;
            }
        }
        for (size_t k = 0; k < kernels_.size(); ++k) {
            const int host = charged[k] >= 0 ? carrier[static_cast<size_t>(charged[k])] : -1;
            if (host < 0) {
                m.unattributed.push_back(static_cast<int>(k));
                continue;
            }
            OpMeasurement& o = m.ops[static_cast<size_t>(host)];
            const Kernel& kt = kernels_[k];
            o.start_us = o.kernels.empty() ? kt.start_us : std::min(o.start_us, kt.start_us);
            o.kernels.push_back(static_cast<int>(k));
            o.latency_us += kt.median_us;
            o.min_us += kt.min_us;
            o.max_us += kt.max_us;
        }
        return m;
    }

private:
    // The op a kernel runs for: the producer of an output it writes under the model's name, an op
    // of the same name, the output an NCHWc node is named after, or an op whose name prefixes it
    // (fusions named "<op>/LayerNormFusion/"). -1: a runtime-inserted kernel.
    int anchor_of(const Kernel& k) const {
        int best = -1;
        for (const std::string& v : k.outputs)
            if (const auto it = producer_.find(v); it != producer_.end()) best = more_work(best, static_cast<int>(it->second));
        if (best >= 0) return best;
        if (const auto it = op_by_name_.find(k.node); it != op_by_name_.end()) return static_cast<int>(it->second);
        if (ends_with(k.node, kNchwcSuffix)) {
            const std::string value = k.node.substr(0, k.node.size() - kNchwcSuffix.size());
            if (const auto it = producer_.find(value); it != producer_.end()) return static_cast<int>(it->second);
        }
        for (size_t cut = k.node.size(); cut-- > 1;) {
            if (k.node[cut] != '/' && k.node[cut] != '_') continue;
            if (const auto it = op_by_name_.find(k.node.substr(0, cut)); it != op_by_name_.end()) return static_cast<int>(it->second);
        }
        return -1;
    }

    int more_work(int a, int b) const {
        if (a < 0) return b;
        return ops_[static_cast<size_t>(b)].macs > ops_[static_cast<size_t>(a)].macs ? b : a;
    }

    // A layout conversion is paid by the kernel that consumes what it converts, else by the one
    // that produced its input.
    int neighbour_kernel(size_t k, const std::vector<int>& anchor) const {
        for (int pass = 0; pass < 2; ++pass)
            for (size_t j = 0; j < kernels_.size(); ++j) {
                if (j == k || anchor[j] < 0) continue;
                const auto& from = pass == 0 ? kernels_[k].outputs : kernels_[j].outputs;
                const auto& to = pass == 0 ? kernels_[j].inputs : kernels_[k].inputs;
                for (const std::string& v : from)
                    if (!v.empty() && std::find(to.begin(), to.end(), v) != to.end()) return static_cast<int>(j);
            }
        return -1;
    }

    bool constant_value(const std::string& v) const {
        if (constants_.count(v)) return true;
        const auto it = producer_.find(v);
        return it != producer_.end() && folded_[it->second];
    }

    // Ops without a kernel that read only constants were computed once at load.
    void fold() {
        for (size_t i = 0; i < ops_.size(); ++i) {
            if (kernel_of_[i] >= 0 || !ops_[i].runs) continue;
            bool all_constant = true;
            for (const std::string& v : ops_[i].inputs)
                if (!v.empty() && !constant_value(v)) all_constant = false;
            folded_[i] = all_constant;
        }
    }

    // The other ops ran inside a neighbour's kernel. A runtime names a fused kernel after the last
    // op of the chain it fuses (Conv -> BatchNormalization -> Clip runs as one kernel writing the
    // Clip's output; MatMul -> Add as a Gemm writing the Add's), so first each anchor takes the
    // unassigned ops upstream of it, up to the previous kernel or the chain's head. What is left is a post-op fused
    // after a kernel (a residual Add summed into a Conv): it joins the kernel of its latest
    // producer, else the kernel it feeds.
    void fuse() {
        for (size_t i = 0; i < ops_.size(); ++i)
            if (kernel_of_[i] >= 0 && anchors_.count(i)) absorb_upstream(i, kernel_of_[i]);
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t i = 0; i < ops_.size(); ++i) {
                if (kernel_of_[i] >= 0 || folded_[i] || !ops_[i].runs) continue;
                const int up = upstream_kernel(i);
                const int k = up >= 0 ? up : downstream_kernel(i);
                if (k >= 0) {
                    kernel_of_[i] = k;
                    changed = true;
                }
            }
        }
    }

    // A fused chain has one op with MACs at its head (Conv, MatMul): the walk stops there, and an
    // anchor that has MACs itself starts a chain rather than ending one.
    void absorb_upstream(size_t op, int kernel) {
        std::vector<size_t> stack{op};
        while (!stack.empty()) {
            const size_t at = stack.back();
            stack.pop_back();
            if (ops_[at].macs > 0) continue;
            for (const std::string& v : ops_[at].inputs) {
                const auto it = producer_.find(v);
                if (it == producer_.end()) continue;
                const size_t p = it->second;
                if (kernel_of_[p] >= 0 || folded_[p] || !ops_[p].runs) continue;
                kernel_of_[p] = kernel;
                stack.push_back(p);
            }
        }
    }

    int upstream_kernel(size_t i) const {
        int latest = -1;
        for (const std::string& v : ops_[i].inputs) {
            const auto it = producer_.find(v);
            if (it == producer_.end() || kernel_of_[it->second] < 0) continue;
            if (latest < 0 || it->second > static_cast<size_t>(latest)) latest = static_cast<int>(it->second);
        }
        return latest < 0 ? -1 : kernel_of_[static_cast<size_t>(latest)];
    }

    int downstream_kernel(size_t i) const {  // the kernel of an op this one feeds
        for (const std::string& v : ops_[i].outputs) {
            const auto it = consumers_.find(v);
            if (it == consumers_.end()) continue;
            for (size_t c : it->second)
                if (kernel_of_[c] >= 0) return kernel_of_[c];
        }
        return -1;
    }

    const std::vector<ModelOp>& ops_;
    const std::set<std::string>& constants_;
    const std::vector<Kernel>& kernels_;
    std::unordered_map<std::string, size_t> op_by_name_, producer_;
    std::unordered_map<std::string, std::vector<size_t>> consumers_;
    std::vector<int> kernel_of_;   // op -> kernel that ran it (anchor or fused), -1 none
    std::set<size_t> anchors_;     // ops a kernel is named after
    std::vector<bool> folded_;
};

}  // namespace

Mapping map_kernels(const std::vector<ModelOp>& ops, const std::set<std::string>& constants,
                    const std::vector<Kernel>& kernels) {
    return Mapper(ops, constants, kernels).run();
}

}  // namespace winglet::measured
