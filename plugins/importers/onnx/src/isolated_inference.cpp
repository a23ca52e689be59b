#include "isolated_inference.hpp"

#include "graph_order.hpp"

#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"

#include <google/protobuf/arena.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace winglet::onnx_importer {

// ---- running libonnx, isolated ----------------------------------------------------------------
// libonnx 1.12's inference functions crash on some malformed models (a LayerNormalization axis far
// out of range, ...). A crash must not take the engine down, so inference runs in a forked child
// that sends the inferred types back: per graph (depth-first, file order), a GraphProto holding
// only the graph's outputs and value_info.

namespace {

// Runs in the child (or on a copy, in process): sort, infer, serialize. Returns the status and
// fills `message` and `payload`.
char infer_and_serialize(onnx::ModelProto& model, std::string& message, std::string& payload) {
    std::vector<onnx::GraphProto*> graphs;
    collect_graphs(*model.mutable_graph(), graphs, 0);  // before sorting: the parent's order
    if (!sort_for_inference(model, message)) return kSkipped;
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

ChildOutcome infer_isolated(onnx::ModelProto& model, int timeout_seconds) {
    // Register libonnx's schemas here, once per process, rather than in every child.
    static const bool schemas_ready = onnx::OpSchemaRegistry::Schema("Relu", 14, "") != nullptr;
    (void)schemas_ready;

    ChildOutcome outcome;
    if (!isolation_disabled()) outcome = infer_in_child(model, timeout_seconds);
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
    return outcome;
}

}  // namespace winglet::onnx_importer
