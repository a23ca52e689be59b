#include "infer.hpp"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <google/protobuf/arena.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <functional>
#include <poll.h>
#include <queue>
#include <set>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace winglet::onnx_importer {

namespace {

constexpr int kMaxDepth = 64;

// ---- --dim overrides ---------------------------------------------------------------------------

void override_type(onnx::TypeProto& type, const std::map<std::string, int64_t>& overrides,
                   std::set<std::string>& used) {
    onnx::TensorShapeProto* shape = nullptr;
    switch (type.value_case()) {
        case onnx::TypeProto::kTensorType:
            if (type.tensor_type().has_shape()) shape = type.mutable_tensor_type()->mutable_shape();
            break;
        case onnx::TypeProto::kSparseTensorType:
            if (type.sparse_tensor_type().has_shape())
                shape = type.mutable_sparse_tensor_type()->mutable_shape();
            break;
        case onnx::TypeProto::kSequenceType:
            if (type.sequence_type().has_elem_type())
                override_type(*type.mutable_sequence_type()->mutable_elem_type(), overrides, used);
            return;
        case onnx::TypeProto::kOptionalType:
            if (type.optional_type().has_elem_type())
                override_type(*type.mutable_optional_type()->mutable_elem_type(), overrides, used);
            return;
        default:
            return;
    }
    if (!shape) return;
    for (auto& dim : *shape->mutable_dim()) {
        if (!dim.has_dim_param()) continue;
        auto it = overrides.find(dim.dim_param());
        if (it == overrides.end()) continue;
        used.insert(it->first);
        dim.set_dim_value(it->second);  // the oneof drops dim_param
    }
}

void override_graph(onnx::GraphProto& g, const std::map<std::string, int64_t>& overrides,
                    std::set<std::string>& used, int depth) {
    if (depth > kMaxDepth) return;
    for (auto* list : {g.mutable_input(), g.mutable_output(), g.mutable_value_info()})
        for (auto& vi : *list)
            if (vi.has_type()) override_type(*vi.mutable_type(), overrides, used);
    for (auto& node : *g.mutable_node())
        for (auto& attr : *node.mutable_attribute()) {
            if (attr.has_g()) override_graph(*attr.mutable_g(), overrides, used, depth + 1);
            for (auto& sub : *attr.mutable_graphs()) override_graph(sub, overrides, used, depth + 1);
        }
}

std::string normalize_domain(const std::string& d) { return d == "ai.onnx" ? std::string() : d; }

// ---- preparing a graph for libonnx ------------------------------------------------------------
// libonnx 1.12 walks nodes in file order and hands an inference function a null type for an input
// nobody produced yet; several functions dereference it. So nodes are put in a topological order
// first, and a graph reading a value nothing defines is not given to libonnx at all.

void subgraphs_of(onnx::NodeProto& node, std::vector<onnx::GraphProto*>& out) {
    for (auto& attr : *node.mutable_attribute()) {
        if (attr.has_g()) out.push_back(attr.mutable_g());
        for (auto& sub : *attr.mutable_graphs()) out.push_back(&sub);
    }
}

// Every graph, main graph first, depth first in node and attribute order.
void collect_graphs(onnx::GraphProto& g, std::vector<onnx::GraphProto*>& out, int depth) {
    if (depth > kMaxDepth) return;
    out.push_back(&g);
    for (auto& node : *g.mutable_node()) {
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) collect_graphs(*sub, out, depth + 1);
    }
}

using NameSet = std::unordered_set<std::string>;

void add_graph_defined(const onnx::GraphProto& g, NameSet& defined) {
    for (const auto& vi : g.input()) defined.insert(vi.name());
    for (const auto& t : g.initializer()) defined.insert(t.name());
    for (const auto& sp : g.sparse_initializer()) defined.insert(sp.values().name());
}

// Names a graph (with its nested subgraphs) reads but does not define: its outer-scope reads.
void free_names(onnx::GraphProto& g, NameSet& out, int depth) {
    if (depth > kMaxDepth) return;
    NameSet defined;
    add_graph_defined(g, defined);
    for (const auto& node : g.node())
        for (const auto& o : node.output()) defined.insert(o);
    for (auto& node : *g.mutable_node()) {
        for (const auto& in : node.input())
            if (!in.empty() && !defined.count(in)) out.insert(in);
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) {
            NameSet inner;
            free_names(*sub, inner, depth + 1);
            for (const auto& n : inner)
                if (!defined.count(n)) out.insert(n);
        }
    }
}

