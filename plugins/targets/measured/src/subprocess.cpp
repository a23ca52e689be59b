#include "subprocess.hpp"

#include "runner_protocol.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#if __has_include(<linux/close_range.h>)
#include <linux/close_range.h>
#endif

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <thread>

namespace winglet::measured {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kMaxLineBytes = 64 << 10;
constexpr milliseconds kPollSlice{50};        // how often a running child is checked for exit
constexpr milliseconds kDrainAfterExit{1000}; // a grandchild may hold the pipes open after the child exits

[[noreturn]] void launch_failed(const std::string& what, int error) {
    throw RunnerError(FailureKind::launch, what + ": " + std::strerror(error));
}

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const { return fd_; }
    bool open() const { return fd_ >= 0; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    // Keeps descriptors 0-2 free, so the child's dup2 onto them cannot overwrite another pipe.
    void set(int fd) {
        reset();
        fd_ = fd;
        if (fd_ >= 0 && fd_ < 3) {
            const int moved = fcntl(fd_, F_DUPFD_CLOEXEC, 3);
            ::close(fd_);
            fd_ = moved;
        }
    }

private:
    int fd_ = -1;
};

void make_pipe(Fd& read_end, Fd& write_end) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) launch_failed("cannot create a pipe", errno);
    read_end.set(fds[0]);
    write_end.set(fds[1]);
}

// From fork to exec only async-signal-safe calls: the host may have other threads.
[[noreturn]] void exec_child(char* const* argv, int stdin_fd, int stdout_fd, int stderr_fd, int error_fd) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);  // the child starts with default dispositions, not the host's
    if (dup2(stdin_fd, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) {
        const int error = errno;
        (void)!write(error_fd, &error, sizeof error);
        _exit(127);
    }
#ifdef CLOSE_RANGE_CLOEXEC
    close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);  // the host's other descriptors do not leak into it
#endif
    execvp(argv[0], argv);
    const int error = errno;
    (void)!write(error_fd, &error, sizeof error);
    _exit(127);
}

// Splits stderr into lines for the callback; an over-long line is passed on in pieces.
class LineSplitter {
public:
    explicit LineSplitter(const std::function<void(std::string_view)>& sink) : sink_(sink) {}
    void feed(const char* data, size_t size) {
        pending_.append(data, size);
        size_t start = 0;
        for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) emit(start, nl);
        pending_.erase(0, start);
        if (pending_.size() > kMaxLineBytes) {
            emit(0, pending_.size());
            pending_.clear();
        }
    }
    void finish() {
        if (!pending_.empty()) emit(0, pending_.size());
        pending_.clear();
    }

private:
    void emit(size_t begin, size_t end) {
        if (end > begin && pending_[end - 1] == '\r') --end;
        if (sink_) sink_(std::string_view(pending_).substr(begin, end - begin));
    }
    const std::function<void(std::string_view)>& sink_;
    std::string pending_;
};

// Owns the child until it is reaped; on any early exit (an exception from the callback) it kills
// the whole group and reaps, so no process outlives the call.
class Child {
public:
    explicit Child(pid_t pid) : pid_(pid) {}
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child() {
        if (!reaped_) {
            signal_group(SIGKILL);
            wait_blocking();
        }
    }
    void signal_group(int sig) const { ::kill(-pid_, sig); }
    bool reaped() const { return reaped_; }
    bool poll_exit() {
        if (reaped_) return true;
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) record(status);
        return reaped_;
    }
    void wait_blocking() {
        int status = 0;
        while (!reaped_) {
            const pid_t r = waitpid(pid_, &status, 0);
            if (r == pid_) record(status);
            else if (r < 0 && errno != EINTR) reaped_ = true;  // not ours to wait for any more
        }
    }
    // SIGTERM, up to `grace` to exit, then SIGKILL.
    void terminate(milliseconds grace) {
        signal_group(SIGTERM);
        const auto until = Clock::now() + grace;
        while (!poll_exit() && Clock::now() < until) std::this_thread::sleep_for(milliseconds(10));
        if (!reaped_) signal_group(SIGKILL);
        wait_blocking();
    }
    void fill(ProcessOutcome& out) const {
        out.exited = WIFEXITED(status_);
        out.exit_code = out.exited ? WEXITSTATUS(status_) : -1;
        out.signal = WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
    }

private:
    void record(int status) {
        status_ = status;
        reaped_ = true;
    }
    pid_t pid_;
    bool reaped_ = false;
    int status_ = 0;
};

