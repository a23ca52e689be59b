// Collects the warnings logged while a command runs, so a remembered run can show them again.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace winglet::cli {

class WarningRecorder {
public:
    WarningRecorder() : sink_(std::make_shared<Sink>()) { spdlog::default_logger()->sinks().push_back(sink_); }
    ~WarningRecorder() {
        auto& sinks = spdlog::default_logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
    }
    WarningRecorder(const WarningRecorder&) = delete;
    WarningRecorder& operator=(const WarningRecorder&) = delete;

    std::vector<std::string> warnings() const {
        std::lock_guard<std::mutex> lock(sink_->lock);
        return sink_->warnings;
    }

private:
    struct Sink : spdlog::sinks::base_sink<std::mutex> {
        std::mutex lock;
        std::vector<std::string> warnings;
        void sink_it_(const spdlog::details::log_msg& msg) override {
            if (msg.level != spdlog::level::warn) return;
            std::lock_guard<std::mutex> guard(lock);
            warnings.emplace_back(msg.payload.data(), msg.payload.size());
        }
        void flush_() override {}
    };
    std::shared_ptr<Sink> sink_;
};

}  // namespace winglet::cli