bool in_scopes(const std::vector<const NameSet*>& scopes, const std::string& name) {
    for (const NameSet* s : scopes)
        if (s->count(name)) return true;
    return false;
}

std::string node_label(const onnx::NodeProto& n, int index) {
    return (n.name().empty() ? "#" + std::to_string(index) : "'" + n.name() + "'") + " (" +
           n.op_type() + ")";
}

// Reorders g's nodes (and those of its subgraphs) topologically, keeping file order among ready
// nodes. False, with `problem`, when a node reads a value nothing defines or the graph has a cycle.
bool topo_sort(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem,
               int depth);

// Sorts the subgraphs of every node of `g` (whose own names are already on `scopes`).
bool sort_subgraphs(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem, int depth) {
    bool ok = true;
    for (auto& node : *g.mutable_node()) {
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs)
            if (ok && !topo_sort(*sub, scopes, problem, depth + 1)) ok = false;
    }
    return ok;
}

bool topo_sort(onnx::GraphProto& g, std::vector<const NameSet*>& scopes, std::string& problem,
               int depth) {
    if (depth > kMaxDepth) {
        problem = "subgraphs nested too deep";
        return false;
    }
    NameSet local;
    add_graph_defined(g, local);
    scopes.push_back(&local);
    const int n = g.node_size();

    // Fast path: the file order is already topological (as ONNX requires) and complete.
    {
        NameSet defined;
        defined.reserve(static_cast<size_t>(n) * 2);
        scopes.push_back(&defined);
        bool in_order = true;
        for (int i = 0; i < n && in_order; ++i) {
            onnx::NodeProto& node = *g.mutable_node(i);
            for (const auto& in : node.input())
                if (!in.empty() && !in_scopes(scopes, in)) {
                    in_order = false;
                    break;
                }
            std::vector<onnx::GraphProto*> subs;
            subgraphs_of(node, subs);
            if (in_order && !subs.empty()) {
                NameSet free;
                for (auto* sub : subs) free_names(*sub, free, depth + 1);
                for (const auto& name : free)
                    if (!in_scopes(scopes, name)) {
                        in_order = false;
                        break;
                    }
            }
            for (const auto& o : node.output()) defined.insert(o);
        }
        if (in_order) {
            const bool ok = sort_subgraphs(g, scopes, problem, depth);
            scopes.pop_back();
            scopes.pop_back();
            return ok;
        }
        scopes.pop_back();
    }

    // Slow path: Kahn's algorithm, file order among ready nodes.
    std::unordered_map<std::string, int> producer;
    producer.reserve(static_cast<size_t>(n) * 2);
    for (int i = 0; i < n; ++i)
        for (const auto& o : g.node(i).output())
            if (!o.empty()) producer.emplace(o, i);

    std::vector<std::vector<int>> users(static_cast<size_t>(n));
    std::vector<int> pending(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
        onnx::NodeProto& node = *g.mutable_node(i);
        NameSet deps(node.input().begin(), node.input().end());
        std::vector<onnx::GraphProto*> subs;
        subgraphs_of(node, subs);
        for (auto* sub : subs) free_names(*sub, deps, depth + 1);
        for (const auto& d : deps) {
            if (d.empty()) continue;
            auto it = producer.find(d);
            if (it != producer.end()) {
                if (it->second == i) {
                    problem = "node " + node_label(node, i) + " reads its own output '" + d + "'";
                    scopes.pop_back();
                    return false;
                }
                users[static_cast<size_t>(it->second)].push_back(i);
                ++pending[static_cast<size_t>(i)];
            } else if (!in_scopes(scopes, d)) {
                problem = "node " + node_label(node, i) + " reads '" + d +
                          "', which no node, input or initializer defines";
                scopes.pop_back();
                return false;
            }
        }
    }
    std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
    for (int i = 0; i < n; ++i)
        if (pending[static_cast<size_t>(i)] == 0) ready.push(i);
    std::vector<int> order;
    order.reserve(static_cast<size_t>(n));
    while (!ready.empty()) {
        const int i = ready.top();
        ready.pop();
        order.push_back(i);
        for (int u : users[static_cast<size_t>(i)])
            if (--pending[static_cast<size_t>(u)] == 0) ready.push(u);
    }
    if (static_cast<int>(order.size()) != n) {
        problem = "the graph '" + g.name() + "' has a cycle";
        scopes.pop_back();
        return false;
    }
    // Apply the permutation with swaps: who[p] = original index now at position p.
    std::vector<int> who(static_cast<size_t>(n)), pos(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) who[static_cast<size_t>(i)] = pos[static_cast<size_t>(i)] = i;
    for (int k = 0; k < n; ++k) {
        const int want = order[static_cast<size_t>(k)];
        const int j = pos[static_cast<size_t>(want)];
        if (j == k) continue;
        g.mutable_node()->SwapElements(k, j);
        const int moved = who[static_cast<size_t>(k)];
        who[static_cast<size_t>(j)] = moved;
        pos[static_cast<size_t>(moved)] = j;
        who[static_cast<size_t>(k)] = want;
        pos[static_cast<size_t>(want)] = k;
    }
    // Subgraphs see everything their enclosing graphs define.
    NameSet outputs;
    for (const auto& node : g.node())
        for (const auto& o : node.output()) outputs.insert(o);
    scopes.push_back(&outputs);
    const bool ok = sort_subgraphs(g, scopes, problem, depth);
    scopes.pop_back();
    scopes.pop_back();
    return ok;
}