// Reads what is available; false at end of file.
bool drain(int fd, std::string& into, size_t limit, bool& overflow) {
    char buffer[16384];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n > 0) {
            if (into.size() + size_t(n) > limit) {
                overflow = true;
                return false;
            }
            into.append(buffer, size_t(n));
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

std::string describe_status(const ProcessOutcome& outcome) {
    if (outcome.exited) return "exit code " + std::to_string(outcome.exit_code);
    if (outcome.signal) return "signal " + std::to_string(outcome.signal) + " (" + strsignal(outcome.signal) + ")";
    return "unknown status";
}

ProcessOutcome run_process(const ProcessSpec& spec) {
    if (spec.argv.empty() || spec.argv[0].empty()) throw RunnerError(FailureKind::launch, "empty command");
    std::vector<char*> argv;
    for (const std::string& arg : spec.argv) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    // stdin is a socket so that writing to a child that stopped reading gives EPIPE without SIGPIPE.
    Fd in_parent, in_child, out_parent, out_child, err_parent, err_child, exec_error_read, exec_error_write;
    int sockets[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) launch_failed("cannot create a socket", errno);
    in_parent.set(sockets[0]);
    in_child.set(sockets[1]);
    make_pipe(out_parent, out_child);
    make_pipe(err_parent, err_child);
    make_pipe(exec_error_read, exec_error_write);

    const auto started = Clock::now();
    const pid_t pid = fork();
    if (pid < 0) launch_failed("cannot fork to run '" + spec.argv[0] + "'", errno);
    if (pid == 0) exec_child(argv.data(), in_child.get(), out_child.get(), err_child.get(), exec_error_write.get());
    setpgid(pid, pid);  // also here: no race with a signal sent before the child ran setpgid
    Child child(pid);
    in_child.reset();
    out_child.reset();
    err_child.reset();
    exec_error_write.reset();

    int exec_errno = 0;
    ssize_t got;
    while ((got = ::read(exec_error_read.get(), &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    if (got == ssize_t(sizeof exec_errno)) {
        child.wait_blocking();
        launch_failed("cannot run '" + spec.argv[0] + "'", exec_errno);
    }

    ProcessOutcome outcome;
    set_nonblocking(in_parent.get());
    set_nonblocking(out_parent.get());
    set_nonblocking(err_parent.get());
    if (spec.input.empty()) in_parent.reset();
    LineSplitter stderr_lines(spec.on_stderr_line);
    std::string stderr_chunk;
    size_t written = 0;
    const auto deadline = started + spec.timeout;
    std::optional<Clock::time_point> drain_until;

    while (out_parent.open() || err_parent.open()) {
        const auto now = Clock::now();
        if (now >= deadline) {
            outcome.timed_out = true;
            break;
        }
        if (drain_until && now >= *drain_until) break;
        pollfd fds[3];
        nfds_t count = 0;
        const auto add = [&](const Fd& fd, short events) {
            if (fd.open()) fds[count++] = pollfd{fd.get(), events, 0};
        };
        add(out_parent, POLLIN);
        add(err_parent, POLLIN);
        add(in_parent, POLLOUT);
        auto wait = std::chrono::duration_cast<milliseconds>(deadline - now) + milliseconds(1);
        if (wait > kPollSlice) wait = kPollSlice;
        if (::poll(fds, count, int(wait.count())) < 0 && errno != EINTR)
            throw RunnerError(FailureKind::launch, std::string("poll failed: ") + std::strerror(errno));

        if (in_parent.open()) {
            const ssize_t n = ::send(in_parent.get(), spec.input.data() + written, spec.input.size() - written,
                                     MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) written += size_t(n);
            // Done, or the child closed its stdin (it is not reading: its answer will say why).
            if (written == spec.input.size() || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                in_parent.reset();
        }
        if (out_parent.open() && !drain(out_parent.get(), outcome.stdout_data, spec.max_stdout_bytes, outcome.stdout_overflow))
            out_parent.reset();
        if (outcome.stdout_overflow) break;
        if (err_parent.open()) {
            stderr_chunk.clear();
            bool ignored = false;
            const bool open = drain(err_parent.get(), stderr_chunk, size_t(1) << 30, ignored);
            stderr_lines.feed(stderr_chunk.data(), stderr_chunk.size());
            if (!open) err_parent.reset();
        }
        if (!drain_until && child.poll_exit()) drain_until = Clock::now() + kDrainAfterExit;
    }
    stderr_lines.finish();
    in_parent.reset();

    // A child that closed its pipes may still run: it too must end by the deadline.
    while (!outcome.timed_out && !outcome.stdout_overflow && !child.poll_exit()) {
        if (Clock::now() >= deadline) outcome.timed_out = true;
        else std::this_thread::sleep_for(milliseconds(10));
    }
    if (!child.reaped()) child.terminate(spec.kill_grace);
    child.signal_group(SIGKILL);  // whatever the runner left running in its group
    child.fill(outcome);
    outcome.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return outcome;
}

}  // namespace winglet::measured
