#include "compile/critical_path.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace winglet {
namespace {

// A fused group runs as one kernel: its first op carries the latency, all share the start. Its
// members need not be adjacent in execution order (a folded Constant may sit between them).
struct Task {
    std::vector<size_t> members;
    double start = 0, end = 0;
    std::string unit;
};

std::vector<Task> tasks_of(const Report& report, std::vector<size_t>& task_of_op) {
    std::vector<Task> tasks;
    std::unordered_map<int64_t, size_t> task_of_group;
    task_of_op.assign(report.ops.size(), 0);
    for (size_t i = 0; i < report.ops.size(); ++i) {
        const OpPlan& p = *report.ops[i].compiled;
        if (p.group >= 0) {
            const auto [it, fresh] = task_of_group.emplace(p.group, tasks.size());
            if (!fresh) {
                tasks[it->second].members.push_back(i);
                task_of_op[i] = it->second;
                continue;
            }
        }
        task_of_op[i] = tasks.size();
        tasks.push_back({{i}, p.start_us, p.start_us + p.latency_us * report.ops[i].multiplier, p.unit});
    }
    return tasks;
}

// Times are sums of doubles from the target; equal within a relative hair is equal.
bool same_time(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}); }

}  // namespace

std::vector<size_t> critical_path(const Report& report) {
    if (!report.plan || report.ops.empty()) return {};
    for (const OpReport& op : report.ops)
        if (!op.compiled) return {};
    std::vector<size_t> task_of_op;
    const std::vector<Task> tasks = tasks_of(report, task_of_op);
    std::unordered_map<std::string, size_t> producer;  // value name -> task
    for (size_t i = 0; i < report.ops.size(); ++i)
        for (const std::string& name : report.ops[i].output_names) producer.emplace(name, task_of_op[i]);

    // Walk back from the task that ends last: each step goes to a predecessor (a producer of
    // its data, else the task before it on its unit, else any task) that ended exactly when it
    // started.
    size_t current = 0;
    for (size_t t = 1; t < tasks.size(); ++t)
        if (tasks[t].end > tasks[current].end) current = t;
    std::vector<size_t> chain{current};
    for (;;) {
        const Task& task = tasks[current];
        if (same_time(task.start, 0)) break;
        std::optional<size_t> next;
        for (size_t i : task.members) {
            if (next) break;
            for (const std::string& input : report.ops[i].activation_inputs) {
                const auto it = producer.find(input);
                if (it != producer.end() && it->second != current && same_time(tasks[it->second].end, task.start)) {
                    next = it->second;
                    break;
                }
            }
        }
        for (size_t t = current; !next && t-- > 0;)
            if (tasks[t].unit == task.unit && same_time(tasks[t].end, task.start)) next = t;
        // A target may also issue ops in order (one queue for all units): then it waited on
        // whatever ended last before it.
        for (size_t t = current; !next && t-- > 0;)
            if (same_time(tasks[t].end, task.start)) next = t;
        if (!next) break;  // idle gap before it (no target leaves one today)
        current = *next;
        chain.push_back(current);
    }

    std::vector<size_t> ops;
    for (size_t t : chain) ops.insert(ops.end(), tasks[t].members.begin(), tasks[t].members.end());
    std::sort(ops.begin(), ops.end());
    return ops;
}

}  // namespace winglet