// ---- running libonnx, isolated ----------------------------------------------------------------
// libonnx 1.12's inference functions crash on some malformed models (a LayerNormalization axis far
// out of range, ...). A crash must not take the engine down, so inference runs in a forked child
// that sends the inferred types back: per graph (depth-first, file order), a GraphProto holding
// only the graph's outputs and value_info.

enum : char { kOk = 'O', kThrew = 'E', kSkipped = 'S' };

// Runs in the child (or on a copy, in process): sort, infer, serialize. Returns the status and
// fills `message` and `payload`.
char infer_and_serialize(onnx::ModelProto& model, std::string& message, std::string& payload) {
    std::vector<onnx::GraphProto*> graphs;
    collect_graphs(*model.mutable_graph(), graphs, 0);  // before sorting: the parent's order
    std::vector<const NameSet*> scopes;
    if (!topo_sort(*model.mutable_graph(), scopes, message, 0)) return kSkipped;
    char status = kOk;
    try {
        onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0,
                                            /*enable_data_propagation=*/true);
        onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception& e) {
        status = kThrew;
        message = e.what();
    } catch (...) {
        status = kThrew;
        message = "unknown error";
    }
    for (onnx::GraphProto* g : graphs) {
        // Moved, not copied: `model` is the child's (or a scratch copy) and is not used again.
        onnx::GraphProto* types =
            google::protobuf::Arena::CreateMessage<onnx::GraphProto>(g->GetArena());
        types->mutable_output()->Swap(g->mutable_output());
        types->mutable_value_info()->Swap(g->mutable_value_info());
        const std::string bytes = types->SerializeAsString();
        const uint64_t size = bytes.size();
        payload.append(reinterpret_cast<const char*>(&size), sizeof size);
        payload += bytes;
    }
    return status;
}

// Puts the inferred types into the parent's model. False if the payload does not fit it.
bool apply_payload(onnx::ModelProto& model, const std::string& payload) {
    std::vector<onnx::GraphProto*> graphs;
    collect_graphs(*model.mutable_graph(), graphs, 0);
    size_t at = 0;
    for (onnx::GraphProto* g : graphs) {
        uint64_t size = 0;
        if (payload.size() - at < sizeof size) return false;
        std::memcpy(&size, payload.data() + at, sizeof size);
        at += sizeof size;
        if (size > payload.size() - at || size > static_cast<uint64_t>(INT32_MAX)) return false;
        // On the model's arena, so the swaps below exchange pointers instead of copying.
        onnx::GraphProto* types =
            google::protobuf::Arena::CreateMessage<onnx::GraphProto>(g->GetArena());
        if (!types->ParseFromArray(payload.data() + at, static_cast<int>(size))) return false;
        at += size;
        if (types->output_size() != g->output_size()) return false;
        g->mutable_output()->Swap(types->mutable_output());
        g->mutable_value_info()->Swap(types->mutable_value_info());
        if (!g->GetArena()) delete types;
    }
    return at == payload.size();
}

// Symbolic dims: libonnx names the unknown dims it derives "unk__<n>". Those are not the
// model's: --dim cannot set them (overrides apply before inference), so after inference they become
// anonymous unknown dims again. Symbols the model itself declares are kept.
void for_each_shape(onnx::TypeProto& type, const std::function<void(onnx::TensorShapeProto&)>& fn) {
    switch (type.value_case()) {
        case onnx::TypeProto::kTensorType:
            if (type.tensor_type().has_shape()) fn(*type.mutable_tensor_type()->mutable_shape());
            break;
        case onnx::TypeProto::kSparseTensorType:
            if (type.sparse_tensor_type().has_shape())
                fn(*type.mutable_sparse_tensor_type()->mutable_shape());
            break;
        case onnx::TypeProto::kSequenceType:
            if (type.sequence_type().has_elem_type())
                for_each_shape(*type.mutable_sequence_type()->mutable_elem_type(), fn);
            break;
        case onnx::TypeProto::kOptionalType:
            if (type.optional_type().has_elem_type())
                for_each_shape(*type.mutable_optional_type()->mutable_elem_type(), fn);
            break;
        default:
            break;
    }
}

void for_each_value_shape(onnx::ModelProto& model,
                          const std::function<void(onnx::TensorShapeProto&)>& fn) {
    std::vector<onnx::GraphProto*> graphs;
    collect_graphs(*model.mutable_graph(), graphs, 0);
    for (onnx::GraphProto* g : graphs)
        for (auto* list : {g->mutable_input(), g->mutable_output(), g->mutable_value_info()})
            for (auto& vi : *list)
                if (vi.has_type()) for_each_shape(*vi.mutable_type(), fn);
}

NameSet declared_dim_params(onnx::ModelProto& model) {
    NameSet names;
    for_each_value_shape(model, [&](onnx::TensorShapeProto& shape) {
        for (const auto& d : shape.dim())
            if (d.has_dim_param()) names.insert(d.dim_param());
    });
    return names;
}

void drop_generated_dim_params(onnx::ModelProto& model, const NameSet& declared) {
    for_each_value_shape(model, [&](onnx::TensorShapeProto& shape) {
        for (auto& d : *shape.mutable_dim())
            if (d.has_dim_param() && !declared.count(d.dim_param())) d.clear_dim_param();
    });
}

bool write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

struct ChildOutcome {
    bool finished = false;  // the child reported; otherwise `failure` says what happened
    char status = kOk;
    std::string message, payload, failure;
};

ChildOutcome infer_in_child(onnx::ModelProto& model, int timeout_seconds) {
    ChildOutcome out;
    int fds[2];
    if (::pipe(fds) != 0) {
        out.failure = std::string("pipe: ") + std::strerror(errno);
        return out;
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        out.failure = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        return out;
    }
    if (pid == 0) {
        // Child: no destructors, no atexit handlers, no stdio flushing; just the answer.
        ::close(fds[0]);
        const rlimit no_core{0, 0};  // a libonnx crash is expected and handled: no core file
        ::setrlimit(RLIMIT_CORE, &no_core);
        // A crash must end the child: handlers inherited from the host (a test framework's, a
        // crash reporter's) could otherwise resume it somewhere in the host's code.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS})
            ::signal(sig, SIG_DFL);
        std::string message, payload;
        const char status = infer_and_serialize(model, message, payload);
        std::string frame(1, status);
        const uint64_t msize = message.size(), psize = payload.size();
        frame.append(reinterpret_cast<const char*>(&msize), sizeof msize);
        frame += message;
        frame.append(reinterpret_cast<const char*>(&psize), sizeof psize);
        const bool ok = write_all(fds[1], frame.data(), frame.size()) &&
                        write_all(fds[1], payload.data(), payload.size());
        ::_exit(ok ? 0 : 1);
    }
    ::close(fds[1]);
    std::string data;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    bool timed_out = false;
    char buf[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left));
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) {
            timed_out = true;
            break;
        }
        const ssize_t n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        data.append(buf, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        out.failure = "it did not finish within " + std::to_string(timeout_seconds) + " s";
        return out;
    }
    if (WIFSIGNALED(wstatus)) {
        out.failure = std::string("libonnx crashed on this model (") + ::strsignal(WTERMSIG(wstatus)) + ")";
        return out;
    }
    // Decode: status, message, payload.
    size_t at = 0;
    uint64_t msize = 0, psize = 0;
    auto take = [&](void* dst, size_t n) {
        if (data.size() - at < n) return false;
        std::memcpy(dst, data.data() + at, n);
        at += n;
        return true;
    };
    if (data.empty() || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        out.failure = "the inference process ended without an answer";
        return out;
    }
    out.status = data[at++];
    if (!take(&msize, sizeof msize) || msize > data.size() - at) {
        out.failure = "malformed answer from the inference process";
        return out;
    }
    out.message = data.substr(at, msize);
    at += msize;
    if (!take(&psize, sizeof psize) || psize != data.size() - at) {
        out.failure = "malformed answer from the inference process";
        return out;
    }
    out.payload = data.substr(at);
    out.finished = true;
    return out;
}

bool isolation_disabled() {
    const char* v = std::getenv("WINGLET_ONNX_INFER_IN_PROCESS");
    return v && *v && std::strcmp(v, "0") != 0;
}

}  // namespace

std::vector<std::string> apply_dim_overrides(onnx::ModelProto& model,
                                             const std::map<std::string, int64_t>& overrides) {
    std::vector<std::string> unused;
    if (overrides.empty()) return unused;
    std::set<std::string> used;
    if (model.has_graph()) override_graph(*model.mutable_graph(), overrides, used, 0);
    for (const auto& kv : overrides)
        if (!used.count(kv.first)) unused.push_back(kv.first);
    return unused;
}

InferenceResult infer_shapes_guarded(onnx::ModelProto& model, const WarnFn& warn) {
    InferenceResult r;
    std::vector<std::string> reasons;
    const int64_t known_ir = static_cast<int64_t>(onnx::IR_VERSION);
    if (model.ir_version() > known_ir)
        reasons.push_back("IR version " + std::to_string(model.ir_version()) +
                          " is newer than libonnx 1.12 knows (" + std::to_string(known_ir) + ")");
    const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
    for (const auto& op : model.opset_import()) {
        const std::string domain = normalize_domain(op.domain());
        auto it = ranges.find(domain);
        if (it == ranges.end()) continue;  // custom domains: libonnx has no schemas anyway
        // A newer opset may have changed an operator's inputs or attributes (ReduceMean-18 takes
        // axes as an input): libonnx would apply the old rule and infer wrong shapes.
        if (op.version() > it->second.second)
            reasons.push_back("opset " + std::to_string(op.version()) + " of domain '" +
                              (domain.empty() ? std::string("ai.onnx") : domain) +
                              "' is newer than libonnx 1.12 knows (" +
                              std::to_string(it->second.second) + ")");
    }
    for (const auto& reason : reasons)
        r.skipped_because += (r.skipped_because.empty() ? "" : "; ") + reason;
    if (!r.skipped_because.empty()) {
        warn("ONNX shape inference skipped: " + r.skipped_because +
             "; shapes come from winglet's own rules");
        return r;
    }

    const auto t0 = std::chrono::steady_clock::now();
    // Register libonnx's schemas here, once per process, rather than in every child.
    static const bool schemas_ready = onnx::OpSchemaRegistry::Schema("Relu", 14, "") != nullptr;
    (void)schemas_ready;

    ChildOutcome outcome;
    if (!isolation_disabled()) outcome = infer_in_child(model, /*timeout_seconds=*/120);
    if (!outcome.finished && (isolation_disabled() || outcome.failure.rfind("fork", 0) == 0 ||
                              outcome.failure.rfind("pipe", 0) == 0)) {
        // No process to isolate it in: run on a copy here.
        google::protobuf::Arena scratch;
        auto* copy = google::protobuf::Arena::CreateMessage<onnx::ModelProto>(&scratch);
        copy->CopyFrom(model);
        outcome = ChildOutcome{};
        outcome.status = infer_and_serialize(*copy, outcome.message, outcome.payload);
        outcome.finished = true;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (!outcome.finished) {
        r.ran = true;
        warn("ONNX shape inference failed (" + outcome.failure +
             "); shapes come from winglet's own rules");
        return r;
    }
    if (outcome.status == kSkipped) {
        r.skipped_because = outcome.message;
        warn("ONNX shape inference skipped: " + outcome.message +
             "; shapes come from winglet's own rules");
        return r;
    }
    r.ran = true;
    const NameSet declared = declared_dim_params(model);
    const bool applied = apply_payload(model, outcome.payload);
    drop_generated_dim_params(model, declared);
    if (!applied) {
        warn("ONNX shape inference returned types that do not fit the model; shapes come from "
             "winglet's own rules");
        return r;
    }
    if (outcome.status == kThrew)
        warn("ONNX shape inference stopped early (" + outcome.message +
             "); remaining shapes come from winglet's own rules");
    else
        r.completed = true;
    return r;
}

}  // namespace winglet::onnx_importer
